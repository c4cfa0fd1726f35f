"""Long operations: lifecycle, long-poll, cancellation, expiry, per-token concurrency.

A task's state is a pure function of the emulator clock, so advancing the clock moves tasks along:

    created ── NotStarted (10% of duration, ≤ 1 s) ── InProgress (percent rising) ── Completed
                                                        ├─ half-way ── Failed (p_task_fail, audit, lock)
                                                        └─ forever, ≤ 95% ── (p_task_hang)
    DELETE at any time before the end ── Cancelled

Wire facts (``shared/wire-contract.md``): unknown or expired ids are simply absent from ListTasks and
CancelTasks answers; duplicates are answered once; an empty id list means every task of the token;
cancelling an ended task answers ``result: true``; tasks belong to the token that started them; an ended
task is forgotten ``task_expiry_seconds`` after it ended.

Every task type lives here: ``ExportEntry``, ``CopyEntry``, ``DeleteEntry`` and ``SearchEntry``. Copy and
delete carry a :class:`Work` (a list of steps that change the tree); ``settle`` applies the steps that are
due by the clock (a share of them proportional to the time spent InProgress, all of them at completion, the
ones reached before a cancel or a failure), so the tree too is a function of the clock. Exports, copies and
deletes count toward ``max_concurrent`` per token; searches do not, but a token may keep at most
``max_open_searches`` open (not closed by CancelTasks, results not yet expired).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol

from lf_emulator.clock import Clock

__all__ = ["FINAL_STATUSES", "Task", "TaskStore", "TooManyTasks", "Work", "format_time"]

Outcome = Literal["complete", "fail", "hang"]
FINAL_STATUSES = frozenset({"Completed", "Failed", "Cancelled"})
_UNKNOWN_STATUS = {"NotStarted": "Queued", "InProgress": "Running"}
_UNKNOWN_TASK_TYPE = "BatchExportEntries"
_HANG_PERCENT = 95


def format_time(moment: Any) -> str:
    """ISO 8601 UTC with 7 fractional digits, as the real server writes it."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}0Z"


class TooManyTasks(Exception):
    def __init__(self, active: int, retry_after: int, *, searches: bool = False) -> None:
        what = "open searches" if searches else "long operations already running"
        super().__init__(f"{active} {what} for this token")
        self.active = active
        self.retry_after = retry_after
        self.searches = searches


class Work(Protocol):
    """The tree changes of a copy or delete: ``total`` steps, of which the first ``limit`` ever run
    (fewer than ``total`` when the task fails at step ``limit``); ``advance_to(n)`` runs steps until ``n``
    are done."""

    @property
    def total(self) -> int: ...

    @property
    def limit(self) -> int: ...

    def advance_to(self, count: int) -> None: ...


@dataclasses.dataclass
class Task:
    id: str
    token: str
    entry_id: int
    created: float
    duration: float
    outcome: Outcome = "complete"
    error: dict[str, Any] | None = None
    unknown_enum: bool = False
    mint_link: Callable[[], str] | None = None
    result_uri: str | None = None
    cancel_at: float | None = None
    task_type: str = "ExportEntry"
    fail_after: float = 0.5
    work: Work | None = None
    result_fn: Callable[[], dict[str, Any] | None] | None = None
    closed: bool = False
    expires_at: float | None = None
    payload: Any = None

    @property
    def is_search(self) -> bool:
        return self.task_type == "SearchEntry"

    def is_open_search(self, now: float) -> bool:
        return self.is_search and not self.closed and (self.expires_at is None or now < self.expires_at)

    @property
    def not_started_for(self) -> float:
        return min(0.1 * self.duration, 1.0)

    def natural_end(self) -> float | None:
        if self.outcome == "hang":
            return None
        if self.outcome == "fail":
            return (
                self.created + self.not_started_for + (self.duration - self.not_started_for) * self.fail_after
            )
        return self.created + self.duration

    def ended_at(self, now: float) -> float | None:
        """When the task ended, if it has ended by ``now``."""
        end = self.natural_end()
        if self.cancel_at is not None and (end is None or self.cancel_at < end):
            end = self.cancel_at
        return end if end is not None and end <= now else None

    def _percent(self, at: float) -> int:
        started = self.created + self.not_started_for
        if at < started:
            return 0
        span = max(self.duration - self.not_started_for, 1e-9)
        percent = int(100 * (at - started) / span)
        return max(1, min(percent, _HANG_PERCENT if self.outcome == "hang" else 99))

    def status(self, now: float) -> tuple[str, int, float]:
        """(status, percentComplete, lastUpdate) at ``now``."""
        ended = self.ended_at(now)
        if ended is not None:
            if self.cancel_at is not None and ended == self.cancel_at:
                return "Cancelled", self._percent(ended), ended
            if self.outcome == "fail":
                return "Failed", self._percent(ended), ended
            return "Completed", 100, ended
        if now < self.created + self.not_started_for:
            return "NotStarted", 0, self.created
        return "InProgress", self._percent(now), now

    def fraction(self, at: float) -> float:
        """Share of the InProgress span elapsed at ``at`` (0 before it starts)."""
        started = self.created + self.not_started_for
        span = max(self.duration - self.not_started_for, 1e-9)
        return min(max((at - started) / span, 0.0), 1.0)

    def steps_due(self, now: float) -> int:
        """How many steps of ``work`` have run by ``now``."""
        work = self.work
        if work is None:
            return 0
        status, _, last = self.status(now)
        if status in ("Completed", "Failed"):
            return work.limit
        at = last if status == "Cancelled" else now
        return min(work.limit, int(work.total * self.fraction(at) + 1e-9))

    def next_transition(self, now: float) -> float | None:
        """The next clock reading at which the status changes on its own (None: never)."""
        started = self.created + self.not_started_for
        if now < started:
            return started
        if self.ended_at(now) is not None:
            return None
        return self.natural_end()


