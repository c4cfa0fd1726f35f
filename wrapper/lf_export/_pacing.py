"""Pacing under the server's limits, decided without I/O: token buckets per limit, an adaptive rate, the cap
on long operations in flight. Nothing here reads a clock, sleeps or locks: the driver-side holder
(`_transport.RateGate`) passes clock readings in, holds the lock, and sleeps what `PaceState.admit` says.

Limits (`Pacing`; Laserfiche Cloud publishes about 30 export calls a minute, 100 calls a minute, and about
one long operation per access token):

* **all calls** (`calls_per_minute`) and **export calls** (`export_calls_per_minute`: POST ``…/Export`` and
  ``…/ExportAsync``) are each a token bucket, kept as its next free send time (GCRA): a request waits
  ``max(0, next_free - (burst - 1) * interval - now)``, and then books ``interval = 60 / rate`` seconds. An
  export call passes both buckets (the longer wait wins). Token-endpoint requests are not paced.
* **rate**: each bucket starts at its ceiling, ``utilization * limit`` (0.95 by default: a little slack for
  clock and network jitter against a server counting a sliding minute). With `adaptive`, a 429 halves the
  rate of the bucket the request answered to most specifically (export calls for an export, all calls
  otherwise), at most once per ``max(interval, Retry-After)`` so that a burst of 429s to requests already
  in flight counts once, never below ``FLOOR * ceiling`` (10 %); while requests keep flowing without a 429
  the rate grows back by ``RECOVERY * ceiling`` (10 %) per minute of sending (idle time does not count).
  A `Retry-After` closes every bucket until then (nobody sends before the server's time).
* **long operations** (`max_concurrent_operations`): a request that starts one (ExportAsync, CopyAsync,
  DeleteEntry) while that many task ids are held in the client's `TaskLedger` is refused at once, as the
  server would refuse it (429), without being sent; `export_many` then waits for a running task to end.
* **task-id expiry**: an ended task's id is listable for `TASK_EXPIRY_SECONDS` (15 min), so never have more
  tasks in flight than can be downloaded within that time after they all end together:
  ``in flight * mean download seconds <= EXPIRY_SAFETY * 15 min`` (`expiry_cap`). Once downloads are
  measured (`PaceState.downloaded`), that cap joins `max_concurrent_operations` in the refusal above.
* A deadline wins: `admit` answers `TOO_LATE` instead of a wait that would end past it, and books nothing.
"""

from __future__ import annotations

import enum
import math
import re
from typing import Literal

import attrs

__all__ = [
    "AUTO",
    "CLOUD_CALLS_PER_MINUTE",
    "CLOUD_EXPORT_CALLS_PER_MINUTE",
    "CLOUD_MAX_CONCURRENT_OPERATIONS",
    "TASK_EXPIRY_SECONDS",
    "Admission",
    "Bucket",
    "CallKind",
    "PaceState",
    "Pacing",
    "PacingSetting",
    "Verdict",
    "classify",
    "expiry_cap",
    "is_cloud_host",
    "resolve_pacing",
]

CLOUD_EXPORT_CALLS_PER_MINUTE = 30
CLOUD_CALLS_PER_MINUTE = 100
CLOUD_MAX_CONCURRENT_OPERATIONS = 1
#: How long the server keeps an ended task listable (its result link with it).
TASK_EXPIRY_SECONDS = 900.0
#: Share of `TASK_EXPIRY_SECONDS` the downloads of all tasks in flight may take (the rest is margin).
EXPIRY_SAFETY = 0.5
FLOOR = 0.1
RECOVERY = 0.1
DECREASE = 0.5
#: Weight of the newest download in the running mean of download seconds.
DOWNLOAD_WEIGHT = 0.2

AUTO: Literal["auto"] = "auto"


def _limit(_inst: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"Pacing.{attribute.name} must be a number > 0, or None for no limit; got {value!r}")


def _operations(_inst: object, _attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"Pacing.max_concurrent_operations must be an int >= 1, or None; got {value!r}")


