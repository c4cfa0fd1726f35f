"""Waiting on tasks: one ListTasks round for all of them, the wait before the next, and what an abort does.

Abort rule: at the deadline, or when polling failed for good, the tasks a flow started are cancelled when the
client's `cancel_on_deadline` says so; on Ctrl-C (or cancellation of the awaiting asyncio task) when
`cancel_on_interrupt` says so. Cancelling gets a short time budget of its own (`Send.cleanup`). Then:

* deadline → `ExportTimeoutError(task_ids, cancelled=...)`;
* Ctrl-C → `ExportInterrupted` (still a KeyboardInterrupt) naming the tasks, those cancelled, finished jobs;
* anything else (asyncio cancellation, a polling error) is re-raised with a note naming the tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._errors import (
    ExportInterrupted,
    ExportTimeoutError,
    LaserficheError,
    NetworkError,
    RateLimitedError,
    ServerError,
    TaskError,
    TaskFailedError,
)
from .._policy import Deadline, full_jitter
from .._results import ProgressEvent, ProgressPhase
from .._tasks import RoundOutcome, TaskProgress, read_round
from .calls import cancel_tasks, check_task_ids, list_tasks
from .commands import Flow, FlowContext, Hold, Progress, Sleep, is_interrupt

__all__ = ["Poller", "aborted", "cancel_started", "completed_link", "wait_flow", "wait_started"]

log = logging.getLogger("lf_export.export")


@attrs.define
class Poller:
    """Rounds of ListTasks for a changing set of tasks, under one deadline.

    ListTasks long-polls, so a slow answer needs no extra wait. While answers come back at once
    (`PollPolicy.quick_answer`) and nothing ended, the wait grows (`PollPolicy.wait_after`); an ended task
    resets it, so the next round starts at once."""

    ctx: FlowContext
    deadline: Deadline | None
    entries: Mapping[str, int | None] = attrs.field(factory=dict)  # task id → entry id, for progress events
    _quick_rounds: int = 0
    _answered_in: float = 0.0
    _failed_rounds: int = 0

    def _after_failure(self, error: LaserficheError) -> Flow[None]:
        policy = self.ctx.poll
        wait = full_jitter(self._failed_rounds, policy.initial_wait, policy.max_wait)
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            wait = max(wait, error.retry_after)
        if self.deadline is not None:
            wait = min(wait, self.deadline.remaining())
        log.warning("ListTasks failed (%s); asking again in %.1fs", error, wait)
        if wait > 0:
            yield Sleep(wait)

    def round(self, task_ids: Sequence[str]) -> Flow[RoundOutcome]:
        """One ListTasks answer for `task_ids`. A round that fails (no answer, 5xx, 429) is asked again with
        backoff: a failed read is nobody's task's failure. It gives up at the deadline, or after rounds have
        failed for `PollPolicy.give_up_after` seconds in a row (then the last error is raised)."""
        failing_since: float | None = None
        while True:
            if self.deadline is not None and self.deadline.expired():
                raise ExportTimeoutError(task_ids, cancelled=False)
            asked = self.ctx.clock()
            try:
                answered: list[TaskProgress] = yield list_tasks(task_ids)
            except (NetworkError, ServerError, RateLimitedError) as error:
                failing_since = asked if failing_since is None else failing_since
                self._failed_rounds += 1
                if self.ctx.clock() - failing_since >= self.ctx.poll.give_up_after:
                    raise
                yield from self._after_failure(error)
                continue
            self._failed_rounds = 0
            break
        self._answered_in = self.ctx.clock() - asked
        outcome = read_round(task_ids, answered)
        for task_id, progress in {**outcome.running, **outcome.ended}.items():
            entry_id = self.entries.get(task_id)
            yield Progress(
                ProgressEvent(
                    phase=ProgressPhase.TASK,
                    entry_id=entry_id if entry_id is not None else progress.entry_id,
                    task_id=task_id,
                    status=progress.status,
                    percent=progress.percent_complete,
                )
            )
        for task_id in outcome.ended:
            log.info("task %s ended: %s", task_id, outcome.ended[task_id].status)
        for task_id in outcome.expired:
            log.info("task %s ended: expired", task_id)
        return outcome

    def pause(self, something_ended: bool) -> Flow[None]:
        """Wait before the next round, if the schedule says so (never past the deadline)."""
        if something_ended:
            self._quick_rounds = 0
            return
        policy = self.ctx.poll
        self._quick_rounds = self._quick_rounds + 1 if self._answered_in < policy.quick_answer else 0
        wait = policy.wait_after(self._answered_in, self._quick_rounds)
        if self.deadline is not None:
            wait = min(wait, self.deadline.remaining())
        if wait > 0:
            yield Sleep(wait)


def wait_flow(
    ctx: FlowContext,
    task_ids: Sequence[str],
    deadline: Deadline | None,
    entries: Mapping[str, int | None] | None = None,
) -> Flow[dict[str, TaskProgress]]:
    """Poll until every task ended; one ListTasks per round for all. Returns id → final progress. Raises the
    first `TaskError` (failed, cancelled, expired) once all ended, `ExportTimeoutError` at the deadline and
    `ExportInterrupted` on Ctrl-C; it never cancels (the caller decides: it may not have started them)."""
    pending = list(check_task_ids(task_ids))
    yield Hold(tuple(pending))  # the driver releases what a run held when it ends
    poller = Poller(ctx, deadline, entries or {})
    final: dict[str, TaskProgress] = {}
    errors: dict[str, LaserficheError] = {}
    try:
        while pending:
            outcome = yield from poller.round(pending)
            final.update(outcome.ended)
            errors.update(outcome.errors())
            pending = list(outcome.running)
            if pending:
                yield from poller.pause(bool(outcome.ended or outcome.expired))
    except KeyboardInterrupt as exc:
        raise aborted(exc, {t: (entries or {}).get(t) for t in pending}, ())  # noqa: B904 - aborted() chains
    if errors:
        raise next(iter(errors.values()))
    return final


def wait_started(
    ctx: FlowContext, task_id: str, entry_id: int | None, deadline: Deadline | None
) -> Flow[TaskProgress]:
    """Wait for a task this flow started; on abort (deadline, polling that failed for good, Ctrl-C) cancel
    it as the client is configured to, and raise what the abort rule says."""
    try:
        final = yield from wait_flow(ctx, [task_id], deadline, {task_id: entry_id})
    except TaskError:
        raise  # the task ended (failed, cancelled, expired): nothing left to cancel
    except BaseException as exc:
        if not (is_interrupt(exc) or isinstance(exc, LaserficheError)):
            raise  # a bug of ours: say nothing about the task that we cannot stand behind
        cancelled = yield from cancel_started(ctx, [task_id], exc)
        raise aborted(exc, {task_id: entry_id}, cancelled)  # noqa: B904 - aborted() chains
    return final[task_id]


def cancel_started(ctx: FlowContext, task_ids: Sequence[str], why: BaseException) -> Flow[tuple[str, ...]]:
    """Cancel the tasks we started, if the client is configured to for this kind of abort. Returns the ids the
    server agreed to cancel; a failure to cancel is logged, never raised over the reason we abort."""
    wanted = ctx.cancel_on_interrupt if is_interrupt(why) else ctx.cancel_on_deadline
    log.warning("aborting (%s); remote task(s): %s", type(why).__name__, ", ".join(task_ids) or "none")
    if not (wanted and task_ids):
        return ()
    try:
        answered: dict[str, bool] = yield cancel_tasks(task_ids, cleanup=True)
    except LaserficheError as error:
        log.warning("could not cancel task(s) %s: %s", ", ".join(task_ids), error)
        return ()
    return tuple(task_id for task_id in task_ids if answered.get(task_id, False))


def aborted(
    why: BaseException,
    tasks: Mapping[str, int | None],
    cancelled: Sequence[str],
    outcomes: Sequence[Any] = (),
) -> BaseException:
    """The exception to raise after an abort (see the module docstring), chained to `why`."""
    if isinstance(why, ExportTimeoutError):
        error: BaseException = ExportTimeoutError(tuple(tasks), cancelled=bool(tasks) and bool(cancelled))
    elif isinstance(why, KeyboardInterrupt):
        if isinstance(why, ExportInterrupted):  # from a nested flow: ours is the fuller account
            tasks = {**why.tasks, **tasks}
            cancelled = (*why.cancelled, *cancelled)
            why = why.__cause__ if isinstance(why.__cause__, BaseException) else why
        error = ExportInterrupted(tasks, cancelled, outcomes)
    else:
        if tasks:
            left = [task_id for task_id in tasks if task_id not in cancelled]
            parts = [f"cancelled: {', '.join(cancelled)}"] if cancelled else []
            parts += [f"left running (finish them with resume): {', '.join(left)}"] if left else []
            why.add_note(f"lf-export: remote export task(s) {'; '.join(parts)}")
        return why
    error.__cause__ = why
    return error


def completed_link(progress: TaskProgress) -> str:
    """The download link of a completed export task (`read_round` already failed link-less completions)."""
    if progress.download_link is None:
        raise TaskFailedError(progress.task_id, [{"title": "the task completed without a download link"}])
    return progress.download_link
