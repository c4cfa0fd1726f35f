"""The HTTP plumbing of the API client: bearer auth, retries with a shared rate gate, per-request timeouts,
deadlines, and the one place where error responses become `ApiError`s.

Layering (outermost first), all standard httpx extension points:
* `BearerAuth` (an `httpx.Auth` flow): adds the token, refreshes once after a 401, raises
  `AuthenticationError` when the refreshed token is refused too.
* response hook `raise_for_api_error` / `araise_for_api_error`: any other status >= 400 becomes an `ApiError`
  (ProblemDetails, HTML, empty bodies, headers) before the generated code tries to parse it.
* `RetryTransport` / `AsyncRetryTransport` around httpx's own transport: retries decided by
  `policy.retry_delay`, driven by stamina (so `stamina.set_testing(True)` removes waits in tests); a 429
  closes the client's `RateGate` so every request of that client pauses until the server's retry time;
  requests never start after the deadline of the current `deadline_scope`, whose remaining time also caps
  their timeouts. Only method, path (never a query string), status, attempt and timing are logged.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from typing import Any

import httpx
import stamina

from ._errors import AuthenticationError, ExportTimeoutError, error_from_response, reworded
from ._policy import DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUTS, Deadline, RetryPolicy, Timeouts, retry_delay
from ._tokens import TOKEN_REQUEST, TokenSource

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


class _Lock(enum.Enum):
    ACQUIRE = "acquire"
    RELEASE = "release"


_AuthStep = httpx.Request | _Lock


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>` from a `TokenSource`; after a 401, one new token and one retry.

    Getting a token is single-flight: the shared flow (`_flow`) asks for a lock around it, and the sync and
    async drivers hold a `threading.Lock` / `asyncio.Lock` meanwhile. A burst of concurrent 401s therefore
    makes one token request; the others find the fresh token in the source's cache once they get the lock.
    """

    requires_response_body = True

    def __init__(self, source: TokenSource) -> None:
        self._source = source
        self._thread_lock = threading.Lock()
        self._async_lock: Any = None  # an asyncio.Lock, made on first async use (asyncio loads lazily)

    def __repr__(self) -> str:
        return f"BearerAuth(source={self._source!r})"

    def _token(self, stale: str | None) -> Generator[_AuthStep, httpx.Response | None, str]:
        yield _Lock.ACQUIRE
        try:
            token = yield from self._source.token_flow(stale=stale)
        except GeneratorExit:
            raise  # the driver closed us; it releases the lock itself (and must not be yielded to now)
        except BaseException:
            yield _Lock.RELEASE
            raise
        yield _Lock.RELEASE
        return token

    def _flow(self, request: httpx.Request) -> Generator[_AuthStep, httpx.Response | None, None]:
        token = yield from self._token(None)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        assert response is not None
        if response.status_code != 401:
            return
        fresh = yield from self._token(token)
        if fresh == token:
            raise error_from_response(response)
        log.info("401 from %s %s: retrying once with a new token", request.method, request.url.path)
        request.headers["Authorization"] = f"Bearer {fresh}"
        response = yield request
        assert response is not None
        if response.status_code == 401:
            error = error_from_response(response)
            message = f"{error}. A fresh token was refused too: check the credentials and the scope"
            raise reworded(error, message, AuthenticationError)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self._flow(request)
        reply: httpx.Response | None = None
        held = False
        try:
            while True:
                try:
                    step = flow.send(reply)
                except StopIteration:
                    return
                reply = None
                if step is _Lock.ACQUIRE:
                    self._thread_lock.acquire()
                    held = True
                elif step is _Lock.RELEASE:
                    self._thread_lock.release()
                    held = False
                else:
                    reply = yield step
                    reply.read()
        finally:
            flow.close()
            if held:
                self._thread_lock.release()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        import asyncio

        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        lock = self._async_lock
        flow = self._flow(request)
        reply: httpx.Response | None = None
        held = False
        try:
            while True:
                try:
                    step = flow.send(reply)
                except StopIteration:
                    return
                reply = None
                if step is _Lock.ACQUIRE:
                    await lock.acquire()
                    held = True
                elif step is _Lock.RELEASE:
                    lock.release()
                    held = False
                else:
                    reply = yield step
                    await reply.aread()
        finally:
            flow.close()
            if held:
                lock.release()


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
    """Shared by all requests of one client: after a 429, nobody sends before the server's retry time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._open_at = 0.0

    def close_for(self, seconds: float) -> None:
        with self._lock:
            self._open_at = max(self._open_at, self._clock() + seconds)

    def wait_time(self) -> float:
        return 0.0 if stamina.is_testing() else max(0.0, self._open_at - self._clock())


class _Retry(Exception):
    """Raised inside an attempt to make stamina retry a response the policy wants repeated. The response stays
    open until the next attempt starts: if stamina stops first (its testing mode caps attempts, or it was
    deactivated), that response is handed back and mapped like any other answer."""

    def __init__(self, delay: float, response: httpx.Response) -> None:
        super().__init__(f"retry in {delay:.2f}s")
        self.delay = delay
        self.response = response


def _waits_up_to_a_minute(request: httpx.Request) -> bool:
    """ListTasks long-polls up to 60 s; a simple Export may work up to 60 s before the server gives up."""
    path = request.url.path
    return (request.method == "GET" and path.endswith("/Tasks")) or (
        request.method == "POST" and path.endswith("/Export")
    )


class _Attempts:
    """Per-request bookkeeping both retry transports share: timeouts, deadline, gate, the retry decision."""

    def __init__(
        self, request: httpx.Request, policy: RetryPolicy, gate: RateGate, timeouts: Timeouts
    ) -> None:
        self.request = request
        self.policy = policy
        self.gate = gate
        self.deadline = _deadline.get()
        self.number = 0
        self.started = time.monotonic()
        timeout = dict(request.extensions.get("timeout") or {})
        if _waits_up_to_a_minute(request):
            timeout["read"] = timeouts.long_poll_read
        self.timeout = timeout

    def stamina_kwargs(self) -> dict[str, object]:
        # The deadline is enforced by `_allowed` (no retry whose wait would cross it), not by stamina's
        # timeout.
        return {
            "on": self.on_exception,
            "attempts": self.policy.max_attempts,
            "timeout": None,
            "wait_initial": self.policy.initial_wait,
            "wait_max": self.policy.max_wait,
        }

    def before_send(self) -> float:
        """Seconds to wait for the rate gate; raises when the deadline passed."""
        self.number += 1
        wait = self.gate.wait_time()
        if self.deadline is not None:
            remaining = self.deadline.remaining()
            if remaining <= wait:
                raise ExportTimeoutError((), cancelled=False)
            timeout = dict(self.timeout)
            for key in ("connect", "read", "write", "pool"):
                current = timeout.get(key)
                timeout[key] = remaining - wait if current is None else min(current, remaining - wait)
            self.request.extensions["timeout"] = timeout
        else:
            self.request.extensions["timeout"] = self.timeout
        return wait

    def _allowed(self, delay: float | None) -> float | None:
        if delay is None:
            return None
        if self.deadline is not None and self.deadline.remaining() <= delay:
            return None
        return delay

    def on_response(self, response: httpx.Response) -> float | None:
        """The wait before repeating this response, or None to hand it back (success, or final error)."""
        self._log(response.status_code)
        delay = self._allowed(retry_delay(self.policy, self.request.method, self.number, response))
        if delay is not None and response.status_code == 429:
            self.gate.close_for(delay)
        return delay

    def on_exception(self, exc: Exception) -> bool | float:
        if isinstance(exc, _Retry):
            return exc.delay
        if not isinstance(exc, httpx.TransportError):
            return False
        self._log(type(exc).__name__)
        delay = self._allowed(retry_delay(self.policy, self.request.method, self.number, exc))
        return False if delay is None else delay

    def _log(self, outcome: object) -> None:
        log.debug(
            "%s %s -> %s (attempt %d, %.3fs)",
            self.request.method,
            self.request.url.path,
            outcome,
            self.number,
            time.monotonic() - self.started,
        )


class _RetrySettings:
    """What both retrying transports hold: the policy, the client's shared rate gate, the timeouts."""

    def __init__(self, policy: RetryPolicy, gate: RateGate | None, timeouts: Timeouts) -> None:
        self._policy = policy
        self._gate = gate or RateGate()
        self._timeouts = timeouts

    def _attempts(self, request: httpx.Request) -> _Attempts:
        return _Attempts(request, self._policy, self._gate, self._timeouts)


