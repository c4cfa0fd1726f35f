"""What an export *does*, written once, with no I/O: generators that yield commands and receive their results.

`ExportClient` (client.py) and `AsyncExportClient` (aio.py) are thin drivers: each runs these flows by
executing the commands — an API operation through the generated client, a download, a sleep — synchronously or
with `await`, and sends back the result (or throws the error into the flow). So submit / poll / cancel /
download / batch logic, the poll schedule and the error decisions exist exactly once (sans-I/O, as h11 does
it).

Mode rule for ``mode="auto"`` (`choose_mode`): GetEntry first; Image and Text exports of at most
`AutoRule.max_sync_pages` pages (after the page range) and Edoc exports of at most `AutoRule.max_sync_bytes`
use the simple Export; everything else (or an entry whose size is unknown) uses ExportAsync. If a simple
export times out (no answer within the read timeout, or a 408/504 from a gateway), the flow falls back to
ExportAsync.

Abort rule: on the deadline, `KeyboardInterrupt` or asyncio cancellation, the flow cancels the remote tasks it
started (when `cancel_on_abort`), then raises `ExportTimeoutError(task_ids, cancelled=...)` for a deadline, or
re-raises the interrupt with a note naming the task ids.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import httpx
from lf_repository_v2.api.audit_reasons import list_audit_reasons
from lf_repository_v2.api.entries import export_entry, get_entry, start_export_entry
from lf_repository_v2.api.tasks import cancel_tasks, list_tasks
from lf_repository_v2.models import (
    AuditReasonCollectionResponse,
    CancelTasksResponse,
    Entry,
    ExportEntryResponse,
    StartTaskResponse,
    TaskCollectionResponse,
)
from lf_repository_v2.types import UNSET, Response, Unset

from ._errors import (
    ApiError,
    DownloadDeadlineError,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    OptionIssue,
    OptionsError,
    ServerError,
    TaskError,
)
from ._options import ExportOptions, ExportPart
from ._policy import Deadline, PollPolicy
from ._results import (
    AuditReason,
    DownloadResult,
    EntryInfo,
    ExportJob,
    ExportResult,
    JobOutcome,
    ProgressCallback,
    ProgressEvent,
    ProgressPhase,
)
from ._tasks import TaskProgress, read_round
from ._tokens import TaskLedger

__all__ = [
    "ApiCall",
    "AutoRule",
    "Download",
    "Flow",
    "FlowContext",
    "Sleep",
    "check_task_ids",
    "choose_mode",
]

log = logging.getLogger("lf_export.export")

T = TypeVar("T")
Flow = Generator["Command", Any, T]


# ------------------------------------------------------------------------------------------------- commands


@attrs.frozen
class ApiCall:
    """Call one generated operation module (`sync_detailed` or `asyncio_detailed`) and parse its answer."""

    operation: Any  # a module of lf_repository_v2.api
    kwargs: dict[str, Any]
    parse: Callable[[Response[Any]], Any]
    ignore_deadline: bool = False  # cleanup calls (cancel after the deadline) still go out


@attrs.frozen
class Download:
    link: str = attrs.field(repr=False)
    dest: Path
    overwrite: bool
    extract: bool
    on_bytes: Callable[[int, int | None], None] | None
    rename: bool = False  # a taken name becomes "name (2).ext" instead of an error


@attrs.frozen
class Sleep:
    seconds: float


Command = ApiCall | Download | Sleep


def _expect(model: type[T]) -> Callable[[Response[Any]], T]:
    def parse(response: Response[Any]) -> T:
        if isinstance(response.parsed, model):
            return response.parsed
        raise ServerError(
            f"HTTP {int(response.status_code)}: the server's answer was not a {model.__name__}",
            status=int(response.status_code),
        )

    return parse


def check_task_ids(ids: Iterable[str]) -> tuple[str, ...]:
    """Task ids as the wire needs them: at least one (an empty list means *all tasks of the token* on the
    server), each a GUID, duplicates dropped. Raises `OptionsError` naming each bad id."""
    if isinstance(ids, str):
        ids = [ids]
    unique = tuple(dict.fromkeys(str(i).strip() for i in ids))
    if not unique:
        raise OptionsError(
            [
                OptionIssue(
                    "taskIds",
                    [],
                    "must name at least one task (an empty list would act on every task of the access token)",
                )
            ]
        )
    issues = []
    canonical: list[str] = []
    for index, task_id in enumerate(unique):
        try:
            # The server answers in the hyphenated lower-case form; {braces}, urn:uuid: or 32 hex digits
            # would otherwise never match its answer and look expired.
            canonical.append(str(uuid.UUID(task_id)))
        except ValueError:
            issues.append(OptionIssue(f"taskIds[{index}]", task_id, "must be a task id (a GUID)"))
    if issues:
        raise OptionsError(issues)
    return tuple(dict.fromkeys(canonical))


# ------------------------------------------------------------------------------------------------- context


@attrs.frozen(kw_only=True)
class AutoRule:
    max_sync_pages: int = 20
    max_sync_bytes: int = 20 * 1024 * 1024


@attrs.frozen(kw_only=True)
class FlowContext:
    """What every flow needs from its client: where the repository is and how to behave."""

    repository_id: str
    poll: PollPolicy
    auto: AutoRule
    cancel_on_abort: bool
    default_options: ExportOptions
    ledger: TaskLedger = attrs.field(factory=TaskLedger)  # shared with the token source (see tokens.py)
    clock: Callable[[], float] = time.monotonic


def _emit(callback: ProgressCallback | None, event: ProgressEvent) -> None:
    if callback is not None:
        callback(event)


# ----------------------------------------------------------------------------------------------- API calls


def get_entry_call(ctx: FlowContext, entry_id: int) -> ApiCall:
    def parse(response: Response[Any]) -> EntryInfo:
        entry = _expect(Entry)(response)
        return EntryInfo(
            entry_id=entry.id,
            name=entry.name,
            entry_type=str(getattr(entry.entry_type, "value", entry.entry_type)),
            page_count=_opt(entry.page_count),
            electronic_size=_opt(entry.elec_document_size),
            extension=_opt(entry.extension),
            mime_type=_opt(entry.mime_type),
        )

    return ApiCall(get_entry, {"entry_id": entry_id}, parse)


def _opt(value: T | Unset | None) -> T | None:
    return None if isinstance(value, Unset) else value


def _export_kwargs(entry_id: int, options: ExportOptions) -> dict[str, Any]:
    page_range = options.query_page_range()
    return {"entry_id": entry_id, "body": options.to_generated(), "page_range": page_range or UNSET}


def export_call(entry_id: int, options: ExportOptions) -> ApiCall:
    def parse(response: Response[Any]) -> str:
        return _expect(ExportEntryResponse)(response).value

    return ApiCall(export_entry, _export_kwargs(entry_id, options), parse)


def start_export_call(entry_id: int, options: ExportOptions) -> ApiCall:
    def parse(response: Response[Any]) -> str:
        return str(_expect(StartTaskResponse)(response).task_id)

    return ApiCall(start_export_entry, _export_kwargs(entry_id, options), parse)


def list_tasks_call(ids: Sequence[str]) -> ApiCall:
    def parse(response: Response[Any]) -> list[TaskProgress]:
        return [TaskProgress.from_generated(t) for t in _expect(TaskCollectionResponse)(response).value]

    return ApiCall(list_tasks, {"task_ids": [uuid.UUID(i) for i in check_task_ids(ids)]}, parse)


def cancel_tasks_call(ids: Sequence[str], *, ignore_deadline: bool = False) -> ApiCall:
    def parse(response: Response[Any]) -> dict[str, bool]:
        return {str(r.id): bool(r.result) for r in _expect(CancelTasksResponse)(response).value}

    kwargs = {"task_ids": [uuid.UUID(i) for i in check_task_ids(ids)]}
    return ApiCall(cancel_tasks, kwargs, parse, ignore_deadline=ignore_deadline)


def audit_reasons_flow(page_size: int = 100) -> Generator[Command, Any, list[AuditReason]]:
    """All audit reasons, page by page (`$top`/`$skip`, following `@odata.nextLink` while one is sent)."""
    reasons: list[AuditReason] = []
    skip = 0
    while True:

        def parse(response: Response[Any]) -> AuditReasonCollectionResponse:
            return _expect(AuditReasonCollectionResponse)(response)

        page: AuditReasonCollectionResponse = yield ApiCall(
            list_audit_reasons, {"top": page_size, "skip": skip}, parse
        )
        for item in page.value:
            event = _opt(item.audit_event_type)
            reasons.append(
                AuditReason(
                    reason_id=item.id,
                    name=item.name,
                    event_type=None if event is None else str(getattr(event, "value", event)),
                )
            )
        next_link = _opt(page.odata_next_link)
        if not next_link or not page.value:
            return reasons
        next_skip = _next_skip(next_link, skip + len(page.value))
        if next_skip <= skip or len(reasons) >= _MAX_AUDIT_REASONS:
            log.warning(
                "audit reasons: the server's next page does not advance; stopping at %d", len(reasons)
            )
            return reasons
        skip = next_skip


_MAX_AUDIT_REASONS = 100_000


def _next_skip(next_link: str, fallback: int) -> int:
    """The `$skip` of an `@odata.nextLink` (it carries the paging state), else the count seen so far."""
    from urllib.parse import parse_qs, urlsplit

    values = parse_qs(urlsplit(next_link).query).get("$skip")
    if values and values[0].isdigit():
        return int(values[0])
    return fallback


# ---------------------------------------------------------------------------------------------------- modes


def choose_mode(entry: EntryInfo, options: ExportOptions, rule: AutoRule) -> str:
    """ "sync" (simple Export) or "async" (ExportAsync) for ``mode="auto"``; see the module docstring."""
    if options.part is ExportPart.EDOC:
        size = entry.electronic_size
        return "sync" if size is not None and size <= rule.max_sync_bytes else "async"
    if entry.page_count is None:
        return "async"
    pages = entry.page_count
    if options.pages is not None:
        pages = min(pages, options.pages.count())
    return "sync" if pages <= rule.max_sync_pages else "async"


def _timed_out(error: LaserficheError) -> bool:
    """A simple export that gave up on time: no answer within the read timeout, or a gateway's 408/504."""
    if isinstance(error, NetworkError):
        return isinstance(error.__cause__, httpx.TimeoutException)
    return isinstance(error, ApiError) and error.status in (408, 504)


