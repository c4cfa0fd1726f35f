"""Chaos-suite fixtures: every test here is marked `chaos` and runs under a leak guard.

The leak guard captures every log record at DEBUG while the test runs (lf_export, httpx, the emulator,
stamina, uvicorn, httpcore's header traces) plus any text a test hands it (exception messages, CLI output),
and fails the test if a bearer token or a download link's signature appears anywhere in them. After every test
that used an emulator fixture, the guard also checks that the emulator's download origin never saw an
Authorization header.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from lf_emulator.config import DEFAULT_TOKEN
from lf_emulator.testing import EmulatorServer
from lf_export import redact_http_logs

from ._support import secrets_in

#: Substrings that only a leaked credential would produce: the emulator's static token and the signature
#: parameter of emulator download links (tests add their own tokens and signatures).
ALWAYS_SECRET = (DEFAULT_TOKEN, "sig=")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.chaos)


class LeakGuard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.texts: list[str] = []
        self.secrets: list[str] = list(ALWAYS_SECRET)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(f"{record.name}: {record.getMessage()}")
            if record.exc_info and record.exc_info[1] is not None:
                self.lines.append(f"{record.name}: {record.exc_info[1]!s}")
        except Exception:  # a broken log call must not hide behind the guard
            self.lines.append(f"{record.name}: <unformattable {record.msg!r}>")

    def add_secret(self, *values: str) -> None:
        self.secrets.extend(v for v in values if v)

    def check(self) -> list[tuple[str, str]]:
        return secrets_in([*self.lines, *self.texts], self.secrets)


@pytest.fixture(autouse=True)
def leak_guard(request: pytest.FixtureRequest) -> Iterator[LeakGuard]:
    guard = LeakGuard()
    emulators: list[EmulatorServer] = [
        request.getfixturevalue(name)
        for name in ("emulator", "emulator_session")
        if name in request.fixturenames
    ]
    root = logging.getLogger()
    names = ("lf_export", "httpx", "httpcore", "lf_emulator", "uvicorn", "stamina")
    old_levels = {name: logging.getLogger(name).level for name in names}
    old_root = root.level
    root.addHandler(guard)
    root.setLevel(logging.DEBUG)
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    # httpx logs full URLs (a download link's signature included) unless the application opts in to
    # redaction, as the CLI does: these tests log httpx at DEBUG, so they opt in too.
    redact_http_logs()
    try:
        yield guard
    finally:
        redact_http_logs(False)
        root.removeHandler(guard)
        root.setLevel(old_root)
        for name, level in old_levels.items():
            logging.getLogger(name).setLevel(level)
    leaks = guard.check()
    assert not leaks, f"credentials leaked into logs/messages: {leaks[:5]}"
    # Across the whole suite: the emulator's download origin never received an Authorization header.
    for emu in emulators:
        assert emu.counters()["download_auth_headers"] == 0
