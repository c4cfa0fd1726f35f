"""Every long operation the guides describe, behind one handle: its status, its end, its result by type, and
many of them waited on together with one ListTasks per round.

Result by task type (the wire's `result`): ExportEntry → the download link; CopyEntry → the new entry, read
from `result.uri` with the token only when that URI is on the API's origin (scheme, host and port), else by
GetEntry of `result.entryId`; DeleteEntry → nothing (success is the Completed status); any other type → its
final `TaskProgress`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs

from .._errors import TaskExpiredError, TaskFailedError
from .._policy import Deadline
from .._results import EntryInfo, ProgressEvent, ProgressPhase
from .._tasks import TaskProgress, TaskType, read_round
from .calls import (
    check_task_ids,
    entry_from_json,
    get_entry,
    list_tasks,
    start_copy_entry,
    start_delete_entry,
)
from .commands import Deliver, Fetch, Flow, FlowContext, Hold, Progress
from .polling import Poller, aborted, completed_link, wait_flow, wait_started

__all__ = [
    "OperationRef",
    "operation_result",
    "result_flow",
    "run_flow",
    "same_origin",
    "start_copy_flow",
    "start_delete_flow",
    "status_flow",
    "wait_each_flow",
]

log = logging.getLogger("lf_export.tasks")


@attrs.frozen
class OperationRef:
    """What identifies a long operation: its task id and type, and the entry it concerns (the exported or
    deleted entry, the copy's source), when known."""

    task_id: str
    task_type: str
    entry_id: int | None = None


def same_origin(url: str, base_url: str) -> bool:
    """Whether `url` has the scheme, host and port of `base_url` (default ports made explicit)."""

    def origin(text: str) -> tuple[str, str, int | None]:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        try:
            port = parts.port
        except ValueError:
            return ("", "", None)
        return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)

    mine = origin(url)
    return bool(mine[0]) and mine == origin(base_url)


def status_flow(task_id: str) -> Flow[TaskProgress]:
    """One ListTasks for one task; `TaskExpiredError` when the server no longer knows it."""
    (task_id,) = check_task_ids([task_id])
    answered: list[TaskProgress] = yield list_tasks([task_id])
    outcome = read_round([task_id], answered)
    known = {**outcome.running, **outcome.ended}
    if task_id not in known:
        raise TaskExpiredError(task_id)
    return known[task_id]


def operation_result(ctx: FlowContext, progress: TaskProgress) -> Flow[Any]:
    """The result of an ended task by its type (see the module docstring), or its error."""
    error = progress.error()
    if error is not None:
        raise error
    if progress.task_type in (None, TaskType.EXPORT_ENTRY):
        return completed_link(progress)
    if progress.task_type == TaskType.COPY_ENTRY:
        uri = progress.result_uri
        if uri and same_origin(uri, ctx.base_url):
            entry: EntryInfo = yield Fetch(uri, entry_from_json)
            return entry
        if progress.entry_id:
            if uri:
                why = "result.uri is not on the API's origin; reading the new entry by id"
                log.info("task %s: %s (%s)", progress.task_id, why, progress.entry_id)
            return (yield get_entry(progress.entry_id))
        raise TaskFailedError(
            progress.task_id, [{"title": "the copy completed without naming the new entry"}]
        )
    if progress.task_type == TaskType.DELETE_ENTRY:
        return None
    return progress


def start_copy_flow(
    source_id: int, folder_id: int, name: str | None, auto_rename: bool
) -> Flow[OperationRef]:
    """Start a copy of `source_id` into `folder_id` (named like the source unless `name` is given)."""
    if name is None:
        source: EntryInfo = yield get_entry(source_id)
        name = source.name
    task_id: str = yield start_copy_entry(source_id, folder_id, name, auto_rename)
    log.info("entry %s: copy task %s started (into folder %s)", source_id, task_id, folder_id)
    yield Progress(ProgressEvent(phase=ProgressPhase.SUBMITTED, entry_id=source_id, task_id=task_id))
    return OperationRef(task_id, TaskType.COPY_ENTRY, source_id)


def start_delete_flow(entry_id: int, audit_reason_id: int | None, comment: str | None) -> Flow[OperationRef]:
    task_id: str = yield start_delete_entry(entry_id, audit_reason_id, comment)
    log.info("entry %s: delete task %s started", entry_id, task_id)
    yield Progress(ProgressEvent(phase=ProgressPhase.SUBMITTED, entry_id=entry_id, task_id=task_id))
    return OperationRef(task_id, TaskType.DELETE_ENTRY, entry_id)


def run_flow(ctx: FlowContext, start: Flow[OperationRef], deadline: Deadline | None) -> Flow[Any]:
    """Start an operation, wait for it (cancelling it on abort, as for an export) and return its result."""
    ref = yield from start
    progress = yield from wait_started(ctx, ref.task_id, ref.entry_id, deadline)
    return (yield from operation_result(ctx, progress))


def result_flow(ctx: FlowContext, ref: OperationRef, deadline: Deadline | None) -> Flow[Any]:
    """Wait for an operation (never cancelling it: a handle may be another process's); return its result."""
    final = yield from wait_flow(ctx, [ref.task_id], deadline, {ref.task_id: ref.entry_id})
    return (yield from operation_result(ctx, next(iter(final.values()))))


def wait_each_flow(
    ctx: FlowContext, ops: Sequence[OperationRef], deadline: Deadline | None
) -> Flow[dict[str, TaskProgress | None]]:
    """Wait on many operations with one ListTasks per round; deliver ``(ref, final progress)`` as each ends
    (progress None: the server no longer knows the task). Returns task id → final progress. It never cancels
    (the caller may not have started them); on Ctrl-C `ExportInterrupted` names those still running."""
    refs: Mapping[str, OperationRef] = {check_task_ids([op.task_id])[0]: op for op in ops}
    pending = dict(refs)
    final: dict[str, TaskProgress | None] = {}
    if not pending:
        return final
    yield Hold(tuple(pending))
    poller = Poller(ctx, deadline, {task_id: op.entry_id for task_id, op in refs.items()})
    try:
        while pending:
            outcome = yield from poller.round(list(pending))
            for task_id, progress in outcome.ended.items():
                final[task_id] = progress
                yield Deliver((pending.pop(task_id), progress))
            for task_id in outcome.expired:
                final[task_id] = None
                yield Deliver((pending.pop(task_id), None))
            if pending:
                yield from poller.pause(bool(outcome.ended or outcome.expired))
    except KeyboardInterrupt as exc:
        raise aborted(exc, {t: op.entry_id for t, op in pending.items()}, ())  # noqa: B904 - aborted() chains
    return final
