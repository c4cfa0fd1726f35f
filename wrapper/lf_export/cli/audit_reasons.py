"""`lf-export audit-reasons`: the repository's audit reasons (for ``export --audit-reason ID|NAME``)."""

from __future__ import annotations

from typing import Any, NoReturn

import click

from ._flags import connection_options, output_options
from ._output import EXIT_OK, escape, table
from ._run import guarded, make_run

__all__ = ["audit_reasons_command"]


@click.command("audit-reasons")
@click.option("--event-type", metavar="TYPE", help="Only reasons of this event type, e.g. ExportDocument.")
@connection_options
@output_options
def audit_reasons_command(**kwargs: Any) -> NoReturn:
    """List the repository's audit reasons (give one to `export --audit-reason ID|NAME`)."""
    run = make_run("audit-reasons", kwargs)

    def body() -> NoReturn:
        with run.client() as client:
            reasons = client.audit_reasons(event_type=kwargs["event_type"])
        docs = [{"id": r.reason_id, "name": r.name, "event_type": r.event_type} for r in reasons]
        if not run.ui.json_mode:
            out = table()
            out.add_column("id", justify="right")
            out.add_column("name")
            out.add_column("event type")
            for doc in docs:
                out.add_row(str(doc["id"]), escape(str(doc["name"])), str(doc["event_type"] or "-"))
            run.ui.print_table(out)
        run.finish(EXIT_OK, {"audit_reasons": docs})

    guarded(run, body)