# ------------------------------------------------------------------------------------------------- polling


def wait_flow(
    ctx: FlowContext,
    ids: Sequence[str],
    deadline: Deadline | None,
    on_progress: ProgressCallback | None,
    entries: dict[str, int | None] | None = None,
) -> Generator[Command, Any, dict[str, TaskProgress]]:
    """Poll until every task ended; one ListTasks per round for all of them. Returns id → final progress.
    Raises the first `TaskError` (failed, cancelled, expired) once all have ended; `ExportTimeoutError` at the
    deadline (the caller decides about cancelling)."""
    held = check_task_ids(ids)
    ctx.ledger.hold(held)  # keeps the token that started them (see tokens.TaskLedger)
    try:
        return (yield from _poll_until_ended(ctx, list(held), deadline, on_progress, entries or {}))
    finally:
        ctx.ledger.release(held)


def _poll_until_ended(
    ctx: FlowContext,
    pending: list[str],
    deadline: Deadline | None,
    on_progress: ProgressCallback | None,
    entries: dict[str, int | None],
) -> Generator[Command, Any, dict[str, TaskProgress]]:
    final: dict[str, TaskProgress] = {}
    errors: dict[str, TaskError] = {}
    quick_rounds = 0
    while pending:
        if deadline is not None and deadline.expired():
            raise ExportTimeoutError(pending, cancelled=False)
        started = ctx.clock()
        answered: list[TaskProgress] = yield list_tasks_call(pending)
        outcome = read_round(pending, answered)
        for task_id, progress in {**outcome.running, **outcome.ended}.items():
            _emit(on_progress, _task_event(progress, entries.get(task_id)))
        final.update(outcome.ended)
        errors.update(outcome.errors())
        for task_id in [*outcome.ended, *outcome.expired]:
            log.info("task %s ended: %s", task_id, final[task_id].status if task_id in final else "expired")
        pending = list(outcome.running)
        if pending:
            elapsed = ctx.clock() - started
            quick_rounds = quick_rounds + 1 if elapsed < ctx.poll.quick_answer else 0
            wait = ctx.poll.wait_after(elapsed, quick_rounds)
            if wait > 0:
                if deadline is not None:
                    wait = min(wait, deadline.remaining())
                yield Sleep(wait)
    if errors:
        raise next(iter(errors.values()))
    return final


