"""The HTTP plumbing of the API client: retries with a shared rate gate, per-request timeouts, deadlines,
and the hook where error responses become `ApiError`s.

Layering (outermost first), all standard httpx extension points:
* `BearerAuth` (`_auth`, an `httpx.Auth` flow; re-exported here): adds the token, refreshes once after a 401.
* response hook `raise_for_api_error` / `araise_for_api_error`: an error status that comes back from the
  transport becomes an `ApiError` (`_responses.error_from_response`) before the generated code parses it;
  401 is left to `BearerAuth`, token-endpoint answers (`TOKEN_REQUEST`) to their token source.
* `RetryTransport` / `AsyncRetryTransport` around httpx's own transport. stamina owns the loop (attempt
  count, sleeping, `stamina.set_testing` for tests, its retry instrumentation); `_policy.retry_delay`
  decides. An answer to be repeated is raised inside the attempt as its mapped `ApiError`, and stamina's
  `on=` hook returns the policy's delay for it (Retry-After wins, capped), so when stamina stops first the
  last error simply propagates. Every attempt passes the client's `RateGate` first: the pacing of
  `_pacing` (token buckets per limit, an adaptive rate, the cap on long operations in flight), and after a
  429 every request of that client pauses until the server's retry time. No request starts after the
  deadline of the current
  `deadline_scope`, and its time left caps each request's timeouts (`Deadline.cap`). Only method, path
  (never a query string), status, attempt and timing are logged.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx

from ._auth import BearerAuth
from ._errors import ApiError, ExportTimeoutError, RateLimitedError
from ._pacing import Admission, CallKind, PaceState, Pacing, Verdict, classify
from ._policy import (
    DEFAULT_RETRY_POLICY,
    DEFAULT_TIMEOUTS,
    Clock,
    Deadline,
    RetryPolicy,
    Timeouts,
    retry_delay,
    server_wait,
)
from ._responses import error_from_response
from ._tokens import TOKEN_REQUEST, TaskLedger

__all__ = [
    "AsyncRetryTransport",
    "BearerAuth",
    "RateGate",
    "RetryTransport",
    "araise_for_api_error",
    "deadline_scope",
    "raise_for_api_error",
]

log = logging.getLogger("lf_export.http")

_deadline: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "lf_export_deadline", default=None
)


@contextlib.contextmanager
def deadline_scope(deadline: Deadline | None) -> Iterator[None]:
    """Every API request made inside this block (sync, or in this asyncio task) respects `deadline`."""
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def _hook_maps(response: httpx.Response) -> bool:
    # 401 is left to BearerAuth (it may refresh); token-endpoint answers are explained by their TokenSource.
    return (
        response.status_code >= 400
        and response.status_code != 401
        and not response.request.extensions.get(TOKEN_REQUEST)
    )


def raise_for_api_error(response: httpx.Response) -> None:
    """Response hook (sync client): an error status becomes an `ApiError` (`_hook_maps` says which)."""
    if _hook_maps(response):
        response.read()
        raise error_from_response(response)


async def araise_for_api_error(response: httpx.Response) -> None:
    """Response hook (async client); see `raise_for_api_error`."""
    if _hook_maps(response):
        await response.aread()
        raise error_from_response(response)


class RateGate:
    """Shared by all requests of one client, sync or async: its pacing (`_pacing.PaceState`, decided there
    without I/O) behind a lock. After a 429 nobody sends before the server's retry time.

    `clock` is the client's `Clock`; `ledger` counts its long operations in flight. In stamina's testing
    mode the gate never makes anyone wait (slots are still booked, refusals still happen)."""

    def __init__(
        self, clock: Clock = time.monotonic, pacing: Pacing | None = None, ledger: TaskLedger | None = None
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._state = PaceState.of(pacing or Pacing.off())
        self._ledger = ledger

    @property
    def _open_at(self) -> float:  # the server's retry time (read by tests/wrapper/test_client_wire.py)
        return self._state.closed_until

    def close_for(self, seconds: float) -> None:
        with self._lock:
            self._state.close_for(self._clock(), seconds)

    def wait_time(self) -> float:
        """Seconds until the server's retry time (0 in stamina's testing mode)."""
        with self._lock:
            return 0.0 if _testing() else self._state.closed_wait(self._clock())

    def admit(self, kind: CallKind, deadline_left: float | None) -> Admission:
        """Book a request of `kind` (see `PaceState.admit`); the caller waits `wait` seconds, then sends."""
        # Task ids the flows hold: running long operations (TaskLedger has no public count yet).
        in_flight = self._ledger.count if self._ledger is not None and kind.starts_operation else 0
        with self._lock:
            return self._state.admit(
                kind, self._clock(), in_flight=in_flight, deadline_left=deadline_left, waits=not _testing()
            )

    def rate_limited(self, kind: CallKind, pause: float | None, retry_after: float | None) -> None:
        """A 429 answered a request of `kind`: close for `pause` seconds, slow that kind down."""
        with self._lock:
            if self._state.rate_limited(kind, self._clock(), pause, retry_after):
                log.info("pacing: a 429 despite pacing; per minute now %s", self._state.rates_per_minute())

    def downloaded(self, seconds: float) -> None:
        """One task's result took `seconds` to download (feeds the task-expiry cap, `_pacing.expiry_cap`)."""
        with self._lock:
            self._state.downloaded(seconds)

    def rates_per_minute(self) -> dict[str, float]:
        with self._lock:
            return self._state.rates_per_minute()


