"""Page ranges: the `pageRange` query parameter of Export and ExportAsync, as a value type.

Grammar (what `PageRange.parse` accepts)::

    range := item ("," item)*
    item  := N | N "-" N                 start <= end
    N     := [1-9][0-9]*                 ASCII digits only, no leading zero, at most 2147483647 (int32)

Decisions:

* Whitespace: ASCII spaces and tabs around numbers, commas and hyphens are accepted and dropped
  (``"1 - 3, 5"`` reads as ``"1-3,5"``). Any other whitespace (newline, no-break space, ...) is an error,
  like every other unexpected character.
* Duplicates and overlaps: a `PageRange` is a *set* of pages. Items are sorted and overlapping or adjacent
  items merged, so ``"5,1-3,2,4"`` is ``"1-5"``. The server exports pages in document order whatever the
  order of the items, so nothing is lost, and the server never receives an ambiguous or redundant range.
* Canonical form (`str()`): sorted, merged, single pages as ``N``, runs as ``N-M``, no spaces. It always
  matches the wire pattern ``^[1-9][0-9]{0,9}(-[1-9][0-9]{0,9})?(,[1-9][0-9]{0,9}(-[1-9][0-9]{0,9})?)*$``.
* Limits: page numbers above 2147483647 are rejected (the server stores pages as 32-bit integers). An empty
  range is an error: "all pages" is expressed by having no `PageRange` at all.

Errors are `OptionsError` with field ``pageRange``; the message ends with the input and a caret (``^``) under
the exact offending character. Parsing is one left-to-right pass: linear time, no regular expression, and
huge ranges such as ``1-2000000000`` are never expanded (iteration is lazy, `count()` is arithmetic).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import NoReturn, Self

import attrs

from ._errors import OptionIssue, OptionsError
from ._text_rules import MAX_INT32

__all__ = ["MAX_PAGE", "PageRange"]

MAX_PAGE = MAX_INT32
_FIELD = "pageRange"
_BLANKS = " \t"
_CONTEXT = 30  # characters of input shown either side of the caret


def _caret(text: str, pos: int) -> str:
    """Two indented lines: a window of `text` (non-ASCII and controls escaped) and a caret under `pos`."""
    lo = max(0, pos - _CONTEXT)
    hi = min(len(text), pos + _CONTEXT + 1)
    line = "..." if lo > 0 else ""
    col = 0
    for i in range(lo, hi):
        ch = text[i]
        shown = ch if " " <= ch <= "~" else ascii(ch)[1:-1]
        if i == pos:
            col = len(line)
        line += shown
    if pos >= len(text):
        col = len(line)
    if hi < len(text):
        line += "..."
    return f"  {line}\n  {' ' * col}^"


class _Parser:
    __slots__ = ("n", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0

    def fail(self, pos: int, rule: str) -> NoReturn:
        where = f"column {pos + 1}" if pos < self.n else "the end"
        raise OptionsError(
            [OptionIssue(_FIELD, self.text, f"{rule} at {where}", caret=_caret(self.text, pos))]
        )

    def skip_blanks(self) -> None:
        text, n, pos = self.text, self.n, self.pos
        while pos < n and text[pos] in _BLANKS:
            pos += 1
        self.pos = pos

    def number(self, after: str) -> int:
        text, n, start = self.text, self.n, self.pos
        if start >= n:
            self.fail(start, f"expected a page number {after}")
        ch = text[start]
        if not ("0" <= ch <= "9"):
            if ch.isdigit() or ch.isdecimal():
                self.fail(start, f"only ASCII digits 0-9 are allowed, found {_describe(ch)}")
            self.fail(start, f"expected a page number {after}, found {_describe(ch)}")
        if ch == "0":
            if start + 1 < n and "0" <= text[start + 1] <= "9":
                self.fail(start, "page numbers must not have leading zeros")
            self.fail(start, "page numbers start at 1")
        value = 0
        pos = start
        while pos < n:
            ch = text[pos]
            if not ("0" <= ch <= "9"):
                break
            value = value * 10 + (ord(ch) - 48)
            if value > MAX_PAGE:
                self.fail(start, f"page number is above {MAX_PAGE}, the largest the server accepts (int32)")
            pos += 1
        if pos < n and (text[pos].isdigit() or text[pos].isdecimal()):
            self.fail(pos, f"only ASCII digits 0-9 are allowed, found {_describe(text[pos])}")
        self.pos = pos
        return value

    def parse(self) -> list[tuple[int, int]]:
        # Two int lists rather than a list of tuples: ints are not tracked by the cyclic garbage collector,
        # so a megabyte of items does not trigger ever-longer GC passes (that would break linearity).
        starts: list[int] = []
        ends: list[int] = []
        self.skip_blanks()
        if self.pos >= self.n:
            rule = "must not be empty (leave the page range out to export all pages)"
            raise OptionsError([OptionIssue(_FIELD, self.text, rule)])
        after = "at the start"
        while True:
            self.skip_blanks()
            start = self.number(after)
            self.skip_blanks()
            end = start
            if self.pos < self.n and self.text[self.pos] == "-":
                self.pos += 1
                self.skip_blanks()
                end_pos = self.pos
                end = self.number("after '-'")
                if end < start:
                    self.fail(
                        end_pos, f"range {start}-{end} goes backwards (its start must not be after its end)"
                    )
                self.skip_blanks()
            starts.append(start)
            ends.append(end)
            if self.pos >= self.n:
                return list(zip(starts, ends, strict=True))
            ch = self.text[self.pos]
            if ch != ",":
                self.fail(self.pos, f"expected ',' or '-' after a page number, found {_describe(ch)}")
            self.pos += 1
            after = "after ','"


def _describe(ch: str) -> str:
    return repr(ch) if " " <= ch <= "~" else f"{ch!r} (U+{ord(ch):04X})"


def _is_page(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_PAGE


def _check_pairs(spans: Iterable[object]) -> tuple[list[tuple[int, int]], list[OptionIssue]]:
    issues: list[OptionIssue] = []
    pairs: list[tuple[int, int]] = []
    for item in spans:
        if not (isinstance(item, tuple) and len(item) == 2):
            issues.append(OptionIssue(_FIELD, item, "each span must be a (start, end) tuple of two ints"))
            continue
        start, end = item
        if not (_is_page(start) and _is_page(end)):
            issues.append(OptionIssue(_FIELD, item, f"pages must be ints between 1 and {MAX_PAGE} inclusive"))
        elif start > end:
            issues.append(OptionIssue(_FIELD, item, "a range's start must not be after its end"))
        else:
            pairs.append((start, end))
    return pairs, issues


def _normalise(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Validate (start, end) pairs and return them sorted with overlapping and adjacent pairs merged."""
    pairs, issues = _check_pairs(spans)
    if issues:
        raise OptionsError(issues)
    if not pairs:
        raise OptionsError([OptionIssue(_FIELD, (), "must contain at least one page")])
    pairs.sort()  # Timsort: linear on the usual already-ordered input
    merged: list[tuple[int, int]] = []
    cur_start, cur_end = pairs[0]
    for start, end in pairs[1:]:
        if start <= cur_end + 1:
            if end > cur_end:
                cur_end = end
        else:
            merged.append((cur_start, cur_end))
            cur_start, cur_end = start, end
    merged.append((cur_start, cur_end))
    return tuple(merged)


