"""Polling requests per completed task for 50 async exports: batched vs one poll per task (target <= 0.2x).

Batched: ``export_many`` — one ListTasks per round for every running task. One-poll-per-task: the same 50
tasks, each followed by its own ``wait([task_id])`` loop in its own thread, the way a client without batching
would do it. The emulator (child process) allows all 50 at once and long-polls up to 1 s, so both sides see
the same server; requests are counted by the emulator. The figure compares ListTasks (polling) requests; a
second figure gives all API requests per task (the StartExportEntry per task is the same on both sides).
"""

from __future__ import annotations

import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _emu import QUICK, Emulator
from _report import Figure, report
from lf_export import ExportClient, ExportOptions, PollPolicy

TASKS = 50
TARGET = 0.2
DOCS = ["one_page", "three_pages", "annotated", "letter", "non_ascii", "record_document"]


def api_requests(counters: dict[str, object]) -> tuple[int, int]:
    """(ListTasks requests, all API requests) the emulator counted."""
    requests = counters["requests"]
    assert isinstance(requests, dict)
    return int(requests.get("ListTasks", 0)), sum(int(n) for n in requests.values())


def main() -> None:
    poll = PollPolicy(initial_wait=0.05, max_wait=0.5)
    args = ["--task-seconds", "0.5" if QUICK else "1.0", "--long-poll-max-seconds", "1.0"]
    with Emulator(*args, "--max-concurrent-tasks", str(TASKS)) as emu, tempfile.TemporaryDirectory() as tmp:
        docs = emu.documents
        jobs = [(docs[DOCS[i % len(DOCS)]], ExportOptions.pdf()) for i in range(TASKS)]
        with ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=poll) as lf:
            emu.reset()
            # overwrite: several jobs export the same document, hence the same file name
            outcomes = lf.export_many(jobs, Path(tmp) / "batched", max_concurrent_tasks=TASKS, overwrite=True)
            batched_done = sum(o.ok for o in outcomes)
            batched = api_requests(emu.counters())

            emu.reset()
            ids = [lf.start_export(entry, options).task_id for entry, options in jobs]
            single_dir = Path(tmp) / "single"
            single_dir.mkdir()

            def finish(task_id: str) -> bool:
                progress = lf.wait([task_id])[task_id]
                assert progress.download_link is not None
                lf.download(progress.download_link, single_dir / f"{task_id}.pdf")
                return True

            with ThreadPoolExecutor(TASKS) as pool:
                single_done = sum(pool.map(finish, ids))
            single = api_requests(emu.counters())

    polls_batched, all_batched = batched
    polls_single, all_single = single
    ratio = (polls_batched / batched_done) / (polls_single / single_done)
    report(
        [
            Figure(
                name=f"polling requests per completed task, {TASKS} async exports: batched vs per task",
                value=ratio,
                unit="x",
                target=f"<= {TARGET}x",
                passed=ratio <= TARGET and batched_done == single_done == TASKS,
                detail=(
                    f"ListTasks: batched {polls_batched} for {batched_done} tasks, "
                    f"per task {polls_single} for {single_done} tasks"
                ),
            ),
            Figure(
                name=f"all API requests per completed task, {TASKS} async exports: batched vs per task",
                value=(all_batched / batched_done) / (all_single / single_done),
                unit="x",
                target="count",
                passed=batched_done == single_done == TASKS,
                detail=(
                    f"batched {all_batched / batched_done:.2f}/task, "
                    f"per task {all_single / single_done:.2f}/task "
                    "(StartExportEntry + ListTasks + retries; downloads are not API requests)"
                ),
            ),
        ]
    )


if __name__ == "__main__":
    main()
