"""`ApiError` and its subclasses: the server answered with an error status.

Built from a response by `_responses.error_from_response`; importable (like every exception) from `_errors`.
Messages and reprs are one line, carry the request's path (never its query string), and free text from the
server is scrubbed of URLs' queries and bearer tokens (`_redact.scrub`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ._error_base import LaserficheError
from ._redact import redact_url
from ._redact import scrub as _scrub

__all__ = [
    "AUDIT_REASON_REQUIRED_CODE",
    "AccessDeniedError",
    "ApiError",
    "AuditReasonRequiredError",
    "AuthenticationError",
    "BadRequestError",
    "EntryLockedError",
    "NotFoundError",
    "RateLimitedError",
    "RequestTooLargeError",
    "ServerError",
]

AUDIT_REASON_REQUIRED_CODE = 216


class ApiError(LaserficheError):
    """The server answered with an error status. Built by `error_from_response`; catch a subclass or this.

    Attributes: `status`, `title`, `detail`, `error_code`, `operation_id`, `trace_id`, `request_id` (header
    `x-requestid`), `problem` (the full ProblemDetails, or `{}` when the body was not one), `method` and `url`
    (the request's path, never its query string).
    """

    default_title: ClassVar[str] = "request failed"
    hint: ClassVar[str] = ""

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        error_code: int | None = None,
        operation_id: str | None = None,
        trace_id: str | None = None,
        request_id: str | None = None,
        problem: Mapping[str, object] | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.error_code = error_code
        self.operation_id = operation_id
        self.trace_id = trace_id
        self.request_id = request_id
        self.problem: dict[str, object] = dict(problem) if problem else {}
        self.method = method
        self.url = redact_url(url) if url is not None else None
        super().__init__(_scrub(message, 1000) if message is not None else self._compose())

    def _compose(self) -> str:
        where = ""
        if self.method and self.url:
            where = f"{self.method} {self.url} -> "
        elif self.url:
            where = f"{self.url} -> "
        what = _scrub(self.title) if self.title else self.default_title
        text = f"{where}HTTP {self.status}: {what}"
        if self.detail:
            detail = _scrub(self.detail)
            if detail and detail != what:
                text += f" {detail}" if what.endswith((".", "!", ":")) else f": {detail}"
        extras = []
        if self.error_code is not None:
            extras.append(f"errorCode {self.error_code}")
        op = self.operation_id or self.request_id
        if op:
            extras.append(f"operation id {_scrub(op, 80)}")
        if extras:
            text += f" ({', '.join(extras)})"
        if self.hint:
            text += f". {self.hint}"
        return text

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        fields = [f"status={self.status}"]
        if self.title:
            fields.append(f"title={_scrub(self.title, 80)!r}")
        if self.error_code is not None:
            fields.append(f"error_code={self.error_code}")
        if self.operation_id:
            fields.append(f"operation_id={_scrub(self.operation_id, 80)!r}")
        if self.method:
            fields.append(f"method={self.method!r}")
        if self.url:
            fields.append(f"url={self.url!r}")
        return f"{type(self).__name__}({', '.join(fields)})"


class BadRequestError(ApiError):
    """400: the request is invalid (an option, a page range, an id)."""

    default_title = "bad request"


class AuditReasonRequiredError(BadRequestError):
    """400 with errorCode 216: the repository requires an ExportDocument audit reason."""

    default_title = "an audit reason is required"
    hint = "Pass audit_reason_id with one of the repository's ExportDocument audit reasons (ListAuditReasons)"


class AuthenticationError(ApiError):
    """401: the access token is missing, invalid or expired."""

    default_title = "not authenticated"
    hint = "Check the access token or get a new one"


class AccessDeniedError(ApiError):
    """403: the token lacks the scope (`repository.Read`) or the user lacks rights on the entry."""

    default_title = "access denied"


class NotFoundError(ApiError):
    """404: the repository or entry does not exist or is not visible to this user."""

    default_title = "not found"


class RequestTooLargeError(ApiError):
    """413: the request or the export it would produce is too large; export fewer pages at a time."""

    default_title = "request too large"
    hint = "Export fewer pages per request"


class EntryLockedError(ApiError):
    """423: the entry is locked by another user or process; retry later."""

    default_title = "entry locked"
    hint = "The entry is locked by another user or process; retry later"


class RateLimitedError(ApiError):
    """429: a rate limit or the per-token limit of concurrent long operations was exceeded.

    `retry_after` is the server's `Retry-After` in seconds (from delay-seconds or an HTTP date), or None.
    """

    default_title = "too many requests"

    def __init__(
        self, message: str | None = None, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)

    def _compose(self) -> str:
        text = super()._compose()
        if self.retry_after is not None:
            text += f"; the server asked to retry after {self.retry_after:g} s"
        return text


class ServerError(ApiError):
    """5xx, and any status the API does not declare (a gateway's 499, 520 ...)."""

    default_title = "server error"
