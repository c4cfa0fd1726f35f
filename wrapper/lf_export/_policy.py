"""Pure decisions, no I/O: which requests to retry and how long to wait, the poll schedule, deadlines,
timeouts.

The drivers (`_transport.py`, `_client.py`, `_aio.py`) feed these functions responses, exceptions and
clock readings and act on their answers; nothing here sleeps, sends or reads a clock on its own.

Retry rule (`retry_delay`):
* GET / DELETE (idempotent): retried on connection errors, timeouts, and HTTP 429, 502, 503, 504.
* POST (Export, ExportAsync are not idempotent: a retry may start a second export): retried only when the
  request certainly did not reach the server (connect error, connect or pool timeout) or on 429 (the server
  refused it).
* Never when a TLS certificate was refused: the next attempt meets the same certificate.
* Wait before attempt n+1 ("full jitter"): ``uniform(0, min(max_wait, initial_wait * 2 ** (n - 1)))``; a
  `Retry-After` from the server wins over that, capped at `max_retry_after`.
"""

from __future__ import annotations

import random
import ssl
from collections.abc import Callable, Mapping

import attrs
import httpx

from ._responses import parse_retry_after

__all__ = [
    "CLEANUP_SECONDS",
    "DEFAULT_POLL_POLICY",
    "DEFAULT_RETRY_POLICY",
    "DEFAULT_TIMEOUTS",
    "NOT_SENT",
    "Clock",
    "Deadline",
    "PollPolicy",
    "RetryPolicy",
    "Timeouts",
    "full_jitter",
    "is_idempotent",
    "retry_delay",
    "server_wait",
]

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
# The request never left the client: safe to repeat even a POST.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _certificate_refused(exc: BaseException) -> bool:
    """Whether a TLS certificate check failed somewhere in the error's chain (ours or the server's)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _positive(_inst: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value!r}")


@attrs.frozen(kw_only=True)
class Timeouts:
    """Finite timeouts of every call, in seconds. `long_poll_read` (for ListTasks and the simple Export, which
    the server may hold up to 60 s) must exceed 60 s."""

    connect: float = attrs.field(default=10.0, validator=_positive)
    read: float = attrs.field(default=60.0, validator=_positive)
    write: float = attrs.field(default=60.0, validator=_positive)
    pool: float = attrs.field(default=30.0, validator=_positive)
    long_poll_read: float = attrs.field(default=75.0, validator=_positive)
    download_read: float = attrs.field(default=60.0, validator=_positive)

    def api(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def download(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.download_read, write=self.write, pool=self.pool)


DEFAULT_TIMEOUTS = Timeouts()

#: Cleanup after a deadline or an interrupt (cancelling the tasks we started) gets this many seconds, retries
#: included, so giving up never takes long.
CLEANUP_SECONDS = 10.0


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How API requests are retried (see the module docstring for the rule).

    `max_attempts` counts the first try; `max_retry_after` caps a server's `Retry-After`.
    """

    max_attempts: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    initial_wait: float = attrs.field(default=0.5, validator=_positive)
    max_wait: float = attrs.field(default=30.0, validator=_positive)
    max_retry_after: float = attrs.field(default=120.0, validator=_positive)
    retry_statuses: frozenset[int] = frozenset({429, 502, 503, 504})


DEFAULT_RETRY_POLICY = RetryPolicy()


@attrs.frozen(kw_only=True)
class PollPolicy:
    """When to ask ListTasks again.

    ListTasks long-polls: while it holds the request (up to 60 s) no extra wait is needed. When the server
    answers at once (within `quick_answer` seconds) and nothing ended, wait ``full_jitter(n)`` before the next
    round, growing from `initial_wait` to `max_wait` while answers keep coming back at once.

    A round that fails (no answer, a 5xx or a 429 left after the transport's own retries) is nobody's task's
    failure: it is asked again after ``full_jitter(n)`` (up to `max_wait`, or the server's Retry-After), until
    the caller's deadline or until rounds have failed for `give_up_after` seconds in a row.
    """

    initial_wait: float = attrs.field(default=0.5, validator=_positive)
    max_wait: float = attrs.field(default=10.0, validator=_positive)
    quick_answer: float = attrs.field(default=2.0, validator=_positive)
    give_up_after: float = attrs.field(default=600.0, validator=_positive)

    def wait_after(
        self, answered_in: float, quick_rounds: int, rng: Callable[[], float] = random.random
    ) -> float:
        """Seconds to wait before the next poll (`quick_rounds`: consecutive quick answers, this one too)."""
        if answered_in >= self.quick_answer or quick_rounds <= 0:
            return 0.0
        return full_jitter(quick_rounds, self.initial_wait, self.max_wait, rng)


