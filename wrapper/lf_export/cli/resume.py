"""`lf-export resume TASK_ID`: finish an export task started earlier (after a deadline, or ``--no-wait``);
`lf-export resume --journal PATH`: continue a durable run (`_journal_run`; the same as ``runs resume``).

``resume`` never cancels the task, not even on Ctrl-C: this run did not start it (a command cancels only
what it started); an interrupt prints the ``resume`` command again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import click

from lf_export import ExportTimeoutError, LaserficheError, OptionIssue, OptionsError

from ._flags import connection_options, output_options
from ._journal_run import resume_journal
from ._output import EXIT_INTERRUPTED, EXIT_OK, EXIT_TIMEOUT, exit_code_for
from ._params import DURATION, POSITIVE_INT, TASK_ID, collect
from ._progress import ProgressView
from ._rows import Row, error_text, export_table, resume_line
from ._run import guarded, make_run, prepare_folder, report_interrupt

__all__ = ["resume_command"]

_EXISTS_HINT = "add --overwrite to replace it"


@click.command("resume")
@click.argument("task_id", type=TASK_ID, required=False)
@click.option(
    "--journal",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Continue the durable run this journal (or export folder) records, instead of one task.",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Destination folder (default .)."
)
@click.option(
    "--deadline",
    type=DURATION,
    metavar="DURATION",
    help="Give up after e.g. 90s, 10m (the task keeps running).",
)
@click.option("--extract", is_flag=True, help="Unpack zip exports.")
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
@click.option("--max-concurrent-tasks", type=POSITIVE_INT, metavar="N", help="With --journal (default 1).")
@click.option("--full", is_flag=True, help="With --journal: export every job again.")
@click.option("--no-check-changes", is_flag=True, help="With --journal: do not look entries up for changes.")
@connection_options
@output_options
def resume_command(**kwargs: Any) -> NoReturn:
    """Finish an export task started earlier (e.g. after a deadline): wait for it and download the file.

    With --journal PATH instead of TASK_ID: continue the durable run that journal records (the same as
    `lf-export runs resume PATH`).
    """
    run = make_run("resume", kwargs)

    def body() -> NoReturn:
        task_id, deadline, limit = collect(
            kwargs["task_id"], kwargs["deadline"], kwargs["max_concurrent_tasks"]
        )
        _check_form(kwargs, task_id)
        if kwargs["journal"] is not None:
            with run.client() as client:
                resume_journal(
                    run,
                    client,
                    kwargs["journal"],
                    limit=limit or 1,
                    deadline=deadline,
                    full=kwargs["full"],
                    check_changes=not kwargs["no_check_changes"],
                )
        out: Path = prepare_folder(kwargs["out"] or Path("."))  # before any request (exit 2)
        with run.client() as client:
            try:
                with ProgressView(run.ui) as view:
                    result = client.resume(
                        task_id,
                        out,
                        deadline=deadline,
                        on_progress=view,
                        overwrite=kwargs["overwrite"],
                        extract=kwargs["extract"],
                    )
            except KeyboardInterrupt:  # the library's resume never cancels, nor does the command
                extra = report_interrupt(run, [], [task_id], out)
                error = {"type": "ExportInterrupted", "message": "interrupted", "exit_code": EXIT_INTERRUPTED}
                doc = Row(None, "interrupted", task_id=task_id).to_json() | {"error": error}
                run.finish(EXIT_INTERRUPTED, {"results": [doc], **extra})
            except ExportTimeoutError as exc:
                row = Row(None, "timeout", error=exc, task_id=task_id)
                line = resume_line(task_id, out)
                run.ui.error_block("deadline passed; the task is still running. Try again with:", [line])
                run.finish(EXIT_TIMEOUT, {"results": [row.to_json()], "resume": [line]})
            except LaserficheError as exc:
                row = Row(None, "failed", error=exc, task_id=task_id, exists_hint=_EXISTS_HINT)
                run.ui.error_block(error_text(exc, hint=_EXISTS_HINT))
                run.finish(exit_code_for(exc, exporting=True), {"results": [row.to_json()]})
        row = Row(result.entry_id, "ok", result=result, task_id=task_id)
        if not run.ui.json_mode:
            run.ui.print_table(export_table([row]))
        run.finish(EXIT_OK, {"results": [row.to_json()]})

    guarded(run, body)


_JOURNAL_ONLY = ("max_concurrent_tasks", "full", "no_check_changes")
_TASK_ONLY = ("out", "extract", "overwrite")


def _check_form(kwargs: dict[str, Any], task_id: str | None) -> None:
    """TASK_ID (one export task) or --journal PATH (a durable run): one of them, with its own flags."""
    journal = kwargs["journal"]
    issues = []
    if (task_id is None) == (journal is None):
        rule = "give TASK_ID or --journal PATH" if task_id is None else "give TASK_ID or --journal, not both"
        issues.append(OptionIssue("TASK_ID", task_id, rule))
    others = _TASK_ONLY if journal is not None else _JOURNAL_ONLY
    for name in others:
        if kwargs[name]:
            with_what = "TASK_ID" if journal is not None else "--journal"
            issues.append(OptionIssue("--" + name.replace("_", "-"), None, f"only applies with {with_what}"))
    if issues:
        raise OptionsError(issues)
