"""One export: choose the mode, submit, wait, download; and finishing a task another process started."""

from __future__ import annotations

import logging
from pathlib import Path

import attrs

from .._errors import (
    ApiError,
    DownloadDeadlineError,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
)
from .._modes import Mode, choose_mode
from .._options import ExportOptions
from .._policy import Deadline
from .._results import DownloadResult, EntryInfo, ExportResult, ProgressEvent, ProgressPhase
from .calls import check_task_ids, export_entry, get_entry, start_export_entry
from .commands import Download, Flow, FlowContext, Progress
from .polling import completed_link, wait_flow, wait_started

__all__ = ["Destination", "ExportRequest", "export_flow", "fetch", "finish_task", "resume_flow"]

log = logging.getLogger("lf_export.export")


@attrs.frozen(kw_only=True)
class Destination:
    """Where a file goes: `path` is a folder (the server's file name, sanitised) or a file path."""

    path: Path
    overwrite: bool = False
    extract: bool = False
    rename: bool = False  # a taken name becomes "name (2).ext" instead of an error


@attrs.frozen(kw_only=True)
class ExportRequest:
    entry_id: int
    options: ExportOptions
    mode: Mode
    dest: Destination


def timed_out(error: LaserficheError) -> bool:
    """A simple export that gave up on time: no answer within the read timeout, or a gateway's 408/504."""
    if isinstance(error, NetworkError):
        return error.timed_out
    return isinstance(error, ApiError) and error.status in (408, 504)


def export_flow(ctx: FlowContext, req: ExportRequest, deadline: Deadline | None) -> Flow[ExportResult]:
    started = ctx.clock()
    mode = req.mode
    if mode == "auto":
        entry: EntryInfo = yield get_entry(req.entry_id)
        mode = choose_mode(entry, req.options, ctx.auto)
    if mode == "sync":
        try:
            link: str = yield export_entry(req.entry_id, req.options)
        except LaserficheError as error:
            if req.mode != "auto" or not timed_out(error):
                raise
            log.info("entry %s: the simple export timed out; starting an export task", req.entry_id)
        else:
            return (yield from fetch(ctx, req.dest, link, req.entry_id, None, started))
    task_id: str = yield start_export_entry(req.entry_id, req.options)
    log.info("entry %s: export task %s started", req.entry_id, task_id)
    yield Progress(ProgressEvent(phase=ProgressPhase.SUBMITTED, entry_id=req.entry_id, task_id=task_id))
    return (yield from finish_task(ctx, req.entry_id, req.dest, task_id, deadline, started))


def finish_task(
    ctx: FlowContext,
    entry_id: int,
    dest: Destination,
    task_id: str,
    deadline: Deadline | None,
    started: float,
) -> Flow[ExportResult]:
    """Wait for an export task this flow started and download its file; on abort, cancel it (see
    `polling`)."""
    progress = yield from wait_started(ctx, task_id, entry_id, deadline)
    link = completed_link(progress)
    return (yield from fetch(ctx, dest, link, entry_id, task_id, started))


def resume_flow(
    ctx: FlowContext, task_id: str, dest: Destination, deadline: Deadline | None
) -> Flow[ExportResult]:
    """Finish an export an earlier process started: wait for its task (never cancelling it: it is not ours),
    then download. The entry id comes from the task's result when the server names it."""
    started = ctx.clock()
    (task_id,) = check_task_ids([task_id])
    final = yield from wait_flow(ctx, [task_id], deadline)
    progress = final[task_id]
    return (yield from fetch(ctx, dest, completed_link(progress), progress.entry_id, task_id, started))


def fetch(
    ctx: FlowContext,
    dest: Destination,
    link: str,
    entry_id: int | None,
    task_id: str | None,
    started: float,
) -> Flow[ExportResult]:
    """Download an export's file and report it done. Past the deadline the task (if any) stays resumable: its
    link is usable a while longer."""
    try:
        done: tuple[DownloadResult, tuple[Path, ...]] = yield Download(
            link, dest.path, dest.overwrite, dest.extract, dest.rename, entry_id, task_id
        )
    except DownloadDeadlineError as exc:
        raise ExportTimeoutError([task_id] if task_id else [], cancelled=False) from exc
    result, extracted = done
    elapsed = ctx.clock() - started
    mode = "async" if task_id else "sync"
    where = f", task {task_id}" if task_id else ""
    log.info(
        "entry %s exported (%s%s): %s, %d bytes in %.2fs",
        entry_id,
        mode,
        where,
        result.path,
        result.size,
        elapsed,
    )
    yield Progress(
        ProgressEvent(phase=ProgressPhase.DONE, entry_id=entry_id, task_id=task_id, path=result.path)
    )
    return ExportResult(
        entry_id=entry_id,
        path=result.path,
        size=result.size,
        content_type=result.content_type,
        suggested_name=result.suggested_name,
        task_id=task_id,
        mode=mode,
        elapsed=elapsed,
        extracted=extracted,
    )
