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

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs
import click

from lf_export import (
    AuditReason,
    AuditReasonRequiredError,
    DownloadError,
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
from ._output import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    clip,
    error_json,
    exit_code_for,
    is_run_level,
    relative,
    table,
)
from ._params import DURATION, ENTRY_ID, MODE, POSITIVE_INT, ExportMode, collect, parse_entry_ids
from ._progress import ProgressView
from ._rows import (
    ExistsPolicy,
    OutcomeStream,
    Row,
    exists_policy,
    export_table,
    failure_status,
    free_name,
    resume_line,
    resume_lines,
    run_exit_code,
)
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
@click.option(
    "--out-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the one ENTRY_ID to FILE (instead of the server's file name in --out): the name is then "
    "known beforehand, so an existing FILE is refused, skipped or renamed before any export is started.",
)
@click.option("--extract", is_flag=True, help="Unpack zip exports (SinglePageTIFF, multi-page PNG/JPEG).")
@click.option("--overwrite", is_flag=True, help="Replace existing files.")
@click.option("--rename", is_flag=True, help="Keep existing files: save as NAME (2).ext, NAME (3).ext ...")
@click.option(
    "--skip-existing", is_flag=True, help="Leave existing files as they are (the entry is reported 'exists')."
)
@click.option(
    "--keep-on-interrupt", is_flag=True, help="On Ctrl-C leave remote tasks running (and list them)."
)
@click.option(
    "--no-wait", is_flag=True, help="Only start export tasks and print their ids (finish with `resume`)."
)
@connection_options
@output_options
def export_command(**kwargs: Any) -> NoReturn:
    """Export ENTRY_ID... (or --from-file) into --out, with live progress and a summary table.

    \b
    Reruns: a file that already exists is never replaced silently. Without a flag the entry fails (exit 1)
    and the file is kept; --overwrite replaces it, --rename keeps both (NAME (2).ext), --skip-existing
    reports the entry 'exists' (exit 0). With --out-file the name is known beforehand and the check runs
    before any export is started; in --out the server names the file (Content-Disposition), so the check
    runs when the file arrives: the server has done the work, but nothing is overwritten or duplicated.
    """
    run = make_run("export", kwargs)
    flags = option_flags(kwargs)

    def body() -> NoReturn:
        ids, (options, warnings), mode, limit, deadline, policy = collect(
            lambda: parse_entry_ids(kwargs["entry_ids"], _read_ids_file(kwargs["from_file"])),
            lambda: build_options(flags),
            kwargs["mode"],
            kwargs["max_concurrent_tasks"],
            kwargs["deadline"],
            lambda: exists_policy(kwargs),
        )
        out_file: Path | None = kwargs["out_file"]
        _check_targets(ids, mode, policy, out_file, kwargs["no_wait"])
        for warning in warnings:
            run.ui.warn(warning)
        out: Path = kwargs["out"] if out_file is None else out_file.parent
        stream = OutcomeStream(run.ui)
        if not kwargs["no_wait"]:
            prepare_folder(out, "--out" if out_file is None else "--out-file")  # exit 2, nothing started
        if out_file is not None:
            out_file, row = _claim_file(out_file, ids[0], policy)
            if row is not None:  # refused or skipped before anything was started
                stream(row)
                _finish(run, [row], {}, out, stream)
        with run.client(cancel_on_interrupt=not kwargs["keep_on_interrupt"]) as client:
            options = _resolve_audit_reason(client, flags, options)
            if kwargs["no_wait"]:
                _start_only(run, client, ids, options, out)
            rows: dict[int, Row] = {}
            extra: dict[str, Any] = {}
            settings = _Settings(out_file or out, mode, limit, deadline, policy, kwargs["extract"])
            try:
                with ProgressView(run.ui) as view:
                    stream.live = view.enabled
                    # --rename in a folder needs export_many (the simple path cannot rename); --out-file
                    # was renamed above, by `_claim_file`
                    one_by_one = out_file is not None or mode == "sync"
                    if one_by_one or (len(ids) == 1 and policy != "rename"):
                        _export_each(client, ids, options, settings, view, rows, stream)
                    else:
                        _export_batch(client, ids, options, settings, view, rows, stream)
            except KeyboardInterrupt as exc:  # ExportInterrupted names the tasks; a bare one had none
                interrupted = exc if isinstance(exc, ExportInterrupted) else None
                for row in _interrupted_rows(ids, rows, interrupted):
                    rows[len(rows)] = row
                    stream(row)
                cancelled, left = (
                    (interrupted.cancelled, interrupted.left_running) if interrupted else ((), ())
                )
                extra = report_interrupt(run, cancelled, left, out)
            ordered = [rows[index] for index in sorted(rows)]
            code = run_exit_code(ordered)
            if code != EXIT_INTERRUPTED:
                _audit_hint(run, client, ordered, flags.audit_reason)
        _finish(run, ordered, extra, out, stream)

    guarded(run, body)


