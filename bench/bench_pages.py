"""Page-range parsing scales linearly: time per character at 1 MB versus 1 KB (target <= 2x).

Three inputs of each size: a valid list of pages and ranges (the normal case, parsed to the end), and two
hostile ones that fail only at their last character (``1-11111111,7,7,...x`` and ``1,`` followed by a
megabyte of spaces and ``x``). Inputs that fail early (a run of commas, a 1 MB number) stop at the first
bad character, so they are not figures here; the tests cover them. Each figure is the median of several
runs, measured side by side in this process.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, report
from lf_export._errors import OptionsError
from lf_export._pages import PageRange

KB = 1024
MB = 1024 * 1024
TARGET = 2.0


def valid_input(size: int) -> str:
    parts: list[str] = []
    length = 0
    page = 1
    while length < size:
        item = f"{page}-{page + 2}" if page % 3 else str(page)
        parts.append(item)
        length += len(item) + 1
        page += 5
    return ",".join(parts)[:size].rstrip(",-")


def digits_input(size: int) -> str:
    return "1-" + "1" * 8 + "," + ",".join(["7"] * ((size - 12) // 2)) + "x"


def blanks_input(size: int) -> str:
    return "1," + " " * (size - 3) + "x"


def seconds_per_char(text: str, *, repeat: int) -> float:
    def run() -> None:
        with contextlib.suppress(OptionsError):
            PageRange.parse(text)

    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) / len(text)


def figure(name: str, make: Callable[[int], str]) -> Figure:
    small, large = make(KB), make(MB)
    # Warm up, then measure the small input many times so its median is stable.
    seconds_per_char(small, repeat=50)
    per_small = seconds_per_char(small, repeat=301)
    per_large = seconds_per_char(large, repeat=5)
    ratio = per_large / per_small
    return Figure(
        name=f"page-range parse ({name}): time/char 1 MB vs 1 KB",
        value=ratio,
        unit="x",
        target=f"<= {TARGET:.1f}x",
        passed=ratio <= TARGET,
        detail=(
            f"{per_small * 1e9:.1f} ns/char at {len(small)} chars, "
            f"{per_large * 1e9:.1f} ns/char at {len(large)} chars"
        ),
    )


def main() -> None:
    report(
        [
            figure("valid pages and ranges", valid_input),
            figure("hostile: 1-11111111,7,7,... then a bad character", digits_input),
            figure("hostile: 1, then spaces, then a bad character", blanks_input),
        ]
    )


if __name__ == "__main__":
    main()
