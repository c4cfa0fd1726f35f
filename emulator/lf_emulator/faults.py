"""Fault profiles: what goes wrong, how often, deterministically under a seed.

A :class:`FaultProfile` is a frozen value; :class:`FaultInjector` draws decisions from it. Every decision
comes from ``random.Random(f"{seed}:{stream}:{n}")`` where ``stream`` names the operation (or "Download",
"Task") and ``n`` counts decisions on that stream, so the same sequence of calls to one operation meets the
same faults whatever other operations run in between.

Request faults (API operations, optionally limited to ``operations``), drawn in this order from one number:
``p_reset_before`` (socket reset, nothing processed), ``p_429`` (429 + ``Retry-After``), ``p_5xx`` (one of
``statuses_5xx``, repeated for ``burst_length`` consecutive calls of that operation), ``p_reset_after``
(processed, side effects kept, then the socket is reset before any response byte). ``html_errors`` makes
injected 429/5xx bodies gateway HTML instead of ProblemDetails.

Download faults: ``download_delay_seconds`` per 64 KiB chunk, ``p_download_stall`` (half the body, then
silence for ``stall_seconds``), ``p_download_truncate`` (half the body under a full ``Content-Length``, then
a reset), ``hostile_filenames`` (Content-Disposition names with path separators).

Task faults, drawn once per started task: ``p_task_fail`` (ends Failed with a 500 ProblemDetails),
``p_task_hang`` (stays InProgress until cancelled), ``p_unknown_enum`` (taskType and non-final status
reported with values the spec's enums do not list).
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

__all__ = ["DownloadFault", "FaultInjector", "FaultProfile", "RequestFault", "TaskFault"]

_PROBABILITIES = (
    "p_429",
    "p_5xx",
    "p_reset_before",
    "p_reset_after",
    "p_download_stall",
    "p_download_truncate",
    "p_task_fail",
    "p_task_hang",
    "p_unknown_enum",
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class FaultProfile:
    """Probabilities (0..1) and shapes of injected faults. The default injects nothing."""

    seed: int = 0
    operations: tuple[str, ...] = ()
    p_429: float = 0.0
    retry_after_seconds: int = 1
    p_5xx: float = 0.0
    statuses_5xx: tuple[int, ...] = (500, 502, 503, 504)
    burst_length: int = 1
    html_errors: bool = False
    p_reset_before: float = 0.0
    p_reset_after: float = 0.0
    download_delay_seconds: float = 0.0
    p_download_stall: float = 0.0
    stall_seconds: float = 3600.0
    p_download_truncate: float = 0.0
    hostile_filenames: bool = False
    p_task_fail: float = 0.0
    p_task_hang: float = 0.0
    p_unknown_enum: float = 0.0

    def __post_init__(self) -> None:
        for name in _PROBABILITIES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"FaultProfile.{name}={value!r}: must be a probability in 0..1")
        total = self.p_reset_before + self.p_429 + self.p_5xx + self.p_reset_after
        if total > 1.0:
            raise ValueError(
                f"FaultProfile request fault probabilities sum to {total}: "
                "p_reset_before + p_429 + p_5xx + p_reset_after must be <= 1"
            )
        if self.p_task_fail + self.p_task_hang > 1.0:
            raise ValueError("FaultProfile: p_task_fail + p_task_hang must be <= 1")
        bad = [s for s in self.statuses_5xx if not 500 <= s <= 599]
        if bad or not self.statuses_5xx:
            raise ValueError(f"FaultProfile.statuses_5xx={self.statuses_5xx!r}: need one or more of 500..599")
        if self.burst_length < 1:
            raise ValueError(f"FaultProfile.burst_length={self.burst_length!r}: must be >= 1")
        if self.retry_after_seconds < 0:
            raise ValueError(f"FaultProfile.retry_after_seconds={self.retry_after_seconds!r}: must be >= 0")
        for name in ("download_delay_seconds", "stall_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"FaultProfile.{name}={getattr(self, name)!r}: must be >= 0")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultProfile:
        """Build a profile from JSON-like data; unknown keys are an error naming them."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"FaultProfile: unknown field(s) {unknown}; known fields are {sorted(known)}")
        values = dict(data)
        for name in ("operations", "statuses_5xx"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)

    @classmethod
    def from_file(cls, path: str | Path) -> FaultProfile:
        """Load a profile from a ``.json`` or ``.toml`` file."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a fault profile must be a JSON/TOML object")
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["operations"] = list(self.operations)
        data["statuses_5xx"] = list(self.statuses_5xx)
        return data


@dataclasses.dataclass(frozen=True)
class RequestFault:
    kind: Literal["reset_before", "429", "5xx", "reset_after"]
    status: int = 0
    html: bool = False
    retry_after: int = 0


@dataclasses.dataclass(frozen=True)
class DownloadFault:
    delay_per_chunk: float = 0.0
    stall_seconds: float = 0.0
    truncate: bool = False
    hostile_filename: bool = False


@dataclasses.dataclass(frozen=True)
class TaskFault:
    fail: bool = False
    hang: bool = False
    unknown_enum: bool = False


class FaultInjector:
    """Thread-safe decisions from the current profile; ``set_profile`` restarts every decision stream."""

    def __init__(self, profile: FaultProfile | None = None) -> None:
        self._lock = threading.Lock()
        self._profile = profile or FaultProfile()
        self._counters: dict[str, int] = {}
        self._bursts: dict[str, tuple[int, int]] = {}
        self.injected: dict[str, int] = {}

    @property
    def profile(self) -> FaultProfile:
        return self._profile

    def set_profile(self, profile: FaultProfile) -> None:
        with self._lock:
            self._profile = profile
            self._counters.clear()
            self._bursts.clear()

    def _rng(self, stream: str) -> random.Random:
        n = self._counters.get(stream, 0)
        self._counters[stream] = n + 1
        return random.Random(f"{self._profile.seed}:{stream}:{n}")

    def _count(self, kind: str) -> None:
        self.injected[kind] = self.injected.get(kind, 0) + 1

    def clear_counts(self) -> None:
        with self._lock:
            self.injected.clear()

    def injected_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.injected)

    def request(self, operation: str) -> RequestFault | None:
        """The fault (if any) for the next call of ``operation``."""
        with self._lock:
            p = self._profile
            if p.operations and operation not in p.operations:
                return None
            remaining, status = self._bursts.get(operation, (0, 0))
            if remaining > 0:
                self._bursts[operation] = (remaining - 1, status)
                self._count(f"http_{status}")
                return RequestFault("5xx", status=status, html=p.html_errors)
            rng = self._rng(operation)
            u = rng.random()
            edge = p.p_reset_before
            if u < edge:
                self._count("reset_before")
                return RequestFault("reset_before")
            edge += p.p_429
            if u < edge:
                self._count("http_429")
                return RequestFault("429", status=429, html=p.html_errors, retry_after=p.retry_after_seconds)
            edge += p.p_5xx
            if u < edge:
                status = rng.choice(p.statuses_5xx)
                self._bursts[operation] = (p.burst_length - 1, status)
                self._count(f"http_{status}")
                return RequestFault("5xx", status=status, html=p.html_errors)
            edge += p.p_reset_after
            if u < edge:
                self._count("reset_after")
                return RequestFault("reset_after")
            return None

    def download(self) -> DownloadFault:
        with self._lock:
            p = self._profile
            rng = self._rng("Download")
            u = rng.random()
            stall = u < p.p_download_stall
            truncate = not stall and u < p.p_download_stall + p.p_download_truncate
            if stall:
                self._count("download_stall")
            if truncate:
                self._count("download_truncate")
            if p.download_delay_seconds:
                self._count("download_slow")
            return DownloadFault(
                delay_per_chunk=p.download_delay_seconds,
                stall_seconds=p.stall_seconds if stall else 0.0,
                truncate=truncate,
                hostile_filename=p.hostile_filenames,
            )

    def task(self) -> TaskFault:
        with self._lock:
            p = self._profile
            rng = self._rng("Task")
            u = rng.random()
            fail = u < p.p_task_fail
            hang = not fail and u < p.p_task_fail + p.p_task_hang
            unknown = rng.random() < p.p_unknown_enum
            for flag, kind in ((fail, "task_fail"), (hang, "task_hang"), (unknown, "unknown_enum")):
                if flag:
                    self._count(kind)
            return TaskFault(fail=fail, hang=hang, unknown_enum=unknown)
