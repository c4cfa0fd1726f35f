"""The one exception hierarchy of lf-export.

    LaserficheError
    ├── OptionsError (also ValueError)      bad export options / page range / access key, all problems at once
    ├── ApiError                            the server answered with an error status
    │   ├── BadRequestError          400
    │   │   └── AuditReasonRequiredError   400 with errorCode 216 (the repository demands an audit reason)
    │   ├── AuthenticationError      401
    │   ├── AccessDeniedError        403
    │   ├── NotFoundError            404
    │   ├── RequestTooLargeError     413
    │   ├── EntryLockedError         423
    │   ├── RateLimitedError         429   (retry_after seconds, when the server said)
    │   └── ServerError              5xx and other undeclared statuses (499, 520, ...)
    ├── NetworkError                        no usable answer (connection refused/reset, timeouts)
    ├── TaskError                           a long operation did not produce a result
    │   ├── TaskFailedError                 status Failed, with the server's ProblemDetails
    │   ├── TaskCancelledError              status Cancelled
    │   └── TaskExpiredError                the server no longer knows the id (expired or never existed)
    ├── ClientClosedError                   the client was used after close()
    ├── ExportTimeoutError                  the caller's deadline passed; carries task ids for resume
    └── DownloadError                       the download link could not be fetched or written

    ExportInterrupted (KeyboardInterrupt)   Ctrl-C while remote tasks ran; names them (cancelled or not)

    OptionsWarning (UserWarning)            an option the server will ignore (sent anyway, never rewritten)

Import every exception from here. The root is defined in `_error_base` and the `ApiError` branch in
`_api_errors` (both pure, re-exported here); reading an HTTP response into an `ApiError`
(`error_from_response`, `parse_retry_after`) lives in `_responses`, the one that needs httpx. Every `str()`
and `repr()` is one line (except the caret lines an `OptionsError` adds under a page-range input) and never
contains an access token or a URL's query string: URLs pass through `_redact.redact_url`, free text from the
server through `_redact.scrub`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

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
from ._error_base import LaserficheError, _int_or_none, _rebuild, _str_or_none
from ._redact import redact_link as _redact_link
from ._redact import redact_url
from ._redact import scrub as _scrub

__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AuditReasonRequiredError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "DownloadDeadlineError",
    "DownloadError",
    "EntryLockedError",
    "ExportInterrupted",
    "ExportTimeoutError",
    "LaserficheError",
    "NetworkError",
    "NotFoundError",
    "OptionIssue",
    "OptionsError",
    "OptionsWarning",
    "RateLimitedError",
    "RequestTooLargeError",
    "ServerError",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
    "TaskFailedError",
    "redact_url",
]


def _short_repr(value: object, limit: int = 60) -> str:
    try:
        text = repr(value)
    except Exception:  # a user object whose __repr__ fails must not hide the real problem
        text = f"<{type(value).__name__}>"
    if len(text) > limit:
        text = text[: limit - 4] + "…" + text[-3:]
    return text


class OptionsWarning(UserWarning):
    """A setting the server will ignore (for example a page range with part Edoc).

    Warnings never change what is sent: the request carries what the caller set.
    """


# --------------------------------------------------------------------------------------------------- options


@attrs.frozen
class OptionIssue:
    """One problem with an option: the wire field path, the offending value, and the rule it breaks.

    `caret` holds, for page-range syntax errors, two lines: the input (escaped, windowed) and a `^` under the
    exact character.
    """

    field: str
    value: object
    rule: str
    caret: str | None = attrs.field(default=None, kw_only=True, eq=False)

    def __str__(self) -> str:
        return f"{self.field}: {self.rule} (got {_short_repr(self.value)})"


# Top-level members of the export request (and its query): issues on them are "export options".
_WIRE_ROOTS = frozenset(
    {"part", "pageRange", "auditReasonId", "auditReasonComment", "imageOptions", "textOptions"}
)


class OptionsError(LaserficheError, ValueError):
    """Export options, a page range or other arguments are invalid; `.issues` lists every problem found.

    The message starts "invalid page range", "invalid export options" (wire fields) or "invalid arguments"
    (anything else, e.g. a client's base_url), then lists every issue on one line; page-range syntax errors
    add two lines: the input and a caret under the offending character.

    Examples:
        >>> from lf_export._options import Watermark
        >>> try:
        ...     Watermark("DRAFT", rotation_angle=361)
        ... except OptionsError as e:
        ...     print(e.issues[0])
        imageOptions.watermark.rotationAngle: must be between 0 and 360 inclusive (got 361)
    """

    issues: tuple[OptionIssue, ...]

    def __init__(self, issues: Iterable[OptionIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__(self._message())

    def _message(self) -> str:
        if not self.issues:
            return "invalid arguments"
        head = "invalid arguments"
        if all(i.field == "pageRange" for i in self.issues):
            head = "invalid page range"
        elif all(i.field.split(".")[0] in _WIRE_ROOTS for i in self.issues):
            head = "invalid export options"
        text = f"{head}: " + "; ".join(str(i) for i in self.issues)
        for issue in self.issues:
            if issue.caret:
                text += "\n" + issue.caret
        return text

    def __str__(self) -> str:
        return self._message()

    def __repr__(self) -> str:
        return f"OptionsError({'; '.join(str(i) for i in self.issues)!r})"


# --------------------------------------------------------------------------------------------------- network


class NetworkError(LaserficheError):
    """No usable answer: connection refused or reset, DNS failure, timeouts. Raised `from` the httpx error.

    `timed_out` is True when the request timed out (connect, read, write or pool timeout, or the deadline
    cut it short), so a caller can tell a timeout without looking at `__cause__`.
    """

    def __init__(
        self, message: str, *, method: str | None = None, url: str | None = None, timed_out: bool = False
    ) -> None:
        self.method = method
        self.timed_out = timed_out
        self.url = redact_url(url) if url is not None else None
        super().__init__(_scrub(message, 500))

    def __repr__(self) -> str:
        return f"NetworkError({self.args[0]!r})"


# ------------------------------------------------------------------------------------------------------ tasks


class TaskError(LaserficheError):
    """A long operation did not produce a result. `task_id` names it."""

    def __init__(self, task_id: str, message: str) -> None:
        self.task_id = task_id
        super().__init__(_scrub(message, 1000))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(task_id={self.task_id!r})"


class TaskFailedError(TaskError):
    """The task ended with status Failed; `errors` is the server's list of ProblemDetails.

    `error_code`, `title` and `detail` echo the first error, for convenience.
    """

    def __init__(
        self, task_id: str, errors: Sequence[Mapping[str, object]], *, task_type: str | None = None
    ) -> None:
        self.task_type = task_type
        self.errors: list[dict[str, object]] = [dict(e) for e in errors if isinstance(e, Mapping)]
        first = self.errors[0] if self.errors else {}
        self.title = _str_or_none(first.get("title"))
        self.detail = _str_or_none(first.get("detail"))
        self.error_code = _int_or_none(first.get("errorCode"))
        text = f"task {task_id} failed"
        what = " ".join(_scrub(p) for p in (self.title, self.detail) if p)
        if what:
            text += f": {what}"
        if self.error_code is not None:
            text += f" (errorCode {self.error_code})"
        if len(self.errors) > 1:
            text += f" and {len(self.errors) - 1} more error(s)"
        if self.error_code == AUDIT_REASON_REQUIRED_CODE:
            event = "DeleteEntry" if task_type == "DeleteEntry" else "ExportDocument"
            text += f". {AuditReasonRequiredError.hint.replace('ExportDocument', event)}"
        super().__init__(task_id, text)


class TaskCancelledError(TaskError):
    """The task ended with status Cancelled (partial results may remain on the server)."""

    def __init__(self, task_id: str) -> None:
        super().__init__(task_id, f"task {task_id} was cancelled; partial results may remain")


class TaskExpiredError(TaskError):
    """The server no longer knows the task id: it answered without it."""

    def __init__(self, task_id: str) -> None:
        super().__init__(
            task_id,
            f"task {task_id} is unknown to the server: it expired 15 minutes after completion "
            "or never existed under this access token; start the export again",
        )


class ClientClosedError(LaserficheError):
    """The client was used after `close()` / `aclose()` (or after its `with` block ended)."""


class ExportTimeoutError(LaserficheError):
    """The caller's deadline passed before the export finished.

    `task_ids` are the server tasks involved; `cancelled` says whether they were cancelled. When they were
    not, the export can be resumed by waiting on the same task ids (until 15 minutes after they complete).
    """

    def __init__(
        self, task_ids: Iterable[str], cancelled: bool = False, *, resume_hint: str | None = None
    ) -> None:
        self.task_ids = tuple(task_ids)
        self.cancelled = cancelled
        ids = ", ".join(self.task_ids) if self.task_ids else "none"
        if cancelled:
            text = (
                f"export deadline passed; the remote task(s) were cancelled ({ids}); start the export again"
            )
        else:
            hint = resume_hint or (
                "resume by waiting on these task ids, within 15 minutes of their completion"
            )
            text = f"export deadline passed; task(s) still running on the server: {ids}; {hint}"
        super().__init__(_scrub(text, 2000))

    def __repr__(self) -> str:
        return f"ExportTimeoutError(task_ids={self.task_ids!r}, cancelled={self.cancelled!r})"


class DownloadError(LaserficheError):
    """The download link could not be fetched or the file not written. A link is a bearer credential for its
    file (some storage services carry the secret in the path), so `url` is only its host and file name
    (``https://host/…/NAME``, see `_redact.redact_link`). `existing` is set when the download (or the
    extraction) was refused because that file already exists and neither overwrite nor rename was asked."""

    def __init__(
        self,
        reason: str,
        url: str | None = None,
        *,
        status: int | None = None,
        existing: Path | None = None,
    ) -> None:
        self.reason = _scrub(reason, 500)
        self.url = _redact_link(url) if url is not None else None
        self.status = status
        self.existing = existing
        text = "download failed"
        if self.url:
            text += f" ({self.url})"
        if status is not None:
            text += f": HTTP {status}"
        text += f": {self.reason}"
        super().__init__(text)

    def __repr__(self) -> str:
        return f"DownloadError(reason={self.reason!r}, url={self.url!r}, status={self.status!r})"


class DownloadDeadlineError(DownloadError):
    """The caller's deadline passed before the download finished; nothing was written."""


class ExportInterrupted(KeyboardInterrupt):
    """Ctrl-C while remote tasks ran. Still a KeyboardInterrupt (so `except KeyboardInterrupt` works), but it
    names the tasks: `tasks` maps task id -> entry id (None when unknown) of every task running at the
    interrupt; `cancelled` the ids the server agreed to cancel; `left_running` the others; `outcomes` the
    jobs of an export_many that had finished (JobOutcome objects) before the interrupt."""

    def __init__(
        self,
        tasks: Mapping[str, int | None],
        cancelled: Iterable[str] = (),
        outcomes: Sequence[Any] = (),
    ) -> None:
        self.tasks: dict[str, int | None] = dict(tasks)
        wanted = set(cancelled)
        self.cancelled: tuple[str, ...] = tuple(t for t in self.tasks if t in wanted) + tuple(
            sorted(wanted.difference(self.tasks))
        )
        self.outcomes: tuple[Any, ...] = tuple(outcomes)
        super().__init__(self._message())

    @property
    def left_running(self) -> tuple[str, ...]:
        """The ids of the tasks the server did not agree to cancel (they may still be running)."""
        done = set(self.cancelled)
        return tuple(t for t in self.tasks if t not in done)

    def _message(self) -> str:
        parts = []
        if self.cancelled:
            parts.append(f"remote task(s) cancelled: {', '.join(self.cancelled)}")
        if self.left_running:
            parts.append(f"left running: {', '.join(self.left_running)}")
        text = "interrupted" + (f"; {'; '.join(parts)}" if parts else "; no remote task was running")
        return _scrub(text, 2000)

    def __str__(self) -> str:
        return self._message()

    def __repr__(self) -> str:
        return (
            f"ExportInterrupted(tasks={self.tasks!r}, cancelled={self.cancelled!r}, "
            f"left_running={self.left_running!r}, outcomes={len(self.outcomes)})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))
