"""The text rules behind the options: emoji definition against the emoji data, UTF-16 length, whitespace."""

from __future__ import annotations

import emoji
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lf_export._text_rules import (
    find_emoji,
    find_file_name_violation,
    find_surrogate,
    is_dotnet_whitespace,
    utf16_len,
)

FULLY_QUALIFIED = sorted(
    k for k, v in emoji.EMOJI_DATA.items() if v["status"] == emoji.STATUS["fully_qualified"]
)
TEXT_DEFAULT = sorted(
    k for k, v in emoji.EMOJI_DATA.items() if len(k) == 1 and v["status"] == emoji.STATUS["unqualified"]
)


@given(st.sampled_from(FULLY_QUALIFIED), st.text(alphabet="abc ", max_size=5))
def test_every_fully_qualified_emoji_is_found(sequence: str, prefix: str) -> None:
    hit = find_emoji(prefix + sequence)
    assert hit is not None
    assert hit.index >= len(prefix)


@given(st.sampled_from(TEXT_DEFAULT))
def test_text_presentation_pictographs_alone_are_not_emoji(char: str) -> None:
    assert find_emoji(f"x {char} y") is None
    assert find_emoji(f"{char}\ufe0f") is not None  # ... but are with VS16


def test_text_default_list_contains_the_classic_cases() -> None:
    assert {"\u00a9", "\u00ae", "\u2122", "\u2194", "\u263a", "\u2764"} <= set(TEXT_DEFAULT)


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "\u4e2d\u6587",
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
        "a\u0301",
        "0123456789#*",
        "\u0915\u200d",
    ],
)
def test_non_emoji(text: str) -> None:
    assert find_emoji(text) is None


@pytest.mark.parametrize(
    ("text", "units"), [("", 0), ("abc", 3), ("\U0001f600", 2), ("\u4e2d", 1), ("\ud800", 1)]
)
def test_utf16_len(text: str, units: int) -> None:
    assert utf16_len(text) == units


@pytest.mark.parametrize(
    ("char", "white"),
    [
        (" ", True),
        ("\t", True),
        ("\u00a0", True),
        ("\u2028", True),
        ("\u0085", True),
        ("\u3000", True),
        ("\u200b", False),
        ("\x1c", False),
        ("x", False),
    ],
)
def test_dotnet_whitespace(char: str, white: bool) -> None:
    assert is_dotnet_whitespace(char) is white


def test_file_name_and_surrogate_finders() -> None:
    assert find_file_name_violation(", Page ") is None
    assert find_file_name_violation("ab|c") == 2
    assert find_file_name_violation("a\x7f") == 1
    assert find_surrogate("ok\udc80") == 2
    assert find_surrogate("\U0001f600") is None
