"""`lf-export export-search`: every document a search finds, exported into --out with sidecars and a
manifest (`ExportClient.iter_export_search`); the search is closed however the run ends. Exit codes as for
`export-tree`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn, cast

import click

from lf_export import ExportClient, ExportOptions

from ._flags import connection_options, output_options
from ._run import make_run
from .tree import PartChoice, mirror_options, retitle_part, run_mirror

__all__ = ["export_search_command"]


@click.command("export-search")
@click.argument("command", metavar="'SEARCH COMMAND'")
@click.option(
    "--fuzzy",
    type=click.Choice(["None", "Percentage", "NumberOfLetters"]),
    help="Approximate matching (with --fuzzy-factor).",
)
@click.option("--fuzzy-factor", type=int, metavar="N", help="Percentage or number of letters.")
@mirror_options
@connection_options
@output_options
def export_search_command(command: str, **kwargs: Any) -> NoReturn:
    """Run a search ('{LF:Name="Invoice*", Type="D"}', scoped with '& {LF:LOOKIN="\\Folder"}') and export
    every document it finds into --out (one folder: results carry no paths; names kept apart), each with its
    <file>.metadata.json, and manifest.jsonl/.csv. The search is closed at the end, however it ends."""
    run = make_run("export-search", kwargs)
    fuzzy, factor = kwargs.pop("fuzzy"), kwargs.pop("fuzzy_factor")

    def start(client: ExportClient, options: ExportOptions, part: str) -> Iterator[Any]:
        return client.iter_export_search(
            command,
            kwargs["out"],
            options,
            part=cast(PartChoice, part),  # checked by run_mirror
            metadata=kwargs["metadata"],
            follow_shortcuts=kwargs["follow_shortcuts"],
            fuzzy_type=fuzzy,
            fuzzy_factor=factor,
            mode=kwargs["mode"],
            max_concurrent_tasks=kwargs["max_concurrent_tasks"],
            overwrite=kwargs["overwrite"],
            page_size=kwargs["page_size"] or 50,
            deadline=kwargs["deadline"],
        )

    run_mirror(run, kwargs, start)


retitle_part(export_search_command)
