"""lf-export: the Python client for exporting documents from a Laserfiche repository (Repository API V2).

    >>> from lf_export import ExportClient, ExportOptions
    >>> base = "https://api.laserfiche.com/repository"
    >>> with ExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
    ...     lf.export(2161949, ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL"), "exports/")

Modules, one concern each: options (what to export), pages (page ranges), errors (the exception hierarchy),
policy (retry/poll/deadline decisions), tasks (task progress), flows (what an export does, sans I/O),
transport (auth, retries, rate gate), tokens (where tokens come from), cloud (Laserfiche Cloud sign-in),
download (safe link downloads), extract (safe zip extraction), client / aio (the sync and async drivers),
cli (the command line).
"""

from typing import TYPE_CHECKING, Any

from ._client import ExportClient
from ._errors import (
    AccessDeniedError,
    ApiError,
    AuditReasonRequiredError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    DownloadError,
    EntryLockedError,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    NotFoundError,
    OptionIssue,
    OptionsError,
    RateLimitedError,
    RequestTooLargeError,
    ServerError,
    TaskCancelledError,
    TaskError,
    TaskExpiredError,
    TaskFailedError,
)
from ._flows import AutoRule
from ._logging import install_redaction
from ._options import (
    ExportOptions,
    ExportPart,
    ImageFormat,
    ImageOptions,
    TextOptions,
    Watermark,
    WatermarkPosition,
)
from ._pages import PageRange
from ._policy import PollPolicy, RetryPolicy, Timeouts
from ._results import (
    AuditReason,
    DownloadResult,
    EntryInfo,
    ExportJob,
    ExportResult,
    JobOutcome,
    ProgressEvent,
    ProgressPhase,
)
from ._tasks import TaskProgress, TaskStatus
from ._tokens import CallableToken, PasswordGrant, StaticToken, TokenSource

__version__ = "0.1.0"

install_redaction()

if TYPE_CHECKING:
    from ._aio import AsyncExportClient


def __getattr__(name: str) -> Any:
    # The asyncio driver (and asyncio itself) loads on first use: sync-only programs never pay for it.
    if name == "AsyncExportClient":
        from ._aio import AsyncExportClient

        return AsyncExportClient
    raise AttributeError(f"module 'lf_export' has no attribute {name!r}")


__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AsyncExportClient",
    "AuditReason",
    "AuditReasonRequiredError",
    "AuthenticationError",
    "AutoRule",
    "BadRequestError",
    "CallableToken",
    "ClientClosedError",
    "DownloadError",
    "DownloadResult",
    "EntryInfo",
    "EntryLockedError",
    "ExportClient",
    "ExportJob",
    "ExportOptions",
    "ExportPart",
    "ExportResult",
    "ExportTimeoutError",
    "ImageFormat",
    "ImageOptions",
    "JobOutcome",
    "LaserficheError",
    "NetworkError",
    "NotFoundError",
    "OptionIssue",
    "OptionsError",
    "PageRange",
    "PasswordGrant",
    "PollPolicy",
    "ProgressEvent",
    "ProgressPhase",
    "RateLimitedError",
    "RequestTooLargeError",
    "RetryPolicy",
    "ServerError",
    "StaticToken",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
    "TaskFailedError",
    "TaskProgress",
    "TaskStatus",
    "TextOptions",
    "Timeouts",
    "TokenSource",
    "Watermark",
    "WatermarkPosition",
    "__version__",
]
