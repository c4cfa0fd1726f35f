"""Where access tokens come from: a static token, a user callable, or a cached grant that refreshes itself.

SKELETON: `TokenSource` is the shared interface used by `transport.BearerAuth`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["TokenSource"]


@runtime_checkable
class TokenSource(Protocol):
    """Gives the bearer token for the next request.

    `force_refresh=True` is passed after the server answered 401 with the token last given: the source must
    not return that same token again from a cache.
    """

    def get_token(self, *, force_refresh: bool = False) -> str: ...

    async def aget_token(self, *, force_refresh: bool = False) -> str: ...