def _task_event(progress: TaskProgress, entry_id: int | None) -> ProgressEvent:
    return ProgressEvent(
        phase=ProgressPhase.TASK,
        entry_id=entry_id if entry_id is not None else progress.entry_id,
        task_id=progress.task_id,
        status=progress.status,
        percent=progress.percent_complete,
    )


def _byte_reporter(
    on_progress: ProgressCallback | None, entry_id: int | None, task_id: str | None
) -> Callable[[int, int | None], None] | None:
    if on_progress is None:
        return None

    def report(done: int, total: int | None) -> None:
        on_progress(
            ProgressEvent(
                phase=ProgressPhase.DOWNLOAD,
                entry_id=entry_id,
                task_id=task_id,
                bytes_done=done,
                bytes_total=total,
            )
        )

    return report


def _interrupted(exc: BaseException) -> bool:
    """Ctrl-C, or cancellation of the awaiting asyncio task (by name: this module does not import asyncio)."""
    return isinstance(exc, KeyboardInterrupt) or type(exc).__name__ == "CancelledError"


def _abort(ctx: FlowContext, task_ids: Sequence[str], exc: BaseException) -> Generator[Command, Any, bool]:
    """Cancel the tasks we started (if configured; the cancel call has its own short time budget) and say
    whether it worked. Errors other than the deadline get a note naming the tasks, so they can be resumed."""
    cancelled = False
    log.warning("aborting (%s); remote task(s): %s", type(exc).__name__, ", ".join(task_ids) or "none")
    if ctx.cancel_on_abort and task_ids:
        try:
            yield cancel_tasks_call(task_ids, ignore_deadline=True)
            cancelled = True
        except LaserficheError as error:
            log.warning("could not cancel task(s) %s: %s", ", ".join(task_ids), error)
    if not isinstance(exc, ExportTimeoutError) and task_ids:
        what = "cancelled" if cancelled else "left running (finish them with resume)"
        exc.add_note(f"lf-export: remote export task(s) {what}: {', '.join(task_ids)}")
    return cancelled