@attrs.frozen
class _Settings:
    dest: Path  # the folder, or --out-file
    mode: ExportMode
    limit: int
    deadline: float | None
    policy: ExistsPolicy
    extract: bool


def _finish(run: Run, rows: list[Row], extra: dict[str, Any], out: Path, stream: OutcomeStream) -> NoReturn:
    code = run_exit_code(rows)
    resume = resume_lines(rows, out) + extra.pop("resume", [])
    if not run.ui.json_mode:
        run.ui.print_table(export_table(rows))
    _same_file_warning(run, rows)
    unstarted = [row for row in rows if row.status == "not started"]
    if unstarted:
        run.ui.error_block(
            f"the deadline passed before {len(unstarted)} export(s) could start; nothing runs on the server "
            "for them (a longer --deadline?)"
        )
    if resume and code != EXIT_INTERRUPTED:  # an interrupt printed its own
        run.ui.error_block(
            "deadline passed; the export task(s) are still running on the server. Finish with:", resume
        )
        run.cloud_task_note()
    document = {"resume": resume, **extra}
    if not stream.jsonl:  # --jsonl printed each result as it ended
        document = {"results": [row.to_json() for row in rows], **document}
    run.finish(code, document)


def _check_targets(
    ids: Sequence[int], mode: ExportMode, policy: ExistsPolicy, out_file: Path | None, no_wait: bool
) -> None:
    issues = []
    if out_file is not None and len(ids) != 1:
        issues.append(
            OptionIssue("--out-file", str(out_file), f"takes exactly one ENTRY_ID (got {len(ids)})")
        )
    if out_file is not None and no_wait:
        issues.append(OptionIssue("--out-file", str(out_file), "cannot be used with --no-wait"))
    if policy == "rename" and mode == "sync" and out_file is None:
        issues.append(
            OptionIssue("--rename", None, "needs --mode auto or async (a simple export cannot rename)")
        )
    if issues:
        raise OptionsError(issues)


def _claim_file(target: Path, entry_id: int, policy: ExistsPolicy) -> tuple[Path, Row | None]:
    """--out-file: the name is known, so an existing file is dealt with before any export is started. Returns
    the path to write and, when the entry ends here (refused or skipped), its row."""
    if not os.path.lexists(target) or policy == "overwrite":
        return target, None
    if policy == "skip":
        return target, Row(entry_id, "exists", existing=target)
    if policy == "rename":
        return free_name(target), None
    error = DownloadError(f"{target} already exists; nothing was exported", existing=target)
    return target, Row(entry_id, "failed", error=error)


def _same_file_warning(run: Run, rows: Sequence[Row]) -> None:
    """--overwrite in one batch: two entries the server names alike end in one file (the later wins)."""
    seen: dict[Path, int | None] = {}
    for row in rows:
        if row.result is None:
            continue
        path = row.result.path
        if path in seen:
            run.ui.warn(
                f"entries {seen[path]} and {row.entry_id} were both saved as {relative(path)} (the later one "
                "replaced the earlier: use --rename to keep both)"
            )
        seen[path] = row.entry_id


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
    settings: _Settings,
    view: ProgressView,
    rows: dict[int, Row],
    stream: OutcomeStream,
) -> None:
    """Entries one after the other with `export` (one deadline for all), each row added to `rows` (and
    printed) as it ends, so an interrupt keeps those; a run-level error stops the rest."""
    started = time.monotonic()
    deadline = settings.deadline

    def add(row: Row) -> None:
        rows[len(rows)] = row
        stream(row)

    for index, entry_id in enumerate(ids):
        left = None if deadline is None else deadline - (time.monotonic() - started)
        if left is not None and left <= 0:
            error = ExportTimeoutError([])
            for e in ids[index:]:
                add(Row(e, "timeout", error=error))
            break
        try:
            result = client.export(
                entry_id,
                options,
                settings.dest,
                mode=settings.mode,
                deadline=left,
                on_progress=view,
                overwrite=settings.policy == "overwrite",
                extract=settings.extract,
            )
        except LaserficheError as exc:
            task_id = exc.task_ids[0] if isinstance(exc, ExportTimeoutError) and exc.task_ids else None
            add(_failed_row(entry_id, exc, task_id, settings.policy))
            if is_run_level(exc) or isinstance(exc, ExportTimeoutError):
                for e in ids[index + 1 :]:
                    add(Row(e, "skipped"))
                break
        else:
            add(Row(entry_id, "ok", result=result, task_id=result.task_id))


