"""Shared by the bench scripts: the emulator in a child process, the size switch, small timing helpers.

The emulator always runs in its own process so it does not compete for this process's GIL: the figures
measure the client. ``LF_BENCH_QUICK=1`` shrinks the big download (256 MiB instead of 1 GiB) and batches.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from lf_emulator.testing import EmulatorProcess

QUICK = os.environ.get("LF_BENCH_QUICK", "").strip() not in ("", "0")
MiB = 1024 * 1024
GiB = 1024 * MiB


Emulator = EmulatorProcess  # the emulator in its own process (see lf_emulator.testing)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)
