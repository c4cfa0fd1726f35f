"""The results of `export` and `resume`: one row per entry, as a table, as JSON, and the run's exit code."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
from rich.table import Table

from lf_export import DownloadError, ExportResult, ExportTimeoutError

from ._output import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    error_json,
    escape,
    exit_code_for,
    human_size,
    relative,
    table,
)

__all__ = [
    "Row",
    "error_text",
    "export_table",
    "failure_status",
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
    "not started": "dim",
}


@attrs.define
class Row:
    entry_id: int | None
    status: str  # ok | failed | timeout | not started | interrupted | skipped
    result: ExportResult | None = None
    error: BaseException | None = None
    task_id: str | None = None

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
        if self.error is not None:
            doc["error"] = error_json(self.error)
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
        file = "-"
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
    codes = [exit_code_for(row.error, exporting=True) for row in rows if row.error is not None]
    if any(row.status == "interrupted" for row in rows):
        return EXIT_INTERRUPTED
    for code in (EXIT_AUTH, EXIT_API, EXIT_TIMEOUT):
        if code in codes:
            return code
    return EXIT_FAILED if codes or any(row.status != "ok" for row in rows) else EXIT_OK


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


def error_text(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, DownloadError) and "already exists" in text:
        text += " (lf-export: add --overwrite)"
    return text


def failure_status(error: BaseException) -> str:
    if isinstance(error, ExportTimeoutError):
        return "timeout" if error.task_ids else "not started"
    return "failed"