def _export_batch(
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    settings: _Settings,
    view: ProgressView,
    rows: dict[int, Row],
    stream: OutcomeStream,
) -> None:
    """`iter_export_many`: each outcome is printed as its job ends (a killed run keeps what it printed)."""
    outcomes = client.iter_export_many(
        [ExportJob(entry_id, options) for entry_id in ids],
        settings.dest,
        max_concurrent_tasks=settings.limit,
        deadline=settings.deadline,
        on_progress=view,
        overwrite=settings.policy == "overwrite",
        extract=settings.extract,
        unique_names=settings.policy == "rename",
    )
    for outcome in outcomes:
        row = _outcome_row(outcome, settings.policy)
        rows[outcome.index] = row
        stream(row)


def _outcome_row(outcome: JobOutcome, policy: ExistsPolicy) -> Row:
    entry_id, task_id = outcome.job.entry_id, outcome.task_id
    if outcome.result is not None:
        return Row(entry_id, "ok", result=outcome.result, task_id=task_id)
    if outcome.error is None:
        return Row(entry_id, "failed", task_id=task_id)
    return _failed_row(entry_id, outcome.error, task_id, policy)


def _failed_row(entry_id: int, error: LaserficheError, task_id: str | None, policy: ExistsPolicy) -> Row:
    if policy == "skip" and isinstance(error, DownloadError) and error.existing is not None:
        return Row(entry_id, "exists", task_id=task_id, existing=error.existing)
    return Row(entry_id, failure_status(error), error=error, task_id=task_id)


def _interrupted_rows(ids: Sequence[int], rows: dict[int, Row], exc: ExportInterrupted | None) -> list[Row]:
    """After Ctrl-C: every entry that had not ended, as interrupted, with its task when one was running."""
    task_of = {} if exc is None else {entry: task for task, entry in exc.tasks.items() if entry is not None}
    ended = {row.entry_id for row in rows.values()}
    return [Row(e, "interrupted", task_id=task_of.get(e)) for e in ids if e not in ended]


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
    """An audit reason given by name is looked up among the repository's ExportDocument reasons; one given by
    id is checked against them (when they can be listed), before any export is started (exit 2)."""
    if flags.audit_reason is None:
        return options
    name = flags.audit_reason_name
    if name is None:  # a number
        try:
            reasons = client.audit_reasons(event_type="ExportDocument")
        except LaserficheError:  # cannot list them: the server will judge the id
            return options
        if reasons and not any(r.reason_id == options.audit_reason_id for r in reasons):
            rule = f"is not an ExportDocument audit reason of this repository (known: {_known(reasons)})"
            raise OptionsError([OptionIssue("--audit-reason", flags.audit_reason, rule)])
        return options
    reasons = client.audit_reasons(event_type="ExportDocument")
    matches = [r for r in reasons if r.name.casefold() == name.casefold()]
    if len(matches) != 1:
        rule = "matches no ExportDocument audit reason" if not matches else "matches several audit reasons"
        raise OptionsError([OptionIssue("--audit-reason", name, f"{rule} (known: {_known(reasons)})")])
    resolved, _ = build_options(flags, audit_reason_id=matches[0].reason_id)
    return resolved


def _known(reasons: Sequence[AuditReason]) -> str:
    return "; ".join(f"{r.reason_id} {r.name}" for r in reasons) or "none"


def _audit_hint(run: Run, client: ExportClient, rows: Sequence[Row], given: str | None) -> None:
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
    if given is None:
        run.ui.info(f"this repository requires an audit reason: add --audit-reason with one of {known}")
    else:
        run.ui.info(f"the repository refused --audit-reason {clip(given, 40)}: use one of {known}")
