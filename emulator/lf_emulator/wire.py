"""ProblemDetails answers and the request being handled, shared by the API's operation modules."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ["Call", "Problem", "ProblemResponse", "problem_body"]

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    423: "locked",
    429: "too-many-requests",
}


class Problem(Exception):
    """An error answer as ProblemDetails."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        error_code: int | None = None,
        source: str = "Api",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.error_code = error_code
        self.source = source
        self.headers = dict(headers or {})


def problem_body(
    status: int,
    detail: str,
    *,
    instance: str,
    request_id: str,
    error_code: int | None = None,
    source: str = "Api",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://api.laserfiche.com/repository/errors/{_SLUGS.get(status, 'error')}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
        "operationId": request_id,
        "errorSource": source,
        "traceId": uuid.uuid4().hex,
    }
    if error_code is not None:
        body["errorCode"] = error_code
    return body


class ProblemResponse(JSONResponse):
    """ProblemDetails, with the message also URL-encoded in ``x-apiserver-error`` as the real server does."""

    media_type = "application/problem+json"

    def __init__(
        self, content: dict[str, Any], status_code: int, headers: Mapping[str, str] | None = None
    ) -> None:
        merged = {"x-apiserver-error": quote(str(content.get("detail", ""))[:500], safe="")}
        merged.update(headers or {})
        super().__init__(content, status_code, headers=merged)


@dataclass
class Call:
    """One API request on its way through the pipeline."""

    operation: str
    params: dict[str, str]
    request: Request
    request_id: str
    token: str = ""
    body: bytes = b""

    @property
    def origin(self) -> str:
        url = self.request.url
        return f"{url.scheme}://{url.netloc}"