DEFAULT_POLL_POLICY = PollPolicy()


def full_jitter(attempt: int, initial: float, cap: float, rng: Callable[[], float] = random.random) -> float:
    """``uniform(0, min(cap, initial * 2 ** (attempt - 1)))`` for attempt ≥ 1 (AWS "full jitter")."""
    ceiling = min(cap, initial * (2.0 ** min(max(attempt - 1, 0), 62)))
    return ceiling * rng()


def is_idempotent(method: str) -> bool:
    return method.upper() in _IDEMPOTENT


def retry_delay(
    policy: RetryPolicy,
    method: str,
    attempt: int,
    outcome: httpx.Response | BaseException,
    *,
    rng: Callable[[], float] = random.random,
) -> float | None:
    """Seconds to wait before repeating a request that ended with `outcome` on attempt `attempt` (1-based), or
    None when it must not be repeated (not retryable, or attempts used up)."""
    if attempt >= policy.max_attempts:
        return None
    backoff = full_jitter(attempt, policy.initial_wait, policy.max_wait, rng)
    if isinstance(outcome, httpx.Response):
        status = outcome.status_code
        if status not in policy.retry_statuses:
            return None
        if status != 429 and not is_idempotent(method):
            return None
        retry_after = server_wait(policy, outcome)
        return backoff if retry_after is None else retry_after
    if _certificate_refused(outcome):
        return None  # the same certificate will be refused again: say so at once
    if isinstance(outcome, NOT_SENT):
        return backoff
    if isinstance(outcome, httpx.TransportError) and is_idempotent(method):
        return backoff
    return None


def server_wait(policy: RetryPolicy, response: httpx.Response) -> float | None:
    """The server's `Retry-After` in seconds, capped at `policy.max_retry_after`; None if absent/invalid."""
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return None if retry_after is None else min(max(retry_after, 0.0), policy.max_retry_after)


#: The one clock of a client: seconds on a monotonic scale. Clients take it as ``clock=`` (default
#: `time.monotonic`) and hand it to everything that measures time (deadlines, polling, the rate gate, token
#: lifetimes, downloads), so a test can drive them all with one fake clock.
Clock = Callable[[], float]

_TIMEOUT_KEYS = ("connect", "read", "write", "pool")


@attrs.frozen
class Deadline:
    """An absolute point on a client's `Clock`; `None` everywhere means "no deadline"."""

    at: float
    clock: Clock = attrs.field(repr=False)

    @classmethod
    def after(cls, seconds: float, clock: Clock) -> Deadline:
        if seconds <= 0:
            raise ValueError(f"deadline must be > 0 seconds, got {seconds!r}")
        return cls(clock() + seconds, clock)

    def remaining(self) -> float:
        return max(0.0, self.at - self.clock())

    def expired(self) -> bool:
        return self.clock() >= self.at

    def cap(self, timeouts: Mapping[str, float | None], *, reserve: float = 0.0) -> dict[str, float]:
        """`timeouts` (connect / read / write / pool, as httpx spells them; None = unbounded) capped at the
        time left, less `reserve` seconds (a wait that comes first), and never below 1 ms."""
        left = max(self.remaining() - reserve, 0.001)
        capped: dict[str, float] = {}
        for key in _TIMEOUT_KEYS:
            value = timeouts.get(key)
            capped[key] = left if value is None else min(value, left)
        return capped
