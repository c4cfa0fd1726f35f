"""The validation behind `lf_export._options`: field rules, building unchecked, settling.

* A rule is a pure function of a wire path and a value that returns the `OptionIssue`s it finds; the options
  classes list their fields' rules, and a parent re-prefixes the issues of its nested objects (`within`).
* `unchecked` builds an options object without validating it, so a parent can validate the whole tree at
  once; `settle` is the one place that raises the `OptionsError` or emits the `OptionsWarning`s.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar, cast

import attrs
from lf_repository_v2.types import UNSET, Unset

from ._errors import OptionIssue, OptionsError, OptionsWarning
from ._pages import PageRange
from ._text_rules import (
    describe_char,
    find_emoji,
    find_file_name_violation,
    find_surrogate,
    is_dotnet_whitespace,
    utf16_len,
)

WATERMARK_TEXT_MAX = 100
PAGE_PREFIX_MAX = 10
AUDIT_REASON_COMMENT_MAX = 255
PAGE_RANGE_WIRE_MAX = 8192
PAGE_RANGE = "pageRange"  # the query parameter (the body's names come from the generated models)

_T = TypeVar("_T")
_E = TypeVar("_E", bound=Enum)

# ------------------------------------------------------------------------------------------------ paths


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def within(path: str, issues: Iterable[OptionIssue]) -> list[OptionIssue]:
    """`issues` of a nested object, re-prefixed with its `path` in the parent."""
    return [attrs.evolve(issue, field=join(path, issue.field)) for issue in issues]


# ------------------------------------------------------------------------------------- building, settling


def unchecked(cls: type[_T], **values: object) -> _T:
    """An instance of the attrs class `cls`, built as its ``__init__`` would but without validation.

    `values` are keyed by init name; a missing or UNSET one takes the field's default; converters apply.
    ``__attrs_post_init__`` does not run: the caller validates the object (usually as part of its parent).
    """
    fields = attrs.fields(cast(Any, cls))
    unknown = values.keys() - {field.alias for field in fields}
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    obj = object.__new__(cls)
    for field in fields:
        value = values.get(field.alias, UNSET)
        if isinstance(value, Unset):
            value = field.default
        if value is attrs.NOTHING:
            raise TypeError(f"{cls.__name__} needs {field.alias}")
        if field.converter is not None:
            value = field.converter(value)
        object.__setattr__(obj, field.name, value)
    return obj


# Warnings point at the user's call with a fixed stacklevel, because `settle` is only ever called from
# `__attrs_post_init__` (under the attrs-generated ``__init__`` the user called) or from
# `ExportOptions._settled` (under the named constructor the user called): warn <- settle <- one of those
# <- the ``__init__`` or constructor <- the user. Through `attrs.evolve` the warning names attrs' frame.
_STACKLEVEL = 4


def settle(path: str, issues: list[OptionIssue], warns: Callable[[], Iterable[str]] = tuple) -> None:
    """Raise one `OptionsError` for all `issues` (re-prefixed with `path`), else emit each warning once."""
    if issues:
        raise OptionsError(within(path, issues) if path else issues)
    for message in dict.fromkeys(warns()):
        warnings.warn(message, OptionsWarning, stacklevel=_STACKLEVEL)


# ------------------------------------------------------------------------------------------ conversions


def member(cls: type[_E], value: object) -> _E:
    """The member of `cls` whose value (or name) equals `value` ignoring case; else `value` unchanged.

    An unchanged value is reported by the owner's validation; the object never escapes in that state.
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        key = value.strip().casefold().replace("_", "")
        for candidate in cls:
            if key in (str(candidate.value).casefold(), candidate.name.casefold().replace("_", "")):
                return candidate
    return cast(_E, value)


