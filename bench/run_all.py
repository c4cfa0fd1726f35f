"""Run every benchmark (``make bench``), each in its own interpreter, then print every figure from
bench/results.json with its target.

``LF_BENCH_QUICK=1`` runs the smaller sizes (256 MiB download, faster emulator tasks). The exit status is 0
even when a figure misses its target: the table says which, and the figures are what we publish.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_polling.py",
    "bench_concurrency.py",
    "bench_download.py",
    "bench_overhead.py",
    "bench_pages.py",
    "bench_journal.py",
    "bench_pacing.py",
    "bench_tree.py",
]


def main() -> int:
    quick = os.environ.get("LF_BENCH_QUICK", "").strip() not in ("", "0")
    size = "quick: 256 MiB download" if quick else "full: 1 GiB download"
    print(f"lf-export benchmarks ({size}; python {platform.python_version()}, {os.cpu_count()} CPUs)")
    started = time.time()
    failed_scripts = []
    for script in SCRIPTS:
        print(f"\n== {script}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script)], check=False)
        if done.returncode != 0:
            failed_scripts.append(script)
    results = json.loads((HERE / "results.json").read_text())
    figures = results["figures"]
    measured = {
        name: figure
        for name, figure in figures.items()
        if time.mktime(time.strptime(figure["measured_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        >= started - 1
    }
    print(f"\n== summary ({len(measured)} figures this run, {size})")
    width = max((len(n) for n in measured), default=10)
    for name, figure in sorted(measured.items()):
        verdict = "yes" if figure["passed"] else "NO"
        print(
            f"{name:<{width}}  {figure['value']:>10.3f} {figure['unit']:<3} {figure['target']:<14} {verdict}"
        )
    if failed_scripts:
        print(f"\nscripts that crashed: {', '.join(failed_scripts)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
