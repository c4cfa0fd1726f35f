"""``--no-wait`` (`export`, `copy`, `delete`): only start the tasks, print their ids and how to finish them.

An error part-way stops the starting and names the tasks started before it (they keep running)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from lf_export import LaserficheError, LongOperation

from ._output import EXIT_OK, error_json, exit_code_for, table
from ._run import Run

__all__ = ["start_only", "wait_line"]


def wait_line(task_ids: Sequence[str]) -> str:
    """The command that waits for tasks (and shows the new entry of a copy)."""
    return "lf-export tasks wait " + " ".join(task_ids)


def start_only(
    run: Run,
    entry_ids: Sequence[int],
    start: Callable[[int], LongOperation],
    finish: Callable[[list[str]], list[str]],
    *,
    key: str = "resume",
) -> NoReturn:
    """Start one task per entry with `start`; print a table of them and the `finish` lines of their ids (in
    JSON under `key`)."""
    started: list[dict[str, Any]] = []
    try:
        for entry_id in entry_ids:
            op = start(entry_id)
            started.append({"entry_id": entry_id, "task_id": op.task_id, "task_type": op.task_type})
    except LaserficheError as exc:
        run.ui.report_error(exc)
        if started:
            run.ui.info("started before the error: " + ", ".join(doc["task_id"] for doc in started))
        lines = finish([doc["task_id"] for doc in started]) if started else []
        run.finish(exit_code_for(exc), {"started": started, key: lines, "error": error_json(exc)})
    lines = finish([doc["task_id"] for doc in started])
    if not run.ui.json_mode:
        tasks = table()
        tasks.add_column("entry", justify="right")
        tasks.add_column("task")
        tasks.add_column("type")
        for doc in started:
            tasks.add_row(str(doc["entry_id"]), doc["task_id"], str(doc["task_type"]))
        run.ui.print_table(tasks)
        run.ui.info("finish with: " + "; ".join(lines))
        run.cloud_task_note()
    run.finish(EXIT_OK, {"started": started, key: lines})