# -------------------------------------------------------------------------------------------------- export


@attrs.frozen(kw_only=True)
class ExportRequest:
    entry_id: int | None  # None only when resuming a task whose entry the server did not name
    options: ExportOptions
    dest: Path
    mode: str
    overwrite: bool
    extract: bool
    rename: bool = False


def export_flow(
    ctx: FlowContext, req: ExportRequest, deadline: Deadline | None, on_progress: ProgressCallback | None
) -> Generator[Command, Any, ExportResult]:
    started = ctx.clock()
    mode = req.mode
    entry_id = req.entry_id
    assert entry_id is not None  # only resume_flow lacks one
    if mode == "auto":
        entry: EntryInfo = yield get_entry_call(ctx, entry_id)
        mode = choose_mode(entry, req.options, ctx.auto)
    if mode == "sync":
        try:
            link: str = yield export_call(entry_id, req.options)
        except LaserficheError as error:
            if req.mode != "auto" or not _timed_out(error):
                raise
            mode = "async"  # the simple export gave up; a long operation has no such limit
        else:
            return (yield from _download_flow(ctx, req, link, None, "sync", started, on_progress))
    task_id: str = yield start_export_call(entry_id, req.options)
    log.info("entry %s: export task %s started", entry_id, task_id)
    _emit(on_progress, ProgressEvent(phase=ProgressPhase.SUBMITTED, entry_id=entry_id, task_id=task_id))
    return (yield from finish_task_flow(ctx, req, task_id, deadline, on_progress, started))


