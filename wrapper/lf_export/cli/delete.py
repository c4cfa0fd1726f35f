"""`lf-export delete ID... --yes`: delete entries (a folder with everything under it), one after the other.

Without ``--yes`` the command shows what it would delete and asks on a terminal; when stdin is not a
terminal it refuses (exit 2) before anything is sent. ``--audit-reason ID|NAME`` is checked against the
repository's DeleteEntry reasons before anything is deleted. ``--no-wait`` only starts the delete tasks and
prints ``lf-export tasks wait TASK_ID...``. Exit codes as for `export`: 0 all deleted, 1 some failed for a
reason of their own (not found, locked, audit reason refused), 2 usage, 3 auth, 4 API error (a wrong
repository id), 5 deadline passed (the task keeps running), 130 interrupted: the delete this command started
is cancelled (unless ``--keep-on-interrupt``), which can leave a folder partly deleted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from lf_export import (
    ExportClient,
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    OptionIssue,
    OptionsError,
    ProgressEvent,
)

from ._audit import audit_hint, resolve_reason
from ._flags import connection_options, output_options
from ._no_wait import start_only, wait_line
from ._output import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    error_json,
    escape,
    is_run_level,
    table,
)
from ._params import ENTRY_ID, collect, collect_each
from ._progress import ProgressView
from ._repository import REPOSITORY_HINT, RepositoryCheck
from ._run import Run, guarded, make_run, report_interrupt
from .copy import operation_options

__all__ = ["delete_command"]

_PREVIEW = 20  # entries looked up and shown before asking


@click.command("delete")
@click.argument("entry_ids", nargs=-1, required=True, metavar="ENTRY_ID...", type=ENTRY_ID)
@click.option("--yes", is_flag=True, help="Do not ask (required when stdin is not a terminal).")
@click.option("--audit-reason", metavar="ID|NAME", help="DeleteEntry audit reason, by id or name.")
@click.option("--audit-comment", metavar="S", help="Comment for the audit reason.")
@operation_options
@connection_options
@output_options
def delete_command(**kwargs: Any) -> NoReturn:
    """Delete ENTRY_ID... (a folder: with everything under it), one after the other.

    Asks first on a terminal unless --yes; refuses without --yes otherwise. Ctrl-C cancels the delete in
    progress, which can leave a folder partly deleted.
    """
    run = make_run("delete", kwargs)

    def body() -> NoReturn:
        ids, deadline = collect(
            lambda: list(dict.fromkeys(collect_each(kwargs["entry_ids"]))), kwargs["deadline"]
        )
        interactive = not kwargs["yes"] and sys.stdin.isatty()
        if not kwargs["yes"] and not interactive:
            rule = "is required when stdin is not a terminal (nothing was deleted)"
            raise OptionsError([OptionIssue("--yes", None, rule)])
        comment: str | None = kwargs["audit_comment"]
        with run.client(cancel_on_interrupt=not kwargs["keep_on_interrupt"], write=True) as client:
            reason = resolve_reason(client, kwargs["audit_reason"], "DeleteEntry")
            if interactive and not _confirm(client, ids):
                run.ui.error_block("nothing was deleted")
                run.finish(
                    EXIT_USAGE, {"results": [], "error": {"type": "Declined", "message": "not confirmed"}}
                )
            if kwargs["no_wait"]:
                start_only(
                    run,
                    ids,
                    lambda e: client.start_delete(e, audit_reason_id=reason, audit_reason_comment=comment),
                    lambda tasks: [wait_line(tasks)],
                    key="finish",
                )
            deleter = _Deleter(run, client, reason, comment, deadline)
            deleter.delete_all(ids)
            audit_hint(run.ui, client, deleter.errors, kwargs["audit_reason"], "DeleteEntry")
        deleter.finish()

    guarded(run, body)


def _confirm(client: ExportClient, ids: Sequence[int]) -> bool:
    """Show what would be deleted (paths looked up for the first few) and ask."""
    lines = []
    for entry_id in ids[:_PREVIEW]:
        try:
            entry = client.entry(entry_id)
        except LaserficheError as exc:
            lines.append(f"  {entry_id}  (cannot be looked up: {exc})")
        else:
            kind = (
                f"{entry.entry_type}, with everything under it"
                if entry.entry_type == "Folder"
                else entry.entry_type
            )
            lines.append(f"  {entry_id}  {entry.full_path or entry.name}  ({kind})")
    if len(ids) > _PREVIEW:
        lines.append(f"  ... and {len(ids) - _PREVIEW} more")
    click.echo("\n".join(["This deletes:", *lines]), err=True)
    return click.confirm(f"Delete {len(ids)} entr{'y' if len(ids) == 1 else 'ies'}?", default=False, err=True)


class _Deleter:
    """Deletes entries one after the other (one deadline for all) and keeps each one's outcome."""

    def __init__(
        self, run: Run, client: ExportClient, reason: int | None, comment: str | None, deadline: float | None
    ) -> None:
        self.run, self.client, self.reason, self.comment = run, client, reason, comment
        self.deadline = deadline
        self.results: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []
        self.codes: list[int] = []
        self.extra: dict[str, Any] = {}
        self.repository = RepositoryCheck(client)

    def delete_all(self, ids: Sequence[int]) -> None:
        started = time.monotonic()
        for index, entry_id in enumerate(ids):
            left = None if self.deadline is None else self.deadline - (time.monotonic() - started)
            if left is not None and left <= 0:
                self._rest(ids[index:], "not started")
                self.codes.append(EXIT_TIMEOUT)
                return
            task_ids: list[str] = []
            try:
                with ProgressView(self.run.ui) as view:

                    def on_progress(
                        event: ProgressEvent, view: ProgressView = view, seen: list[str] = task_ids
                    ) -> None:
                        if event.task_id and event.task_id not in seen:
                            seen.append(event.task_id)
                        view(event)

                    self.client.delete(
                        entry_id,
                        audit_reason_id=self.reason,
                        audit_reason_comment=self.comment,
                        deadline=left,
                        on_progress=on_progress,
                    )
            except KeyboardInterrupt as exc:
                self._interrupted(ids[index:], exc, task_ids)
                return
            except ExportTimeoutError as exc:
                tasks = list(exc.task_ids) or task_ids
                self._add(entry_id, "timeout", tasks, error=exc)
                self.codes.append(EXIT_TIMEOUT)
                self.extra["finish"] = [wait_line(tasks)] if tasks else []
                self._rest(ids[index + 1 :], "skipped")
                return
            except LaserficheError as exc:
                self._failed(entry_id, exc, task_ids)
                if self.codes[-1] in (EXIT_API, EXIT_AUTH) or is_run_level(exc):
                    self._rest(ids[index + 1 :], "skipped")
                    return
            else:
                self._add(entry_id, "deleted", task_ids)
                if not self.run.ui.json_mode:
                    self.run.ui.info(f"✓ entry {entry_id} deleted")

    def _add(
        self, entry_id: int, status: str, tasks: Sequence[str], error: BaseException | None = None
    ) -> None:
        doc: dict[str, Any] = {"entry_id": entry_id, "status": status, "task_id": tasks[0] if tasks else None}
        if error is not None:
            doc["error"] = error_json(error, exporting=True)
        self.results.append(doc)

    def _rest(self, ids: Sequence[int], status: str) -> None:
        for entry_id in ids:
            self._add(entry_id, status, [])

    def _failed(self, entry_id: int, exc: LaserficheError, tasks: list[str]) -> None:
        self.run.ui.error_block(f"entry {entry_id}: {exc}")
        self.errors.append(exc)
        if self.repository.missing_after(exc):
            self.run.ui.info(REPOSITORY_HINT)
            code = EXIT_API
        else:
            code = error_json(exc, exporting=True)["exit_code"]
        self.codes.append(code)
        self._add(entry_id, "failed", tasks, error=exc)
        self.results[-1]["error"]["exit_code"] = code

    def _interrupted(self, ids: Sequence[int], exc: KeyboardInterrupt, tasks: list[str]) -> None:
        interrupted = exc if isinstance(exc, ExportInterrupted) else None
        cancelled = list(interrupted.cancelled) if interrupted else []
        left = list(interrupted.left_running) if interrupted else []
        self._add(ids[0], "interrupted", tasks)
        self._rest(ids[1:], "not started")
        self.extra = report_interrupt(self.run, cancelled, left, finish=lambda task_id: wait_line([task_id]))
        if cancelled:
            self.run.ui.info(f"a cancelled delete can leave entry {ids[0]} partly deleted")
        self.codes.append(EXIT_INTERRUPTED)

    def finish(self) -> NoReturn:
        run = self.run
        code = EXIT_OK
        for candidate in (EXIT_INTERRUPTED, EXIT_AUTH, EXIT_API, EXIT_TIMEOUT, EXIT_FAILED):
            if candidate in self.codes:
                code = candidate
                break
        if code == EXIT_OK and any(doc["status"] != "deleted" for doc in self.results):
            code = EXIT_FAILED
        if code == EXIT_TIMEOUT and self.extra.get("finish"):
            run.ui.error_block(
                "deadline passed; the delete is still running on the server. Finish with:",
                self.extra["finish"],
            )
            run.cloud_task_note()
        elif code == EXIT_TIMEOUT:
            run.ui.error_block("the deadline passed before every delete could start (a longer --deadline?)")
        if not run.ui.json_mode:
            out = table()
            for column in ("entry", "status", "task"):
                out.add_column(column, justify="right" if column == "entry" else "left")
            for doc in self.results:
                out.add_row(str(doc["entry_id"]), escape(doc["status"]), doc["task_id"] or "-")
            run.ui.print_table(out)
        run.finish(code, {"results": self.results, **self.extra})
