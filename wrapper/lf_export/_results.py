"""Value types the export clients take and return: jobs, results, progress events, entries, audit reasons."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import attrs

from ._errors import LaserficheError
from ._options import ExportOptions
from ._tasks import TaskStatus

__all__ = [
    "AuditReason",
    "DownloadResult",
    "EntryInfo",
    "ExportJob",
    "ExportResult",
    "JobOutcome",
    "ProgressCallback",
    "ProgressEvent",
    "ProgressPhase",
]


@attrs.frozen
class DownloadResult:
    """A finished download.

    `suggested_name` is the server's Content-Disposition name after `safe_filename` (``None`` when the
    server suggested none); `resumed` says whether bytes from a broken transfer were kept via HTTP Range.
    """

    path: Path
    size: int
    content_type: str | None
    suggested_name: str | None
    resumed: bool


@attrs.frozen(kw_only=True)
class EntryInfo:
    """What `GetEntry` tells about an entry: enough to pick an export mode, name a file and see a change.

    `entry_type` is "Folder", "RecordSeries", "Document" or "Shortcut" (or a newer server's value);
    `page_count`, `electronic_size`, `extension` and `mime_type` are a document's; `last_modified` is UTC."""

    entry_id: int
    name: str
    entry_type: str
    page_count: int | None = None
    electronic_size: int | None = None
    extension: str | None = None
    mime_type: str | None = None
    parent_id: int | None = None
    full_path: str | None = None
    last_modified: datetime | None = None


@attrs.frozen(kw_only=True)
class AuditReason:
    reason_id: int
    name: str
    event_type: str | None = None


@attrs.frozen(kw_only=True)
class ExportResult:
    """A finished export: the file written (and, with `extract=True`, the files unpacked from it). `entry_id`
    is None only for a resumed task whose entry the server did not name."""

    entry_id: int | None
    path: Path
    size: int
    content_type: str | None
    suggested_name: str | None
    task_id: str | None
    mode: str  # "sync" (simple Export) or "async" (ExportAsync + task)
    elapsed: float  # seconds, submit to file renamed into place
    extracted: tuple[Path, ...] = ()


@attrs.frozen
class ExportJob:
    """One entry to export in `export_many`; `options=None` means the client's default (a multi-page TIFF).

    `task_id`: an export task of this entry started earlier (by a run that was interrupted): it is waited on
    instead of starting another; if the server no longer knows it, the job starts a new task."""

    entry_id: int
    options: ExportOptions | None = None
    task_id: str | None = None

    @classmethod
    def coerce(cls, value: ExportJob | int | tuple[int, ExportOptions]) -> ExportJob:
        if isinstance(value, ExportJob):
            return value
        if isinstance(value, tuple):
            return cls(value[0], value[1])
        return cls(value)


@attrs.frozen
class JobOutcome:
    """The fate of one job of `export_many`: a result, or the error that stopped it (never both). `index` is
    the job's position in the jobs given (outcomes stream in the order jobs finish)."""

    job: ExportJob
    result: ExportResult | None = None
    error: LaserficheError | None = None
    task_id: str | None = None
    index: int = 0

    @property
    def ok(self) -> bool:
        return self.result is not None


class ProgressPhase(enum.StrEnum):
    SUBMITTED = "submitted"  # the export task was started (task_id set)
    TASK = "task"  # the server reported progress (status, percent)
    DOWNLOAD = "download"  # bytes arrived (bytes_done, bytes_total)
    DONE = "done"  # the file is in place
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class ProgressEvent:
    phase: ProgressPhase
    entry_id: int | None = None
    task_id: str | None = None
    status: TaskStatus | str | None = None
    percent: int | None = None
    bytes_done: int | None = None
    bytes_total: int | None = None
    path: Path | None = None
    message: str | None = None
    index: int | None = None  # the job's position in export_many's jobs (submitted, failed)


ProgressCallback = Callable[[ProgressEvent], None]
