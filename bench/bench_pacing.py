"""Pacing under a per-minute export limit: the same batch of simple exports (ExportEntry + download) against
an emulator that allows 600 export calls a minute, counted over 1 s windows (10 in any second), so a run takes
seconds instead of minutes.

* paced: ``Pacing(export_calls_per_minute=600)``: achieved export rate as a fraction of the limit (target
  >= 0.9) and 429s received (target 0);
* paced, configured at twice the real limit: the adaptive rate halves on the first 429s and settles;
* limiter off: the client still honours each 429's Retry-After (1 s), but only after meeting it;
* vendor-style: no waiting at all, every 429 is sent again at once (what the vendor's clients would need a
  caller to do, since they neither retry nor wait on 429).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _emu import QUICK, Emulator
from _report import Figure, report
from lf_export import ExportClient, ExportOptions
from lf_export._pacing import Pacing

PER_MINUTE = 600
WINDOW = 1.0
PER_SECOND = PER_MINUTE / 60.0
EXPORTS = 60 if QUICK else 120
TARGET = 0.9


def run_client(emu: Emulator, pacing: Pacing, folder: Path) -> float:
    doc = emu.documents["one_page"]
    with ExportClient(emu.base_url, emu.repository_id, token=emu.token, pacing=pacing) as lf:
        start = time.perf_counter()
        for i in range(EXPORTS):
            lf.export(doc, ExportOptions.text(), folder / f"{i}.txt", mode="sync", overwrite=True)
        return time.perf_counter() - start


def run_vendor_style(emu: Emulator, _pacing: Pacing, folder: Path) -> float:
    doc = emu.documents["one_page"]
    url = f"{emu.base_url}/v2/Repositories/{emu.repository_id}/Entries/{doc}/Export"
    headers = {"Authorization": f"Bearer {emu.token}"}
    with httpx.Client(timeout=30) as http:
        start = time.perf_counter()
        for i in range(EXPORTS):
            while True:
                answer = http.post(url, json={"part": "Text"}, headers=headers)
                if answer.status_code != 429:
                    break
            answer.raise_for_status()
            (folder / f"{i}.txt").write_bytes(http.get(answer.json()["value"]).content)
        return time.perf_counter() - start


def measure(
    emu: Emulator, name: str, run: Callable[[Emulator, Pacing, Path], float], pacing: Pacing, tmp: Path
) -> tuple[float, int, float]:
    emu.reset()
    time.sleep(WINDOW)  # an empty window: every run starts alike
    folder = tmp / name
    folder.mkdir()
    seconds = run(emu, pacing, folder)
    refused = int(emu.counters()["rate_limited"]["export_calls"])
    # the first call of a run goes at once: the rate is over the gaps between calls
    fraction = (EXPORTS - 1) / seconds / PER_SECOND
    return fraction, refused, seconds


def main() -> None:
    logging.getLogger("stamina").setLevel(logging.ERROR)  # the limiter-off run retries on purpose
    args = ["--export-calls-per-minute", str(PER_MINUTE), "--rate-window-seconds", str(WINDOW)]
    runs: dict[str, tuple[float, int, float]] = {}
    with Emulator(*args) as emu, tempfile.TemporaryDirectory() as tmp:
        run_client(emu, Pacing.off(), Path(tmp))  # warm up (imports, connections)
        modes: list[tuple[str, Callable[[Emulator, Pacing, Path], float], Pacing]] = [
            ("paced", run_client, Pacing(export_calls_per_minute=PER_MINUTE)),
            ("paced-2x", run_client, Pacing(export_calls_per_minute=2 * PER_MINUTE)),
            ("off", run_client, Pacing.off()),
            ("vendor", run_vendor_style, Pacing.off()),
        ]
        for name, run, pacing in modes:
            runs[name] = measure(emu, name, run, pacing, Path(tmp))
    limit = f"limit {PER_MINUTE}/min over {WINDOW:g} s windows ({PER_SECOND:g}/s), {EXPORTS} simple exports"

    def detail(name: str) -> str:
        fraction, refused, seconds = runs[name]
        return f"{name}: {fraction:.3f} of the limit, {refused} x 429, {seconds:.2f}s"

    paced_fraction, paced_refused, _ = runs["paced"]
    figures = [
        Figure(
            name="pacing: achieved export rate / limit (paced at the limit)",
            value=paced_fraction,
            unit="x",
            target=f">= {TARGET}",
            passed=paced_fraction >= TARGET,
            detail=f"{limit}; {detail('paced')}",
        ),
        Figure(
            name="pacing: 429s received (paced at the limit)",
            value=paced_refused,
            unit="",
            target="0",
            passed=paced_refused == 0,
            detail=detail("paced"),
        ),
        Figure(
            name="pacing: 429s received (configured at 2x the limit, adaptive)",
            value=runs["paced-2x"][1],
            unit="",
            target="few",
            passed=runs["paced-2x"][1] < runs["off"][1],
            detail=f"{detail('paced-2x')}; fewer than with the limiter off",
        ),
        Figure(
            name="pacing: 429s received (limiter off, Retry-After honoured)",
            value=runs["off"][1],
            unit="",
            target="> 0 (reference)",
            passed=runs["off"][1] > 0,
            detail=detail("off"),
        ),
        Figure(
            name="pacing: 429s received (vendor-style, no waiting)",
            value=runs["vendor"][1],
            unit="",
            target="> 0 (reference)",
            passed=runs["vendor"][1] > 0,
            detail=detail("vendor"),
        ),
    ]
    report(figures)


if __name__ == "__main__":
    main()
