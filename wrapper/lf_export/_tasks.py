"""Long-operation tasks as the wrapper sees them: progress snapshots and what one ListTasks round means.

No I/O. `TaskProgress.from_generated` reads the generated model; `read_round` turns one ListTasks answer into
decisions. Tolerance for a newer server lives here: an unknown `status` is kept as its wire string and counts
as still running (until the caller's deadline); an unknown `taskType` is kept as a string.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
from lf_repository_v2.types import Unset

from ._errors import TaskCancelledError, TaskError, TaskExpiredError, TaskFailedError
from ._redact import redact_link

if TYPE_CHECKING:
    from lf_repository_v2.models import TaskProgress as _GeneratedTaskProgress

__all__ = ["RoundOutcome", "TaskProgress", "TaskStatus", "TaskType", "read_round", "wire_value"]


class TaskType(enum.StrEnum):
    """The long operations a task can be (the wire's `taskType`; a newer server may send others)."""

    COPY_ENTRY = "CopyEntry"
    DELETE_ENTRY = "DeleteEntry"
    EXPORT_ENTRY = "ExportEntry"
    IMPORT_UPLOADED_PARTS = "ImportUploadedParts"
    SEARCH_ENTRY = "SearchEntry"


class TaskStatus(enum.StrEnum):
    NOT_STARTED = "NotStarted"
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELLED = "Cancelled"


_FINAL = frozenset({TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED})


def _redacted(link: str | None) -> str:
    return "None" if link is None else repr(redact_link(link))


@attrs.frozen(kw_only=True)
class TaskProgress:
    """One task's progress. `status` is a `TaskStatus`, or the wire string of a status this client does not
    know.

    `result_uri` is the task's `result.uri`: for an export the download link (a credential: its query
    string signs it; also given as `download_link`, and left out of `repr`), for a copy the new entry's
    GetEntry URL, for a search its results URL. `entry_id` is `result.entryId` (the exported entry, the new
    copy).
    """

    task_id: str
    status: TaskStatus | str
    task_type: str | None = None
    percent_complete: int | None = None
    errors: tuple[Mapping[str, object], ...] = ()
    entry_id: int | None = None
    result_uri: str | None = attrs.field(default=None, repr=_redacted)
    start_time: datetime | None = None
    last_update_time: datetime | None = None

    @property
    def download_link(self) -> str | None:
        """An export task's download link (its `result_uri`); None for other task types."""
        return self.result_uri if self.task_type in (None, TaskType.EXPORT_ENTRY) else None

    @property
    def is_final(self) -> bool:
        return self.status in _FINAL

    @classmethod
    def from_generated(cls, model: _GeneratedTaskProgress) -> TaskProgress:
        status: TaskStatus | str
        try:
            status = TaskStatus(wire_value(model.status))
        except ValueError:
            status = wire_value(model.status)
        result = model.result if not isinstance(model.result, Unset) else None
        entry_id: int | None = None
        link: str | None = None
        if result is not None:
            raw_entry = result.entry_id if not isinstance(result.entry_id, Unset) else None
            entry_id = raw_entry if isinstance(raw_entry, int) else None
            raw_uri = result.uri if not isinstance(result.uri, Unset) else None
            link = raw_uri if isinstance(raw_uri, str) and raw_uri else None
        errors = () if isinstance(model.errors, Unset) else tuple(e.to_dict() for e in model.errors)
        return cls(
            task_id=str(model.id),
            status=status,
            task_type=None if isinstance(model.task_type, Unset) else wire_value(model.task_type),
            percent_complete=None if isinstance(model.percent_complete, Unset) else model.percent_complete,
            errors=errors,
            entry_id=entry_id,
            result_uri=link,
            start_time=_opt(model.start_time),
            last_update_time=_opt(model.last_update_time),
        )

    def error(self) -> TaskError | None:
        """The error this final state means for the caller, or None (running, or completed with a link)."""
        if self.status == TaskStatus.FAILED:
            return TaskFailedError(self.task_id, [dict(e) for e in self.errors], task_type=self.task_type)
        if self.status == TaskStatus.CANCELLED:
            return TaskCancelledError(self.task_id)
        exports = self.task_type in (None, TaskType.EXPORT_ENTRY)
        if self.status == TaskStatus.COMPLETED and exports and not self.download_link:
            return TaskFailedError(
                self.task_id, [{"title": "the task completed without a download link", "status": 200}]
            )
        return None


def wire_value(value: Any) -> str:
    """The wire string of a generated enum member, or of an open-enum string the client does not know."""
    return str(value.value) if isinstance(value, enum.Enum) else str(value)


def _opt(value: datetime | Unset | None) -> datetime | None:
    return None if isinstance(value, Unset) else value


@attrs.frozen
class RoundOutcome:
    """What one ListTasks answer means for the ids that were asked for.

    `ended` maps task id → final progress (Completed, Failed, Cancelled); `expired` lists ids the server did
    not return (it no longer knows them: expired 15 minutes after completion, never existed, or another
    token's); `running` lists the progress of the others, unknown statuses included.
    """

    ended: dict[str, TaskProgress]
    running: dict[str, TaskProgress]
    expired: tuple[str, ...]

    def errors(self) -> dict[str, TaskError]:
        found: dict[str, TaskError] = {task_id: TaskExpiredError(task_id) for task_id in self.expired}
        for task_id, progress in self.ended.items():
            error = progress.error()
            if error is not None:
                found[task_id] = error
        return found


def read_round(asked: Sequence[str], answered: Iterable[TaskProgress]) -> RoundOutcome:
    by_id = {progress.task_id.lower(): progress for progress in answered}
    ended: dict[str, TaskProgress] = {}
    running: dict[str, TaskProgress] = {}
    expired: list[str] = []
    for task_id in dict.fromkeys(asked):
        progress = by_id.get(task_id.lower())
        if progress is None:
            expired.append(task_id)
        elif progress.is_final:
            ended[task_id] = progress
        else:
            running[task_id] = progress
    return RoundOutcome(ended, running, tuple(expired))
