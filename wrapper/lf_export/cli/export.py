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
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from lf_export import DownloadError, ExportInterrupted, OptionIssue, OptionsError

from ._audit import audit_hint, resolve_export_reason
from ._export_loops import Settings, export_batch, export_each, interrupted_rows
from ._flags import connection_options, export_option_flags, option_flags, output_options
from ._journal_run import export_with_journal
from ._no_wait import start_only
from ._options import build_options
from ._output import EXIT_INTERRUPTED, relative
from ._params import DURATION, ENTRY_ID, MODE, POSITIVE_INT, ExportMode, collect, parse_entry_ids
from ._progress import ProgressView
from ._repository import REPOSITORY_HINT, RepositoryCheck
from ._rows import (
    ExistsPolicy,
    OutcomeStream,
    Row,
    exists_policy,
    export_table,
    free_name,
    resume_line,
    resume_lines,
    run_exit_code,
)
from ._run import Run, guarded, make_run, prepare_folder, report_interrupt

__all__ = ["export_command"]


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
@click.option(
    "--journal",
    metavar="[PATH]",
    is_flag=False,
    flag_value="",
    help="Durable run: record every job in a journal (default --out/.lf-export/journal.sqlite; give a PATH "
    "as --journal=PATH); the same command again continues, or later exports only what changed.",
)
@click.option("--full", is_flag=True, help="With --journal: export every entry again, changed or not.")
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
        journal: str | None = kwargs["journal"]
        _check_targets(ids, mode, policy, out_file, kwargs["no_wait"])
        _check_journal(kwargs, mode, policy)
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
            options = resolve_export_reason(client, flags, options)
            if journal is not None:
                export_with_journal(
                    run,
                    client,
                    ids,
                    options,
                    out,
                    Path(journal) if journal else None,
                    limit=limit,
                    deadline=deadline,
                    full=kwargs["full"],
                    policy=policy,
                )
            if kwargs["no_wait"]:
                start_only(
                    run,
                    ids,
                    lambda entry_id: client.start_export(entry_id, options),
                    lambda tasks: [resume_line(task_id, out) for task_id in tasks],
                )
            rows: dict[int, Row] = {}
            extra: dict[str, Any] = {}
            repository = RepositoryCheck(client)
            settings = Settings(out_file or out, mode, limit, deadline, policy, kwargs["extract"], repository)
            try:
                with ProgressView(run.ui) as view:
                    stream.live = view.enabled
                    # --rename in a folder needs export_many (the simple path cannot rename); --out-file
                    # was renamed above, by `_claim_file`
                    one_by_one = out_file is not None or mode == "sync"
                    if one_by_one or (len(ids) == 1 and policy != "rename"):
                        export_each(client, ids, options, settings, view, rows, stream)
                    else:
                        export_batch(client, ids, options, settings, view, rows, stream)
            except KeyboardInterrupt as exc:  # ExportInterrupted names the tasks; a bare one had none
                interrupted = exc if isinstance(exc, ExportInterrupted) else None
                for row in interrupted_rows(ids, rows, interrupted):
                    rows[len(rows)] = row
                    stream(row)
                cancelled, left = (
                    (interrupted.cancelled, interrupted.left_running) if interrupted else ((), ())
                )
                extra = report_interrupt(run, cancelled, left, out)
            ordered = [rows[index] for index in sorted(rows)]
            if repository.missing:
                run.ui.info(REPOSITORY_HINT)
            code = run_exit_code(ordered)
            if code != EXIT_INTERRUPTED:
                audit_hint(run.ui, client, [r.error for r in ordered], flags.audit_reason, "ExportDocument")
        _finish(run, ordered, extra, out, stream)

    guarded(run, body)


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


def _check_journal(kwargs: dict[str, Any], mode: ExportMode, policy: ExistsPolicy) -> None:
    """--journal runs export tasks into --out, recording each file: flags that do otherwise are refused."""
    if kwargs["journal"] is None:
        if kwargs["full"]:
            raise OptionsError([OptionIssue("--full", None, "only applies with --journal")])
        return
    conflicts = [
        ("--out-file", kwargs["out_file"] is not None),
        ("--no-wait", kwargs["no_wait"]),
        ("--extract", kwargs["extract"]),
        ("--skip-existing", policy == "skip"),
        ("--mode", mode == "sync"),
    ]
    issues = [OptionIssue(flag, None, "cannot be used with --journal") for flag, given in conflicts if given]
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


def _read_ids_file(name: str | None) -> str | None:
    if name is None:
        return None
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionsError([OptionIssue("--from-file", name, f"cannot be read ({exc})")]) from None
