"""`lf-export copy SOURCE --to FOLDER`: copy an entry (a folder with everything under it) into a folder.

`ExportClient.copy` (CopyAsync, then ListTasks until the copy task ends, then the new entry from its
``result.uri``). ``--no-wait`` only starts the task and prints ``lf-export tasks wait TASK_ID``, which
finishes it and shows the new entry. Exit codes as for `export`: 0 copied, 1 the copy failed for a reason of
its own (no such source, name taken without ``--auto-rename``, a copy into its own subtree), 2 usage, 3 auth,
4 API error, 5 deadline passed (the copy keeps running: ``tasks wait`` prints the new entry), 130
interrupted: the copy this command started is cancelled (unless ``--keep-on-interrupt``), which can leave a
partial copy in FOLDER.
"""

from __future__ import annotations

from typing import Any, NoReturn

import click

from lf_export import (
    EntryInfo,
    ExportClient,
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    ProgressEvent,
    TaskCancelledError,
)

from ._flags import connection_options, output_options
from ._no_wait import start_only, wait_line
from ._output import EXIT_INTERRUPTED, EXIT_OK, EXIT_TIMEOUT, entry_json, error_json, escape, table
from ._params import DURATION, ENTRY_ID, collect
from ._progress import ProgressView
from ._repository import report_operation_error
from ._run import Run, guarded, make_run, report_interrupt

__all__ = ["copy_command", "operation_options"]


def operation_options(func: Any) -> Any:
    """The flags `copy` and `delete` share: --deadline, --no-wait, --keep-on-interrupt."""
    for option in reversed(
        [
            click.option(
                "--deadline",
                type=DURATION,
                metavar="DURATION",
                help="Stop waiting after e.g. 90s, 10m (the task keeps running: finish with `tasks wait`).",
            ),
            click.option(
                "--no-wait", is_flag=True, help="Only start the task(s) and print their ids (`tasks wait`)."
            ),
            click.option(
                "--keep-on-interrupt",
                is_flag=True,
                help="On Ctrl-C leave the task(s) running (and list them).",
            ),
        ]
    ):
        func = option(func)
    return func


@click.command("copy")
@click.argument("source", metavar="SOURCE", type=ENTRY_ID)
@click.option(
    "--to", "to_folder", metavar="FOLDER", type=ENTRY_ID, required=True, help="Folder id to copy into."
)
@click.option("--name", metavar="NAME", help="Name of the copy (default: the source's).")
@click.option("--auto-rename", is_flag=True, help="If NAME is taken in FOLDER, use NAME (2), NAME (3) ...")
@operation_options
@connection_options
@output_options
def copy_command(**kwargs: Any) -> NoReturn:
    """Copy the entry SOURCE (a folder: with everything under it) into the folder --to FOLDER.

    Prints the new entry (id and path). A copy takes time in proportion to what it copies; Ctrl-C cancels it,
    which can leave a partial copy in FOLDER (list it with `lf-export ls FOLDER`).
    """
    run = make_run("copy", kwargs)

    def body() -> NoReturn:
        source, folder, deadline = collect(kwargs["source"], kwargs["to_folder"], kwargs["deadline"])
        name: str | None = kwargs["name"]
        auto_rename: bool = kwargs["auto_rename"]
        with run.client(cancel_on_interrupt=not kwargs["keep_on_interrupt"], write=True) as client:
            if kwargs["no_wait"]:
                start_only(
                    run,
                    [source],
                    lambda entry_id: client.start_copy(entry_id, folder, name, auto_rename=auto_rename),
                    lambda tasks: [wait_line(tasks)],
                    key="finish",
                )
            task_ids: list[str] = []
            try:
                with ProgressView(run.ui) as view:

                    def on_progress(event: ProgressEvent) -> None:
                        if event.task_id and event.task_id not in task_ids:
                            task_ids.append(event.task_id)
                        view(event)

                    entry = client.copy(
                        source,
                        folder,
                        name,
                        auto_rename=auto_rename,
                        deadline=deadline,
                        on_progress=on_progress,
                    )
            except KeyboardInterrupt as exc:
                _interrupted(run, exc, task_ids, folder)
            except ExportTimeoutError as exc:
                line = wait_line(exc.task_ids or task_ids)
                run.ui.error_block(
                    "deadline passed; the copy is still running on the server. Finish with:", [line]
                )
                run.cloud_task_note()
                doc = {
                    "source_id": source,
                    "to_folder_id": folder,
                    "task_id": _first(exc.task_ids or task_ids),
                }
                run.finish(EXIT_TIMEOUT, {**doc, "finish": [line], "error": error_json(exc)})
            except LaserficheError as exc:
                _failed(run, client, exc, source, folder, task_ids)
        _copied(run, source, folder, entry, _first(task_ids))

    guarded(run, body)


def _first(ids: list[str] | tuple[str, ...]) -> str | None:
    return ids[0] if ids else None


def _copied(run: Run, source: int, folder: int, entry: EntryInfo, task_id: str | None) -> NoReturn:
    if not run.ui.json_mode:
        out = table()
        for column in ("source", "new entry", "type", "path"):
            out.add_column(column, justify="right" if column in ("source", "new entry") else "left")
        out.add_row(str(source), str(entry.entry_id), entry.entry_type, escape(entry.full_path or entry.name))
        run.ui.print_table(out)
    doc = {"source_id": source, "to_folder_id": folder, "task_id": task_id, "entry": entry_json(entry)}
    run.finish(EXIT_OK, doc)


def _interrupted(run: Run, exc: KeyboardInterrupt, task_ids: list[str], folder: int) -> NoReturn:
    """Ctrl-C: the library cancelled the copy (unless --keep-on-interrupt); it can be left partial."""
    interrupted = exc if isinstance(exc, ExportInterrupted) else None
    cancelled = list(interrupted.cancelled) if interrupted else []
    left = list(interrupted.left_running) if interrupted else []
    extra = report_interrupt(run, cancelled, left, finish=lambda task_id: wait_line([task_id]))
    if cancelled:
        run.ui.info(f"a cancelled copy can leave part of it in folder {folder}: lf-export ls {folder}")
    error = {"type": "ExportInterrupted", "message": "interrupted", "exit_code": EXIT_INTERRUPTED}
    run.finish(EXIT_INTERRUPTED, {"task_id": _first(task_ids), "error": error, **extra})


def _failed(
    run: Run, client: ExportClient, exc: LaserficheError, source: int, folder: int, task_ids: list[str]
) -> NoReturn:
    code = report_operation_error(run.ui, client, exc)
    if isinstance(exc, TaskCancelledError):
        run.ui.info(f"the copy was cancelled; part of it may be in folder {folder}: lf-export ls {folder}")
    doc = {"source_id": source, "to_folder_id": folder, "task_id": _first(task_ids)}
    run.finish(code, {**doc, "error": error_json(exc, exporting=True) | {"exit_code": code}})
