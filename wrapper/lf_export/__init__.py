"""lf-export: the Python client for exporting documents from a Laserfiche repository (Repository API V2).

    >>> from lf_export import ExportClient, ExportOptions
    >>> base = "https://api.laserfiche.com/repository"
    >>> with ExportClient(base, "r-abc123", token=token) as lf:  # doctest: +SKIP
    ...     lf.export(2161949, ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL"), "exports/")

Everything public is imported from here (`__all__`); the modules are private, one concern each:
_options / _pages / _text_rules (what may be sent), _errors (the exception tree), _policy (retry, poll and
deadline decisions), _modes (the auto mode rule), _tasks (task progress), _results (what calls return),
_flows (what the client does, sans I/O), _config (client settings), _base / _client / _aio (the sync and
async drivers), _transport (auth, retries, rate gate), _tokens / _cloud (where tokens come from),
_download / _extract (safe link downloads and unpacking). The command line is `lf_export.cli`.
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
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    NotFoundError,
    OptionIssue,
    OptionsError,
    OptionsWarning,
    RateLimitedError,
    RequestTooLargeError,
    ServerError,
    TaskCancelledError,
    TaskError,
    TaskExpiredError,
    TaskFailedError,
)
from ._logging import redact_http_logs
from ._modes import AutoRule
from ._operations import LongOperation
from ._options import (
    ExportOptions,
    ExportPart,
    ImageFormat,
    ImageOptions,
    TextOptions,
    Watermark,
    WatermarkPosition,
)
from ._pacing import Pacing
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
from ._tasks import TaskProgress, TaskStatus, TaskType
from ._tls import InsecureTLSWarning
from ._tokens import CallableToken, PasswordGrant, StaticToken, TokenSource

__version__ = "0.1.0"

#: Loaded on first use, name -> private module: durable runs (and sqlite3), the tree and search results.
_RUNS = {
    "EntryField": "_tree_results",
    "EntryLink": "_tree_results",
    "EntryMetadata": "_tree_results",
    "EntryTag": "_tree_results",
    "TreeEntry": "_tree_results",
    "TreeOutcome": "_tree_results",
    "TreeSummary": "_tree_results",
    "EntryVersion": "_journal_model",
    "JournalError": "_journal",
    "RunStatus": "_runs",
    "RunSummary": "_run_core",
    "aresume_run": "_runs",
    "arun_export": "_runs",
    "read_run_status": "_runs",
    "resume_run": "_runs",
    "run_export": "_runs",
}

if TYPE_CHECKING:
    from ._aio import AsyncExportClient
    from ._journal import JournalError
    from ._journal_model import EntryVersion
    from ._operations import AsyncLongOperation
    from ._run_core import RunSummary
    from ._runs import RunStatus, aresume_run, arun_export, read_run_status, resume_run, run_export
    from ._tree_results import (
        EntryField,
        EntryLink,
        EntryMetadata,
        EntryTag,
        TreeEntry,
        TreeOutcome,
        TreeSummary,
    )


def __getattr__(name: str) -> Any:
    # The asyncio driver (and asyncio itself) loads on first use: sync-only programs never pay for it.
    if name == "AsyncExportClient":
        from ._aio import AsyncExportClient

        return AsyncExportClient
    if name == "AsyncLongOperation":
        from ._operations import AsyncLongOperation

        return AsyncLongOperation
    if name in _RUNS:
        import importlib

        return getattr(importlib.import_module(f".{_RUNS[name]}", __name__), name)
    raise AttributeError(f"module 'lf_export' has no attribute {name!r}")


__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AsyncExportClient",
    "AsyncLongOperation",
    "AuditReason",
    "AuditReasonRequiredError",
    "AuthenticationError",
    "AutoRule",
    "BadRequestError",
    "CallableToken",
    "ClientClosedError",
    "DownloadError",
    "DownloadResult",
    "EntryField",
    "EntryInfo",
    "EntryLink",
    "EntryLockedError",
    "EntryMetadata",
    "EntryTag",
    "EntryVersion",
    "ExportClient",
    "ExportInterrupted",
    "ExportJob",
    "ExportOptions",
    "ExportPart",
    "ExportResult",
    "ExportTimeoutError",
    "ImageFormat",
    "ImageOptions",
    "InsecureTLSWarning",
    "JobOutcome",
    "JournalError",
    "LaserficheError",
    "LongOperation",
    "NetworkError",
    "NotFoundError",
    "OptionIssue",
    "OptionsError",
    "OptionsWarning",
    "Pacing",
    "PageRange",
    "PasswordGrant",
    "PollPolicy",
    "ProgressEvent",
    "ProgressPhase",
    "RateLimitedError",
    "RequestTooLargeError",
    "RetryPolicy",
    "RunStatus",
    "RunSummary",
    "ServerError",
    "StaticToken",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
    "TaskFailedError",
    "TaskProgress",
    "TaskStatus",
    "TaskType",
    "TextOptions",
    "Timeouts",
    "TokenSource",
    "TreeEntry",
    "TreeOutcome",
    "TreeSummary",
    "Watermark",
    "WatermarkPosition",
    "__version__",
    "aresume_run",
    "arun_export",
    "read_run_status",
    "redact_http_logs",
    "resume_run",
    "run_export",
]
