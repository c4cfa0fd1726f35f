"""Where access tokens come from: a static token, a user callable, or the self-hosted password grant.

A `TokenSource` hands out tokens through a *token flow*: a generator that may yield HTTP requests (to a token
endpoint), receives their responses, and returns the token. `transport.BearerAuth` drives it inside httpx's
auth flow, so the same code serves the sync and the async client, and token requests go through the client's
own transport (timeouts, retries on connection errors).

`stale` is the token the server just answered 401 to: a source must not return that same token again from a
cache. Sources refresh *before* expiry (at `refresh_at` of the lifetime, 80 % by default) because tasks belong
to the token that started them: a batch should keep one token as long as it can, not run into a 401 first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Protocol, runtime_checkable

import attrs
import httpx

from ._errors import AuthenticationError, OptionIssue, OptionsError
from ._responses import error_from_response, reworded

__all__ = [
    "TOKEN_REQUEST",
    "CallableToken",
    "PasswordGrant",
    "StaticToken",
    "TaskLedger",
    "TokenFlow",
    "TokenSource",
]

TokenFlow = Generator[httpx.Request, httpx.Response, str]

#: Request extension marking a token-endpoint call: the client's error hook leaves its answer to the source.
TOKEN_REQUEST = "lf_export.token_request"  # noqa: S105 - a marker name, not a secret


@runtime_checkable
class TokenSource(Protocol):
    def token_flow(self, *, stale: str | None = None) -> TokenFlow:
        """Yield any requests needed, return the bearer token for the next request."""
        ...


def _mask(_value: object) -> str:
    return "'***'"


@attrs.frozen
class StaticToken:
    """One fixed token. After a 401 it cannot do better: the 401 is reported (`AuthenticationError`)."""

    token: str = attrs.field(repr=_mask)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.token, str) or not self.token.strip():
            raise OptionsError([OptionIssue("token", None, "must be a non-empty string")])

    def token_flow(self, *, stale: str | None = None) -> TokenFlow:
        return self.token
        yield  # pragma: no cover - makes this a generator


class TaskLedger:
    """The task ids a client is waiting on. Tasks belong to the access token that started them, so while any
    is in flight a token source keeps its current token past the refresh point, until just before the token
    really expires (`_Cache.get`). The flows hold ids while they poll them and release them when they end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: dict[str, int] = {}

    def hold(self, ids: Iterable[str]) -> None:
        with self._lock:
            for task_id in ids:
                self._ids[task_id] = self._ids.get(task_id, 0) + 1

    def release(self, ids: Iterable[str]) -> None:
        with self._lock:
            for task_id in ids:
                count = self._ids.get(task_id, 0) - 1
                if count > 0:
                    self._ids[task_id] = count
                else:
                    self._ids.pop(task_id, None)

    @property
    def busy(self) -> bool:
        return bool(self._ids)

    @property
    def count(self) -> int:
        """How many distinct tasks are in flight (the pacing's long-operation cap reads it)."""
        return len(self._ids)


#: Refresh this long before a token's real expiry even while tasks are in flight (capped at 5 % of its life).
EXPIRY_MARGIN = 30.0


class _Cache:
    """The current token and when to refresh it (monotonic clock). Thread-safe enough: the worst case of a
    race is one extra token request, never a wrong token.

    Refresh rule: at `refresh_at` of the token's lifetime when the ledger is idle; while tasks are in flight,
    only within `EXPIRY_MARGIN` (or 5 % of the lifetime, if smaller) of the real expiry."""

    def __init__(self, clock: Callable[[], float], ledger: TaskLedger) -> None:
        self._clock = clock
        self._ledger = ledger
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_after = 0.0
        self._last_moment = 0.0

    def get(self, stale: str | None) -> str | None:
        with self._lock:
            token = self._token
            if token is None or token == stale:
                return None
            now = self._clock()
            if now >= self._last_moment or (now >= self._refresh_after and not self._ledger.busy):
                return None
            return token

    def put(self, token: str, lifetime: float | None, refresh_at: float) -> None:
        with self._lock:
            now = self._clock()
            self._token = token
            if not lifetime:
                self._refresh_after = self._last_moment = float("inf")
                return
            self._refresh_after = now + lifetime * refresh_at
            self._last_moment = now + lifetime - min(EXPIRY_MARGIN, lifetime * 0.05)


