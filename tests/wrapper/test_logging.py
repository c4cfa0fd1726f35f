"""Logging: our loggers never carry a credential; httpx/httpcore redaction is opt-in and reversible."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
from lf_export._logging import _FILTER, HTTP_LOGGERS, redact_http_logs

SIG = "SIG-0123456789abcdef"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def captured() -> Iterator[Capture]:
    """A handler on httpx and httpcore.http11, the loggers restored afterwards (filters included)."""
    handler = Capture()
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore.http11")]
    saved = [(lg.level, lg.propagate, list(lg.filters)) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
        lg.propagate = False
    try:
        yield handler
    finally:
        for lg, (level, propagate, filters) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
            lg.propagate = propagate
            lg.filters[:] = filters


def _log_a_download() -> None:
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"',
        "GET",
        f"https://u:pw@h.example/f.pdf?sig={SIG}",
        "HTTP/1.1",
        302,
        "Found",
    )
    logging.getLogger("httpcore.http11").debug(
        "receive_response_headers.complete return_value=%r",
        (b"HTTP/1.1", 302, b"Found", [(b"Location", f"/blob?sig={SIG}".encode())]),
    )
    logging.getLogger("httpx").debug("Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln")


def test_without_the_opt_in_the_records_are_untouched(captured: Capture) -> None:
    redact_http_logs(False)
    _log_a_download()
    assert any(SIG in line for line in captured.lines)


def test_redact_http_logs_rewrites_urls_and_tokens(captured: Capture) -> None:
    redact_http_logs()
    _log_a_download()
    assert captured.lines[0] == 'HTTP Request: GET https://h.example/f.pdf "HTTP/1.1 302 Found"'
    assert "(b'Location', b'/blob')" in captured.lines[1]
    assert captured.lines[2] == "Authorization: Bearer [redacted]"
    assert not [line for line in captured.lines if SIG in line or "pw@" in line or "eyJ" in line]


def test_redact_http_logs_is_idempotent_and_reversible(captured: Capture) -> None:
    redact_http_logs()
    redact_http_logs()
    for name in HTTP_LOGGERS:
        assert logging.getLogger(name).filters.count(_FILTER) == 1
    redact_http_logs(False)
    for name in HTTP_LOGGERS:
        assert _FILTER not in logging.getLogger(name).filters


def test_a_broken_log_call_elsewhere_is_left_to_logging(captured: Capture) -> None:
    redact_http_logs()
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "%d", ("not a number",), None)
    assert _FILTER.filter(record) is True


def test_importing_lf_export_changes_no_other_logger() -> None:
    code = (
        "import logging\n"
        "names = ('httpx', 'httpcore', 'httpcore.http11', 'stamina', '')\n"
        "state = lambda: {n: (list(logging.getLogger(n).filters), list(logging.getLogger(n).handlers),"
        " logging.getLogger(n).level) for n in names}\n"
        "before = state()\n"
        "import lf_export, lf_export._transport, lf_export._logging, lf_export._cloud, lf_export._download\n"
        "assert state() == before, (before, state())\n"
        "ours = logging.getLogger('lf_export').handlers\n"
        "assert [type(h).__name__ for h in ours] == ['NullHandler'], ours\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
