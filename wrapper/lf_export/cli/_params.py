"""Typed command-line parameters whose problems are collected, not raised one at a time.

click stops at the first parameter it cannot convert; `lf-export` lists every problem of a command line in
one error (exit 2). So the parameter types here (`CheckedType` subclasses: durations, entry ids, positive
whole numbers, task ids, the export mode) never fail inside click: `convert` gives a `Checked` holding the
value or the rule the text broke, and the command turns all of them (with the export options' own problems)
into one `OptionsError` with `collect`::

    @click.option("--deadline", type=DURATION)
    ...
    deadline, limit = collect(kwargs["deadline"], kwargs["max_concurrent_tasks"])

Each problem is named by its flag (``--deadline``) or argument (``ENTRY_ID``), with the text as typed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs
import click

from lf_export import OptionIssue, OptionsError

__all__ = [
    "DURATION",
    "ENTRY_ID",
    "MODE",
    "POSITIVE_INT",
    "TASK_ID",
    "Checked",
    "CheckedType",
    "ExportMode",
    "collect",
    "collect_each",
    "parse_duration",
    "parse_entry_ids",
]

T = TypeVar("T")
ExportMode = Literal["auto", "sync", "async"]
MAX_ENTRY_ID = 2_147_483_647


@attrs.frozen
class Checked(Generic[T]):
    """One parameter as typed (`text`), named by its flag or argument (`field`): its value, or the `rule`
    the text broke."""

    field: str
    text: str
    value: T | None = None
    rule: str | None = None

    @property
    def issue(self) -> OptionIssue | None:
        return None if self.rule is None else OptionIssue(self.field, self.text, self.rule)

    def get(self) -> T:
        """The value; a broken rule raises `OptionsError`."""
        if self.rule is not None:
            raise OptionsError([OptionIssue(self.field, self.text, self.rule)])
        return self.value  # type: ignore[return-value]  # set whenever rule is None


if TYPE_CHECKING:  # click >= 8.3 types ParamType by its value and input types; older clicks do not
    _ParamType = click.ParamType[Checked[Any], Any]
else:
    _ParamType = click.ParamType


class CheckedType(_ParamType, Generic[T]):
    """A click parameter type that converts to a `Checked`: subclasses implement `parse`, which returns the
    value or raises `ValueError` with the rule (a sentence a user can act on)."""

    def parse(self, text: str) -> T:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Checked[T]:
        if isinstance(value, Checked):  # click converts defaults and prompts again
            return value
        text = str(value)
        field = _field(param)
        try:
            return Checked(field, text, self.parse(text))
        except ValueError as exc:
            return Checked(field, text, rule=str(exc))


def _field(param: click.Parameter | None) -> str:
    """``--max-concurrent-tasks`` for an option, ``ENTRY_ID`` for an argument (its metavar without dots)."""
    if param is None:
        return "value"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.metavar or param.name or "value").rstrip(".").upper()


def collect(*checks: Checked[Any] | Callable[[], Any] | None) -> list[Any]:
    """Every value, in order: a `Checked`'s value, a callable's result (it may raise `OptionsError`), None
    for None (an optional parameter not given). Raises one `OptionsError` with the issues of all."""
    issues: list[OptionIssue] = []
    values: list[Any] = []
    for check in checks:
        try:
            values.append(check.get() if isinstance(check, Checked) else None if check is None else check())
        except OptionsError as exc:
            issues += exc.issues
            values.append(None)
    if issues:
        raise OptionsError(issues)
    return values


def collect_each(items: Iterable[Checked[T]]) -> list[T]:
    """The values of several parameters of one type (``TASK_ID...``); one `OptionsError` for every bad one."""
    items = list(items)
    issues = [item.issue for item in items if item.issue is not None]
    if issues:
        raise OptionsError(issues)
    return [item.get() for item in items]


# --------------------------------------------------------------------------------------------- durations

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)?")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def parse_duration(text: str) -> float:
    """Seconds from ``90``, ``90s``, ``10m``, ``1h30m``, ``1.5m`` or ``500ms``. Raises `ValueError`.

    >>> parse_duration("1h30m"), parse_duration("45"), parse_duration("2.5m")
    (5400.0, 45.0, 150.0)
    """
    compact = text.strip().lower().replace(" ", "")
    pos, total, parts = 0, 0.0, 0
    while pos < len(compact):
        match = _DURATION_PART.match(compact, pos)
        if match is None or match.end() == pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos, parts = match.end(), parts + 1
        if match.group(2) is None and pos < len(compact):
            break  # a bare number must be the last part
    if not compact or pos != len(compact) or parts == 0:
        raise ValueError(f"{text!r} is not a duration; use e.g. 90s, 10m, 1h30m")
    if total <= 0:
        raise ValueError(f"{text!r}: a deadline must be longer than zero")
    return total


class Duration(CheckedType[float]):
    """``90s``, ``10m``, ``1h30m``, ``500ms`` or plain seconds → seconds (more than zero)."""

    name = "duration"

    def parse(self, text: str) -> float:
        return parse_duration(text)


# --------------------------------------------------------------------------------------------- numbers


class EntryId(CheckedType[int]):
    """A repository entry id: a whole number from 1 to 2³¹-1."""

    name = "entry_id"

    def parse(self, text: str) -> int:
        if not text.isascii() or not text.isdigit():
            raise ValueError("must be an entry id (a whole number)")
        value = int(text)
        if not 1 <= value <= MAX_ENTRY_ID:
            raise ValueError(f"must be between 1 and {MAX_ENTRY_ID}")
        return value


class PositiveInt(CheckedType[int]):
    """A whole number of at least 1."""

    name = "positive_int"

    def parse(self, text: str) -> int:
        text = text.strip()
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise ValueError("must be a whole number of at least 1")
        return int(text)


class TaskId(CheckedType[str]):
    """A task id (a GUID), in the server's form: hyphenated lower case (``{…}`` and bare hex accepted)."""

    name = "task_id"

    def parse(self, text: str) -> str:
        try:
            return str(uuid.UUID(text.strip()))
        except ValueError:
            raise ValueError("must be a task id (a GUID)") from None


