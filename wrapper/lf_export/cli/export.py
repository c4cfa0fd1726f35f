"""`lf-export export`: export entries into a folder, with live progress and a summary table.

One entry (any mode), or several with ``--mode sync``: `ExportClient.export` per entry, one deadline for the
run. Several entries with ``--mode auto`` or ``async``: `ExportClient.export_many` (export tasks, at most
``--max-concurrent-tasks`` at once, all polled with one ListTasks per round). ``--no-wait`` only starts the
tasks and prints how to finish them.

A deadline leaves the tasks running (the client is built with ``cancel_on_deadline=False``) and the command
prints ``lf-export resume`` lines. On Ctrl-C the library cancels the tasks it started (unless
``--keep-on-interrupt``) and its `ExportInterrupted` names them; the command reports the entries that ended,
the others as interrupted, and which tasks were cancelled or left running.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from lf_export import (
    AuditReasonRequiredError,
    ExportClient,
    ExportInterrupted,
    ExportJob,
    ExportOptions,
    ExportTimeoutError,
    JobOutcome,
    LaserficheError,
    OptionIssue,
    OptionsError,
    TaskFailedError,
)

from ._flags import connection_options, export_option_flags, option_flags, output_options
from ._options import OptionFlags, build_options
from ._output import EXIT_INTERRUPTED, EXIT_OK, error_json, exit_code_for, is_run_level, table
from ._params import DURATION, ENTRY_ID, MODE, POSITIVE_INT, ExportMode, collect, parse_entry_ids
from ._progress import ProgressView
from ._rows import Row, error_text, export_table, failure_status, resume_line, resume_lines, run_exit_code
from ._run import Run, guarded, make_run, prepare_folder, report_interrupt

__all__ = ["export_command"]

_AUDIT_REASON_REQUIRED = 216  # the server's error code of a task refused for want of an audit reason


@click.command("export")
@click.argument("entry_ids", nargs=-1, metavar="ENTRY_ID...", type=ENTRY_ID)
@click.option(
    "--from-file", metavar="FILE", help="Read entry ids from FILE (one or more per line; - = stdin)."
)
@export_option_flags
@click.option(
    "--mode",
    type=MODE,
    metavar="auto|sync|async",
    default="auto",
    show_default=True,
    help="Export call to use.",
)
@click.option(
    "--max-concurrent-tasks",
    type=POSITIVE_INT,
    metavar="N",
    default="1",
    show_default=True,
    help="Export tasks running at once.",
)
@click.option(
    "--deadline", type=DURATION, metavar="DURATION", help="Give up after e.g. 90s, 10m, 1h30m (whole run)."
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Destination folder."
)
@click.option("--extract", is_flag=True, help="Unpack zip exports (SinglePageTIFF, multi-page PNG/JPEG).")
@click.option("--overwrite", is_flag=True, help="Replace existing files.")
@click.option(
    "--keep-on-interrupt", is_flag=True, help="On Ctrl-C leave remote tasks running (and list them)."
)
@click.option(
    "--no-wait", is_flag=True, help="Only start export tasks and print their ids (finish with `resume`)."
)
@connection_options
@output_options
def export_command(**kwargs: Any) -> NoReturn:
    """Export ENTRY_ID... (or --from-file) into --out, with live progress and a summary table."""
    run = make_run("export", kwargs)
    flags = option_flags(kwargs)

    def body() -> NoReturn:
        ids, (options, warnings), mode, limit, deadline = collect(
            lambda: parse_entry_ids(kwargs["entry_ids"], _read_ids_file(kwargs["from_file"])),
            lambda: build_options(flags),
            kwargs["mode"],
            kwargs["max_concurrent_tasks"],
            kwargs["deadline"],
        )
        for warning in warnings:
            run.ui.warn(warning)
        out: Path = kwargs["out"]
        if not kwargs["no_wait"]:
            prepare_folder(out)  # before any request: an unwritable destination is exit 2, nothing started
        with run.client(cancel_on_interrupt=not kwargs["keep_on_interrupt"]) as client:
            options = _resolve_audit_reason(client, flags, options)
            if kwargs["no_wait"]:
                _start_only(run, client, ids, options, out)
            rows: list[Row] = []
            extra: dict[str, Any] = {}
            try:
                with ProgressView(run.ui) as view:
                    if len(ids) == 1 or mode == "sync":
                        _export_each(client, ids, options, out, mode, deadline, view, kwargs, rows)
                    else:
                        rows = _export_batch(client, ids, options, out, limit, deadline, view, kwargs)
            except ExportInterrupted as exc:
                rows = _interrupted_rows(ids, rows, exc)
                extra = report_interrupt(run, exc.cancelled, exc.left_running, out)
            except KeyboardInterrupt:  # outside any export task (e.g. a simple Export)
                rows = _interrupted_rows(ids, rows, None)
                extra = report_interrupt(run, [], [], out)
            code = run_exit_code(rows)
            if code != EXIT_INTERRUPTED:
                _audit_hint(run, client, rows)
        resume = resume_lines(rows, out) + extra.pop("resume", [])
        if not run.ui.json_mode:
            run.ui.print_table(export_table(rows))
        for row in rows:  # errors go to stderr in --json mode too: the document is for scripts
            if row.error is not None and row.status not in ("timeout", "not started"):
                run.ui.error_block(f"entry {row.entry_id}: {error_text(row.error)}")
        if resume and code != EXIT_INTERRUPTED:  # an interrupt printed its own
            run.ui.error_block(
                "deadline passed; the export task(s) are still running on the server. Finish with:", resume
            )
            run.cloud_task_note()
        run.finish(code, {"results": [row.to_json() for row in rows], "resume": resume, **extra})

    guarded(run, body)


def _start_only(
    run: Run, client: ExportClient, ids: Sequence[int], options: ExportOptions, out: Path
) -> NoReturn:
    """`export --no-wait`: start one export task per entry, print the ids and how to finish them."""
    started: list[dict[str, Any]] = []
    try:
        for entry_id in ids:
            task_id = client.start_export(entry_id, options).task_id
            started.append({"entry_id": entry_id, "task_id": task_id})
    except LaserficheError as exc:
        run.ui.report_error(exc)
        if started:
            run.ui.info("started before the error: " + ", ".join(doc["task_id"] for doc in started))
        run.finish(exit_code_for(exc), {"started": started, "error": error_json(exc)})
    resume = [resume_line(doc["task_id"], out) for doc in started]
    if not run.ui.json_mode:
        tasks = table()
        tasks.add_column("entry", justify="right")
        tasks.add_column("task")
        for doc in started:
            tasks.add_row(str(doc["entry_id"]), doc["task_id"])
        run.ui.print_table(tasks)
        run.ui.info("finish with: " + "; ".join(resume))
        run.cloud_task_note()
    run.finish(EXIT_OK, {"started": started, "resume": resume})


def _export_each(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    out: Path,
    mode: ExportMode,
    deadline: float | None,
    view: ProgressView,
    kwargs: dict[str, Any],
    rows: list[Row],
) -> None:
    """Entries one after the other with `export` (one deadline for all), each row added to `rows` as it ends
    (so an interrupt keeps those); a run-level error stops the rest."""
    started = time.monotonic()
    for index, entry_id in enumerate(ids):
        left = None if deadline is None else deadline - (time.monotonic() - started)
        if left is not None and left <= 0:
            error = ExportTimeoutError([])
            rows += [Row(e, "timeout", error=error) for e in ids[index:]]
            break
        try:
            result = client.export(
                entry_id,
                options,
                out,
                mode=mode,
                deadline=left,
                on_progress=view,
                overwrite=kwargs["overwrite"],
                extract=kwargs["extract"],
            )
        except LaserficheError as exc:
            task_id = exc.task_ids[0] if isinstance(exc, ExportTimeoutError) and exc.task_ids else None
            rows.append(Row(entry_id, failure_status(exc), error=exc, task_id=task_id))
            if is_run_level(exc) or isinstance(exc, ExportTimeoutError):
                rows += [Row(e, "skipped") for e in ids[index + 1 :]]
                break
        else:
            rows.append(Row(entry_id, "ok", result=result, task_id=result.task_id))


def _export_batch(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    out: Path,
    limit: int,
    deadline: float | None,
    view: ProgressView,
    kwargs: dict[str, Any],
) -> list[Row]:
    outcomes = client.export_many(
        [ExportJob(entry_id, options) for entry_id in ids],
        out,
        max_concurrent_tasks=limit,
        deadline=deadline,
        on_progress=view,
        overwrite=kwargs["overwrite"],
        extract=kwargs["extract"],
    )
    return [_outcome_row(outcome) for outcome in outcomes]


def _outcome_row(outcome: JobOutcome) -> Row:
    entry_id, task_id = outcome.job.entry_id, outcome.task_id
    if outcome.result is not None:
        return Row(entry_id, "ok", result=outcome.result, task_id=task_id)
    status = "failed" if outcome.error is None else failure_status(outcome.error)
    return Row(entry_id, status, error=outcome.error, task_id=task_id)


def _interrupted_rows(ids: Sequence[int], rows: Sequence[Row], exc: ExportInterrupted | None) -> list[Row]:
    """After Ctrl-C: the rows of the entries that ended (`rows`, or the finished jobs of `export_many`), then
    every other entry as interrupted, with its task when one was running."""
    done = list(rows)
    if exc is not None and exc.outcomes:
        done = [_outcome_row(outcome) for outcome in exc.outcomes]
    task_of = {} if exc is None else {entry: task for task, entry in exc.tasks.items() if entry is not None}
    ended = {row.entry_id for row in done}
    return done + [Row(e, "interrupted", task_id=task_of.get(e)) for e in ids if e not in ended]


def _read_ids_file(name: str | None) -> str | None:
    if name is None:
        return None
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionsError([OptionIssue("--from-file", name, f"cannot be read ({exc})")]) from None


def _resolve_audit_reason(client: ExportClient, flags: OptionFlags, options: ExportOptions) -> ExportOptions:
    """An audit reason given by name, looked up among the repository's ExportDocument reasons."""
    name = flags.audit_reason_name
    if name is None:
        return options
    reasons = client.audit_reasons(event_type="ExportDocument")
    matches = [r for r in reasons if r.name.casefold() == name.casefold()]
    if len(matches) != 1:
        known = "; ".join(f"{r.reason_id} {r.name}" for r in reasons) or "none"
        rule = "matches no ExportDocument audit reason" if not matches else "matches several audit reasons"
        raise OptionsError([OptionIssue("--audit-reason", name, f"{rule} (known: {known})")])
    resolved, _ = build_options(flags, audit_reason_id=matches[0].reason_id)
    return resolved


def _audit_hint(run: Run, client: ExportClient, rows: Sequence[Row]) -> None:
    """When the repository demanded an audit reason, say which ones exist."""
    needs = any(
        isinstance(row.error, AuditReasonRequiredError)
        or (isinstance(row.error, TaskFailedError) and row.error.error_code == _AUDIT_REASON_REQUIRED)
        for row in rows
    )
    if not needs:
        return
    try:
        reasons = client.audit_reasons(event_type="ExportDocument")
    except LaserficheError:
        return
    known = ", ".join(f"{r.reason_id} ({r.name})" for r in reasons)
    run.ui.info(f"this repository requires an audit reason: add --audit-reason with one of {known}")
