"""Durable runs from the command line: ``export --journal [PATH]`` (`lf_export.run_export`) and ``resume
--journal PATH`` / ``runs resume PATH`` (`lf_export.resume_run`), and the summary both print.

The journal (SQLite, default ``<--out>/.lf-export/journal.sqlite``) records every job; running the same
command again continues a run that was killed, interrupted or stopped by its deadline (finished files checked
and kept, recent tasks waited on instead of started again), and later exports only what changed or is new
(``--full``: everything). A journal that cannot be used (damaged, newer, in use by another process) is a
`JournalError`: exit 2. Exit codes otherwise as for `export`: 1 some jobs failed (the next run tries them
again), 5 the deadline left jobs unfinished (run again), 130 interrupted (the journal keeps what finished).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from lf_export import (
    ExportClient,
    ExportInterrupted,
    ExportJob,
    ExportOptions,
    RunSummary,
    resume_run,
    run_export,
)

from ._output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TIMEOUT, human_size
from ._progress import ProgressView
from ._rows import ExistsPolicy
from ._run import Run

__all__ = ["JOURNAL", "export_with_journal", "journal_path", "resume_journal"]

JOURNAL = Path(".lf-export") / "journal.sqlite"


def journal_path(given: Path) -> Path:
    """The journal file: `given`, or the journal of the folder `given` (exported into)."""
    return given / JOURNAL if given.is_dir() else given


def continue_line(journal: Path) -> str:
    return f"lf-export resume --journal {shlex.quote(str(journal))}"


def export_with_journal(
    run: Run,
    client: ExportClient,
    ids: Sequence[int],
    options: ExportOptions,
    out: Path,
    journal: Path | None,
    *,
    limit: int,
    deadline: float | None,
    full: bool,
    policy: ExistsPolicy,
) -> NoReturn:
    """``export --journal``: the entries through `run_export` (durable; a rerun continues or re-exports only
    what changed)."""
    path = journal if journal is not None else out / JOURNAL

    def call(view: ProgressView) -> RunSummary:
        return run_export(
            client,
            [ExportJob(entry_id, options) for entry_id in ids],
            out,
            journal=journal,
            max_concurrent_tasks=limit,
            deadline=deadline,
            on_progress=view,
            full=full,
            overwrite=policy == "overwrite",
            unique_names=policy == "rename",
        )

    _drive(run, call, path)


def resume_journal(
    run: Run,
    client: ExportClient,
    journal: Path,
    *,
    limit: int,
    deadline: float | None,
    full: bool,
    check_changes: bool,
) -> NoReturn:
    """``resume --journal`` / ``runs resume``: continue (or rerun) the run the journal records."""
    path = journal_path(journal)

    def call(view: ProgressView) -> RunSummary:
        return resume_run(
            client,
            path,
            max_concurrent_tasks=limit,
            deadline=deadline,
            on_progress=view,
            full=full,
            check_changes=check_changes,
        )

    _drive(run, call, path)


def _drive(run: Run, call: Callable[[ProgressView], RunSummary], journal: Path) -> NoReturn:
    try:
        with ProgressView(run.ui) as view:
            summary = call(view)
    except KeyboardInterrupt as exc:  # the journal keeps what finished; tasks left running are adopted later
        interrupted = exc if isinstance(exc, ExportInterrupted) else None
        cancelled = list(interrupted.cancelled) if interrupted else []
        left = list(interrupted.left_running) if interrupted else []
        lines = []
        if cancelled:
            lines.append("cancelled remote task(s): " + ", ".join(cancelled))
        if left:
            lines.append("left running on the server (the next run picks them up): " + ", ".join(left))
        lines.append("the journal keeps what finished; continue with: " + continue_line(journal))
        run.ui.error_block("interrupted", lines)
        document = {
            "interrupted": True,
            "cancelled": cancelled,
            "left_running": left,
            "journal": str(journal),
            "resume": [continue_line(journal)],
        }
        run.finish(EXIT_INTERRUPTED, document)
    report_summary(run, summary)


def report_summary(run: Run, summary: RunSummary) -> NoReturn:
    """What the run did, one line (and each failure), then its exit code: 1 when jobs failed, 5 when the
    deadline left jobs unfinished, else 0."""
    line = continue_line(summary.journal)
    if not run.ui.json_mode:
        run.ui.info(
            f"{summary.exported} exported ({summary.adopted} from earlier tasks), {summary.unchanged} "
            f"unchanged, {len(summary.failed)} failed, {len(summary.deleted)} deleted, "
            f"{summary.unfinished} unfinished; {human_size(summary.bytes_exported)} in {summary.elapsed:.1f}s"
        )
        for entry_id, message in summary.failed:
            run.ui.warn(f"entry {entry_id}: {message}")
        if summary.deleted:
            run.ui.info("gone from the repository (files kept): " + ", ".join(map(str, summary.deleted)))
    code = EXIT_FAILED if summary.failed else EXIT_TIMEOUT if summary.unfinished else EXIT_OK
    if code == EXIT_TIMEOUT:
        run.ui.error_block(f"deadline passed; {summary.unfinished} job(s) unfinished. Continue with:", [line])
    elif code == EXIT_FAILED:
        run.ui.info("the next run tries the failed jobs again: " + line)
    document: dict[str, Any] = {
        "journal": str(summary.journal),
        "dest_dir": str(summary.dest_dir),
        "mode": summary.mode,
        "exported": summary.exported,
        "adopted": summary.adopted,
        "unchanged": summary.unchanged,
        "failed": [{"entry_id": e, "message": m} for e, m in summary.failed],
        "deleted": list(summary.deleted),
        "unfinished": summary.unfinished,
        "bytes_exported": summary.bytes_exported,
        "elapsed": round(summary.elapsed, 3),
        "resume": [line] if code != EXIT_OK else [],
    }
    run.finish(code, document)