class RetryTransport(_RetrySettings, httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        gate: RateGate | None = None,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        super().__init__(policy, gate, timeouts)
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = self._attempts(request)
        previous: httpx.Response | None = None
        try:
            for attempt in stamina.retry_context(**attempts.stamina_kwargs()):  # type: ignore[arg-type]
                with attempt:
                    if previous is not None:
                        previous.close()
                    wait = attempts.before_send()
                    if wait:
                        time.sleep(wait)
                    response = self._inner.handle_request(request)
                    delay = attempts.on_response(response)
                    if delay is None:
                        return response
                    previous = response
                    raise _Retry(delay, response)
        except _Retry as last:
            return last.response
        raise AssertionError("unreachable: stamina re-raises the last failure")  # pragma: no cover

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(_RetrySettings, httpx.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        gate: RateGate | None = None,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        super().__init__(policy, gate, timeouts)
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        attempts = self._attempts(request)
        previous: httpx.Response | None = None
        try:
            async for attempt in stamina.retry_context(**attempts.stamina_kwargs()):  # type: ignore[arg-type]
                with attempt:
                    if previous is not None:
                        await previous.aclose()
                    wait = attempts.before_send()
                    if wait:
                        await asyncio.sleep(wait)
                    response = await self._inner.handle_async_request(request)
                    delay = attempts.on_response(response)
                    if delay is None:
                        return response
                    previous = response
                    raise _Retry(delay, response)
        except _Retry as last:
            return last.response
        raise AssertionError("unreachable: stamina re-raises the last failure")  # pragma: no cover

    async def aclose(self) -> None:
        await self._inner.aclose()
