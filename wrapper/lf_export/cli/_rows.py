"""The results of `export` and `resume`: one row per entry, as a table, as JSON, and the run's exit code."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
from rich.table import Table
from rich.text import Text

from lf_export import DownloadError, ExportResult, ExportTimeoutError, OptionIssue, OptionsError

from ._output import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    Ui,
    error_json,
    escape,
    exit_code_for,
    human_size,
    relative,
    table,
)

__all__ = [
    "EXISTS_HINT",
    "ExistsPolicy",
    "OutcomeStream",
    "Row",
    "error_text",
    "exists_policy",
    "export_table",
    "failure_status",
    "free_name",
    "resume_line",
    "resume_lines",
    "run_exit_code",
]

_STYLE = {
    "ok": "green",
    "failed": "red",
    "timeout": "yellow",
    "interrupted": "yellow",
    "skipped": "dim",
    "exists": "dim",
    "not started": "dim",
}

#: What to do when the file an entry would be written to exists (`--overwrite`, `--rename`, `--skip-existing`;
#: default: refuse, before the export when the name is known, else after it without touching the file).
EXISTS_HINT = "add --overwrite to replace it, --rename to keep both, or --skip-existing"


@attrs.define
class Row:
    entry_id: int | None
    status: str  # ok | exists | failed | timeout | not started | interrupted | skipped
    result: ExportResult | None = None
    error: BaseException | None = None
    task_id: str | None = None
    existing: Path | None = None  # status "exists": the file left as it was (--skip-existing)
    exists_hint: str = EXISTS_HINT  # what to add when the file exists (resume has only --overwrite)
    exit_code: int | None = (
        None  # set when the error is run-level though its kind is not (a wrong repository)
    )

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"entry_id": self.entry_id, "status": self.status, "task_id": self.task_id}
        if self.result is not None:
            result = self.result
            doc.update(
                path=str(result.path),
                size=result.size,
                content_type=result.content_type,
                suggested_name=result.suggested_name,
                task_id=result.task_id,
                mode=result.mode,
                elapsed=round(result.elapsed, 3),
                extracted=[str(p) for p in result.extracted],
            )
        if self.existing is not None:
            doc["path"] = str(self.existing)
        if self.error is not None:
            message = error_text(self.error, hint=self.exists_hint)
            doc["error"] = error_json(self.error, message=message, exporting=True)
            if self.exit_code is not None:
                doc["error"]["exit_code"] = self.exit_code
        return doc


def export_table(rows: Sequence[Row]) -> Table:
    out = table()
    out.add_column("entry", justify="right")
    out.add_column("file", overflow="fold")
    out.add_column("size", justify="right")
    out.add_column("time", justify="right")
    out.add_column("status")
    for row in rows:
        result = row.result
        file = "-" if row.existing is None else relative(row.existing)
        if result is not None:
            file = relative(result.path)
            if result.extracted:
                file += f" (+{len(result.extracted)} files in {relative(result.extracted[0].parent)})"
        out.add_row(
            "-" if row.entry_id is None else str(row.entry_id),
            file,
            human_size(result.size) if result else "-",
            f"{result.elapsed:.1f}s" if result else "-",
            f"[{_STYLE.get(row.status, '')}]{escape(row.status)}[/]",
        )
    return out


def run_exit_code(rows: Sequence[Row]) -> int:
    codes = [
        exit_code_for(row.error, exporting=True) if row.exit_code is None else row.exit_code
        for row in rows
        if row.error is not None
    ]
    if any(row.status == "interrupted" for row in rows):
        return EXIT_INTERRUPTED
    for code in (EXIT_AUTH, EXIT_API, EXIT_TIMEOUT):
        if code in codes:
            return code
    return EXIT_FAILED if codes or any(row.status not in ("ok", "exists") for row in rows) else EXIT_OK


def resume_line(task_id: str, out: Path | None = None) -> str:
    """The command that finishes a task (into `out`; without it, the working directory)."""
    line = f"lf-export resume {task_id}"
    return line if out is None else f"{line} --out {shlex.quote(str(out))}"


def resume_lines(rows: Sequence[Row], out: Path) -> list[str]:
    """`resume_line` of every task a deadline left running."""
    return [
        resume_line(task_id, out)
        for row in rows
        if isinstance(row.error, ExportTimeoutError) and not row.error.cancelled
        for task_id in row.error.task_ids
    ]


def error_text(error: BaseException, *, hint: str = EXISTS_HINT) -> str:
    """An error's message for people; a file that exists says which flags decide (not the Python spelling)."""
    if isinstance(error, DownloadError) and error.existing is not None:
        return f"{relative(error.existing)} already exists ({hint})"
    return str(error)


def failure_status(error: BaseException) -> str:
    if isinstance(error, ExportTimeoutError):
        return "timeout" if error.task_ids else "not started"
    return "failed"


ExistsPolicy = Literal["refuse", "overwrite", "rename", "skip"]
_POLICY_FLAGS: dict[str, ExistsPolicy] = {
    "overwrite": "overwrite",
    "rename": "rename",
    "skip_existing": "skip",
}


def exists_policy(kwargs: Mapping[str, Any]) -> ExistsPolicy:
    """What a run does with a file that exists: one of --overwrite / --rename / --skip-existing (exclusive),
    else refuse. Takes the flags out of a command's keyword arguments (the absent ones count as not given)."""
    given = [name for name in _POLICY_FLAGS if kwargs.get(name)]
    if len(given) > 1:
        shown = " / ".join("--" + name.replace("_", "-") for name in given)
        raise OptionsError([OptionIssue(shown, None, "are mutually exclusive: give one")])
    return _POLICY_FLAGS[given[0]] if given else "refuse"


def free_name(path: Path, limit: int = 1000) -> Path:
    """`path`, or the first of ``NAME (2).ext``, ``NAME (3).ext`` ... that does not exist."""
    for number in range(2, limit + 1):
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        if not os.path.lexists(candidate):
            return candidate
    return path  # every name taken: the export then refuses to overwrite, as without --rename


class OutcomeStream:
    """Each entry's outcome as it ends, not only in the table at the end (a killed run keeps what it printed):
    with ``--jsonl`` one JSON line on stdout per result; otherwise a line on stderr (errors always, even with
    ``--json``; successes unless ``--json`` or ``--quiet``)."""

    def __init__(self, ui: Ui) -> None:
        self.ui = ui
        self.jsonl = ui.jsonl
        self.live = False  # progress bars are drawn (lines then go above them)

    def __call__(self, row: Row) -> None:
        ui = self.ui
        if self.jsonl:
            ui.emit_line({"type": "result", **row.to_json()})
        label = "-" if row.entry_id is None else str(row.entry_id)
        if row.error is not None and row.status not in ("timeout", "not started", "interrupted"):
            ui.error_block(f"entry {label}: {error_text(row.error)}")
            return
        if ui.json_mode or ui.quiet:
            return
        if row.result is not None:
            shown = relative(row.result.path)
            if row.result.extracted:
                shown += f" (+{len(row.result.extracted)} files)"
            ui.err.print(Text("✓ ", style="green") + Text(f"entry {label} → {shown}"), highlight=False)
        elif row.status == "exists" and row.existing is not None:
            ui.err.print(
                Text("= ", style="dim") + Text(f"entry {label}: {relative(row.existing)} exists, kept"),
                highlight=False,
            )
