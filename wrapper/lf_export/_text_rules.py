"""Text rules shared by the export options: UTF-16 length, .NET whitespace, emoji, file-name characters.

The server is a .NET service: it measures strings in UTF-16 code units (a character outside the Basic
Multilingual Plane, such as most emoji or CJK Extension B ideographs, counts 2) and calls a character
whitespace when `char.IsWhiteSpace` says so. These helpers reproduce both, and decide what counts as emoji.

What counts as emoji (the watermark rule). A text contains emoji when any code point in it is:

* VARIATION SELECTOR-16 (U+FE0F), which requests emoji presentation of the character before it, so `©️`
  (U+00A9 U+FE0F) is emoji while `©` alone is not;
* a character whose default presentation is emoji (Unicode `Emoji_Presentation=Yes`, e.g. 😀 ⌚ 🔥), read
  from the `emoji` package's data (a single code point that is "fully-qualified" without U+FE0F) — even
  when followed by VARIATION SELECTOR-15, since the server's check is not presentation-aware;
* an emoji component used only in emoji sequences: skin-tone modifiers U+1F3FB..U+1F3FF, hair components
  U+1F9B0..U+1F9B3, regional indicators U+1F1E6..U+1F1FF (flags, even a lone one), the combining enclosing
  keycap U+20E3 (`1⃣`, `#️⃣`) and tag characters U+E0020..U+E007F (subdivision flags);
* ZERO WIDTH JOINER (U+200D) next to a pictograph from the emoji data (a ZWJ sequence such as 👨‍👩‍👧). A ZWJ
  between letters (Arabic, Indic scripts) is not emoji.

Text-presentation pictographs alone (© ® ™ ↔ ☺ ❤ ‼ and the like, without U+FE0F), digits, CJK, Arabic and
combining marks are not emoji.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = [
    "FILE_NAME_FORBIDDEN",
    "MAX_INT32",
    "EmojiHit",
    "describe_char",
    "find_emoji",
    "find_file_name_violation",
    "find_surrogate",
    "is_dotnet_whitespace",
    "utf16_len",
]

MAX_INT32 = 2_147_483_647
FILE_NAME_FORBIDDEN = '<>:"/\\|?*'

_VS16 = 0xFE0F
_ZWJ = 0x200D
_KEYCAP = 0x20E3


@functools.cache
def _emoji_data() -> tuple[Mapping[str, Any], frozenset[object]]:
    """The `emoji` package's data, loaded on first use (~15 ms at import; most exports never need it)."""
    import emoji

    return emoji.EMOJI_DATA, frozenset((emoji.STATUS["fully_qualified"], emoji.STATUS["component"]))


_DOTNET_EXTRA_WHITESPACE = frozenset("\t\n\x0b\x0c\r\x85\xa0")


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, as .NET's `string.Length` counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def is_dotnet_whitespace(ch: str) -> bool:
    """True when .NET's `char.IsWhiteSpace` is true: categories Zs, Zl, Zp, and TAB..CR, NEL, NBSP."""
    return ch in _DOTNET_EXTRA_WHITESPACE or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def describe_char(ch: str) -> str:
    """`'a' (U+0061)`: a one-line, escaped description of a character or short sequence."""
    points = " ".join(f"U+{ord(c):04X}" for c in ch)
    return f"{ch!r} ({points})"


def find_surrogate(text: str) -> int | None:
    """Index of the first surrogate code point (U+D800..U+DFFF), or None.

    A Python string can hold surrogates (from `surrogateescape` decoding or a split pair); JSON would send
    them as `\\udXXX` escapes that the server would read as a different character or reject.
    """
    for i, ch in enumerate(text):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return i
    return None


def _is_emoji_point(cp: int, ch: str) -> bool:
    if cp < 0xA9:  # fast path: nothing below © is emoji on its own (keycaps are caught by U+20E3/U+FE0F)
        return False
    if cp in (_VS16, _KEYCAP) or 0x1F1E6 <= cp <= 0x1F1FF or 0xE0020 <= cp <= 0xE007F:
        return True
    table, statuses = _emoji_data()
    data = table.get(ch)
    return data is not None and data.get("status") in statuses


def _is_pictograph(ch: str) -> bool:
    return ord(ch) >= 0xA9 and ch in _emoji_data()[0]


@attrs.frozen
class EmojiHit:
    """Where emoji was found: `index` (code-point index of the sequence's start) and the `sequence`."""

    index: int
    sequence: str


def find_emoji(text: str) -> EmojiHit | None:
    """The first emoji in `text` by the rule in this module's docstring, or None.

    >>> find_emoji("© 2024") is None, find_emoji("ok 👍🏽").sequence
    (True, '👍🏽')
    """
    n = len(text)
    for i, ch in enumerate(text):
        cp = ord(ch)
        hit = _is_emoji_point(cp, ch)
        if not hit and cp == _ZWJ:
            hit = (i > 0 and _is_pictograph(text[i - 1])) or (i + 1 < n and _is_pictograph(text[i + 1]))
        if hit:
            start, end = _sequence_at(text, i)
            return EmojiHit(start, text[start:end])
    return None


def _sequence_at(text: str, index: int) -> tuple[int, int]:
    """Bounds of the emoji sequence (as the `emoji` package segments it) covering `index`.

    Outside any sequence it knows: a ZWJ with its neighbours, VS16 or a keycap with its base, else the
    lone code point.
    """
    import emoji  # loaded already: `_emoji_data()` found an emoji before this is asked

    lo = max(0, index - 40)
    window = text[lo : index + 40]
    for match in emoji.emoji_list(window):
        start, end = match["match_start"] + lo, match["match_end"] + lo
        if start <= index < end:
            return start, end
    cp = ord(text[index])
    if cp == _ZWJ:
        return max(0, index - 1), min(len(text), index + 2)
    if index > 0 and cp in (_VS16, _KEYCAP):
        return index - 1, index + 1
    return index, index + 1


def find_file_name_violation(text: str) -> int | None:
    """Index of the first character not allowed in a file name on Windows, macOS or Linux, or None.

    Forbidden: `< > : " / \\ | ? *`, control characters (Unicode category Cc: U+0000..U+001F, U+007F,
    U+0080..U+009F) and surrogate code points.
    """
    for i, ch in enumerate(text):
        if ch in FILE_NAME_FORBIDDEN:
            return i
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs"):
            return i
    return None
