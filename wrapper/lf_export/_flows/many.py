"""Many exports as tasks: at most N running, one ListTasks per round for all, each file fetched as its task
completes, the next job started as a slot frees. One job's failure is recorded in its `JobOutcome` and never
stops the others."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

import attrs

from .._errors import ApiError, ExportTimeoutError, LaserficheError, NetworkError, OptionIssue, OptionsError
from .._policy import Deadline
from .._results import ExportJob, JobOutcome, ProgressEvent, ProgressPhase
from .calls import start_export_entry
from .commands import EnsureFolder, Flow, FlowContext, Hold, Progress, Release, is_interrupt
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

    def entries(self) -> dict[str, int | None]:
        return {task_id: self.jobs[index].entry_id for task_id, index in self.running.items()}

    def fail(self, index: int, error: LaserficheError, task_id: str | None = None) -> Progress:
        job = self.jobs[index]
        self.outcomes[index] = JobOutcome(job, error=error, task_id=task_id)
        event = ProgressEvent(
            phase=ProgressPhase.FAILED, entry_id=job.entry_id, task_id=task_id, message=str(error)
        )
        return Progress(event)

    def fail_unfinished(
        self, error_for: Mapping[str, LaserficheError], queued: LaserficheError
    ) -> list[Progress]:
        events = [self.fail(index, error_for[task_id], task_id) for task_id, index in self.running.items()]
        events += [self.fail(index, queued) for index in self.queue]
        self.running.clear()
        self.queue.clear()
        return events


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
                yield batch.fail(batch.running.pop(task_id), task_error, task_id)
            for task_id, progress in outcome.ended.items():
                if task_id not in batch.running:
                    continue  # failed above
                yield Release((task_id,))
                index = batch.running.pop(task_id)
                job = batch.jobs[index]
                try:
                    result = yield from fetch(
                        ctx, req.dest, completed_link(progress), job.entry_id, task_id, started
                    )
                except LaserficheError as error:
                    yield batch.fail(index, error, task_id)
                else:
                    batch.outcomes[index] = JobOutcome(job, result=result, task_id=task_id)
            if batch.running:
                yield from poller.pause(bool(outcome.ended or outcome.expired))
    except ExportTimeoutError as exc:
        cancelled = yield from cancel_started(ctx, list(batch.running), exc)
        each = {t: ExportTimeoutError([t], cancelled=t in cancelled) for t in batch.running}
        for event in batch.fail_unfinished(each, ExportTimeoutError([], cancelled=False)):
            yield event
    except LaserficheError as exc:
        # Polling failed for good (after retries): nothing more can be learnt about the running tasks.
        # Keep what is done, cancel what runs (if configured), report the error on every unfinished job.
        cancelled = yield from cancel_started(ctx, list(batch.running), exc)
        aborted(exc, batch.entries(), cancelled)  # adds the note naming the tasks
        for event in batch.fail_unfinished(dict.fromkeys(batch.running, exc), exc):
            yield event
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        cancelled = yield from cancel_started(ctx, list(batch.running), exc)
        finished = [batch.outcomes[i] for i in sorted(batch.outcomes)]
        raise aborted(exc, batch.entries(), cancelled, finished)  # noqa: B904 - aborted() chains
    return [batch.outcomes[index] for index in range(len(req.jobs))]


def _start_jobs(ctx: FlowContext, batch: _Batch, limit: int) -> Flow[None]:
    """Start queued jobs while slots are free. A 429 while others run puts the job back (the server's task
    limit: a slot frees soon); other refusals fail that job only."""
    while batch.queue and len(batch.running) < limit:
        index = batch.queue.popleft()
        job = batch.jobs[index]
        try:
            task_id: str = yield start_export_entry(job.entry_id, job.options or ctx.default_options)
        except ApiError as error:
            if error.status == 429 and batch.running:
                batch.queue.appendleft(index)
                return
            yield batch.fail(index, error)
            continue
        except (NetworkError, OptionsError) as error:
            yield batch.fail(index, error)
            continue
        except BaseException:
            batch.queue.appendleft(index)  # not started as far as we know: reported with the rest
            raise
        batch.running[task_id] = index
        yield Hold((task_id,))
        yield Progress(ProgressEvent(phase=ProgressPhase.SUBMITTED, entry_id=job.entry_id, task_id=task_id))
