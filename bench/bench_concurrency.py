"""Time to finish 50 exports with `max_concurrent_tasks` 1 vs 4, against an emulator that allows 4 (expect
near 4x; target >= 3x).

Tasks take a fixed time on the emulator (child process), so the figure shows how well ``export_many`` keeps
every allowed slot busy: submit as soon as a slot frees, poll all running tasks in one request, download each
file as its task completes. The emulator's high-water mark of concurrent tasks is reported alongside.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _emu import QUICK, Emulator
from _report import Figure, report
from lf_export import ExportClient, ExportOptions, PollPolicy

EXPORTS = 50
LIMIT = 4
TARGET = 3.0
DOCS = ["one_page", "three_pages", "letter", "non_ascii", "record_document"]


def main() -> None:
    task_seconds = 0.1 if QUICK else 0.2
    poll = PollPolicy(initial_wait=0.01, max_wait=0.1)
    args = ["--task-seconds", str(task_seconds), "--long-poll-max-seconds", "2", "--max-concurrent-tasks"]
    seconds: dict[int, float] = {}
    high_water: dict[int, int] = {}
    with Emulator(*args, str(LIMIT)) as emu, tempfile.TemporaryDirectory() as tmp:
        docs = emu.documents
        jobs = [(docs[DOCS[i % len(DOCS)]], ExportOptions.tiff()) for i in range(EXPORTS)]
        with ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=poll) as lf:
            lf.export_many(jobs[:LIMIT], Path(tmp) / "warm", max_concurrent_tasks=LIMIT, overwrite=True)
            for concurrency in (1, LIMIT):
                emu.reset()
                start = time.perf_counter()
                outcomes = lf.export_many(
                    jobs, Path(tmp) / str(concurrency), max_concurrent_tasks=concurrency, overwrite=True
                )
                seconds[concurrency] = time.perf_counter() - start
                assert all(o.ok for o in outcomes), [str(o.error) for o in outcomes if not o.ok]
                high_water[concurrency] = int(emu.counters()["concurrent_tasks_high_water"])
    ratio = seconds[1] / seconds[LIMIT]
    report(
        [
            Figure(
                name=f"{EXPORTS} exports, max_concurrent_tasks 1 vs {LIMIT}: time ratio",
                value=ratio,
                unit="x",
                target=f">= {TARGET:.1f}x",
                passed=ratio >= TARGET and high_water[LIMIT] <= LIMIT,
                detail=(
                    f"1: {seconds[1]:.2f}s, {LIMIT}: {seconds[LIMIT]:.2f}s; emulator task {task_seconds}s; "
                    f"concurrent tasks high-water {high_water[1]} and {high_water[LIMIT]} (limit {LIMIT})"
                ),
            )
        ]
    )


if __name__ == "__main__":
    main()
