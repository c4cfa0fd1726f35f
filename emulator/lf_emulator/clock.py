"""The emulator's clock: real time plus an offset that tests push forward with ``advance``.

Task progress, task and token expiry, link expiry and rate-limit windows all read this clock, so
``advance(900)`` expires a finished task at once. Waiting (long-poll, slow downloads) still uses real time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

__all__ = ["Clock"]


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._wall_base = time.time()
        self._mono_base = time.monotonic()

    def now(self) -> float:
        """Seconds on a monotonic scale (only differences mean anything)."""
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"advance(seconds={seconds!r}): the clock only moves forward")
        with self._lock:
            self._offset += seconds

    def wall(self, at: float | None = None) -> datetime:
        """UTC wall time of the monotonic reading ``at`` (default now)."""
        moment = self.now() if at is None else at
        return datetime.fromtimestamp(self._wall_base + (moment - self._mono_base), UTC)

    def epoch(self, at: float | None = None) -> float:
        """Unix time of the monotonic reading ``at`` (default now)."""
        moment = self.now() if at is None else at
        return self._wall_base + (moment - self._mono_base)
