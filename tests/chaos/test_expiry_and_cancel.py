"""Expiry and cancellation under load: tasks that expire while a slow client polls raise TaskExpiredError
(never a hang); a deadline, or cancelling the asyncio task, cancels every remote task the client started —
the emulator's counters show them cancelled — and nothing but that cleanup is sent after the deadline."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorServer, FaultProfile
from lf_export import (
    AsyncExportClient,
    ExportClient,
    ExportOptions,
    ExportTimeoutError,
    PollPolicy,
    ProgressEvent,
    ProgressPhase,
    RetryPolicy,
    TaskExpiredError,
    TaskStatus,
)

from ._support import AsyncRecordingTransport, RecordingTransport, RequestLog, partial_files

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.2)
FAST_RETRY = RetryPolicy(max_attempts=6, initial_wait=0.01, max_wait=0.05, max_retry_after=0.1)
EXPIRY = 15 * 60


def client(emu: EmulatorServer, **kwargs: Any) -> ExportClient:
    settings: dict[str, Any] = {"token": emu.token, "poll": FAST_POLL, "retry": FAST_RETRY}
    return ExportClient(emu.base_url, emu.repository_id, **(settings | kwargs))


def aclient(emu: EmulatorServer, **kwargs: Any) -> AsyncExportClient:
    settings: dict[str, Any] = {"token": emu.token, "poll": FAST_POLL, "retry": FAST_RETRY}
    return AsyncExportClient(emu.base_url, emu.repository_id, **(settings | kwargs))


class SlowClientClock:
    """An on_progress callback that, on the first progress report of a running task, moves the emulator's
    clock past completion plus expiry: the client's next poll finds the task gone, as a client that polls
    once every 20 minutes would."""

    def __init__(self, emu: EmulatorServer) -> None:
        self.emu = emu
        self.moved = False

    def __call__(self, event: ProgressEvent) -> None:
        if event.phase is ProgressPhase.TASK and not self.moved and event.status != TaskStatus.COMPLETED:
            self.moved = True
            self.emu.advance_clock(EXPIRY + 60)


@pytest.mark.emulator_config(task_seconds=5.0)
def test_task_that_expires_while_a_slow_client_polls_raises(emulator: EmulatorServer, tmp_path: Path) -> None:
    slow = SlowClientClock(emulator)
    with client(emulator) as lf, pytest.raises(TaskExpiredError) as caught:
        lf.export(emulator.documents["three_pages"], None, tmp_path, mode="async", on_progress=slow)
    assert slow.moved
    assert caught.value.task_id
    assert "expired" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
    assert emulator.counters()["requests"]["ListTasks"] == 2  # one saw it running, the next found it gone


@pytest.mark.emulator_config(task_seconds=5.0)
def test_async_wait_on_expiring_tasks_raises(emulator: EmulatorServer) -> None:
    slow = SlowClientClock(emulator)

    async def main() -> None:
        async with aclient(emulator) as lf:
            ops = [await lf.start_export(emulator.documents[k]) for k in ("one_page", "three_pages")]
            ids = [op.task_id for op in ops]
            with pytest.raises(TaskExpiredError) as caught:
                await asyncio.wait_for(lf.wait(ids, on_progress=slow), timeout=30)
            assert caught.value.task_id in ids

    asyncio.run(main())
    assert slow.moved


@pytest.mark.emulator_config(task_seconds=1.0, max_concurrent_tasks=4)
def test_export_many_reports_expired_tasks_and_finishes_the_rest(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    slow = SlowClientClock(emulator)
    jobs = [emulator.documents[k] for k in ("one_page", "three_pages", "letter", "non_ascii", "annotated")]
    with client(emulator) as lf:
        outcomes = lf.export_many(jobs, tmp_path, max_concurrent_tasks=2, on_progress=slow)
    # The two tasks running when the clock jumped expired; the three started afterwards completed.
    assert [type(o.error).__name__ if o.error else "ok" for o in outcomes] == [
        "TaskExpiredError",
        "TaskExpiredError",
        "ok",
        "ok",
        "ok",
    ]
    assert all(o.task_id for o in outcomes)
    assert partial_files(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        o.result.path.name for o in outcomes if o.result
    )


HANGING = FaultProfile(
    seed=3,
    p_task_hang=1.0,
    operations=("ListTasks", "CancelTasks"),
    p_429=0.15,
    retry_after_seconds=1,
    p_5xx=0.15,
    statuses_5xx=(502, 503, 504),
)


@pytest.mark.emulator_config(max_concurrent_tasks=4, faults=HANGING)
def test_deadline_cancels_every_running_task_and_sends_nothing_else_after_it(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    sent = RequestLog()
    jobs = [emulator.documents[k] for k in ("one_page", "three_pages", "letter", "non_ascii", "annotated")]
    with client(emulator, transport=RecordingTransport(sent)) as lf:
        started = time.monotonic()
        outcomes = lf.export_many(jobs, tmp_path, max_concurrent_tasks=3, deadline=1.0)
        deadline_at = started + 1.0
        returned = time.monotonic()
        running = [o.task_id for o in outcomes if o.task_id]
        states = {t.task_id: t.status for t in lf.tasks(running)}
    assert all(isinstance(o.error, ExportTimeoutError) for o in outcomes)
    assert len(running) == 3  # three hanging tasks held every slot until the deadline
    assert all(o.error.cancelled for o in outcomes if o.task_id)  # type: ignore[union-attr]
    counters = emulator.counters()
    assert counters["tasks_cancelled"] == 3
    assert counters["concurrent_tasks_high_water"] == 3
    assert set(states.values()) == {TaskStatus.CANCELLED}
    late = [s for s in sent.sent if deadline_at <= s.at <= returned]
    assert late, "the deadline cleanup (CancelTasks) must go out"
    assert {s.operation for s in late} == {"CancelTasks"}
    assert list(tmp_path.iterdir()) == []


@pytest.mark.emulator_config(faults=FaultProfile(p_task_hang=1.0))
def test_deadline_of_a_single_async_export_cancels_its_task(emulator: EmulatorServer, tmp_path: Path) -> None:
    sent = RequestLog()

    async def main() -> ExportTimeoutError:
        async with aclient(emulator, transport=AsyncRecordingTransport(sent)) as lf:
            with pytest.raises(ExportTimeoutError) as caught:
                await lf.export(
                    emulator.documents["forty_pages"], ExportOptions.pdf(), tmp_path, deadline=0.8
                )
            return caught.value

    started = time.monotonic()
    error = asyncio.run(main())
    assert error.cancelled
    assert len(error.task_ids) == 1
    assert emulator.counters()["tasks_cancelled"] == 1
    late = {s.operation for s in sent.sent if s.at >= started + 0.8}
    assert late <= {"CancelTasks"}
    assert list(tmp_path.iterdir()) == []


@pytest.mark.emulator_config(faults=FaultProfile(p_task_hang=1.0), max_concurrent_tasks=4)
def test_cancelling_the_asyncio_task_cancels_the_remote_tasks(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    submitted: list[str] = []
    all_submitted = asyncio.Event()

    def on_progress(event: ProgressEvent) -> None:
        if event.phase is ProgressPhase.SUBMITTED and event.task_id:
            submitted.append(event.task_id)
            if len(submitted) == 3:
                all_submitted.set()

    async def main() -> None:
        async with aclient(emulator) as lf:
            run = asyncio.create_task(
                lf.export_many(
                    [emulator.documents[k] for k in ("one_page", "three_pages", "letter")],
                    tmp_path,
                    max_concurrent_tasks=3,
                    on_progress=on_progress,
                )
            )
            await all_submitted.wait()
            run.cancel()
            with pytest.raises(asyncio.CancelledError):
                await run

    asyncio.run(asyncio.wait_for(main(), timeout=30))
    assert emulator.counters()["tasks_cancelled"] == 3
    with client(emulator) as lf:
        assert {t.status for t in lf.tasks(submitted)} == {TaskStatus.CANCELLED}
    assert partial_files(tmp_path) == []
