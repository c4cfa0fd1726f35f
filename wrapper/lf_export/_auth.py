"""`BearerAuth`: the access token on every API request, refreshed once after a 401 (an `httpx.Auth` flow).

It sits outside the retrying transport: a 401 comes back to it as a response (the transport never retries
or raises it), and its token requests go through the client's own transport (timeouts, retries on
connection errors), marked `TOKEN_REQUEST` so that their answers are explained by the token source.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import AsyncGenerator, Generator
from typing import Any

import httpx

from ._errors import AuthenticationError
from ._responses import error_from_response, reworded
from ._tokens import TokenSource

__all__ = ["BearerAuth"]

log = logging.getLogger("lf_export.http")


class _Lock(enum.Enum):
    ACQUIRE = "acquire"
    RELEASE = "release"


_AuthStep = httpx.Request | _Lock


def _answer(reply: httpx.Response | None) -> httpx.Response:
    if reply is None:  # the drivers below send a response for every request step; never None
        raise RuntimeError("BearerAuth: a request step was resumed without its response")
    return reply


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
        response = _answer((yield request))
        if response.status_code != 401:
            return
        fresh = yield from self._token(token)
        if fresh == token:
            raise error_from_response(response)
        log.info("401 from %s %s: retrying once with a new token", request.method, request.url.path)
        request.headers["Authorization"] = f"Bearer {fresh}"
        response = _answer((yield request))
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
