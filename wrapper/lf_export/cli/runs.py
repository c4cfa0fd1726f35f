"""`lf-export runs status JOURNAL` and `lf-export runs resume JOURNAL`: watch and continue durable runs.

``runs status`` reads the journal without its lock, so it works while the run goes on (counts by state, bytes,
rate, ETA, last errors; ``--json`` for scripts). JOURNAL is the journal file or the folder exported into
(its ``.lf-export/journal.sqlite``). ``runs resume`` continues (or, when it was complete, reruns: only what
changed) the run the journal records, with its jobs, folder and file settings (`lf-export resume --journal`
is the same; see `_journal_run`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from lf_export import RunStatus, read_run_status

from ._flags import connection_options, output_options
from ._journal_run import journal_path, resume_journal
from ._output import EXIT_OK, human_size, table
from ._params import DURATION, POSITIVE_INT, collect
from ._run import guarded, make_run

__all__ = ["runs_group"]


@click.group("runs")
def runs_group() -> None:
    """Watch and continue durable runs (their journals)."""


@runs_group.command("status")
@click.argument("journal", type=click.Path(path_type=Path))
@output_options
def status_command(journal: Path, **kwargs: Any) -> NoReturn:
    """Counts by state, bytes, rate, ETA and last errors of the run in JOURNAL (file or export folder)."""
    run = make_run("runs status", kwargs, connection=False)

    def body() -> NoReturn:
        status = read_run_status(journal_path(journal))
        if not run.ui.json_mode:
            _print_status(run.ui.print_table, status)
        run.finish(EXIT_OK, {"status": status.to_json()})

    guarded(run, body)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def _print_status(show: Any, status: RunStatus) -> None:
    grid = table()
    grid.add_column("")
    grid.add_column("")
    now = datetime.now(UTC)
    last = status.last_finished
    ago = "-" if last is None else f"{_duration((now - last).total_seconds())} ago"
    rows = [
        ("journal", str(status.journal)),
        ("repository", f"{status.repository_id} at {status.host}"),
        ("folder", str(status.dest_dir)),
        ("jobs", f"{status.total}: " + ", ".join(f"{n} {s}" for s, n in status.counts.items() if n)),
        ("downloaded", human_size(status.bytes_downloaded)),
        ("tasks started", str(status.tasks_started)),
        ("rate", "-" if status.rate_per_minute is None else f"{status.rate_per_minute:.1f} files/min"),
        ("ETA", _duration(status.eta_seconds)),
        ("last file", ago),
    ]
    rows += [(f"error (entry {e})", f"{state}: {message}") for e, state, message in status.last_errors]
    for name, value in rows:
        grid.add_row(name, value)
    show(grid)


@runs_group.command("resume")
@click.argument("journal", type=click.Path(path_type=Path))
@click.option("--max-concurrent-tasks", type=POSITIVE_INT, metavar="N", default="1", show_default=True)
@click.option(
    "--deadline", type=DURATION, metavar="DURATION", help="Stop after e.g. 10m (run again to go on)."
)
@click.option("--full", is_flag=True, help="Export every job again.")
@click.option("--no-check-changes", is_flag=True, help="Do not look entries up (GetEntry) to find changes.")
@connection_options
@output_options
def resume_command(journal: Path, full: bool, no_check_changes: bool, **kwargs: Any) -> NoReturn:
    """Continue the run JOURNAL records (or rerun it: only changed and new entries are exported).

    The same as `lf-export resume --journal JOURNAL`.
    """
    run = make_run("runs resume", kwargs)

    def body() -> NoReturn:
        limit, deadline = collect(kwargs["max_concurrent_tasks"], kwargs["deadline"])
        with run.client() as client:
            resume_journal(
                run,
                client,
                journal,
                limit=limit,
                deadline=deadline,
                full=full,
                check_changes=not no_check_changes,
            )

    guarded(run, body)
