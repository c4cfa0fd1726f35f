"""One place for redaction (`_redact`): URLs, free text, messages; the old import paths still work."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lf_export import _logging, _redact, _responses
from lf_export._logging import is_secret_link, secret_link
from lf_export._redact import redact_link, redact_text, redact_url, scrub


@pytest.mark.parametrize("module", [_redact, _responses, _logging])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_old_import_paths_are_the_same_functions() -> None:
    from lf_export._errors import redact_url as from_errors
    from lf_export._logging import redact_text as from_logging
    from lf_export._responses import error_from_response, parse_retry_after

    assert from_errors is redact_url
    assert from_logging is redact_text
    assert error_from_response is _responses.error_from_response
    assert parse_retry_after is _responses.parse_retry_after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET https://h.example/a.pdf?sig=S&x=1 done", "GET https://h.example/a.pdf done"),
        (
            "b'https://h.example/a?sig=S' and b\"http://h/b#frag\"",
            "b'https://h.example/a' and b\"http://h/b\"",
        ),
        ("Location: /blob?sig=S", "Location: /blob"),
        ("(b'Location', b'/blob?sig=S')", "(b'Location', b'/blob')"),
        ("ftp://user:pw@h.example/x", "ftp://h.example/x"),
        ("see https://[::1]:8443/p?t=S.", "see https://[::1]:8443/p"),
        ("bearer abc.def-ghi_jkl~+/== and BEARER xyz", "bearer [redacted] and BEARER [redacted]"),
        ("a path /plain/no/query stays", "a path /plain/no/query stays"),
        (
            "two https://a.example/1?s=1 https://b.example/2?s=2",
            "two https://a.example/1 https://b.example/2",
        ),
    ],
)
def test_redact_text(text: str, expected: str) -> None:
    assert redact_text(text) == expected


def test_scrub_is_one_bounded_line() -> None:
    assert scrub("a\nb\tc\x00d") == "a b c d"
    long = scrub("x" * 500, 50)
    assert len(long) == 50
    assert long.endswith("…")
    assert scrub("Bearer SECRET https://h/p?q=SECRET") == "Bearer [redacted] https://h/p"


@given(
    host=st.from_regex(r"[a-z]{1,10}\.example", fullmatch=True),
    path=st.from_regex(r"(/[A-Za-z0-9._-]{0,8}){0,3}", fullmatch=True),
    secret=st.from_regex(r"[A-Za-z0-9]{8,20}", fullmatch=True),
    prefix=st.sampled_from(["", "GET ", "b'", "url=", "(", " Location: "]),
)
def test_no_query_survives(host: str, path: str, secret: str, prefix: str) -> None:
    url = f"https://{host}{path}?sig=SIG{secret}&x=1#SIG{secret}"
    assert "SIG" not in redact_text(f"{prefix}{url}'")
    assert "SIG" not in scrub(f"{prefix}{url}")
    assert "SIG" not in redact_url(url)
    assert "SIG" not in redact_text(f"{prefix}{path or '/'}?sig=SIG{secret}")


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        (
            "http://127.0.0.1:8080/d/0123456789abcdef/Invoice%201001.pdf?exp=1&sig=abc",
            "http://127.0.0.1:8080/…/Invoice 1001.pdf",
        ),
        ("https://u:pw@store.example.com/a/b/c/report.pdf#x", "https://store.example.com/…/report.pdf"),
        ("https://store.example.com/report.pdf?sig=abc", "https://store.example.com/report.pdf"),
        ("https://store.example.com/?sig=abc", "https://store.example.com"),
        ("/d/secret/name.tif?sig=1", "…/name.tif"),
    ],
)
def test_redact_link_keeps_the_host_and_the_file_name_only(link: str, shown: str) -> None:
    assert redact_link(link) == shown
    assert redact_link(shown) == shown  # idempotent: a DownloadError survives pickling unchanged


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#"), min_size=8).map(str.strip))
def test_redact_link_never_shows_a_middle_segment(secret: str) -> None:
    if not secret or secret in ("…", ".", ".."):
        return
    shown = redact_link(f"https://h.example/d/{secret}/file.pdf?sig=x")
    assert shown == "https://h.example/…/file.pdf"


def test_secret_link_reduces_that_link_in_free_text_while_it_is_fetched() -> None:
    link = "http://127.0.0.1:9/d/0123456789abcdef/Invoice%201001.pdf?exp=1&sig=abc"
    line = f'HTTP Request: GET {link} "HTTP/1.1 200 OK"'
    api = "GET http://127.0.0.1:9/repository/v2/Repositories/r-1/Entries/10"
    with secret_link(link):
        assert (
            redact_text(line, is_secret_link)
            == 'HTTP Request: GET http://127.0.0.1:9/…/Invoice 1001.pdf "HTTP/1.1 200 OK"'
        )
        assert redact_text(api, is_secret_link) == api  # other URLs keep their path
        with secret_link(link):  # two downloads of the same link
            pass
        assert "0123456789abcdef" not in redact_text(line, is_secret_link)
    assert (
        redact_text(line, is_secret_link)
        == 'HTTP Request: GET http://127.0.0.1:9/d/0123456789abcdef/Invoice%201001.pdf "HTTP/1.1 200 OK"'
    )