class Mode(CheckedType[ExportMode]):
    """The export call: auto, sync or async (any case)."""

    name = "mode"
    choices: dict[str, ExportMode] = {"auto": "auto", "sync": "sync", "async": "async"}  # noqa: RUF012

    def parse(self, text: str) -> ExportMode:
        mode = self.choices.get(text.strip().casefold())
        if mode is None:
            raise ValueError(f"must be one of {', '.join(self.choices)}")
        return mode


DURATION = Duration()
ENTRY_ID = EntryId()
POSITIVE_INT = PositiveInt()
TASK_ID = TaskId()
MODE = Mode()


# --------------------------------------------------------------------------------------------- entry ids


def parse_entry_ids(
    args: Sequence[str | Checked[int]], file_text: str | None, file_label: str = "--from-file"
) -> list[int]:
    """Entry ids from arguments and an optional ids file (one or more per line, separated by spaces or
    commas; ``#`` starts a comment). Duplicates are kept once, in first-seen order. Raises `OptionsError`
    naming every bad item."""
    items = [arg if isinstance(arg, Checked) else ENTRY_ID.convert(arg, None, None) for arg in args]
    items = [attrs.evolve(item, field="ENTRY_ID") if item.field == "value" else item for item in items]
    if file_text is not None:
        for number, line in enumerate(file_text.splitlines(), start=1):
            content = line.split("#", 1)[0]
            items += [
                attrs.evolve(ENTRY_ID.convert(token, None, None), field=f"{file_label} line {number}")
                for token in re.split(r"[\s,]+", content)
                if token
            ]
    issues = [item.issue for item in items if item.issue is not None]
    if not items:
        issues.append(
            OptionIssue("ENTRY_ID", None, "give at least one entry id, or --from-file FILE (- = stdin)")
        )
    if issues:
        raise OptionsError(issues)
    return list(dict.fromkeys(item.get() for item in items))