def _testing() -> bool:
    import stamina  # loaded with the first request, not with `import lf_export` (it brings tenacity)

    return stamina.is_testing()


def _waits_up_to_a_minute(request: httpx.Request) -> bool:
    """ListTasks long-polls up to 60 s; a simple Export may work up to 60 s before the server gives up."""
    path = request.url.path
    return (request.method == "GET" and path.endswith("/Tasks")) or (
        request.method == "POST" and path.endswith("/Export")
    )


class _Attempts:
    """One request's retries, for both transports: timeouts, deadline, rate gate, and stamina's `on=` hook.

    An answer the policy wants repeated is read, closed and raised *inside* the attempt as its mapped
    `ApiError`; `backoff` (stamina's hook) returns the policy's delay for that very error, so stamina sleeps
    that long (0 in its testing mode) and tries again, or re-raises the error when it stops first. An answer
    not to be repeated (success, 401 for `BearerAuth`, a final error) is returned: the response hook maps it.
    """

    def __init__(
        self, request: httpx.Request, policy: RetryPolicy, gate: RateGate, timeouts: Timeouts, clock: Clock
    ) -> None:
        self.request = request
        self.policy = policy
        self.gate = gate
        self.clock = clock
        self.deadline = _deadline.get()
        self.kind = classify(
            request.method, request.url.path, token_request=bool(request.extensions.get(TOKEN_REQUEST))
        )
        self.number = 0
        self.started = clock()
        timeout = dict(request.extensions.get("timeout") or {})
        if _waits_up_to_a_minute(request):
            timeout["read"] = timeouts.long_poll_read
        self.timeout = timeout
        self._retrying: tuple[ApiError, float, httpx.Response] | None = None

    def stamina_kwargs(self) -> dict[str, Any]:
        # `backoff` always names the wait, so stamina's own backoff settings never apply; the deadline is
        # enforced by `_allowed` (no retry whose wait would cross it), not by stamina's timeout.
        return {"on": self.backoff, "attempts": self.policy.max_attempts, "timeout": None}

    def before_send(self) -> float:
        """Seconds to wait for the rate gate first; raises `ExportTimeoutError` when the deadline passed (or
        would, during that wait), `RateLimitedError` when pacing refuses to start another long operation.
        Caps the request's timeouts at the time left after the wait."""
        self.number += 1
        left = None if self.deadline is None else self.deadline.remaining()
        if left is not None and left <= 0:
            raise ExportTimeoutError((), cancelled=False)
        admission = self.gate.admit(self.kind, left)
        if admission.verdict is Verdict.TOO_LATE:
            raise ExportTimeoutError((), cancelled=False)
        if admission.verdict is Verdict.REFUSED:
            self._log("refused by pacing")
            method, path = self.request.method, self.request.url.path
            raise RateLimitedError(f"not sent: {admission.reason}", status=429, method=method, url=path)
        wait = admission.wait
        if self.deadline is None:
            self.request.extensions["timeout"] = self.timeout
        else:
            self.request.extensions["timeout"] = self.deadline.cap(self.timeout, reserve=wait)
        return wait

    def _allowed(self, delay: float | None) -> float | None:
        if delay is None:
            return None
        if self.deadline is not None and self.deadline.remaining() <= delay:
            return None
        return delay

    def verdict(self, response: httpx.Response) -> float | None:
        """The wait before repeating this answer, or None to hand it back (success, or a final error)."""
        self._log(response.status_code)
        delay = self._allowed(retry_delay(self.policy, self.request.method, self.number, response))
        if response.status_code == 429:
            retry_after = server_wait(self.policy, response)
            self.gate.rate_limited(self.kind, delay if delay is not None else retry_after, retry_after)
        return delay

    def retry_error(self, response: httpx.Response, body: bytes, delay: float) -> ApiError:
        """The `ApiError` to raise for an answer that `verdict` wants repeated after `delay` seconds."""
        response.request = self.request  # the client sets it only on what a transport returns
        error = error_from_response(response, body=body)
        self._retrying = (error, delay, response)
        return error

    def backoff(self, exc: Exception) -> bool | float:
        """stamina's `on=` hook: the wait before the next attempt, or False to let `exc` propagate."""
        if isinstance(exc, ApiError):
            retrying = self._retrying
            return retrying[1] if retrying is not None and retrying[0] is exc else False
        if not isinstance(exc, httpx.TransportError):
            return False
        self._log(type(exc).__name__)
        delay = self._allowed(retry_delay(self.policy, self.request.method, self.number, exc))
        return False if delay is None else delay

    def surrender(self, exc: ApiError) -> httpx.Response | None:
        """stamina stopped before our policy did (its testing mode caps attempts, or it was deactivated) on
        `exc`. A token-endpoint answer goes back to its token source, which explains it; None: raise `exc`."""
        retrying = self._retrying
        if retrying is None or retrying[0] is not exc or not self.request.extensions.get(TOKEN_REQUEST):
            return None
        _, _, response = retrying
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=response.content,
            extensions=response.extensions,
            request=self.request,
        )

    def _log(self, outcome: object) -> None:
        log.debug(
            "%s %s -> %s (attempt %d, %.3fs)",
            self.request.method,
            self.request.url.path,
            outcome,
            self.number,
            self.clock() - self.started,
        )