def finish_task_flow(
    ctx: FlowContext,
    req: ExportRequest,
    task_id: str,
    deadline: Deadline | None,
    on_progress: ProgressCallback | None,
    started: float,
) -> Generator[Command, Any, ExportResult]:
    """Wait for one export task and download its file; on abort, cancel it (see the module docstring)."""
    try:
        final = yield from wait_flow(ctx, [task_id], deadline, on_progress, {task_id: req.entry_id})
    except TaskError:
        raise  # the task ended (failed, cancelled, expired): nothing left to cancel
    except ExportTimeoutError as exc:
        cancelled = yield from _abort(ctx, [task_id], exc)
        raise ExportTimeoutError([task_id], cancelled=cancelled) from exc
    except BaseException as exc:
        # Polling failed for good (after retries), or the caller interrupted: clean up, name the task.
        if _interrupted(exc) or isinstance(exc, LaserficheError):
            yield from _abort(ctx, [task_id], exc)
        raise
    link = final[task_id].download_link
    assert link is not None  # TaskProgress.error() turned a link-less completion into TaskFailedError
    return (yield from _download_flow(ctx, req, link, task_id, "async", started, on_progress))


def _download_flow(
    ctx: FlowContext,
    req: ExportRequest,
    link: str,
    task_id: str | None,
    mode: str,
    started: float,
    on_progress: ProgressCallback | None,
) -> Generator[Command, Any, ExportResult]:
    try:
        done: tuple[DownloadResult, tuple[Path, ...]] = yield Download(
            link,
            req.dest,
            req.overwrite,
            req.extract,
            _byte_reporter(on_progress, req.entry_id, task_id),
            rename=req.rename,
        )
    except DownloadDeadlineError as exc:
        # The task completed; its link stays usable a while: `resume(task_id)` can fetch it again.
        raise ExportTimeoutError([task_id] if task_id else [], cancelled=False) from exc
    result, extracted = done
    log.info(
        "entry %s exported (%s%s): %s, %d bytes in %.2fs",
        req.entry_id,
        mode,
        f", task {task_id}" if task_id else "",
        result.path,
        result.size,
        ctx.clock() - started,
    )
    export = ExportResult(
        entry_id=req.entry_id,
        path=result.path,
        size=result.size,
        content_type=result.content_type,
        suggested_name=result.suggested_name,
        task_id=task_id,
        mode=mode,
        elapsed=ctx.clock() - started,
        extracted=extracted,
    )
    _emit(
        on_progress,
        ProgressEvent(phase=ProgressPhase.DONE, entry_id=req.entry_id, task_id=task_id, path=result.path),
    )
    return export


def resume_flow(
    ctx: FlowContext,
    task_id: str,
    req: ExportRequest,
    deadline: Deadline | None,
    on_progress: ProgressCallback | None,
) -> Generator[Command, Any, ExportResult]:
    """Finish an export an earlier process started: wait for its task (never cancelling it — it is not ours),
    then download. The entry id comes from the task's result when the server names it."""
    started = ctx.clock()
    final = yield from wait_flow(ctx, [task_id], deadline, on_progress)
    progress = final[task_id]
    assert progress.download_link is not None
    req = attrs.evolve(req, entry_id=progress.entry_id)
    return (
        yield from _download_flow(ctx, req, progress.download_link, task_id, "async", started, on_progress)
    )


# ---------------------------------------------------------------------------------------------------- batch