def pages(value: PageRange | str | int | None) -> PageRange | None:
    """A page range from a str or an int; else `value` unchanged, for `page_range` to report."""
    if value is None or isinstance(value, PageRange):
        return value
    try:
        if isinstance(value, str):
            return PageRange.parse(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return PageRange.of(value)
    except OptionsError:
        pass
    return cast(PageRange, value)


# ------------------------------------------------------------------------------------------------ rules


def block(path: str, value: object, cls: type, rule: str, owner: Enum, part: object) -> list[OptionIssue]:
    """An options block: of its class (else `rule`) or None, and only with the part it belongs to."""
    if value is None:
        return []
    if not isinstance(value, cls):
        return [OptionIssue(path, value, rule)]
    if isinstance(part, type(owner)) and part is not owner:
        return [OptionIssue(path, value, f"are only allowed with part {owner.value} (part is {part.value})")]
    return []


def one_of(path: str, cls: type[Enum], value: object) -> list[OptionIssue]:
    if isinstance(value, cls):
        return []
    allowed = ", ".join(str(m.value) for m in cls)
    return [OptionIssue(path, value, f"must be one of {allowed} (any case)")]


def int_in(path: str, value: object, lo: int, hi: int) -> list[OptionIssue]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [OptionIssue(path, value, f"must be an int between {lo} and {hi} inclusive")]
    if not lo <= value <= hi:
        return [OptionIssue(path, value, f"must be between {lo} and {hi} inclusive")]
    return []


def boolean(path: str, value: object) -> list[OptionIssue]:
    return [] if isinstance(value, bool) else [OptionIssue(path, value, "must be a bool (True or False)")]


def text(path: str, value: object, max_units: int) -> list[OptionIssue]:
    """Type, surrogates and UTF-16 length (the checks every string gets)."""
    if not isinstance(value, str):
        return [OptionIssue(path, value, "must be a str")]
    issues: list[OptionIssue] = []
    bad = find_surrogate(value)
    if bad is not None:
        rule = f"must not contain surrogate code points, found U+{ord(value[bad]):04X} at index {bad}"
        issues.append(OptionIssue(path, value, rule))
    units = utf16_len(value)
    if units > max_units:
        rule = f"must be at most {max_units} characters (UTF-16 code units); it has {units}"
        issues.append(OptionIssue(path, value, rule))
    return issues


def watermark_text(path: str, value: object) -> list[OptionIssue]:
    issues = text(path, value, WATERMARK_TEXT_MAX)
    if isinstance(value, str):
        if all(is_dotnet_whitespace(ch) for ch in value):
            issues.append(OptionIssue(path, value, "must not be empty or all whitespace"))
        hit = find_emoji(value)
        if hit is not None:
            rule = f"must not contain emoji, found {describe_char(hit.sequence)} at index {hit.index}"
            issues.append(OptionIssue(path, value, rule))
    return issues


def page_prefix(path: str, value: object) -> list[OptionIssue]:
    issues = text(path, value, PAGE_PREFIX_MAX)
    if isinstance(value, str):
        bad = find_file_name_violation(value)
        if bad is not None and not 0xD800 <= ord(value[bad]) <= 0xDFFF:  # a surrogate is reported already
            rule = (
                'must contain only characters valid in file names (none of < > : " / \\ | ? * and no '
                f"control characters), found {describe_char(value[bad])} at index {bad}"
            )
            issues.append(OptionIssue(path, value, rule))
    return issues


def redaction_character(path: str, value: object) -> list[OptionIssue]:
    if not isinstance(value, str):
        return [OptionIssue(path, value, "must be a str")]
    units = utf16_len(value)
    if units != 1:
        rule = f"must be exactly one character (one UTF-16 code unit); it has {units}"
        return [OptionIssue(path, value, rule)]
    if 0xD800 <= ord(value) <= 0xDFFF:
        return [OptionIssue(path, value, "must not be a surrogate code point")]
    if is_dotnet_whitespace(value):
        return [OptionIssue(path, value, "must not be whitespace")]
    if unicodedata.category(value) in ("Cc", "Cf", "Co"):
        # The same rule as the spec's pattern: no control, format or private-use character.
        return [OptionIssue(path, value, "must not be a control or format character (or private use)")]
    return []


def page_range(value: object) -> list[OptionIssue]:
    """None (all pages), or a `PageRange` whose canonical form fits the server's limit."""
    if value is None:
        return []
    if isinstance(value, PageRange):
        length = len(str(value))
        if length <= PAGE_RANGE_WIRE_MAX:
            return []
        rule = (
            f"is {length} characters in canonical form; the server accepts at most "
            f"{PAGE_RANGE_WIRE_MAX}: use wider ranges or split the export"
        )
        return [OptionIssue(PAGE_RANGE, value, rule)]
    if isinstance(value, str):  # `pages` could not parse it: parse again for the issues
        try:
            PageRange.parse(value)
        except OptionsError as exc:
            return list(exc.issues)
    return [OptionIssue(PAGE_RANGE, value, "must be a PageRange, a str such as '1-3,5', or an int")]
