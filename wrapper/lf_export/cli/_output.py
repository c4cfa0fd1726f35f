"""How `lf-export` talks to people and scripts: exit codes, error blocks, tables, JSON, live progress.

Streams: results (tables, or the one JSON document of ``--json``) go to stdout; progress bars, warnings and
errors go to stderr. Bars and colour appear only when stderr is a terminal, ``NO_COLOR`` is unset (or
empty) and ``TERM`` is not ``dumb``; with ``--quiet`` only errors are printed (and the JSON document).

Exit codes (`exit_code_for`)::

    0    ok
    1    some exports failed for reasons of their own (not found, locked, task failed, download failed);
         the other files were kept
    2    usage or validation error (nothing was sent); a journal that cannot be used (damaged, newer, in
         use by another run)
    3    authentication failed (401)
    4    the API failed (network, 5xx, 429 after retries, other API errors outside an export)
    5    the deadline passed (the task ids and the `resume` command are printed)
    130  interrupted (Ctrl-C); remote tasks were cancelled, or are listed if they could not be

Nothing here ever prints an access token, a password or a download link's query string: errors come from
lf_export's exceptions, whose messages are already redacted, and links are never shown.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lf_export import (
    AccessDeniedError,
    ApiError,
    AuthenticationError,
    BadRequestError,
    DownloadError,
    EntryInfo,
    EntryLockedError,
    ExportTimeoutError,
    JournalError,
    LaserficheError,
    NetworkError,
    NotFoundError,
    OptionsError,
    RequestTooLargeError,
    TaskError,
    TaskFailedError,
)

from ._config import ConfigError
from ._options import flag_for_field

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "Ui",
    "clip",
    "entry_json",
    "error_json",
    "escape",
    "exit_code_for",
    "human_size",
    "is_run_level",
    "options_issues_json",
    "relative",
    "table",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_API = 4
EXIT_TIMEOUT = 5
EXIT_INTERRUPTED = 130

# Errors that belong to one entry: the export of the others goes on, and the run exits 1.
_ENTRY_LEVEL = (
    BadRequestError,
    AccessDeniedError,
    NotFoundError,
    RequestTooLargeError,
    EntryLockedError,
    TaskError,
    DownloadError,
)


def exit_code_for(exc: BaseException, *, exporting: bool = False) -> int:
    """The documented exit code for an error. `exporting`: the error ended one export of a run (entry-level
    errors then mean exit 1, "some exports failed")."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(exc, OptionsError | ConfigError | JournalError):  # a journal: damaged, newer, in use
        return EXIT_USAGE
    if isinstance(exc, AuthenticationError):
        return EXIT_AUTH
    if isinstance(exc, ExportTimeoutError):
        return EXIT_TIMEOUT
    if isinstance(exc, TaskError | DownloadError) or (exporting and isinstance(exc, _ENTRY_LEVEL)):
        return EXIT_FAILED
    if isinstance(exc, ApiError | NetworkError):
        return EXIT_API
    return EXIT_API


def is_run_level(exc: BaseException) -> bool:
    """Whether an error stops a whole export run (every other entry would meet it too)."""
    return not isinstance(exc, _ENTRY_LEVEL) and not isinstance(exc, ExportTimeoutError)


#: Values echoed in messages are cut to this many characters: a 120 KB argument is not printed back whole.
VALUE_LIMIT = 120


def clip(text: str, limit: int = VALUE_LIMIT) -> str:
    """`text` cut to at most `limit` characters; the cut is marked with how much was left out."""
    if len(text) <= limit:
        return text
    keep = max(limit - 30, 10)
    return f"{text[:keep]}… ({len(text) - keep} more characters)"


