"""Many exports as tasks: at most N running, one ListTasks per round for all, each file fetched as its task
completes, the next job started as a slot frees. One job's failure is recorded in its `JobOutcome` and never
stops the others; each outcome is delivered (`Deliver`) as it happens, so a caller can stream them.

A job that names the `task_id` of an export started earlier is adopted: waited on instead of started again
(and, not being this run's, never cancelled by it). If the server no longer knows that task (expired, or
another token's), the job starts a new one; two jobs naming one task id are an error for the second."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping

import attrs

from .._errors import ApiError, ExportTimeoutError, LaserficheError, NetworkError, OptionIssue, OptionsError
from .._policy import Deadline
from .._results import ExportJob, JobOutcome, ProgressEvent, ProgressPhase
from .calls import check_task_ids, start_export_entry
from .commands import Command, Deliver, EnsureFolder, Flow, FlowContext, Hold, Progress, Release, is_interrupt
from .export import Destination, fetch
from .polling import Poller, aborted, cancel_started, completed_link

__all__ = ["ManyRequest", "export_many_flow"]


@attrs.frozen(kw_only=True)
class ManyRequest:
    jobs: tuple[ExportJob, ...]
    dest: Destination  # a folder; `rename` keeps same-named files side by side
    max_concurrent_tasks: int


@attrs.define
class _Batch:
    """The jobs of one run: waiting, running (task id → job index) and done."""

    jobs: tuple[ExportJob, ...]
    queue: deque[int]
    running: dict[str, int] = attrs.field(factory=dict)
    outcomes: dict[int, JobOutcome] = attrs.field(factory=dict)
    adopted: set[str] = attrs.field(factory=set)  # running tasks an earlier run started
    fresh: set[int] = attrs.field(factory=set)  # jobs whose adopted task was gone: start a new one

    def entries(self) -> dict[str, int | None]:
        return {task_id: self.jobs[index].entry_id for task_id, index in self.running.items()}

    def started(self) -> list[str]:
        """The running tasks this run started (an adopted one was an earlier run's: never cancelled here)."""
        return [task_id for task_id in self.running if task_id not in self.adopted]

    def done(self, index: int, outcome: JobOutcome) -> Iterator[Command]:
        """Record a job's outcome: the FAILED progress event if it failed, then the outcome itself."""
        self.outcomes[index] = outcome
        if outcome.error is not None:
            event = ProgressEvent(
                phase=ProgressPhase.FAILED,
                entry_id=outcome.job.entry_id,
                task_id=outcome.task_id,
                message=str(outcome.error),
                index=index,
            )
            yield Progress(event)
        yield Deliver(outcome)

    def fail(self, index: int, error: LaserficheError, task_id: str | None = None) -> Iterator[Command]:
        return self.done(index, JobOutcome(self.jobs[index], error=error, task_id=task_id, index=index))

    def fail_unfinished(
        self, error_for: Mapping[str, LaserficheError], queued: LaserficheError
    ) -> Iterator[Command]:
        running, queue = dict(self.running), list(self.queue)
        self.running.clear()
        self.queue.clear()
        for task_id, index in running.items():
            yield from self.fail(index, error_for[task_id], task_id)
        for index in queue:
            yield from self.fail(index, queued)


def export_many_flow(ctx: FlowContext, req: ManyRequest, deadline: Deadline | None) -> Flow[list[JobOutcome]]:
    """Run the jobs (see the module docstring). At the deadline, or when polling fails for good, the running
    tasks are cancelled when `cancel_on_deadline` (else left for resume) and every unfinished job gets the
    error; on Ctrl-C they are cancelled when `cancel_on_interrupt` and `ExportInterrupted` carries the jobs
    already finished."""
    if isinstance(req.max_concurrent_tasks, bool) or not (
        isinstance(req.max_concurrent_tasks, int) and req.max_concurrent_tasks >= 1
    ):
        raise OptionsError(
            [OptionIssue("max_concurrent_tasks", req.max_concurrent_tasks, "must be at least 1")]
        )
    yield EnsureFolder(req.dest.path, "dest_dir")
    batch = _Batch(req.jobs, deque(range(len(req.jobs))))
    poller = Poller(ctx, deadline, {})
    started = ctx.clock()
    try:
        while batch.queue or batch.running:
            if deadline is not None and deadline.expired():
                raise ExportTimeoutError(list(batch.running), cancelled=False)
            yield from _start_jobs(ctx, batch, req.max_concurrent_tasks)
            if not batch.running:
                continue
            poller.entries = batch.entries()
            outcome = yield from poller.round(list(batch.running))
            for task_id, task_error in outcome.errors().items():
                yield Release((task_id,))
                index = batch.running.pop(task_id)
                if task_id in outcome.expired and task_id in batch.adopted:
                    batch.fresh.add(index)  # the earlier run's task is gone: start the job again
                    batch.queue.appendleft(index)
                    continue
                yield from batch.fail(index, task_error, task_id)
            for task_id, progress in outcome.ended.items():
                if task_id not in batch.running:
                    continue  # failed above
                yield Release((task_id,))
                index = batch.running.pop(task_id)
                job = batch.jobs[index]
                try:
                    link = completed_link(progress)
                    result = yield from fetch(ctx, req.dest, link, job.entry_id, task_id, started)
                except LaserficheError as error:
                    yield from batch.fail(index, error, task_id)
                else:
                    yield from batch.done(index, JobOutcome(job, result=result, task_id=task_id, index=index))
            if batch.running:
                yield from poller.pause(bool(outcome.ended or outcome.expired))
    except ExportTimeoutError as exc:
        cancelled = yield from cancel_started(ctx, batch.started(), exc)
        each = {t: ExportTimeoutError([t], cancelled=t in cancelled) for t in batch.running}
        yield from batch.fail_unfinished(each, ExportTimeoutError([], cancelled=False))
    except LaserficheError as exc:
        # Polling failed for good (after retries): nothing more can be learnt about the running tasks.
        # Keep what is done, cancel what runs (if configured), report the error on every unfinished job.
        cancelled = yield from cancel_started(ctx, batch.started(), exc)
        aborted(exc, batch.entries(), cancelled)  # adds the note naming the tasks
        yield from batch.fail_unfinished(dict.fromkeys(batch.running, exc), exc)
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        cancelled = yield from cancel_started(ctx, batch.started(), exc)
        finished = [batch.outcomes[i] for i in sorted(batch.outcomes)]
        raise aborted(exc, batch.entries(), cancelled, finished)  # noqa: B904 - aborted() chains
    return [batch.outcomes[index] for index in range(len(req.jobs))]


def _start_jobs(ctx: FlowContext, batch: _Batch, limit: int) -> Flow[None]:
    """Start queued jobs while slots are free (adopting an earlier task when the job names one). A 429 while
    others run puts the job back (the server's task limit: a slot frees soon); other refusals fail that job
    only."""
    while batch.queue and len(batch.running) < limit:
        index = batch.queue.popleft()
        job = batch.jobs[index]
        if job.task_id is not None and index not in batch.fresh:
            try:
                (task_id,) = check_task_ids([job.task_id])
            except OptionsError as error:
                yield from batch.fail(index, error)
                continue
            if task_id in batch.adopted:
                owner = next((i for t, i in batch.running.items() if t == task_id), None)
                rule = "is already the task of another job" + (
                    f" (jobs[{owner}])" if owner is not None else ""
                )
                yield from batch.fail(
                    index, OptionsError([OptionIssue(f"jobs[{index}].task_id", task_id, rule)])
                )
                continue
            batch.adopted.add(task_id)
        else:
            try:
                task_id = yield start_export_entry(job.entry_id, job.options or ctx.default_options)
            except ApiError as error:
                if error.status == 429 and batch.running:
                    batch.queue.appendleft(index)
                    return
                yield from batch.fail(index, error)
                continue
            except (NetworkError, OptionsError) as error:
                yield from batch.fail(index, error)
                continue
            except BaseException:
                batch.queue.appendleft(index)  # not started as far as we know: reported with the rest
                raise
        batch.running[task_id] = index
        yield Hold((task_id,))
        event = ProgressEvent(
            phase=ProgressPhase.SUBMITTED, entry_id=job.entry_id, task_id=task_id, index=index
        )
        yield Progress(event)