def _utilization(_inst: object, _attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 < value <= 1:
        raise ValueError(f"Pacing.utilization must be in (0, 1]; got {value!r}")


@attrs.frozen(kw_only=True)
class Pacing:
    """How a client paces its requests under the server's limits (the rules: `lf_export._pacing`).

    Limits are per minute; None means no limit of that kind. `utilization` is the share of each limit aimed
    at; `burst` how many calls may go back to back after an idle spell; `adaptive` slows down on 429s and
    speeds up again slowly. The client default ``pacing="auto"`` is `Pacing.cloud()` for Laserfiche Cloud
    hosts (``api.…laserfiche.<tld>``) and `Pacing.off()` elsewhere.

    Examples:
        >>> Pacing.cloud()  # doctest: +ELLIPSIS
        Pacing(export_calls_per_minute=30, calls_per_minute=100, max_concurrent_operations=1, ...)
        >>> attrs.evolve(Pacing.cloud(), max_concurrent_operations=2).max_concurrent_operations
        2
    """

    export_calls_per_minute: float | None = attrs.field(default=None, validator=_limit)
    calls_per_minute: float | None = attrs.field(default=None, validator=_limit)
    max_concurrent_operations: int | None = attrs.field(default=None, validator=_operations)
    adaptive: bool = True
    utilization: float = attrs.field(default=0.95, validator=_utilization)
    burst: int = attrs.field(default=1, validator=attrs.validators.ge(1))

    @classmethod
    def cloud(cls) -> Pacing:
        """Laserfiche Cloud's published limits: 30 export calls, 100 calls a minute, one long operation."""
        return cls(
            export_calls_per_minute=CLOUD_EXPORT_CALLS_PER_MINUTE,
            calls_per_minute=CLOUD_CALLS_PER_MINUTE,
            max_concurrent_operations=CLOUD_MAX_CONCURRENT_OPERATIONS,
        )

    @classmethod
    def off(cls) -> Pacing:
        """No client-side limit (self-hosted servers enforce none); a 429's Retry-After is still honoured."""
        return cls()

    @property
    def enabled(self) -> bool:
        limits = (self.export_calls_per_minute, self.calls_per_minute, self.max_concurrent_operations)
        return any(limit is not None for limit in limits)


#: What the clients take as ``pacing=``: a `Pacing`, or ``"auto"`` (Cloud's limits for Cloud hosts, else off).
PacingSetting = Pacing | Literal["auto"]


def is_cloud_host(host: str) -> bool:
    """Laserfiche Cloud's API hosts: ``api.`` + any labels + ``laserfiche.<tld>`` — api.laserfiche.com,
    api.laserfiche.ca, api.eu.laserfiche.com, api.a.clouddev.laserfiche.com."""
    labels = host.lower().rstrip(".").split(".")
    return len(labels) >= 3 and labels[0] == "api" and labels[-2] == "laserfiche"


def resolve_pacing(setting: object, host: str) -> Pacing | None:
    """The `Pacing` a client with base URL host `host` uses, or None when `setting` is not a valid one."""
    if isinstance(setting, Pacing):
        return setting
    if setting == AUTO:
        return Pacing.cloud() if is_cloud_host(host) else Pacing.off()
    return None


@attrs.frozen
class CallKind:
    """What a request counts against: `paced` (all calls), `export` (export calls), `starts_operation`."""

    paced: bool = True
    export: bool = False
    starts_operation: bool = False


_ENTRY = re.compile(r"/Entries/[^/]+$")


def classify(method: str, path: str, *, token_request: bool = False) -> CallKind:
    """The kind of an API request, from its method and URL path (no query string)."""
    if token_request:
        return CallKind(paced=False)
    method = method.upper()
    path = path.rstrip("/")
    if method == "POST" and path.endswith("/ExportAsync"):
        return CallKind(export=True, starts_operation=True)
    if method == "POST" and path.endswith("/Export"):
        return CallKind(export=True)
    if (method == "POST" and path.endswith("/Folder/CopyAsync")) or (
        method == "DELETE" and _ENTRY.search(path)
    ):
        return CallKind(starts_operation=True)
    return CallKind()


def expiry_cap(mean_download_seconds: float | None) -> int | None:
    """The most tasks in flight whose downloads, all ending together, fit in ``EXPIRY_SAFETY * 15 min``;
    None (no cap) until a download has been measured."""
    if mean_download_seconds is None or mean_download_seconds <= 0:
        return None
    return max(1, math.floor(EXPIRY_SAFETY * TASK_EXPIRY_SECONDS / mean_download_seconds))


@attrs.define
class Bucket:
    """One limit as a token bucket kept by its next free send time (GCRA), with an adaptive rate.

    Rates are per second; `next_free` and the other moments are readings of the client's clock."""

    ceiling: float
    burst: int = 1
    adaptive: bool = True
    rate: float = attrs.field(default=0.0)
    next_free: float = -math.inf
    quiet_until: float = -math.inf  # no second decrease before this moment
    last_sent: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.rate <= 0:
            self.rate = self.ceiling

    @classmethod
    def per_minute(cls, limit: float, pacing: Pacing) -> Bucket:
        return cls(limit * pacing.utilization / 60.0, pacing.burst, pacing.adaptive)

    @property
    def floor(self) -> float:
        return self.ceiling * FLOOR

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    def wait(self, now: float) -> float:
        """Seconds before a request may go."""
        return max(0.0, self.next_free - (self.burst - 1) * self.interval - now)

    def book(self, at: float) -> None:
        """A request goes at `at`: the rate recovers for the time spent sending, the next slot moves on."""
        if self.adaptive and self.last_sent is not None and self.rate < self.ceiling:
            busy = min(max(at - self.last_sent, 0.0), self.interval)
            self.rate = min(self.ceiling, self.rate + RECOVERY * self.ceiling * busy / 60.0)
        self.last_sent = at
        self.next_free = max(self.next_free, at) + self.interval

    def slow_down(self, now: float, retry_after: float | None) -> bool:
        """A 429 answered a request of this bucket: halve the rate (see the module docstring). True if the
        rate changed."""
        if not self.adaptive or now < self.quiet_until or self.rate <= self.floor:
            return False
        self.rate = max(self.floor, self.rate * DECREASE)
        self.quiet_until = now + max(self.interval, retry_after or 0.0)
        return True


class Verdict(enum.Enum):
    GO = "go"
    TOO_LATE = "too late"  # the wait would end past the deadline
    REFUSED = "refused"  # too many long operations in flight


@attrs.frozen
class Admission:
    verdict: Verdict
    wait: float = 0.0
    reason: str = ""


@attrs.define
class PaceState:
    """The pacing of one client (all its requests, sync or async): its buckets, the server's closed-until
    time, and the running mean of download seconds. Mutated only under the holder's lock."""

    pacing: Pacing
    calls: Bucket | None = None
    exports: Bucket | None = None
    closed_until: float = -math.inf
    mean_download: float | None = None
    slowdowns: int = 0

    @classmethod
    def of(cls, pacing: Pacing) -> PaceState:
        def bucket(limit: float | None) -> Bucket | None:
            return None if limit is None else Bucket.per_minute(limit, pacing)

        return cls(pacing, bucket(pacing.calls_per_minute), bucket(pacing.export_calls_per_minute))

    def buckets(self, kind: CallKind) -> list[Bucket]:
        if not kind.paced:
            return []
        found = [self.calls] + ([self.exports] if kind.export else [])
        return [b for b in found if b is not None]

    def operations_cap(self) -> int | None:
        caps = [c for c in (self.pacing.max_concurrent_operations, expiry_cap(self.mean_download)) if c]
        return min(caps) if caps else None

    def admit(
        self,
        kind: CallKind,
        now: float,
        *,
        in_flight: int = 0,
        deadline_left: float | None = None,
        waits: bool = True,
    ) -> Admission:
        """May a request of `kind` go, and after how long? Books its slots only when the answer is GO.

        `in_flight`: long operations held now; `deadline_left`: seconds to the deadline (None: none);
        `waits=False` (stamina's testing mode): every wait is 0, slots are still booked."""
        cap = self.operations_cap()
        if kind.starts_operation and cap is not None and in_flight >= cap:
            reason = (
                f"{in_flight} long operation(s) of this client in flight, at the limit of {cap} "
                "(Pacing.max_concurrent_operations, or what can be downloaded within 15 minutes)"
            )
            return Admission(Verdict.REFUSED, reason=reason)
        buckets = self.buckets(kind)
        wait = max([self.closed_wait(now), *(b.wait(now) for b in buckets)])
        if not waits:
            wait = 0.0
        if deadline_left is not None and wait > 0 and deadline_left <= wait:
            return Admission(Verdict.TOO_LATE, wait)
        for b in buckets:
            b.book(now + wait)
        return Admission(Verdict.GO, wait)

    def rate_limited(
        self, kind: CallKind, now: float, pause: float | None, retry_after: float | None
    ) -> bool:
        """A 429 answered a request of `kind`: nobody sends for `pause` seconds (the server's Retry-After, or
        the retry's backoff), and the most specific bucket slows down. True if a rate changed."""
        if pause:
            self.close_for(now, pause)
        buckets = self.buckets(kind)
        if buckets and buckets[-1].slow_down(now, retry_after):
            self.slowdowns += 1
            return True
        return False

    def close_for(self, now: float, seconds: float) -> None:
        """Nobody sends before ``now + seconds`` (the server's Retry-After)."""
        self.closed_until = max(self.closed_until, now + seconds)

    def closed_wait(self, now: float) -> float:
        return max(0.0, self.closed_until - now)

    def downloaded(self, seconds: float) -> None:
        """One task's result was downloaded in `seconds`: update the mean that `expiry_cap` reads."""
        if seconds < 0 or not math.isfinite(seconds):
            return
        mean = self.mean_download
        self.mean_download = seconds if mean is None else mean + DOWNLOAD_WEIGHT * (seconds - mean)

    def rates_per_minute(self) -> dict[str, float]:
        """The current rate of each bucket, per minute (for logs and tests)."""
        named = (("calls", self.calls), ("exports", self.exports))
        return {name: b.rate * 60.0 for name, b in named if b is not None}