def _read(response: httpx.Response) -> bytes:
    try:
        return response.read()
    except httpx.HTTPError:  # the status decides; a body cut short only loses the details
        return b""
    finally:
        response.close()


async def _aread(response: httpx.Response) -> bytes:
    try:
        return await response.aread()
    except httpx.HTTPError:
        return b""
    finally:
        await response.aclose()


class _RetrySettings:
    """What both retrying transports hold: the policy, the client's shared rate gate, timeouts, the clock.

    Without a `gate`, each makes its own from `pacing` (default: off) and `ledger`."""

    def __init__(
        self,
        policy: RetryPolicy,
        gate: RateGate | None,
        timeouts: Timeouts,
        clock: Clock,
        pacing: Pacing | None = None,
        ledger: TaskLedger | None = None,
    ) -> None:
        self._policy = policy
        self._gate = gate or RateGate(clock, pacing, ledger)
        self._timeouts = timeouts
        self._clock = clock

    def _attempts(self, request: httpx.Request) -> _Attempts:
        return _Attempts(request, self._policy, self._gate, self._timeouts, self._clock)


class RetryTransport(_RetrySettings, httpx.BaseTransport):
    """Wraps `inner` (default `httpx.HTTPTransport()`) with the retry rule of `_policy`, driven by stamina."""

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        gate: RateGate | None = None,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        clock: Clock = time.monotonic,
        pacing: Pacing | None = None,
        ledger: TaskLedger | None = None,
    ) -> None:
        super().__init__(policy, gate, timeouts, clock, pacing, ledger)
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = self._attempts(request)
        try:
            import stamina

            for attempt in stamina.retry_context(**attempts.stamina_kwargs()):
                with attempt:
                    wait = attempts.before_send()
                    if wait:
                        time.sleep(wait)
                    response = self._inner.handle_request(request)
                    delay = attempts.verdict(response)
                    if delay is None:
                        return response
                    raise attempts.retry_error(response, _read(response), delay)
        except ApiError as exc:
            answer = attempts.surrender(exc)
            if answer is None:
                raise
            return answer
        raise AssertionError("unreachable: stamina re-raises the last failure")  # pragma: no cover

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(_RetrySettings, httpx.AsyncBaseTransport):
    """The asyncio twin of `RetryTransport`."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        gate: RateGate | None = None,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        clock: Clock = time.monotonic,
        pacing: Pacing | None = None,
        ledger: TaskLedger | None = None,
    ) -> None:
        super().__init__(policy, gate, timeouts, clock, pacing, ledger)
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        attempts = self._attempts(request)
        try:
            import stamina

            async for attempt in stamina.retry_context(**attempts.stamina_kwargs()):
                with attempt:
                    wait = attempts.before_send()
                    if wait:
                        await asyncio.sleep(wait)
                    response = await self._inner.handle_async_request(request)
                    delay = attempts.verdict(response)
                    if delay is None:
                        return response
                    raise attempts.retry_error(response, await _aread(response), delay)
        except ApiError as exc:
            answer = attempts.surrender(exc)
            if answer is None:
                raise
            return answer
        raise AssertionError("unreachable: stamina re-raises the last failure")  # pragma: no cover

    async def aclose(self) -> None:
        await self._inner.aclose()
