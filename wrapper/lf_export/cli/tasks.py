"""`lf-export tasks status|wait|cancel TASK_ID...`: look at, wait for, or cancel export tasks by id.

``tasks wait`` never cancels, not even on Ctrl-C: a command cancels only what it started, and these tasks
were started elsewhere. An interrupt prints the tasks still running with their ``lf-export resume`` commands.
(``--keep-on-interrupt`` is still accepted, hidden, with a deprecation warning: it is what always happens.)
``tasks cancel --all --yes`` is refused: the API cancels every task of the token only when ``taskIds`` is
absent, and our contract (``minItems: 1``) forbids sending that; give the task ids instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

import click
from rich.table import Table

from lf_export import (
    ExportClient,
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    OptionIssue,
    OptionsError,
    TaskProgress,
    TaskStatus,
    TaskType,
)

from ._flags import connection_options, output_options
from ._output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    entry_json,
    escape,
    exit_code_for,
    table,
)
from ._params import DURATION, TASK_ID, collect, collect_each
from ._progress import ProgressView
from ._run import guarded, make_run, report_interrupt

__all__ = ["tasks_group"]


@click.group("tasks")
def tasks_group() -> None:
    """Look at, wait for, or cancel tasks (exports, copies, deletes) by id; a finished copy's new entry."""


def _task_json(task_id: str, progress: TaskProgress | None) -> dict[str, Any]:
    if progress is None:
        return {"task_id": task_id, "status": "Unknown", "known": False}
    return {
        "task_id": progress.task_id,
        "known": True,
        "status": progress.status,  # a TaskStatus (a StrEnum: the same string in JSON)
        "task_type": progress.task_type,
        "percent_complete": progress.percent_complete,
        "entry_id": progress.entry_id,
        "has_download_link": progress.download_link is not None,
        "start_time": progress.start_time.isoformat() if progress.start_time else None,
        "last_update_time": progress.last_update_time.isoformat() if progress.last_update_time else None,
        "errors": [
            {k: v for k, v in error.items() if k in ("status", "title", "detail", "errorCode", "type")}
            for error in progress.errors
        ],
    }


def _tasks_table(docs: Sequence[dict[str, Any]]) -> Table:
    out = table()
    copies = any("new_entry" in doc for doc in docs)
    for name in ("task", "type", "status", "%", "entry", "updated", *(("new entry",) if copies else ())):
        out.add_column(name, justify="right" if name in ("%", "entry") else "left")
    for doc in docs:
        status = doc["status"] if doc["known"] else "unknown (expired or never existed)"
        if doc.get("errors"):
            first = doc["errors"][0]
            status += f": {first.get('title') or first.get('detail') or ''}"
        out.add_row(
            doc["task_id"],
            str(doc.get("task_type") or "-"),
            escape(status),
            "-" if doc.get("percent_complete") is None else str(doc["percent_complete"]),
            "-" if doc.get("entry_id") is None else str(doc["entry_id"]),
            str(doc.get("last_update_time") or "-")[:19],
            *((_new_entry_text(doc.get("new_entry")),) if copies else ()),
        )
    return out


