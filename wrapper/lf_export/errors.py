"""The one exception hierarchy of lf-export.

    LaserficheError
    ├── OptionsError (also ValueError)      bad export options / page range / access key, all problems at once
    ├── ApiError                            the server answered with an error status
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── AccessDeniedError        403
    │   ├── NotFoundError            404
    │   ├── RequestTooLargeError     413
    │   ├── EntryLockedError         423
    │   ├── RateLimitedError         429   (retry_after seconds, when the server said)
    │   └── ServerError              5xx and other undeclared statuses
    ├── NetworkError                        no usable answer (connection refused/reset, timeouts)
    ├── TaskError                           a long operation did not produce a result
    │   ├── TaskFailedError                 status Failed, with the server's ProblemDetails
    │   ├── TaskCancelledError              status Cancelled
    │   └── TaskExpiredError                the server no longer knows the id (expired or never existed)
    ├── ExportTimeoutError                  the caller's deadline passed; carries task ids for resume
    └── DownloadError                       the download link could not be fetched or written

SKELETON: class names and constructor shapes are the shared interface; the owner of this module completes
mapping and messages.
"""

from __future__ import annotations

__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "DownloadError",
    "EntryLockedError",
    "ExportTimeoutError",
    "LaserficheError",
    "NetworkError",
    "NotFoundError",
    "OptionIssue",
    "OptionsError",
    "RateLimitedError",
    "RequestTooLargeError",
    "ServerError",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
    "TaskFailedError",
]


class LaserficheError(Exception):
    """Base of every error lf-export raises on purpose."""
