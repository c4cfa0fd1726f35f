"""PageRange: grammar, canonical form, normalisation, caret errors, limits, laziness, properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lf_export._errors import OptionsError
from lf_export._pages import MAX_PAGE, PageRange

WIRE = re.compile(r"^[1-9][0-9]{0,9}(-[1-9][0-9]{0,9})?(,[1-9][0-9]{0,9}(-[1-9][0-9]{0,9})?)*$")


def parse_error(text: str) -> OptionsError:
    with pytest.raises(OptionsError) as info:
        PageRange.parse(text)
    err = info.value
    assert len(err.issues) == 1
    assert err.issues[0].field == "pageRange"
    return err


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1", "1"),
        ("1,3,4", "1,3-4"),
        ("1-3,5-7,9", "1-3,5-7,9"),
        ("7-7", "7"),
        ("9,1-3", "1-3,9"),
        ("1-5,2-3", "1-5"),
        ("1-3,4-6", "1-6"),
        ("3,3,3", "3"),
        ("5,1-3,2,4", "1-5"),
        (" 1 - 3 ,\t5 ", "1-3,5"),
        ("2147483647", "2147483647"),
        ("1-2147483647", "1-2147483647"),
    ],
)
def test_parse_canonical(text: str, canonical: str) -> None:
    r = PageRange.parse(text)
    assert str(r) == canonical
    assert WIRE.match(str(r))
    assert PageRange.parse(canonical) == r


@pytest.mark.parametrize(
    ("text", "rule", "caret_col"),
    [
        ("1-3,,5", "expected a page number after ',', found ',' at column 5", 4),
        ("1,", "expected a page number after ',' at the end", 2),
        (",1", "expected a page number at the start, found ',' at column 1", 0),
        ("0", "page numbers start at 1 at column 1", 0),
        ("3-0", "page numbers start at 1 at column 3", 2),
        ("01", "page numbers must not have leading zeros at column 1", 0),
        (
            "2147483648",
            "page number is above 2147483647, the largest the server accepts (int32) at column 1",
            0,
        ),
        (
            "1-99999999999999999999",
            "page number is above 2147483647, the largest the server accepts (int32) at column 3",
            2,
        ),
        ("5-3", "range 5-3 goes backwards (its start must not be after its end) at column 3", 2),
        ("1;2", "expected ',' or '-' after a page number, found ';' at column 2", 1),
        ("1 2", "expected ',' or '-' after a page number, found '2' at column 3", 2),
        ("1-", "expected a page number after '-' at the end", 2),
        ("1--2", "expected a page number after '-', found '-' at column 3", 2),
        ("-1", "expected a page number at the start, found '-' at column 1", 0),
        ("+1", "expected a page number at the start, found '+' at column 1", 0),
        ("1.5", "expected ',' or '-' after a page number, found '.' at column 2", 1),
        ("1\n", "expected ',' or '-' after a page number, found '\\n' (U+000A) at column 2", 1),
        ("1,\u00a02", "expected a page number after ',', found '\\xa0' (U+00A0) at column 3", 2),
        ("\u0661", "only ASCII digits 0-9 are allowed, found '\u0661' (U+0661) at column 1", 0),
        ("1\u0662", "only ASCII digits 0-9 are allowed, found '\u0662' (U+0662) at column 2", 1),
        ("\uff11-3", "only ASCII digits 0-9 are allowed, found '\uff11' (U+FF11) at column 1", 0),
        ("\u00b2", "only ASCII digits 0-9 are allowed, found '\u00b2' (U+00B2) at column 1", 0),
    ],
)
def test_parse_errors_point_at_the_character(text: str, rule: str, caret_col: int) -> None:
    err = parse_error(text)
    assert err.issues[0].rule == rule
    assert err.issues[0].value == text
    caret = err.issues[0].caret
    assert caret is not None
    shown, marker = caret.split("\n")
    assert marker.strip() == "^"
    # The caret sits under the escaped rendering of the offending character.
    col = marker.index("^") - 2
    escaped = "".join(ch if " " <= ch <= "~" else ascii(ch)[1:-1] for ch in text[:caret_col])
    assert col == len(escaped)
    assert shown[2:].startswith(escaped)
    message = str(err)
    assert message.startswith(f"invalid page range: pageRange: {rule}")
    assert message.endswith(caret)


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_is_an_error_without_caret(text: str) -> None:
    err = parse_error(text)
    assert err.issues[0].rule == "must not be empty (leave the page range out to export all pages)"
    assert err.issues[0].caret is None
    assert "\n" not in str(err)


@pytest.mark.parametrize("value", [5, None, b"1-3", ["1"]])
def test_parse_rejects_non_str(value: object) -> None:
    with pytest.raises(OptionsError, match="must be a str such as '1-3,5'"):
        PageRange.parse(value)  # type: ignore[arg-type]


def test_caret_window_on_long_input() -> None:
    text = "1," * 5000 + "x" + ",2" * 5000
    err = parse_error(text)
    caret = err.issues[0].caret
    assert caret is not None
    shown, marker = caret.split("\n")
    assert len(shown) < 100
    assert shown[marker.index("^")] == "x"
    assert shown.startswith("  ...")
    assert shown.endswith("...")
    assert len(str(err)) < 400


def test_of_builds_and_normalises() -> None:
    assert PageRange.of(1, (3, 5), 9) == PageRange.parse("1,3-5,9")
    assert str(PageRange.of(9, 1, (2, 3))) == "1-3,9"
    assert str(PageRange.of(range(7, 10))) == "7-9"
    assert PageRange.of(1, (3, 5), 9).spans == ((1, 1), (3, 5), (9, 9))


@pytest.mark.parametrize(
    ("items", "rule"),
    [
        ((0,), f"pages must be ints between 1 and {MAX_PAGE} inclusive"),
        ((MAX_PAGE + 1,), f"pages must be ints between 1 and {MAX_PAGE} inclusive"),
        (((5, 3),), "a range's start must not be after its end"),
        (((1, 2, 3),), "each span must be a (start, end) tuple of two ints"),
        (((1.0, 2),), f"pages must be ints between 1 and {MAX_PAGE} inclusive"),
        ((True,), "must be a page number, not a bool"),
        (("3",), "must be an int, a (start, end) tuple or a range"),
        ((range(1, 10, 2),), "a range must have step 1 and not be empty"),
        ((range(3, 3),), "a range must have step 1 and not be empty"),
        ((), "must contain at least one page"),
    ],
)
def test_of_rejects(items: tuple[object, ...], rule: str) -> None:
    with pytest.raises(OptionsError) as info:
        PageRange.of(*items)  # type: ignore[arg-type]
    assert [i.rule for i in info.value.issues] == [rule]


def test_of_reports_every_bad_item() -> None:
    with pytest.raises(OptionsError) as info:
        PageRange.of(0, (5, 3), 2, "x")  # type: ignore[arg-type]
    assert len(info.value.issues) == 3


def test_iteration_count_bounds_and_membership() -> None:
    r = PageRange.parse("2-4,9")
    assert list(r) == [2, 3, 4, 9]
    assert r.count() == 4
    assert (r.min_page, r.max_page) == (2, 9)
    assert 3 in r
    assert 9 in r
    assert 1 not in r
    assert 5 not in r
    assert 10 not in r
    assert "3" not in r
    assert True not in r


def test_huge_range_is_never_materialised() -> None:
    r = PageRange.parse("1-2147483647")
    assert r.count() == MAX_PAGE
    it = iter(r)
    assert [next(it) for _ in range(3)] == [1, 2, 3]
    assert MAX_PAGE in r


def test_value_semantics() -> None:
    a = PageRange.parse("1-3,5")
    b = PageRange.of((1, 3), 5)
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert repr(a) == "PageRange('1-3,5')"
    with pytest.raises(AttributeError):
        a.spans = ()  # type: ignore[misc]


def test_repr_of_long_range_is_short() -> None:
    r = PageRange.of(*range(1, 2000, 2))
    assert len(repr(r)) < 100


@pytest.mark.parametrize(
    ("text", "page_count", "rule"),
    [
        ("1-3", 2, "page 3 is beyond the last page of the document (2)"),
        ("1,5-9", 6, "page 7 is beyond the last page of the document (6)"),
        ("8-9", 5, "page 8 is beyond the last page of the document (5)"),
    ],
)
def test_check_within_rejects(text: str, page_count: int, rule: str) -> None:
    with pytest.raises(OptionsError) as info:
        PageRange.parse(text).check_within(page_count)
    assert info.value.issues[0].field == "pageRange"
    assert info.value.issues[0].rule == rule


def test_check_within_accepts_exact_bound() -> None:
    PageRange.parse("1-3").check_within(3)
    PageRange.parse("1-3").check_within(40)


def test_hostile_inputs_fail_fast_and_cleanly() -> None:
    for text in (",", "," * 1_000_000, "1" * 1_000_000, "9" * 5000, "1-" + "9" * 100_000):
        err = parse_error(text)
        assert len(str(err)) < 500
    r = PageRange.parse(",".join(["1"] * 200_000))
    assert str(r) == "1"


# ----------------------------------------------------------------------------------------------- properties

pages = st.integers(min_value=1, max_value=MAX_PAGE)
spans = st.tuples(pages, pages).map(lambda t: (min(t), max(t)))


@given(st.lists(st.one_of(pages, spans), min_size=1, max_size=30))
def test_roundtrip_through_canonical_form(items: list[int | tuple[int, int]]) -> None:
    r = PageRange.of(*items)
    text = str(r)
    assert WIRE.match(text)
    assert PageRange.parse(text) == r
    # Canonical spans are sorted, disjoint and non-adjacent.
    for (_, end), (start, _) in zip(r.spans, r.spans[1:], strict=False):
        assert start > end + 1


@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 5)), min_size=1, max_size=20))
def test_set_semantics_match_a_reference(items: list[tuple[int, int]]) -> None:
    expected: set[int] = set()
    parts = []
    for start, width in items:
        expected.update(range(start, start + width + 1))
        parts.append(f"{start}-{start + width}" if width else str(start))
    r = PageRange.parse(" , ".join(parts))
    assert list(r) == sorted(expected)
    assert r.count() == len(expected)


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_options_error(text: str) -> None:
    try:
        result: PageRange | OptionsError = PageRange.parse(text)
    except OptionsError as err:
        result = err
    if isinstance(result, OptionsError):
        assert result.issues
        assert all(i.field == "pageRange" for i in result.issues)
    else:
        assert WIRE.match(str(result))


@given(st.text(alphabet="0123456789-, \t", max_size=40))
def test_grammar_alphabet_text_raises_only_options_error(text: str) -> None:
    try:
        result: PageRange | OptionsError = PageRange.parse(text)
    except OptionsError as err:
        result = err
    if isinstance(result, OptionsError):
        caret = result.issues[0].caret
        assert caret is None or caret.endswith("^")
    else:
        assert WIRE.match(str(result))
        assert PageRange.parse(str(result)) == result
