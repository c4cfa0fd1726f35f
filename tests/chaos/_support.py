"""Helpers for the chaos suite: an emulator in a child process, request recording, secret scanning.

The soak runs the emulator in its own process (``python -m lf_emulator --json``) so that the RSS of the test
process measures the client alone. Admin endpoints (``/_emulator/state``, ``/_emulator/faults``,
``/_emulator/reset``) drive and read it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import httpx
import psutil

#: Small: part of `make test` (well under a minute). Large: `make chaos` (the 200-document soak).
SIZE = os.environ.get("LF_CHAOS_SIZE", "small").strip().lower()
LARGE = SIZE == "large"


@dataclass
class Sent:
    at: float  # time.monotonic() when the request went out
    method: str
    path: str
    operation: str


@dataclass
class RequestLog:
    """Every HTTP request the client really sent (each retry attempt too), API and download origin."""

    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: httpx.Request) -> None:
        path = request.url.path
        if "/Tasks" in path:
            operation = "CancelTasks" if request.method == "DELETE" else "ListTasks"
        elif path.endswith("/ExportAsync"):
            operation = "StartExportEntry"
        elif path.endswith("/Export"):
            operation = "ExportEntry"
        elif path.startswith("/d/"):
            operation = "Download"
        else:
            operation = "Other"
        with self.lock:
            self.sent.append(Sent(time.monotonic(), request.method, path, operation))


class RecordingTransport(httpx.HTTPTransport):
    def __init__(self, log: RequestLog, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._log = log

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._log.record(request)
        return super().handle_request(request)


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, log: RequestLog, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._log = log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._log.record(request)
        return await super().handle_async_request(request)


class PeakRss:
    """Samples this process's RSS every `interval` seconds in a thread; `peak` and `baseline` in bytes."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self._proc = psutil.Process()
        self.baseline = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-rss", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __enter__(self) -> Self:
        self.baseline = self.peak = self._proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


def secrets_in(texts: Iterable[str], secrets: Iterable[str]) -> list[tuple[str, str]]:
    """(secret, text) pairs where a secret occurs in a text."""
    wanted = [s for s in secrets if s]
    return [(s, t) for t in texts for s in wanted if s in t]


def link_secrets(link: str) -> list[str]:
    """The credential parts of a download link: its query string and each of its values."""
    query = httpx.URL(link).query.decode()
    return [query, *(v for _, v in httpx.QueryParams(query).multi_items())] if query else []


def partial_files(folder: Path) -> list[Path]:
    """Temp files a download left behind (``.<name>.<random>.part``)."""
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith("."))
