"""`lf-export export-tree`: a folder and everything below it, mirrored into --out with sidecars and a manifest
(`ExportClient.iter_export_tree`); the shared run loop of `export-search` (`run_mirror`).

Exit codes as for `export`: 0 every document exported or skipped (a document with nothing to export, a
shortcut not followed), 1 some failed, 2 usage, 3 auth, 4 API error (the folder or search itself), 5 deadline,
130 interrupted (what finished is in the manifest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, NoReturn, cast

import attrs
import click

from lf_export import ExportClient, ExportOptions, OptionIssue, OptionsError

from ._flags import connection_options, export_option_flags, option_flags, output_options
from ._options import OptionFlags, build_options
from ._output import EXIT_FAILED, EXIT_OK, human_size, relative, table
from ._params import DURATION, MODE, POSITIVE_INT, collect
from ._run import Run, guarded, make_run, prepare_folder

__all__ = ["export_tree_command", "mirror_options", "run_mirror"]

PartChoice = Literal["auto", "image", "text", "edoc"]
PARTS = ("auto", "image", "text", "edoc")
_SHOWN_FAILURES = 20


def mirror_options(func: Any) -> Any:
    """The flags `export-tree` and `export-search` share (and the export option flags)."""
    for option in reversed(
        [
            click.option(
                "--out",
                type=click.Path(file_okay=False, path_type=Path),
                required=True,
                help="Mirror folder.",
            ),
            click.option(
                "--metadata/--no-metadata",
                default=True,
                show_default=True,
                help="Write <file>.metadata.json beside each document (fields, tags, links, template).",
            ),
            click.option(
                "--follow-shortcuts", is_flag=True, help="Export a shortcut's target in its place (no loops)."
            ),
            click.option("--mode", type=MODE, metavar="auto|sync|async", default="auto", show_default=True),
            click.option(
                "--max-concurrent-tasks", type=POSITIVE_INT, metavar="N", default="2", show_default=True
            ),
            click.option("--deadline", type=DURATION, metavar="DURATION", help="Give up after e.g. 10m."),
            click.option("--overwrite", is_flag=True, help="Replace files an earlier run wrote."),
            click.option("--page-size", type=POSITIVE_INT, metavar="N", help="Entries per listing page."),
        ]
    ):
        func = option(func)
    return export_option_flags(func)


def retitle_part(command: click.Command) -> click.Command:
    """The export option flags say ``--part image|text|edoc``; a mirror also takes ``auto`` (the default)."""
    for param in command.params:
        if param.name == "part" and isinstance(param, click.Option):
            param.metavar = "auto|image|text|edoc"
            param.help = "auto (default): the electronic file if there is one, else the pages."
    return command


def _options(kwargs: dict[str, Any]) -> tuple[str, OptionFlags, ExportOptions, list[str]]:
    raw = kwargs["part"]
    part = (raw or "auto").strip().casefold()
    flags = option_flags(kwargs)
    flags = attrs.evolve(flags, part="text" if part == "text" else None)
    issues = [] if part in PARTS else [OptionIssue("--part", raw, f"must be one of {', '.join(PARTS)}")]
    names = ("mode", "max_concurrent_tasks", "deadline", "page_size")
    try:
        *values, (options, warnings) = collect(*(kwargs[n] for n in names), lambda: build_options(flags))
    except OptionsError as exc:
        raise OptionsError([*issues, *exc.issues]) from None
    if issues:
        raise OptionsError(issues)
    kwargs.update(zip(names, values, strict=True))  # the checked values
    return part, flags, options, warnings


def _audit_reason(client: ExportClient, flags: OptionFlags, options: ExportOptions) -> ExportOptions:
    """An audit reason given by name is looked up among the ExportDocument reasons (exit 2 if unknown)."""
    name = flags.audit_reason_name
    if name is None:
        return options
    reasons = client.audit_reasons(event_type="ExportDocument")
    matches = [r for r in reasons if r.name.casefold() == name.casefold()]
    if len(matches) != 1:
        known = "; ".join(f"{r.reason_id} {r.name}" for r in reasons) or "none"
        raise OptionsError(
            [OptionIssue("--audit-reason", name, f"matches no single reason (known: {known})")]
        )
    return attrs.evolve(options, audit_reason_id=matches[0].reason_id)


def _row(outcome: Any, out: Path) -> dict[str, Any]:
    where = outcome.result.path if outcome.result is not None else outcome.path
    return {
        "type": "entry",
        "entry_id": outcome.entry.entry_id,
        "entry_type": outcome.entry.entry_type,
        "path_in_repository": outcome.entry.full_path or outcome.entry.path,
        "status": outcome.status,
        "file": None if where is None else str(where),
        "size": None if outcome.result is None else outcome.result.size,
        "reason": outcome.reason or (None if outcome.error is None else str(outcome.error)),
    }


def run_mirror(
    run: Run, kwargs: dict[str, Any], start: Callable[[ExportClient, ExportOptions, str], Iterator[Any]]
) -> NoReturn:
    """Check the flags, prepare --out, stream the outcomes (progress on a terminal, --jsonl rows), print the
    summary and exit with the code the outcomes call for."""

    def body() -> NoReturn:
        part, flags, options, warnings = _options(kwargs)
        out: Path = kwargs["out"]
        for warning in warnings:
            run.ui.warn(warning)
        prepare_folder(out)
        counts = {"exported": 0, "folder": 0, "skipped": 0, "failed": 0}
        size = 0
        failures: list[dict[str, Any]] = []
        with run.client() as client:
            options = _audit_reason(client, flags, options)
            with _Bar(run) as bar:
                for outcome in start(client, options, part):
                    counts[outcome.status] += 1
                    size += outcome.result.size if outcome.result is not None else 0
                    row = _row(outcome, out)
                    if outcome.status == "failed":
                        failures.append(row)
                        bar.note(f"failed: {row['path_in_repository']}: {row['reason']}")
                    if run.ui.jsonl:
                        run.ui.emit_line(row)
                    bar.update(counts["exported"], counts["failed"], size)
        summary = {
            "documents": counts["exported"],
            "folders": counts["folder"],
            "bytes": size,
            "failed": counts["failed"],
            "skipped": counts["skipped"],
            "manifest": str(out / "manifest.jsonl"),
        }
        if not run.ui.json_mode:
            grid = table()
            for name in ("documents", "folders", "failed", "skipped"):
                grid.add_row(name, str(summary[name]))
            grid.add_row("bytes", human_size(size))
            grid.add_row("manifest", relative(out / "manifest.jsonl"))
            run.ui.print_table(grid)
        code = EXIT_FAILED if counts["failed"] else EXIT_OK
        run.finish(code, {"summary": summary, "failures": failures[:_SHOWN_FAILURES], "part": part})

    guarded(run, body)


class _Bar:
    """Documents and bytes on a terminal (rich), nothing otherwise."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.progress: Any = None

    def __enter__(self) -> _Bar:
        if self.run.ui.show_progress and not self.run.ui.json_mode:
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), console=self.run.ui.err
            )
            self.progress.start()
            self.task = self.progress.add_task("starting")
        return self

    def update(self, done: int, failed: int, size: int) -> None:
        if self.progress is not None:
            text = f"{done} documents, {human_size(size)}" + (f", {failed} failed" if failed else "")
            self.progress.update(self.task, description=text)

    def note(self, line: str) -> None:
        if not self.run.ui.json_mode:
            self.run.ui.info(line)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


