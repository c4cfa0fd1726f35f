"""`lf-export ls FOLDER`: look before exporting — a folder's entries (with --recursive everything below it),
streamed as they are listed: one line each (type, id, pages or size, path), or JSON (--json: one document,
--jsonl: one line per entry)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import click

from ._flags import connection_options, output_options
from ._output import EXIT_OK, human_size
from ._params import POSITIVE_INT, collect
from ._run import guarded, make_run

if TYPE_CHECKING:
    from lf_export._tree_results import TreeEntry  # public as lf_export.TreeEntry

__all__ = ["ls_command"]


def _json(item: TreeEntry) -> dict[str, Any]:
    info = item.entry
    return {
        "entry_id": info.entry_id,
        "name": info.name,
        "entry_type": info.entry_type,
        "path": item.path,
        "full_path": item.full_path,
        "page_count": info.page_count,
        "electronic_size": info.electronic_size,
        "extension": info.extension or None,
        "template": item.template_name,
        "target_id": item.target_id,
        "via_shortcut": item.via_shortcut,
        "last_modified": None if info.last_modified is None else info.last_modified.isoformat(),
    }


def _line(item: TreeEntry) -> str:
    info = item.entry
    if info.entry_type == "Document":
        size = f"{info.page_count or 0}p" + (
            f" {human_size(info.electronic_size)}" if info.electronic_size else ""
        )
    elif info.entry_type == "Shortcut":
        size = f"-> {item.target_id}"
    else:
        size = "-"
    return f"{info.entry_type[:12]:<12} {info.entry_id:>10}  {size:<18} {item.path}"


@click.command("ls")
@click.argument("folder", metavar="FOLDER_ID_OR_PATH")
@click.option("--recursive", "-r", is_flag=True, help="Everything below the folder, depth first.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only documents matching GLOB.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out entries matching GLOB.")
@click.option("--follow-shortcuts", is_flag=True, help="List a shortcut's target in its place (no loops).")
@click.option("--page-size", type=POSITIVE_INT, metavar="N", help="Entries per listing page.")
@connection_options
@output_options
def ls_command(folder: str, **kwargs: Any) -> NoReturn:
    """List FOLDER_ID_OR_PATH (an id, or a path like '\\Invoices\\2024')."""
    run = make_run("ls", kwargs)

    def body() -> NoReturn:
        (page_size,) = collect(kwargs["page_size"])
        entries: list[dict[str, Any]] = []
        count = 0
        with run.client() as client:
            for item in client.walk(
                folder,
                recursive=kwargs["recursive"],
                include=kwargs["include"],
                exclude=kwargs["exclude"],
                follow_shortcuts=kwargs["follow_shortcuts"],
                page_size=page_size,
            ):
                count += 1
                if run.ui.jsonl:
                    run.ui.emit_line({"type": "entry", **_json(item)})
                elif run.ui.json_mode:
                    entries.append(_json(item))
                elif not run.ui.quiet:
                    run.ui.out.print(_line(item), markup=False, highlight=False, soft_wrap=True)
        document: dict[str, Any] = {"count": count}
        if run.ui.json_mode and not run.ui.jsonl:
            document["entries"] = entries
        run.finish(EXIT_OK, document)

    guarded(run, body)