class TaskStore:
    """All tasks of one emulator. Methods are thread-safe; ``wait_for_change`` runs on the server loop."""

    def __init__(
        self, clock: Clock, *, expiry_seconds: float, max_concurrent: int, max_open_searches: int = 2
    ) -> None:
        self._clock = clock
        self.max_open_searches = max_open_searches
        self._lock = threading.RLock()
        self._tasks: dict[str, Task] = {}
        self.expiry_seconds = expiry_seconds
        self.max_concurrent = max_concurrent
        self._waiters: set[asyncio.Event] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.started = 0
        self.cancelled = 0
        self.high_water = 0
        self.high_water_per_token = 0

    # -- lifecycle -------------------------------------------------------------------------------------

    def _purge(self, now: float) -> None:
        for task_id in [
            t.id
            for t in self._tasks.values()
            if (ended := t.ended_at(now)) is not None and ended + self.expiry_seconds <= now
        ]:
            del self._tasks[task_id]

    def _active(self, now: float, token: str | None = None) -> list[Task]:
        return [
            t
            for t in self._tasks.values()
            if not t.is_search and t.ended_at(now) is None and (token is None or t.token == token)
        ]

    def start(
        self,
        token: str,
        entry_id: int,
        duration: float,
        *,
        outcome: Outcome = "complete",
        error: dict[str, Any] | None = None,
        unknown_enum: bool = False,
        mint_link: Callable[[], str] | None = None,
        task_type: str = "ExportEntry",
        fail_after: float = 0.5,
        work: Work | None = None,
        result_fn: Callable[[], dict[str, Any] | None] | None = None,
        expires_at: float | None = None,
        payload: Any = None,
    ) -> Task:
        """Start a task, or raise :class:`TooManyTasks` when the token is at its limit."""
        with self._lock:
            now = self._clock.now()
            self._purge(now)
            if task_type == "SearchEntry":
                searches = [t for t in self._tasks.values() if t.token == token and t.is_open_search(now)]
                if len(searches) >= self.max_open_searches:
                    ends = [t.expires_at for t in searches if t.expires_at is not None]
                    wait = min(ends) - now if ends else 1.0
                    raise TooManyTasks(len(searches), max(1, math.ceil(wait)), searches=True)
            mine = self._active(now, token)
            if task_type != "SearchEntry" and len(mine) >= self.max_concurrent:
                ends = [e for t in mine if (e := t.natural_end()) is not None]
                wait = min(ends) - now if ends else 1.0
                raise TooManyTasks(len(mine), max(1, math.ceil(wait)))
            task = Task(
                id=str(uuid.uuid4()),
                token=token,
                entry_id=entry_id,
                created=now,
                duration=duration,
                outcome=outcome,
                error=error,
                unknown_enum=unknown_enum,
                mint_link=mint_link,
                task_type=task_type,
                fail_after=fail_after,
                work=work,
                result_fn=result_fn,
                expires_at=expires_at,
                payload=payload,
            )
            self._tasks[task.id] = task
            self.started += 1
            self.high_water_per_token = max(self.high_water_per_token, len(mine) + 1)
            self.high_water = max(self.high_water, len(self._active(now)))
            return task

    def select(self, token: str, ids: Iterable[str]) -> list[Task]:
        """The token's tasks among ``ids`` (all when ``ids`` is empty), each once, unknown ids dropped."""
        with self._lock:
            self._purge(self._clock.now())
            wanted = list(dict.fromkeys(ids))
            if not wanted:
                return [t for t in self._tasks.values() if t.token == token]
            return [t for i in wanted if (t := self._tasks.get(i)) is not None and t.token == token]

    def cancel(self, token: str, ids: Iterable[str]) -> list[Task]:
        """Request cancellation; ended tasks are left as they are (and reported with ``result: true``)."""
        with self._lock:
            now = self._clock.now()
            tasks = self.select(token, ids)
            for task in tasks:
                if task.ended_at(now) is None and task.cancel_at is None:
                    self.settle_task(task, now)
                    task.cancel_at = now
                    self.cancelled += 1
                if task.is_search:
                    task.closed = True
        self.notify()
        return tasks

    def get(self, token: str, task_id: str) -> Task | None:
        """The token's task ``task_id`` (None when unknown, expired or another token's)."""
        found = self.select(token, [task_id]) if task_id else []
        return found[0] if found else None

    def settle_task(self, task: Task, now: float) -> None:
        if task.work is not None:
            task.work.advance_to(task.steps_due(now))

    def settle(self) -> None:
        """Run every copy and delete step that is due by the clock (in the order the tasks started)."""
        with self._lock:
            now = self._clock.now()
            for task in list(self._tasks.values()):
                self.settle_task(task, now)

    def clear(self) -> None:
        with self._lock:
            self._tasks.clear()

    # -- wire representation ---------------------------------------------------------------------------

    def progress(self, task: Task) -> dict[str, Any]:
        """TaskProgress JSON for ``task`` now (mints the download link on first sight of completion)."""
        with self._lock:
            now = self._clock.now()
            self.settle_task(task, now)
            status, percent, last = task.status(now)
            if status == "Completed" and task.result_uri is None and task.mint_link is not None:
                task.result_uri = task.mint_link()
        body: dict[str, Any] = {
            "id": task.id,
            "taskType": self.task_type(task),
            "percentComplete": percent,
            "status": _UNKNOWN_STATUS.get(status, status) if task.unknown_enum else status,
            "startTime": format_time(self._clock.wall(task.created)),
            "lastUpdateTime": format_time(self._clock.wall(last)),
            "errors": [task.error] if status == "Failed" and task.error is not None else [],
        }
        body["result"] = None
        if status == "Completed":
            if task.result_fn is not None:
                body["result"] = task.result_fn()
            else:
                body["result"] = {"entryId": task.entry_id, "uri": task.result_uri or ""}
        return body

    def task_type(self, task: Task) -> str:
        return _UNKNOWN_TASK_TYPE if task.unknown_enum else task.task_type

    # -- long-poll -------------------------------------------------------------------------------------

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """The server loop, so ``notify`` from other threads reaches long-polls."""
        self._loop = loop

    def notify(self) -> None:
        """Wake every long-poll so it re-reads task states (thread-safe)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake()
        else:
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        for event in self._waiters:
            event.set()

    async def wait_for_change(
        self, token: str, ids: list[str], max_seconds: float, stopping: Callable[[], bool]
    ) -> bool:
        """Hold until a selected task ends or changes status, or ``max_seconds`` pass.

        Answers at once when any selected task has already ended or none is known. Returns whether the
        hold ended early because of a change (False: timed out, or nothing to wait for).
        """
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        deadline = time.monotonic() + max_seconds
        tasks = self.select(token, ids)
        now = self._clock.now()
        initial = {t.id: t.status(now)[0] for t in tasks}
        if not tasks or any(status in FINAL_STATUSES for status in initial.values()):
            return False
        event = asyncio.Event()
        self._waiters.add(event)
        try:
            while True:
                now = self._clock.now()
                current = {t.id: t.status(now)[0] for t in self.select(token, ids)}
                if current != initial:
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0 or stopping():
                    return False
                transitions = [n for t in tasks if (n := t.next_transition(now)) is not None]
                timeout = remaining
                if transitions:
                    timeout = min(timeout, max(min(transitions) - now, 0.0) + 0.002)
                event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), timeout=min(timeout, 1.0))
        finally:
            self._waiters.discard(event)