@click.command("export-tree")
@click.argument("folder", metavar="FOLDER_ID_OR_PATH")
@click.option("--include", multiple=True, metavar="GLOB", help="Only documents matching GLOB (repeatable).")
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Leave out entries matching GLOB (repeatable)."
)
@mirror_options
@connection_options
@output_options
def export_tree_command(folder: str, **kwargs: Any) -> NoReturn:
    """Export FOLDER_ID_OR_PATH (an id, or a path like '\\Invoices\\2024') and everything below it into
    --out: folders become directories, each document its file (--part auto: the electronic file if there is
    one, else the pages in --format), with <file>.metadata.json beside it and manifest.jsonl/.csv."""
    run = make_run("export-tree", kwargs)
    include, exclude = kwargs.pop("include"), kwargs.pop("exclude")

    def start(client: ExportClient, options: ExportOptions, part: str) -> Iterator[Any]:
        return client.iter_export_tree(
            folder,
            kwargs["out"],
            options,
            part=cast(PartChoice, part),  # checked by _options
            metadata=kwargs["metadata"],
            include=include,
            exclude=exclude,
            follow_shortcuts=kwargs["follow_shortcuts"],
            mode=kwargs["mode"],
            max_concurrent_tasks=kwargs["max_concurrent_tasks"],
            overwrite=kwargs["overwrite"],
            page_size=kwargs["page_size"],
            deadline=kwargs["deadline"],
        )

    run_mirror(run, kwargs, start)


retitle_part(export_tree_command)
