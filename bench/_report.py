"""Shared reporting for bench/ scripts: every figure is a ratio measured side by side in one run, or a count.

Each script builds a list of `Figure` and calls `report(figures)`, which prints a table and merges the figures
into bench/results.json (keyed by figure name, so scripts can run alone or all together).
"""

from __future__ import annotations

import json
import platform
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")


@dataclass(frozen=True)
class Figure:
    name: str  # what was measured, e.g. "page-range parse: time/char 1 MB vs 1 KB"
    value: float
    unit: str  # "x" for ratios, "MiB", "ms", "requests/task" ...
    target: str  # human-readable target, e.g. "<= 2.0x"
    passed: bool
    detail: str = ""  # the raw numbers behind the figure


def report(figures: list[Figure], *, results: Path = RESULTS) -> None:
    width = max((len(f.name) for f in figures), default=10)
    print(f"{'figure':<{width}}  {'value':>12}  {'target':<14}  ok")
    for f in figures:
        verdict = "yes" if f.passed else "NO"
        print(f"{f.name:<{width}}  {f.value:>10.3f} {f.unit:<2} {f.target:<14}  {verdict}")
        if f.detail:
            print(f"{'':<{width}}    {f.detail}")
    data: dict[str, object] = {}
    if results.exists():
        try:
            data = json.loads(results.read_text())
        except ValueError:
            data = {}
    figs = data.get("figures") if isinstance(data.get("figures"), dict) else {}
    assert isinstance(figs, dict)
    for f in figures:
        figs[f.name] = asdict(f) | {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    data = {"python": sys.version.split()[0], "machine": platform.machine(), "figures": figs}
    results.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
