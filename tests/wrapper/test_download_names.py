"""File names from hostile servers: Content-Disposition parsing and safe_filename."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lf_export._filenames import filename_from_content_disposition, filename_from_url, safe_filename

DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL"} | {f"{b}{n}" for b in ("COM", "LPT") for n in range(1, 10)}


def assert_safe(name: str, max_length: int = 200) -> None:
    assert name
    assert len(name.encode("utf-8")) <= max_length
    assert not set(name) & set('/\\<>:"|?*')
    assert ".." not in name
    assert not name.startswith((".", " "))
    assert not name.endswith((".", " "))
    assert all(ord(ch) >= 32 and not 0x7F <= ord(ch) <= 0x9F for ch in name)
    assert name.split(".")[0].rstrip(" ").upper() not in DEVICE_NAMES


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "_._etc_passwd"),
        ("..\\..\\windows\\system32", "_._windows_system32"),
        ("C:\\x", "C__x"),
        ("/etc/passwd", "_etc_passwd"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("LPT9.tar.gz", "_LPT9.tar.gz"),
        ("nul .pdf", "_nul .pdf"),
        ("COM10.txt", "COM10.txt"),  # not a device name
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("a\x00b\nc\x1fd\x7f.pdf", "a_b_c_d_.pdf"),
        (".bashrc", "bashrc"),
        ("report. . .", "report"),
        ('what?<is>"this"|*.pdf', "what__is__this___.pdf"),
        ("Contract (2).pdf", "Contract (2).pdf"),
        ("Résumé – 2024.pdf", "Résumé – 2024.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override dropped
        ("", "export"),
        ("...", "export"),
        ("///", "export"),
    ],
)
def test_safe_filename_hostile_names(hostile: str, expected: str) -> None:
    assert safe_filename(hostile) == expected
    assert_safe(safe_filename(hostile))


def test_safe_filename_caps_utf8_bytes_and_keeps_extension() -> None:
    long_ascii = safe_filename("a" * 300 + ".pdf")
    assert long_ascii == "a" * 196 + ".pdf"
    long_accents = safe_filename("é" * 300 + ".tiff")
    assert long_accents.endswith(".tiff")
    assert len(long_accents.encode("utf-8")) <= 200
    assert long_accents[:-5] == "é" * len(long_accents[:-5])  # cut at a character boundary
    assert safe_filename("x" * 50, max_length=10) == "x" * 10


def test_safe_filename_fallback_is_used_when_nothing_is_left() -> None:
    assert safe_filename("..", fallback="document") == "document"
    with pytest.raises(ValueError, match="max_length"):
        safe_filename("a", max_length=0)


@given(st.text(max_size=400), st.integers(min_value=8, max_value=255))
def test_safe_filename_always_safe(name: str, max_length: int) -> None:
    assert_safe(safe_filename(name, max_length=max_length), max_length)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("inline", None),
        ("attachment; filename=plain.pdf", "plain.pdf"),
        ('attachment; filename="with space; and semicolon.pdf"', "with space; and semicolon.pdf"),
        (r'attachment; filename="quote\"inside.pdf"', 'quote"inside.pdf'),
        ("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf; filename=resume.pdf", "résumé.pdf"),
        ("attachment; filename=resume.pdf; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", "résumé.pdf"),
        ("attachment; FILENAME*=utf-8'en'Caf%C3%A9.txt", "Café.txt"),
        ("attachment; filename*=ISO-8859-1''caf%E9.txt", "café.txt"),
        ("attachment; filename*=UTF-8''%2e%2e%2fx", "../x"),  # unsanitised here; safe_filename's job
        ("attachment; filename*=UTF-8''%FF%FE.pdf; filename=fallback.pdf", "fallback.pdf"),  # bad UTF-8
        ("attachment; filename*=gibberish; filename=fallback.pdf", "fallback.pdf"),
        ("attachment; filename*=KOI8-R''%C1.txt; filename=fallback.pdf", "fallback.pdf"),
        ('attachment; filename="unterminated.pdf', "unterminated.pdf"),
    ],
)
def test_filename_from_content_disposition(header: str | None, expected: str | None) -> None:
    assert filename_from_content_disposition(header) == expected


def test_hostile_content_disposition_becomes_a_safe_name() -> None:
    raw = filename_from_content_disposition("attachment; filename*=UTF-8''%2e%2e%2fx")
    assert raw is not None
    assert safe_filename(raw) == "_x"


@given(st.text(max_size=200))
def test_content_disposition_parser_never_crashes(header: str) -> None:
    result = filename_from_content_disposition(header)
    assert result is None or isinstance(result, str)


def test_filename_from_url_ignores_query() -> None:
    assert filename_from_url("https://store.example/a/b%20c.pdf?sig=secret#frag") == "b c.pdf"
    assert filename_from_url("https://store.example/") is None
    assert filename_from_url("https://store.example/dir/") == "dir"