@attrs.define(repr=False)
class CallableToken:
    """Tokens from a callable of yours (e.g. a secret store). Called once, then again after a 401 or when
    `lifetime` seconds (optional) have passed. With `AsyncExportClient` it runs on the event loop: keep it
    quick (read a cached value), or write a `TokenSource` whose token flow fetches over HTTP."""

    provider: Callable[[], str]
    lifetime: float | None = None
    clock: Callable[[], float] = time.monotonic
    ledger: TaskLedger = attrs.field(factory=TaskLedger)
    _cache: _Cache = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._cache = _Cache(self.clock, self.ledger)

    def __repr__(self) -> str:
        # Not the provider's repr: a functools.partial would show its (secret) arguments.
        name = getattr(self.provider, "__qualname__", type(self.provider).__name__)
        return f"CallableToken(provider=<{name}>)"

    def token_flow(self, *, stale: str | None = None) -> TokenFlow:
        token = self._cache.get(stale)
        if token is None:
            token = self.provider()
            if not isinstance(token, str) or not token.strip():
                raise AuthenticationError("the token provider returned no token", status=401)
            self._cache.put(token, self.lifetime, 1.0)
        return token
        yield  # pragma: no cover - makes this a generator


_GRANT_HINTS = {
    400: "check the user name and password",
    401: "check the user name and password",
    404: "check the base URL and the repository id",
}


def token_grant(
    request: httpx.Request, cache: _Cache, refresh_at: float, what: str, hints: Mapping[int, str]
) -> TokenFlow:
    """Send a token request, explain a refusal (`hints` by status), cache and return the access token.

    Both token endpoints (the self-hosted password grant, the Cloud client-credentials grant) answer the same
    shape: ``{access_token, token_type, expires_in}``.
    """
    request.extensions[TOKEN_REQUEST] = True
    response = yield request
    if response.status_code >= 400:
        error = error_from_response(response)
        hint = hints.get(response.status_code, "the token service failed; try again later")
        message = f"{what} was refused: HTTP {response.status_code}: {error.title or 'error'}; {hint}"
        raise reworded(error, message, AuthenticationError)
    try:
        from lf_repository_v2.models import SessionKeyInfo  # the generated models load on first use

        info = SessionKeyInfo.from_dict(response.json())
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AuthenticationError(
            f"{what} answered without a usable access_token", status=response.status_code
        ) from exc
    if not isinstance(info.access_token, str) or not info.access_token:
        raise AuthenticationError(f"{what} answered an empty access_token", status=response.status_code)
    lifetime = info.expires_in if isinstance(info.expires_in, int) and info.expires_in > 0 else None
    cache.put(info.access_token, float(lifetime) if lifetime else None, refresh_at)
    return info.access_token


@attrs.define(repr=False)
class PasswordGrant:
    """Self-hosted servers: `POST {base_url}/v1/Repositories/{repository_id}/Token` with a password grant
    (tokens live about 15 minutes), refreshed at `refresh_at` of their lifetime."""

    base_url: str
    repository_id: str
    username: str
    password: str
    refresh_at: float = 0.8
    clock: Callable[[], float] = time.monotonic
    ledger: TaskLedger = attrs.field(factory=TaskLedger)
    _cache: _Cache = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._cache = _Cache(self.clock, self.ledger)

    def __repr__(self) -> str:
        return (
            f"PasswordGrant(base_url={self.base_url!r}, repository_id={self.repository_id!r}, username=***)"
        )

    def token_flow(self, *, stale: str | None = None) -> TokenFlow:
        token = self._cache.get(stale)
        if token is not None:
            return token
        from lf_repository_v2.models import CreateAccessTokenRequest, CreateAccessTokenRequestGrantType

        body = CreateAccessTokenRequest(
            grant_type=CreateAccessTokenRequestGrantType.PASSWORD,
            username=self.username,
            password=self.password,
        ).to_dict()
        url = f"{self.base_url.rstrip('/')}/v1/Repositories/{self.repository_id}/Token"
        request = httpx.Request("POST", url, data=body)
        return (
            yield from token_grant(request, self._cache, self.refresh_at, "the password grant", _GRANT_HINTS)
        )
