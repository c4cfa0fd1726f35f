"""Error responses become `ApiError`s: `error_from_response` and the parsing behind it.

Reads, in order of preference, a ProblemDetails JSON body, the `x-apiserver-error` / `x-requestid` headers,
and a summary of any other body (the `<title>` of a gateway's HTML page, the first line of plain text), and
never lets a parsing error escape: a hostile or broken body still gives the status's `ApiError` subclass with
whatever could be read. `parse_retry_after` reads a `Retry-After` header (delay-seconds or an HTTP date);
`reworded` copies an `ApiError` under a new message. Free text taken from a response goes through
`_redact.scrub` (no URL query, no bearer token, one line, bounded length).
"""

from __future__ import annotations

import email.utils
import html
import json
import math
import urllib.parse
from datetime import UTC, datetime
from typing import Any

import httpx

from ._api_errors import (
    AUDIT_REASON_REQUIRED_CODE,
    AccessDeniedError,
    ApiError,
    AuditReasonRequiredError,
    AuthenticationError,
    BadRequestError,
    EntryLockedError,
    NotFoundError,
    RateLimitedError,
    RequestTooLargeError,
    ServerError,
)
from ._error_base import _int_or_none, _str_or_none
from ._errors import NetworkError
from ._redact import redact_url
from ._redact import scrub as _scrub
from ._tls_errors import describe_failure

__all__ = ["error_from_response", "network_error", "parse_retry_after", "reworded"]

# A ProblemDetails body is small; anything bigger is not parsed as JSON (bounded work on hostile input).
_MAX_JSON_BODY = 1_000_000

_STATUS_CLASSES: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: AccessDeniedError,
    404: NotFoundError,
    413: RequestTooLargeError,
    423: EntryLockedError,
    429: RateLimitedError,
}


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a `Retry-After` value, or None when absent or unparseable.

    Accepts delay-seconds (`"5"`, also a decimal such as `"1.5"`) and an HTTP date
    (`"Wed, 21 Oct 2015 07:28:00 GMT"`, relative to `now`, default the current UTC time). A date in the past
    gives 0.0. The value is not capped here: the retry policy caps it.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    whole, dot, frac = text.partition(".")
    if whole.isascii() and whole.isdigit() and (not dot or (frac.isascii() and frac.isdigit())):
        seconds = float(text)  # at most 64 ASCII digits: no int-size limit, finite
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    reference = now or datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    return max(0.0, (when - reference).total_seconds())


def _html_title(text: str) -> str | None:
    lower = text[:100_000].lower()
    start = lower.find("<title")
    if start < 0:
        return None
    gt = lower.find(">", start)
    end = lower.find("</title", gt + 1) if gt >= 0 else -1
    if gt < 0 or end < 0:
        return None
    title = html.unescape(text[gt + 1 : end])
    return _scrub(title) or None


def _body_text(body: bytes, content_type: str) -> str | None:
    """A short human-readable summary of a non-ProblemDetails body, or None."""
    if not body.strip():
        return None
    text = body[:200_000].decode("utf-8", errors="replace")
    if "html" in content_type or text.lstrip()[:1] == "<":
        title = _html_title(text)
        return (
            f"the server answered with an HTML page ({title})"
            if title
            else "the server answered with an HTML page"
        )
    if content_type.startswith("text/") or not content_type:
        line = _scrub(text.strip().splitlines()[0] if text.strip() else "")
        return line or None
    return None


def _response_body(response: httpx.Response, body: bytes | None) -> bytes:
    if body is not None:
        return bytes(body)
    try:
        return response.content
    except (httpx.ResponseNotRead, httpx.StreamError):
        return b""