def _new_entry_text(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "-"
    return escape(f"{entry['entry_id']} {entry.get('path') or entry.get('error') or ''}".strip())


def _task_docs(
    client: ExportClient, ids: Sequence[str], found: Sequence[TaskProgress]
) -> list[dict[str, Any]]:
    by_id = {progress.task_id.lower(): progress for progress in found}
    docs = [_task_json(task_id, by_id.get(task_id.lower())) for task_id in ids]
    for doc in docs:
        if doc["known"] and doc["task_type"] == TaskType.COPY_ENTRY and doc["status"] == TaskStatus.COMPLETED:
            doc["new_entry"] = _new_entry(client, doc["entry_id"])
    return docs


def _new_entry(client: ExportClient, entry_id: int | None) -> dict[str, Any] | None:
    """A finished copy's new entry (its id is the task's result.entryId), looked up for its path."""
    if entry_id is None:
        return None
    try:
        return entry_json(client.entry(entry_id))
    except LaserficheError as exc:  # deleted since, say: the id is still worth showing
        return {"entry_id": entry_id, "error": str(exc)}


@tasks_group.command("status")
@click.argument("task_ids", nargs=-1, required=True, metavar="TASK_ID...", type=TASK_ID)
@connection_options
@output_options
def status_command(**kwargs: Any) -> NoReturn:
    """Show the status of tasks (one ListTasks request for all)."""
    run = make_run("tasks status", kwargs)

    def body() -> NoReturn:
        ids = list(dict.fromkeys(collect_each(kwargs["task_ids"])))
        with run.client() as client:
            docs = _task_docs(client, ids, client.tasks(ids))
        if not run.ui.json_mode:
            run.ui.print_table(_tasks_table(docs))
        run.finish(EXIT_OK, {"tasks": docs})

    guarded(run, body)


@tasks_group.command("wait")
@click.argument("task_ids", nargs=-1, required=True, metavar="TASK_ID...", type=TASK_ID)
@click.option(
    "--deadline", type=DURATION, metavar="DURATION", help="Give up after e.g. 90s, 10m (tasks keep running)."
)
@click.option(
    "--keep-on-interrupt",
    is_flag=True,
    hidden=True,
    help="Deprecated, does nothing: tasks wait never cancels (it did not start the tasks).",
)
@connection_options
@output_options
def wait_command(**kwargs: Any) -> NoReturn:
    """Wait until tasks end. Exit 0 if all completed, 1 if any failed, was cancelled or is unknown.

    Ctrl-C leaves the tasks running (this command did not start them) and prints how to finish them.
    """
    run = make_run("tasks wait", kwargs)
    if kwargs.pop("keep_on_interrupt"):
        run.ui.warn("--keep-on-interrupt is deprecated and does nothing: tasks wait never cancels tasks")

    def body() -> NoReturn:
        ids, deadline = collect(
            lambda: list(dict.fromkeys(collect_each(kwargs["task_ids"]))), kwargs["deadline"]
        )
        code = EXIT_OK
        with run.client() as client:
            try:
                with ProgressView(run.ui) as view:
                    client.wait(ids, deadline=deadline, on_progress=view)
            except KeyboardInterrupt as exc:  # neither wait() nor this command cancels: not ours
                running = list(exc.tasks) if isinstance(exc, ExportInterrupted) else ids
                run.finish(EXIT_INTERRUPTED, report_interrupt(run, [], running))
            except ExportTimeoutError as exc:
                code = EXIT_TIMEOUT
                run.ui.error_block("deadline passed; still running: " + ", ".join(exc.task_ids))
            except LaserficheError as exc:
                code = exit_code_for(exc)
                if code != EXIT_FAILED:
                    raise
            docs = _task_docs(client, ids, client.tasks(ids))
        if code == EXIT_OK and any(doc["status"] != TaskStatus.COMPLETED for doc in docs):
            code = EXIT_FAILED
        if not run.ui.json_mode:
            run.ui.print_table(_tasks_table(docs))
        run.finish(code, {"tasks": docs})

    guarded(run, body)


@tasks_group.command("cancel")
@click.argument("task_ids", nargs=-1, metavar="TASK_ID...", type=TASK_ID)
@click.option("--all", "all_tasks", is_flag=True, help="Every task of the token (see below; refused).")
@click.option("--yes", is_flag=True, help="Confirm --all.")
@connection_options
@output_options
def cancel_command(**kwargs: Any) -> NoReturn:
    """Start cancelling tasks (poll with `tasks status` to see Cancelled).

    --all --yes is refused: the API cancels every task of the token only when no task id is sent, and this
    project's contract (taskIds minItems 1) never sends that. Give the task ids.
    """
    run = make_run("tasks cancel", kwargs)

    def body() -> NoReturn:
        ids = list(dict.fromkeys(collect_each(kwargs["task_ids"])))
        if kwargs["all_tasks"] or not ids:
            if kwargs["all_tasks"] and not kwargs["yes"]:
                rule = "cancels every task of the access token: add --yes to confirm"
            elif kwargs["all_tasks"]:
                rule = (
                    "is not supported: the API cancels all tasks only when no taskIds are sent, and the "
                    "lf-export contract (taskIds minItems 1) never sends that; list the task ids instead"
                )
            else:
                rule = "give at least one TASK_ID"
            raise OptionsError([OptionIssue("--all" if kwargs["all_tasks"] else "TASK_ID", None, rule)])
        with run.client() as client:
            answered = client.cancel(ids)
        docs = [{"task_id": task_id, "accepted": bool(answered.get(task_id, False))} for task_id in ids]
        if not run.ui.json_mode:
            out = table()
            out.add_column("task")
            out.add_column("cancellation")
            for doc in docs:
                out.add_row(doc["task_id"], "started" if doc["accepted"] else "refused or unknown")
            run.ui.print_table(out)
        code = EXIT_OK if all(doc["accepted"] for doc in docs) else EXIT_FAILED
        run.finish(code, {"tasks": docs})

    guarded(run, body)