def human_size(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover (loop always returns)


def _colour_allowed(env: Mapping[str, str]) -> bool:
    return not env.get("NO_COLOR") and env.get("TERM") != "dumb"


class Ui:
    """Output settings of one command run, and the two consoles."""

    def __init__(
        self,
        *,
        json_mode: bool = False,
        jsonl: bool = False,
        verbose: int = 0,
        quiet: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if env is None else env
        self.json_mode = json_mode or jsonl
        self.jsonl = jsonl  # --jsonl: one JSON object per line (results as they end, then the summary)
        self.verbose = verbose
        self.quiet = quiet
        out = stdout or sys.stdout
        err = stderr or sys.stderr
        colour = _colour_allowed(env)
        self.err_tty = err.isatty()
        # Piped output is not wrapped at 80 columns: tables stay one line per row for grep and friends.
        width = None if out.isatty() or env.get("COLUMNS") else 200
        self.out = Console(file=out, no_color=not colour, highlight=False, soft_wrap=False, width=width)
        self.err = Console(
            file=err,
            no_color=not colour,
            highlight=False,
            stderr=True,
            force_terminal=None if colour else False,
            width=None if self.err_tty or env.get("COLUMNS") else 200,
        )
        # Bars: only on a terminal, with colour allowed, and not when asked to be quiet.
        self.show_progress = self.err_tty and colour and not quiet
        #: The advice under an authentication error; the command sets it for the credentials in use.
        self.auth_hint = "check the token (LF_ACCESS_TOKEN) or the username and password; tokens expire"

    # ------------------------------------------------------------------------------------------- messages

    def info(self, message: str) -> None:
        """A human remark on stderr (not with --quiet)."""
        if not self.quiet:
            self.err.print(message, markup=False, highlight=False)

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.err.print(Text("warning: ", style="yellow") + Text(message), highlight=False)

    def error_block(self, headline: str, lines: Sequence[str] = ()) -> None:
        text = Text("error: ", style="bold red") + Text(headline)
        for line in lines:
            text += Text("\n  " + line)
        self.err.print(text, highlight=False, soft_wrap=True)

    def emit_json(self, document: Mapping[str, Any]) -> None:
        """The one JSON document of a --json run, on stdout (with --jsonl: its last line)."""
        if self.jsonl:
            self.emit_line(document)
            return
        self.out.file.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
        self.out.file.flush()

    def emit_line(self, document: Mapping[str, Any]) -> None:
        """One JSON object on one line of stdout, flushed at once (--jsonl)."""
        self.out.file.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")
        self.out.file.flush()

    def print_table(self, table: Table) -> None:
        if not self.quiet:
            self.out.print(table)

    # ------------------------------------------------------------------------------------------- errors

    def report_error(self, exc: BaseException) -> None:
        """An error as one readable block on stderr."""
        if isinstance(exc, OptionsError):
            self.error_block(_options_headline(exc), _options_lines(exc))
        elif isinstance(exc, ConfigError):
            self.error_block("cannot run as configured", list(exc.problems))
        elif isinstance(exc, AuthenticationError):
            self.error_block(str(exc), [self.auth_hint])
        else:
            self.error_block(str(exc) or type(exc).__name__)


def _options_headline(exc: OptionsError) -> str:
    count = len(exc.issues)
    return f"invalid options ({count} problem{'s' if count != 1 else ''})"


def _options_lines(exc: OptionsError) -> list[str]:
    lines = []
    for issue in exc.issues:
        flag = flag_for_field(issue.field)
        where = issue.field if flag is None or flag == issue.field else f"{flag} ({issue.field})"
        got = "" if issue.value is None else f" (got {clip(repr(issue.value))})"
        lines.append(f"{where}: {issue.rule}{got}")
        if issue.caret:
            lines += ["  " + line.strip("\n") for line in issue.caret.splitlines()]
    return lines


def options_issues_json(exc: OptionsError) -> list[dict[str, Any]]:
    return [
        {
            "field": issue.field,
            "flag": flag_for_field(issue.field),
            "value": clip(issue.value)
            if isinstance(issue.value, str)
            else issue.value
            if isinstance(issue.value, int | float | bool)
            else clip(repr(issue.value)),
            "rule": issue.rule,
        }
        for issue in exc.issues
    ]


def error_json(exc: BaseException, *, message: str | None = None, exporting: bool = False) -> dict[str, Any]:
    """An error as JSON: type, message, and what a script needs to act on it. `exit_code` is what the process
    would exit with had this error been the only one (`exit_code_for(exc, exporting=True)` for an export's
    own error: the documented table)."""
    doc: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc) if message is None else message}
    if isinstance(exc, OptionsError):
        doc["issues"] = options_issues_json(exc)
    if isinstance(exc, ConfigError):
        doc["problems"] = list(exc.problems)
    if isinstance(exc, ApiError):
        doc["status"] = exc.status
        if exc.error_code is not None:
            doc["error_code"] = exc.error_code
    if isinstance(exc, TaskError):
        doc["task_id"] = exc.task_id
    if isinstance(exc, TaskFailedError) and exc.error_code is not None:
        doc["error_code"] = exc.error_code
    if isinstance(exc, ExportTimeoutError):
        doc["task_ids"] = list(exc.task_ids)
        doc["cancelled"] = exc.cancelled
    if isinstance(exc, DownloadError) and exc.existing is not None:
        doc["existing"] = str(exc.existing)
    if isinstance(exc, LaserficheError | ConfigError | KeyboardInterrupt):
        doc["exit_code"] = exit_code_for(exc, exporting=exporting)
    return doc


def relative(path: Path) -> str:
    """`path` relative to the working directory when it is below it (shorter tables), else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def table() -> Table:
    """Tables with a plain rule under the header (the heavy glyph is reserved for progress bars)."""
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


def entry_json(entry: EntryInfo) -> dict[str, Any]:
    """An entry (a copy's new entry, say) as JSON: id, name, type, path, parent."""
    return {
        "entry_id": entry.entry_id,
        "name": entry.name,
        "entry_type": entry.entry_type,
        "path": entry.full_path,
        "parent_id": entry.parent_id,
    }