def export_many_flow(
    ctx: FlowContext,
    jobs: Sequence[ExportJob],
    dest_dir: Path,
    *,
    max_concurrent_tasks: int,
    overwrite: bool,
    extract: bool,
    deadline: Deadline | None,
    on_progress: ProgressCallback | None,
    unique_names: bool = True,
) -> Generator[Command, Any, list[JobOutcome]]:
    """Run `jobs` as export tasks, at most `max_concurrent_tasks` at once: one ListTasks per round for all
    running tasks, each file downloaded as its task completes, the next job started as a slot frees. One job's
    failure is recorded in its `JobOutcome` and does not stop the others. At the deadline, running tasks are
    cancelled (if configured) and every unfinished job gets an `ExportTimeoutError`. With `unique_names`
    (and not `overwrite`), two files that want one name (same-named documents, or a file already there) are
    kept side by side as ``name (2).ext`` instead of failing the second job."""
    if max_concurrent_tasks < 1:
        raise OptionsError([OptionIssue("max_concurrent_tasks", max_concurrent_tasks, "must be at least 1")])
    queue = deque(enumerate(jobs))
    running: dict[str, tuple[int, ExportJob]] = {}
    outcomes: dict[int, JobOutcome] = {}
    quick_rounds = 0
    started = ctx.clock()

    def request(job: ExportJob) -> ExportRequest:
        return ExportRequest(
            entry_id=job.entry_id,
            options=job.options or ctx.default_options,
            dest=dest_dir,
            mode="async",
            overwrite=overwrite,
            extract=extract,
            rename=unique_names,
        )

    def ended(task_id: str) -> tuple[int, ExportJob]:
        ctx.ledger.release([task_id])
        return running.pop(task_id)

    def fail(index: int, job: ExportJob, error: LaserficheError, task_id: str | None = None) -> None:
        outcomes[index] = JobOutcome(job, error=error, task_id=task_id)
        _emit(
            on_progress,
            ProgressEvent(
                phase=ProgressPhase.FAILED, entry_id=job.entry_id, task_id=task_id, message=str(error)
            ),
        )

    try:
        while queue or running:
            if deadline is not None and deadline.expired():
                raise ExportTimeoutError(list(running), cancelled=False)
            while queue and len(running) < max_concurrent_tasks:
                index, job = queue.popleft()
                try:
                    task_id: str = yield start_export_call(job.entry_id, job.options or ctx.default_options)
                except ApiError as error:
                    if error.status == 429 and running:
                        queue.appendleft((index, job))  # the server's task limit: retry when a slot frees
                        break
                    fail(index, job, error)
                    continue
                except (NetworkError, OptionsError) as error:
                    fail(index, job, error)
                    continue
                except BaseException:
                    queue.appendleft((index, job))  # not started as far as we know: reported with the rest
                    raise
                running[task_id] = (index, job)
                ctx.ledger.hold([task_id])
                _emit(
                    on_progress,
                    ProgressEvent(phase=ProgressPhase.SUBMITTED, entry_id=job.entry_id, task_id=task_id),
                )
            if not running:
                continue
            round_started = ctx.clock()
            answered: list[TaskProgress] = yield list_tasks_call(list(running))
            outcome = read_round(list(running), answered)
            for task_id, progress in {**outcome.running, **outcome.ended}.items():
                _emit(on_progress, _task_event(progress, running[task_id][1].entry_id))
            for task_id, task_error in outcome.errors().items():
                index, job = ended(task_id)
                fail(index, job, task_error, task_id)
            for task_id, progress in outcome.ended.items():
                if task_id not in running:
                    continue
                index, job = ended(task_id)
                assert progress.download_link is not None
                try:
                    result = yield from _download_flow(
                        ctx, request(job), progress.download_link, task_id, "async", started, on_progress
                    )
                except LaserficheError as error:
                    fail(index, job, error, task_id)
                else:
                    outcomes[index] = JobOutcome(job, result=result, task_id=task_id)
            if running and not outcome.ended and not outcome.expired:
                elapsed = ctx.clock() - round_started
                quick_rounds = quick_rounds + 1 if elapsed < ctx.poll.quick_answer else 0
                wait = ctx.poll.wait_after(elapsed, quick_rounds)
                if wait > 0:
                    yield Sleep(wait if deadline is None else min(wait, deadline.remaining()))
            else:
                quick_rounds = 0
    except ExportTimeoutError as exc:
        cancelled = yield from _abort(ctx, list(running), exc)
        for task_id, (index, job) in running.items():
            fail(index, job, ExportTimeoutError([task_id], cancelled=cancelled), task_id)
        for index, job in queue:
            fail(index, job, ExportTimeoutError([], cancelled=False))
    except LaserficheError as exc:
        # Polling failed for good (after retries): nothing more can be learnt about the running tasks.
        # Keep what is done, cancel what runs (if configured), and report the error on every unfinished job.
        yield from _abort(ctx, list(running), exc)
        for task_id, (index, job) in running.items():
            fail(index, job, exc, task_id)
        for index, job in queue:
            fail(index, job, exc)
    except BaseException as exc:
        if _interrupted(exc):
            yield from _abort(ctx, list(running), exc)
        raise
    finally:
        ctx.ledger.release(running)
    return [outcomes[index] for index in range(len(jobs))]