@attrs.frozen(repr=False)
class PageRange:
    """A non-empty set of page numbers, sent as the `pageRange` query parameter.

    Examples:
        >>> r = PageRange.parse("9, 1-3,2")
        >>> str(r), r.count(), r.max_page, list(r)
        ('1-3,9', 4, 9, [1, 2, 3, 9])
        >>> PageRange.of(1, (3, 5), 9) == PageRange.parse("1,3-5,9")
        True

    `spans` holds the sorted, merged, inclusive (start, end) pairs.
    """

    spans: tuple[tuple[int, int], ...] = attrs.field(converter=_normalise)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse the page-range grammar (see the module docstring); raise `OptionsError` with a caret."""
        if not isinstance(text, str):
            raise OptionsError([OptionIssue(_FIELD, text, "must be a str such as '1-3,5'")])
        return cls(_Parser(text).parse())

    @classmethod
    def of(cls, *items: int | tuple[int, int] | range) -> Self:
        """Build from pages and inclusive (start, end) tuples, or step-1 `range` objects (end exclusive).

        Examples:
            >>> str(PageRange.of(1, (3, 5), range(7, 10)))
            '1,3-5,7-9'
        """
        spans: list[tuple[int, int]] = []
        issues: list[OptionIssue] = []
        for item in items:
            if isinstance(item, bool):
                issues.append(OptionIssue(_FIELD, item, "must be a page number, not a bool"))
            elif isinstance(item, int):
                spans.append((item, item))
            elif isinstance(item, range):
                if item.step != 1 or len(item) == 0:
                    issues.append(OptionIssue(_FIELD, item, "a range must have step 1 and not be empty"))
                else:
                    spans.append((item.start, item.stop - 1))
            elif isinstance(item, tuple):
                spans.append(item)
            else:
                issues.append(OptionIssue(_FIELD, item, "must be an int, a (start, end) tuple or a range"))
        if issues:
            raise OptionsError(issues + _check_pairs(spans)[1])
        return cls(spans)

    def __str__(self) -> str:
        return ",".join(str(s) if s == e else f"{s}-{e}" for s, e in self.spans)

    def __repr__(self) -> str:
        text = str(self)
        if len(text) > 80:
            text = f"{text[:60]}...{text[-15:]}"
        return f"PageRange({text!r})"

    def __iter__(self) -> Iterator[int]:
        """Page numbers in ascending order, generated lazily."""
        for start, end in self.spans:
            yield from range(start, end + 1)

    def __contains__(self, page: object) -> bool:
        if not isinstance(page, int) or isinstance(page, bool):
            return False
        i = bisect.bisect_right(self.spans, (page, MAX_PAGE + 1)) - 1
        return i >= 0 and self.spans[i][0] <= page <= self.spans[i][1]

    def count(self) -> int:
        """How many pages the range selects."""
        return sum(end - start + 1 for start, end in self.spans)

    @property
    def min_page(self) -> int:
        return self.spans[0][0]

    @property
    def max_page(self) -> int:
        return self.spans[-1][1]

    def check_within(self, page_count: int) -> None:
        """Raise `OptionsError` when the range selects a page after `page_count`, the document's last page."""
        if self.max_page > page_count:
            first = next(max(s, page_count + 1) for s, e in self.spans if e > page_count)
            rule = f"page {first} is beyond the last page of the document ({page_count})"
            raise OptionsError([OptionIssue(_FIELD, self, rule)])
