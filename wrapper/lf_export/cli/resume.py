"""`lf-export resume TASK_ID`: finish an export task started earlier (after a deadline, or ``--no-wait``).

``resume`` never cancels the task, not even on Ctrl-C: this run did not start it (a command cancels only
what it started); an interrupt prints the ``resume`` command again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import click

from lf_export import ExportTimeoutError, LaserficheError

from ._flags import connection_options, output_options
from ._output import EXIT_INTERRUPTED, EXIT_OK, EXIT_TIMEOUT, exit_code_for
from ._params import DURATION, TASK_ID, collect
from ._progress import ProgressView
from ._rows import Row, error_text, export_table, resume_line
from ._run import guarded, make_run, prepare_folder, report_interrupt

__all__ = ["resume_command"]

_EXISTS_HINT = "add --overwrite to replace it"


@click.command("resume")
@click.argument("task_id", type=TASK_ID)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Destination folder."
)
@click.option(
    "--deadline",
    type=DURATION,
    metavar="DURATION",
    help="Give up after e.g. 90s, 10m (the task keeps running).",
)
@click.option("--extract", is_flag=True, help="Unpack zip exports.")
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
@connection_options
@output_options
def resume_command(**kwargs: Any) -> NoReturn:
    """Finish an export task started earlier (e.g. after a deadline): wait for it and download the file."""
    run = make_run("resume", kwargs)

    def body() -> NoReturn:
        task_id, deadline = collect(kwargs["task_id"], kwargs["deadline"])
        out: Path = prepare_folder(kwargs["out"])  # before any request (exit 2)
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
