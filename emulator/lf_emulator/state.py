"""Everything one emulator instance remembers: tokens, tasks, links, faults, counters, the clock.

Shared by the API server, the download server and the Python test handle (other threads), so every
mutation takes a lock.
"""

from __future__ import annotations

import collections
import math
import secrets
import threading
from typing import Any, Literal

from lf_emulator.clock import Clock
from lf_emulator.config import EmulatorConfig
from lf_emulator.faults import FaultInjector, FaultProfile
from lf_emulator.links import LinkStore
from lf_emulator.repository import Repository
from lf_emulator.samples import SAMPLE_DOCUMENTS, build_sample_repository
from lf_emulator.synthetic import SYNTHETIC_ROOT_ID, synthetic_entries
from lf_emulator.tasks import TaskStore

__all__ = ["EmulatorState", "RateLimiter", "TokenStore"]

TokenCheck = Literal["ok", "unknown", "expired"]


class TokenStore:
    """Static tokens (never expire) and issued ones (expire on the emulator clock)."""

    def __init__(self, clock: Clock, static: tuple[str, ...]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._static = set(static)
        self._issued: dict[str, float] = {}

    def issue(self, lifetime_seconds: float) -> str:
        if lifetime_seconds <= 0:
            raise ValueError(f"issue_token(lifetime_seconds={lifetime_seconds!r}): must be > 0")
        token = "lfe-" + secrets.token_urlsafe(24)
        with self._lock:
            self._issued[token] = self._clock.now() + lifetime_seconds
        return token

    def check(self, token: str) -> TokenCheck:
        if token in self._static:
            return "ok"
        with self._lock:
            expires = self._issued.get(token)
        if expires is None:
            return "unknown"
        return "ok" if self._clock.now() < expires else "expired"


class RateLimiter:
    """Per-token sliding window on the emulator clock: ``per_minute`` calls a minute, counted over
    ``window`` seconds (``max(1, floor(per_minute * window / 60))`` calls per window)."""

    def __init__(self, clock: Clock, per_minute: int, window: float = 60.0) -> None:
        self._clock = clock
        self.per_minute = per_minute
        self.window = window
        self.budget = max(1, math.floor(per_minute * window / 60.0))
        self.refused = 0
        self._lock = threading.Lock()
        self._calls: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)

    def admit(self, token: str) -> int:
        """0 when the call may proceed, else the seconds to wait (for Retry-After, at least 1)."""
        if self.per_minute <= 0:
            return 0
        now = self._clock.now()
        with self._lock:
            calls = self._calls[token]
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.budget:
                self.refused += 1
                return max(1, math.ceil(calls[0] + self.window - now))
            calls.append(now)
            return 0

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
            self.refused = 0


class EmulatorState:
    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.clock = Clock()
        self.repository: Repository = build_sample_repository(
            config.repository_id, large_edoc_bytes=config.large_edoc_bytes
        )
        self.documents = dict(SAMPLE_DOCUMENTS)
        if config.synthetic_entries:
            for entry in synthetic_entries(
                config.synthetic_entries, config.synthetic_seed, parent_id=self.repository.root_id
            ):
                self.repository.add(entry)
            self.documents["synthetic_folder"] = SYNTHETIC_ROOT_ID
        self.faults = FaultInjector(config.faults)
        self.tasks = TaskStore(
            self.clock,
            expiry_seconds=config.task_expiry_seconds,
            max_concurrent=config.max_concurrent_tasks,
            max_open_searches=config.max_open_searches,
        )
        self.links = LinkStore(self.clock, key=config.signing_key, lifetime=config.link_seconds)
        self.tokens = TokenStore(self.clock, config.tokens)
        self.rate = RateLimiter(self.clock, config.rate_limit_per_minute, config.rate_window_seconds)
        self.export_rate = RateLimiter(self.clock, config.export_calls_per_minute, config.rate_window_seconds)
        self.base_url = ""
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._requests: collections.Counter[str] = collections.Counter()
        self._statuses: collections.Counter[str] = collections.Counter()
        self._downloads = 0
        self._download_auth = 0
        self._long_polls = 0
        self._long_polls_released = 0
        self._token_requests = 0
        self._token_statuses: collections.Counter[str] = collections.Counter()

    # -- counters --------------------------------------------------------------------------------------

    def count_request(self, operation: str) -> None:
        with self._lock:
            self._requests[operation] += 1

    def count_status(self, operation: str, status: int) -> None:
        with self._lock:
            self._statuses[f"{operation} {status}"] += 1

    def count_download(self, authorization: bool) -> None:
        with self._lock:
            self._downloads += 1
            self._download_auth += int(authorization)

    def count_long_poll(self, released_by_change: bool) -> None:
        with self._lock:
            self._long_polls += 1
            self._long_polls_released += int(released_by_change)

    def count_token_request(self, status: int) -> None:
        """One request to the Cloud sign-in endpoint, and its answer's status."""
        with self._lock:
            self._token_requests += 1
            self._token_statuses[str(status)] += 1

    def counters(self) -> dict[str, Any]:
        """A JSON-ready snapshot of every counter."""
        with self._lock:
            return {
                "requests": dict(self._requests),
                "responses": dict(self._statuses),
                "downloads": self._downloads,
                "download_auth_headers": self._download_auth,
                "long_polls": self._long_polls,
                "long_polls_released_by_change": self._long_polls_released,
                "token_requests": self._token_requests,
                "token_responses": dict(self._token_statuses),
                "tasks_started": self.tasks.started,
                "tasks_cancelled": self.tasks.cancelled,
                "concurrent_tasks_high_water": self.tasks.high_water,
                "concurrent_tasks_high_water_per_token": self.tasks.high_water_per_token,
                "faults_injected": self.faults.injected_counts(),
                "rate_limited": {"calls": self.rate.refused, "export_calls": self.export_rate.refused},
            }

    # -- controls --------------------------------------------------------------------------------------

    def set_faults(self, profile: FaultProfile) -> None:
        self.faults.set_profile(profile)

    def advance_clock(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.tasks.notify()

    def reset(self) -> None:
        """Forget tasks and counters and restore the configured fault profile (the clock keeps its offset)."""
        self.tasks.clear()
        self.tasks.started = self.tasks.cancelled = self.tasks.high_water = (
            self.tasks.high_water_per_token
        ) = 0
        self.rate.clear()
        self.export_rate.clear()
        self.faults.set_profile(self.config.faults)
        self.faults.clear_counts()
        with self._lock:
            self._requests.clear()
            self._statuses.clear()
            self._downloads = self._download_auth = self._long_polls = self._long_polls_released = 0
            self._token_requests = 0
            self._token_statuses.clear()
        self.tasks.notify()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def settle(self) -> None:
        """Apply every copy and delete step due by the clock (call before reading the tree)."""
        self.tasks.settle()

    def tree(self) -> list[tuple[str, str, int | None, str, tuple[int, ...]]]:
        """The tree as it is now (after settling): see ``Repository.snapshot``."""
        self.settle()
        return self.repository.snapshot()

    def stop(self) -> None:
        self._stopping.set()
        self.tasks.notify()

    def snapshot(self) -> dict[str, Any]:
        return {
            "repository_id": self.config.repository_id,
            "base_url": self.base_url,
            "links_url": self.links.base_url,
            "config": self.config.summary(),
            "faults": self.faults.profile.to_dict(),
            "clock": {"now": self.clock.wall().isoformat()},
            "documents": self.documents,
            "counters": self.counters(),
        }