def error_from_response(response: httpx.Response, *, body: bytes | None = None) -> ApiError:
    """Map any error response to the right `ApiError` subclass. Never raises a parsing error.

    Reads, in order of preference: the ProblemDetails JSON body (`title`, `detail`, `errorCode`,
    `operationId`, `traceId`), then the `x-apiserver-error` header (URL-encoded message) and `x-requestid`
    (operation id), then a summary of a non-JSON body (the `<title>` of a gateway's HTML page, the first line
    of plain text). Pass `body` for a streamed response whose content was read separately.
    """
    status = response.status_code
    headers = response.headers
    content_type = headers.get("content-type", "").lower()
    raw = _response_body(response, body)

    parsed: object = None
    if raw.strip() and len(raw) <= _MAX_JSON_BODY and raw.lstrip()[:1] in (b"{", b"[", b'"'):
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            parsed = None
    problem: dict[str, object] = dict(parsed) if isinstance(parsed, dict) else {}

    title = _str_or_none(problem.get("title"))
    detail = _str_or_none(problem.get("detail"))
    error_code = _int_or_none(problem.get("errorCode"))
    operation_id = _str_or_none(problem.get("operationId"))
    trace_id = _str_or_none(problem.get("traceId"))

    request_id = headers.get("x-requestid") or None
    header_message = headers.get("x-apiserver-error")
    if header_message:
        try:
            header_text = _scrub(urllib.parse.unquote_plus(header_message)) or None
        except (ValueError, UnicodeDecodeError):
            header_text = None
        if header_text and header_text not in (title, detail):
            if title is None:
                title = header_text
            elif detail is None:
                detail = header_text
    if not problem:
        if isinstance(parsed, str) and parsed.strip():
            detail = detail or _scrub(parsed)
        elif parsed is None:
            summary = _body_text(raw, content_type)
            if summary:
                detail = detail or summary
    if title is None:
        title = response.reason_phrase or None
        if detail is None and not raw.strip() and title:
            detail = "empty response body"
    operation_id = operation_id or request_id

    method: str | None = None
    url: str | None = None
    try:
        request = response.request
    except RuntimeError:
        request = None
    if request is not None:
        method = request.method
        url = request.url.path

    cls = _STATUS_CLASSES.get(status, ServerError)
    if cls is BadRequestError and error_code == AUDIT_REASON_REQUIRED_CODE:
        cls = AuditReasonRequiredError
    kwargs: dict[str, Any] = {
        "status": status,
        "title": title,
        "detail": detail,
        "error_code": error_code,
        "operation_id": operation_id,
        "trace_id": trace_id,
        "request_id": request_id,
        "problem": problem,
        "method": method,
        "url": url,
    }
    if cls is RateLimitedError:
        kwargs["retry_after"] = parse_retry_after(headers.get("retry-after"))
    return cls(**kwargs)


def reworded(error: ApiError, message: str, cls: type[ApiError] | None = None) -> ApiError:
    """A copy of `error` (as `cls`, default its own class) with a new message and the same fields."""
    return (cls or type(error))(
        message,
        status=error.status,
        title=error.title,
        detail=error.detail,
        error_code=error.error_code,
        operation_id=error.operation_id,
        trace_id=error.trace_id,
        request_id=error.request_id,
        problem=error.problem,
        method=error.method,
        url=error.url,
    )


_CAUSES = (
    # (words in the error text, lower-case; what happened; what to do)
    (("refused",), "connection refused", "is the server running there? check base_url"),
    (
        ("name or service not known", "nodename nor servname", "getaddrinfo", "no address associated"),
        "the host name could not be resolved",
        "check base_url (and DNS or proxy settings)",
    ),
    (
        ("wrong_version_number", "wrong version number"),
        "TLS to a port that does not speak TLS",
        "http vs https?",
    ),
    (("certificate verify failed",), "the server's TLS certificate was not trusted", "check the CA bundle"),
    (
        ("reset by peer", "connection reset"),
        "the connection was reset",
        "try again; a proxy may be cutting it",
    ),
    (("server disconnected", "without sending a response"), "the server closed the connection", "try again"),
    (("network is unreachable", "no route to host"), "the network is unreachable", "check the connection"),
)


def _cause(exc: BaseException) -> tuple[str, str]:
    """What happened in words, and what to do, from an httpx error (its text, then its type)."""
    text = f"{exc} {exc.__cause__ or ''}".lower()
    for words, what, hint in _CAUSES:
        if any(word in text for word in words):
            return what, hint
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection within the connect timeout", "check the address and the network"
    if isinstance(exc, httpx.TimeoutException):
        return (
            "no answer within the timeout",
            "the server is slow or unreachable; try again or raise the timeout",
        )
    reason = _scrub(str(exc)) or type(exc).__name__
    return reason, "check the connection"


def network_error(
    exc: BaseException, cls: type[NetworkError] = NetworkError, *, what: str | None = None
) -> NetworkError:
    """Describe an httpx transport error as a `NetworkError` naming the operation (`what`), the host, the
    cause in words and what to do (raise it ``from`` the httpx error)."""
    method: str | None = None
    url: str | None = None
    try:
        request = exc.request if isinstance(exc, httpx.HTTPError) else None
    except RuntimeError:
        request = None
    if request is not None:
        method = request.method
        url = str(request.url)
    timed_out = isinstance(exc, httpx.TimeoutException)
    host = request.url.netloc.decode("ascii", "replace") if request is not None else ""
    # TLS (unknown CA, expired, wrong host name, client certificate) and proxy failures first: _tls knows
    # the words, the host and what to do (--ca-bundle FILE, --client-cert, --proxy).
    cause, hint = describe_failure(exc, host or "the server") or _cause(exc)
    if what is not None:
        subject = f"{what} to {host}" if host else what
    else:
        subject = f"{method} {redact_url(url)}" if method and url else "request"
    kind = "timed out" if timed_out else "failed"
    return cls(
        f"{subject} {kind}: {cause} ({type(exc).__name__}); {hint}",
        method=method,
        url=url,
        timed_out=timed_out,
    )
