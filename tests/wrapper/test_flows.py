"""The sans-I/O core, driven h11-style: each flow yields commands, a scripted server answers them, a fake
clock moves only when the flow sleeps or an answer is scripted to take time. No sockets, no sleeps, no
httpx."""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lf_export import (
    ApiError,
    AutoRule,
    EntryInfo,
    ExportInterrupted,
    ExportOptions,
    ExportTimeoutError,
    NetworkError,
    OptionsError,
    PollPolicy,
    RateLimitedError,
    ServerError,
    TaskExpiredError,
    TaskFailedError,
    TaskProgress,
    TaskStatus,
)
from lf_export._errors import DownloadDeadlineError
from lf_export._flows import (
    Abandoned,
    Command,
    Deliver,
    Destination,
    Download,
    EnsureFolder,
    ExportRequest,
    Fetch,
    Flow,
    FlowContext,
    Hold,
    ManyRequest,
    OperationRef,
    Progress,
    Release,
    Send,
    Sleep,
    export_flow,
    export_many_flow,
    operation_result,
    resume_flow,
    start_copy_flow,
    status_flow,
    wait_each_flow,
    wait_flow,
)
from lf_export._modes import choose_mode
from lf_export._policy import Deadline
from lf_export._results import DownloadResult, ExportJob

LINK = "https://storage.example.test/doc?sig=SECRET"
POLL = PollPolicy(initial_wait=1.0, max_wait=8.0, quick_answer=2.0)


def tid(n: int) -> str:
    return str(uuid.UUID(int=n))


Answer = Any  # a value, an exception to raise, or a callable(send) -> value


class Script:
    """A scripted server and a fake clock. `on(operation, *answers)` queues answers; a Send with nothing
    queued fails the test (no answer silently repeats). `latency` is how long each API answer takes."""

    def __init__(self, latency: float = 0.0) -> None:
        self.now = 1000.0
        self.latency = latency
        self.answers: dict[str, deque[Answer]] = {}
        self.commands: list[Command] = []
        self.files: list[Path] = []

    def clock(self) -> float:
        return self.now

    def on(self, operation: str, *answers: Answer) -> Script:
        self.answers.setdefault(operation, deque()).extend(answers)
        return self

    def sent(self, operation: str) -> list[Send]:
        return [c for c in self.commands if isinstance(c, Send) and c.operation == operation]

    def of(self, kind: type[Any]) -> list[Any]:
        return [c for c in self.commands if isinstance(c, kind)]

    def answer(self, command: Command) -> Any:
        if isinstance(command, Sleep):
            assert command.seconds >= 0
            self.now += command.seconds
            return None
        if isinstance(command, Hold | Release | Progress | EnsureFolder | Deliver):
            return None
        if isinstance(command, Download):
            path = (command.dest / f"{command.entry_id}.pdf") if command.dest.suffix == "" else command.dest
            self.files.append(path)
            return DownloadResult(path, 100, "application/pdf", None, False), ()
        queue = self.answers.get(command.operation)
        if not queue:
            raise AssertionError(f"unscripted call: {command.operation} {command.kwargs}")
        self.now += self.latency
        answer = queue.popleft()
        if isinstance(answer, BaseException):
            raise answer
        return answer(command) if callable(answer) else answer

    def run(self, flow: Flow[Any]) -> Any:
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                command = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as stop:
                return stop.value
            self.commands.append(command)
            value, error = None, None
            try:
                value = self.answer(command)
            except BaseException as exc:
                error = exc

    def context(self, **changes: Any) -> FlowContext:
        settings: dict[str, Any] = {
            "base_url": "https://api.example.test/repository",
            "poll": POLL,
            "auto": AutoRule(),
            "cancel_on_deadline": True,
            "cancel_on_interrupt": True,
            "default_options": ExportOptions.tiff(),
            "clock": self.clock,
        } | changes
        return FlowContext(**settings)

    def deadline(self, seconds: float) -> Deadline:
        return Deadline.after(seconds, self.clock)


def progress(
    task_id: str, status: str, *, link: str | None = None, entry_id: int | None = None
) -> TaskProgress:
    known = TaskStatus(status) if status in set(TaskStatus) else status
    return TaskProgress(
        task_id=task_id, status=known, result_uri=link, entry_id=entry_id, percent_complete=50
    )


def done(task_id: str, entry_id: int | None = None) -> TaskProgress:
    return progress(task_id, "Completed", link=LINK, entry_id=entry_id)


def request(entry_id: int = 10, mode: Any = "auto", options: ExportOptions | None = None) -> ExportRequest:
    return ExportRequest(
        entry_id=entry_id,
        options=options or ExportOptions.pdf(),
        mode=mode,
        dest=Destination(path=Path("out")),
    )


def entry(pages: int | None = None, size: int | None = None) -> EntryInfo:
    return EntryInfo(
        entry_id=10, name="Invoice", entry_type="Document", page_count=pages, electronic_size=size
    )


# ------------------------------------------------------------------------------------------------ mode choice


@pytest.mark.parametrize(
    ("info", "options", "mode"),
    [
        (entry(pages=20), ExportOptions.pdf(), "sync"),
        (entry(pages=21), ExportOptions.pdf(), "async"),
        (
            entry(pages=500),
            ExportOptions.pdf(pages="1-20"),
            "sync",
        ),  # the page range counts, not the document
        (entry(pages=None), ExportOptions.pdf(), "async"),  # unknown size: a task has no time limit
        (entry(size=20 * 1024 * 1024), ExportOptions.edoc(), "sync"),
        (entry(size=20 * 1024 * 1024 + 1), ExportOptions.edoc(), "async"),
        (entry(pages=3, size=None), ExportOptions.edoc(), "async"),
    ],
)
def test_auto_mode_picks_the_operation_by_size(info: EntryInfo, options: ExportOptions, mode: str) -> None:
    assert choose_mode(info, options, AutoRule()) == mode


def test_auto_mode_small_document_is_one_simple_export_and_no_task() -> None:
    script = Script().on("entries.get_entry", entry(pages=3)).on("entries.export_entry", LINK)
    result = script.run(export_flow(script.context(), request(), None))
    assert [c.operation for c in script.of(Send)] == ["entries.get_entry", "entries.export_entry"]
    assert result.mode == "sync"
    assert result.task_id is None
    (download,) = script.of(Download)
    assert download.link == LINK
    assert script.of(Hold) == []


def test_auto_mode_large_document_starts_a_task_and_downloads_its_link() -> None:
    t = tid(1)
    script = Script().on("entries.get_entry", entry(pages=400)).on("entries.start_export_entry", t)
    script.on("tasks.list_tasks", [progress(t, "InProgress")], [done(t)])
    result = script.run(export_flow(script.context(), request(), None))
    assert result.mode == "async"
    assert result.task_id == t
    assert script.of(Hold) == [Hold((t,))]
    phases = [c.event.phase.value for c in script.of(Progress)]
    assert phases == ["submitted", "task", "task", "done"]


# -------------------------------------------------------------------------------------- sync → async fallback


@pytest.mark.parametrize(
    "timeout",
    [
        NetworkError("ExportEntry timed out: ReadTimeout", timed_out=True),
        ApiError("gateway timeout", status=504),
        ApiError("request timeout", status=408),
    ],
)
def test_a_simple_export_that_times_out_falls_back_to_a_task(timeout: Exception) -> None:
    t = tid(2)
    script = Script().on("entries.get_entry", entry(pages=2)).on("entries.export_entry", timeout)
    script.on("entries.start_export_entry", t).on("tasks.list_tasks", [done(t)])
    result = script.run(export_flow(script.context(), request(), None))
    assert result.mode == "async"
    assert len(script.sent("entries.start_export_entry")) == 1


@pytest.mark.parametrize(
    ("error", "mode"),
    [
        (NetworkError("ExportEntry failed: ConnectError", timed_out=False), "auto"),  # not a timeout
        (ApiError("bad", status=400), "auto"),
        (NetworkError("ExportEntry timed out", timed_out=True), "sync"),  # asked for sync: no fallback
    ],
)
def test_other_simple_export_failures_do_not_fall_back(error: Exception, mode: str) -> None:
    script = Script().on("entries.export_entry", error)
    if mode == "auto":
        script.on("entries.get_entry", entry(pages=2))
    with pytest.raises(type(error)):
        script.run(export_flow(script.context(), request(mode=mode), None))
    assert script.sent("entries.start_export_entry") == []


# ---------------------------------------------------------------------------------------- the poll schedule


def test_quick_answers_back_off_with_jitter_and_slow_answers_need_no_wait() -> None:
    t = tid(3)
    script = Script(latency=0.1)  # quick: under POLL.quick_answer
    running = [[progress(t, "InProgress")] for _ in range(6)]
    script.on("tasks.list_tasks", *running, [done(t)])
    script.run(wait_flow(script.context(), [t], None))
    sleeps = [s.seconds for s in script.of(Sleep)]
    assert len(sleeps) == 6
    for n, seconds in enumerate(sleeps, start=1):
        assert 0 <= seconds <= min(POLL.max_wait, POLL.initial_wait * 2 ** (n - 1))

    slow = Script(latency=30.0)  # the server held the request (long poll): ask again at once
    slow.on("tasks.list_tasks", *running, [done(t)])
    slow.run(wait_flow(slow.context(), [t], None))
    assert slow.of(Sleep) == []


def test_one_list_tasks_per_round_for_all_tasks_and_ended_tasks_drop_out() -> None:
    a, b = tid(4), tid(5)
    script = Script(latency=5.0)
    script.on(
        "tasks.list_tasks",
        [progress(a, "InProgress"), progress(b, "InProgress")],
        [done(a), progress(b, "InProgress")],
    )
    script.on("tasks.list_tasks", [done(b)])
    final = script.run(wait_flow(script.context(), [a, b.upper()], None))
    asked = [[str(i) for i in s.kwargs["task_ids"]] for s in script.sent("tasks.list_tasks")]
    assert asked == [[a, b], [a, b], [b]]
    assert set(final) == {a, b}


def test_an_unknown_status_counts_as_running() -> None:
    t = tid(6)
    script = Script(latency=5.0).on("tasks.list_tasks", [progress(t, "Paused")], [done(t)])
    final = script.run(wait_flow(script.context(), [t], None))
    assert final[t].status is TaskStatus.COMPLETED


# --------------------------------------------------------------------------------------------------- expiry


def test_a_task_the_server_no_longer_lists_is_expired() -> None:
    t = tid(7)
    script = Script().on("tasks.list_tasks", [])
    with pytest.raises(TaskExpiredError) as caught:
        script.run(wait_flow(script.context(), [t], None))
    assert caught.value.task_id == t


def test_a_completed_task_without_a_link_is_a_failure_not_a_crash() -> None:
    t = tid(8)
    script = Script().on("entries.start_export_entry", t).on("tasks.list_tasks", [progress(t, "Completed")])
    with pytest.raises(TaskFailedError):
        script.run(export_flow(script.context(), request(mode="async"), None))
    assert script.of(Download) == []


# ------------------------------------------------------------------------------- deadline and remote cancel


def running_forever(task_id: str) -> Callable[[Send], list[TaskProgress]]:
    return lambda _send: [progress(task_id, "InProgress")]


def test_the_deadline_cancels_the_task_we_started() -> None:
    t = tid(9)
    script = Script(latency=1.0).on("entries.start_export_entry", t)
    script.on("tasks.list_tasks", *[running_forever(t)] * 50)
    script.on("tasks.cancel_tasks", {t: True})
    with pytest.raises(ExportTimeoutError) as caught:
        script.run(export_flow(script.context(), request(mode="async"), script.deadline(20)))
    assert caught.value.task_ids == (t,)
    assert caught.value.cancelled is True
    (cancel,) = script.sent("tasks.cancel_tasks")
    assert cancel.cleanup  # its own short budget: the caller's deadline has passed
    assert script.now <= 1000 + 20 + 2 * 1.0  # no sleep crossed it: at most a poll's and the cancel's latency


def test_without_cancel_on_deadline_the_task_is_left_for_resume() -> None:
    t = tid(10)
    script = Script(latency=1.0).on("entries.start_export_entry", t)
    script.on("tasks.list_tasks", *[running_forever(t)] * 50)
    with pytest.raises(ExportTimeoutError) as caught:
        script.run(
            export_flow(script.context(cancel_on_deadline=False), request(mode="async"), script.deadline(20))
        )
    assert caught.value.cancelled is False
    assert script.sent("tasks.cancel_tasks") == []


def test_a_failed_cancel_is_logged_not_raised_over_the_deadline() -> None:
    t = tid(11)
    script = Script(latency=1.0).on("entries.start_export_entry", t)
    script.on("tasks.list_tasks", *[running_forever(t)] * 50)
    script.on("tasks.cancel_tasks", ServerError("down", status=503))
    with pytest.raises(ExportTimeoutError) as caught:
        script.run(export_flow(script.context(), request(mode="async"), script.deadline(5)))
    assert caught.value.cancelled is False


def test_a_download_past_the_deadline_leaves_the_completed_task_resumable() -> None:
    t = tid(12)
    script = Script().on("entries.start_export_entry", t).on("tasks.list_tasks", [done(t)])

    def late(command: Command) -> Any:
        if isinstance(command, Download):
            raise DownloadDeadlineError("deadline passed after 10 of 100 bytes")
        return Script.answer(script, command)

    script.answer = late  # type: ignore[method-assign]
    with pytest.raises(ExportTimeoutError) as caught:
        script.run(export_flow(script.context(), request(mode="async"), script.deadline(60)))
    assert caught.value.task_ids == (t,)
    assert caught.value.cancelled is False
    assert script.sent("tasks.cancel_tasks") == []


# ------------------------------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_while_waiting_cancels_and_names_the_task() -> None:
    t = tid(13)
    script = Script().on("entries.start_export_entry", t)
    script.on("tasks.list_tasks", [progress(t, "InProgress")], KeyboardInterrupt())
    script.on("tasks.cancel_tasks", {t: True})
    with pytest.raises(ExportInterrupted) as caught:
        script.run(export_flow(script.context(), request(entry_id=42, mode="async"), None))
    assert caught.value.tasks == {t: 42}
    assert caught.value.cancelled == (t,)
    assert isinstance(caught.value.__cause__, KeyboardInterrupt)
    assert script.sent("tasks.cancel_tasks")[0].cleanup


def test_ctrl_c_without_cancel_on_interrupt_leaves_the_task_running() -> None:
    t = tid(14)
    script = Script().on("entries.start_export_entry", t).on("tasks.list_tasks", KeyboardInterrupt())
    with pytest.raises(ExportInterrupted) as caught:
        script.run(export_flow(script.context(cancel_on_interrupt=False), request(mode="async"), None))
    assert caught.value.left_running == (t,)
    assert script.sent("tasks.cancel_tasks") == []


def test_asyncio_cancellation_cancels_the_task_and_is_re_raised_itself() -> None:
    t = tid(15)
    cancelled = asyncio.CancelledError()
    script = Script().on("entries.start_export_entry", t).on("tasks.list_tasks", cancelled)
    script.on("tasks.cancel_tasks", {t: True})
    with pytest.raises(asyncio.CancelledError) as caught:
        script.run(export_flow(script.context(), request(mode="async"), None))
    assert caught.value is cancelled
    assert any(t in note for note in caught.value.__notes__)


def test_waiting_on_tasks_we_did_not_start_never_cancels_them() -> None:
    t = tid(16)
    script = Script().on("tasks.list_tasks", KeyboardInterrupt())
    with pytest.raises(ExportInterrupted) as caught:
        script.run(wait_flow(script.context(), [t], None, {t: 5}))
    assert caught.value.tasks == {t: 5}
    assert caught.value.cancelled == ()
    assert script.sent("tasks.cancel_tasks") == []


def test_resume_accepts_any_guid_spelling_and_takes_the_entry_from_the_task() -> None:
    t = tid(17)
    script = Script().on("tasks.list_tasks", [done(t, entry_id=77)])
    result = script.run(
        resume_flow(script.context(), "{" + t.upper() + "}", Destination(path=Path("out")), None)
    )
    assert result.task_id == t
    assert result.entry_id == 77


# ------------------------------------------------------------------------------------------------ many jobs


def many(*entry_ids: int, limit: int = 2) -> ManyRequest:
    return ManyRequest(
        jobs=tuple(ExportJob(e) for e in entry_ids),
        dest=Destination(path=Path("out"), rename=True),
        max_concurrent_tasks=limit,
    )


def test_many_keeps_at_most_n_tasks_and_makes_the_folder_first() -> None:
    ids = [tid(20 + i) for i in range(4)]
    script = Script(latency=5.0).on("entries.start_export_entry", *ids)
    script.on(
        "tasks.list_tasks",
        lambda s: [done(str(i)) for i in s.kwargs["task_ids"]],
        *[lambda s: [done(str(i)) for i in s.kwargs["task_ids"]]] * 3,
    )
    outcomes = script.run(export_many_flow(script.context(), many(1, 2, 3, 4), None))
    assert isinstance(script.commands[0], EnsureFolder)
    assert [o.ok for o in outcomes] == [True] * 4
    assert max(len(s.kwargs["task_ids"]) for s in script.sent("tasks.list_tasks")) == 2
    held = [t for h in script.of(Hold) for t in h.task_ids]
    released = [t for r in script.of(Release) for t in r.task_ids]
    assert sorted(held) == sorted(released) == sorted(ids)


def test_many_a_429_while_others_run_puts_the_job_back() -> None:
    a, b = tid(30), tid(31)
    script = Script(latency=5.0)
    script.on("entries.start_export_entry", a, RateLimitedError("slow down", status=429), b)
    script.on("tasks.list_tasks", [done(a)], [done(b)])
    outcomes = script.run(export_many_flow(script.context(), many(1, 2), None))
    assert [o.ok for o in outcomes] == [True, True]
    assert [o.task_id for o in outcomes] == [a, b]
    assert len(script.sent("entries.start_export_entry")) == 3


def test_many_one_failed_job_does_not_stop_the_others() -> None:
    a, b = tid(32), tid(33)
    script = Script(latency=5.0).on("entries.start_export_entry", ApiError("nope", status=404), a, b)
    script.on("tasks.list_tasks", [done(a), progress(b, "Failed")])
    outcomes = script.run(export_many_flow(script.context(), many(1, 2, 3), None))
    assert [o.ok for o in outcomes] == [False, True, False]
    assert isinstance(outcomes[2].error, TaskFailedError)


def test_many_polling_that_fails_for_good_keeps_finished_files_and_cancels_the_rest() -> None:
    a, b, c = tid(34), tid(35), tid(39)
    broken = ServerError("down", status=500)
    script = Script(latency=5.0).on("entries.start_export_entry", a, b, c)
    script.on("tasks.list_tasks", [done(a), progress(b, "InProgress")], broken)
    script.on("tasks.cancel_tasks", {b: True, c: True})
    give_up = PollPolicy(initial_wait=1.0, max_wait=8.0, quick_answer=2.0, give_up_after=5.0)
    outcomes = script.run(export_many_flow(script.context(poll=give_up), many(1, 2, 3, 4, limit=2), None))
    assert outcomes[0].ok
    assert [o.error for o in outcomes[1:]] == [broken] * 3  # running (b, c) and never started (4)
    assert [o.task_id for o in outcomes] == [a, b, c, None]
    assert [str(i) for i in script.sent("tasks.cancel_tasks")[0].kwargs["task_ids"]] == [b, c]
    assert any(b in note and c in note for note in broken.__notes__)


def test_many_deadline_reports_every_unfinished_job() -> None:
    a = tid(36)
    script = Script(latency=2.0).on("entries.start_export_entry", a)
    script.on("tasks.list_tasks", *[running_forever(a)] * 50).on("tasks.cancel_tasks", {a: True})
    outcomes = script.run(export_many_flow(script.context(), many(1, 2, limit=1), script.deadline(10)))
    first, second = (o.error for o in outcomes)
    assert isinstance(first, ExportTimeoutError)
    assert (first.task_ids, first.cancelled) == ((a,), True)
    assert isinstance(second, ExportTimeoutError)
    assert second.task_ids == ()


def test_many_ctrl_c_carries_the_finished_jobs() -> None:
    a, b = tid(37), tid(38)
    script = Script(latency=5.0).on("entries.start_export_entry", a, b)
    script.on("tasks.list_tasks", [done(a), progress(b, "InProgress")], KeyboardInterrupt())
    script.on("tasks.cancel_tasks", {b: True})
    with pytest.raises(ExportInterrupted) as caught:
        script.run(export_many_flow(script.context(), many(1, 2), None))
    assert caught.value.tasks == {b: 2}
    assert caught.value.cancelled == (b,)
    (finished,) = caught.value.outcomes
    assert finished.ok
    assert finished.task_id == a


def test_many_rejects_a_bad_limit_before_anything_happens() -> None:
    script = Script()
    with pytest.raises(Exception, match="max_concurrent_tasks"):
        script.run(export_many_flow(script.context(), many(1, limit=0), None))
    assert script.commands == []


# --------------------------------------------------------------------------------- failed rounds, adoption


def test_a_failed_list_tasks_round_is_asked_again_not_charged_to_the_jobs() -> None:
    a, b = tid(40), tid(41)
    flaky = [NetworkError("ListTasks failed: ConnectError"), ServerError("oops", status=500)]
    script = Script(latency=1.0).on("entries.start_export_entry", a, b)
    script.on("tasks.list_tasks", flaky[0], [progress(a, "InProgress"), progress(b, "InProgress")], flaky[1])
    script.on("tasks.list_tasks", RateLimitedError("slow", status=429, retry_after=7.0), [done(a), done(b)])
    outcomes = script.run(export_many_flow(script.context(), many(1, 2), None))
    assert [o.ok for o in outcomes] == [True, True]
    waits = [s.seconds for s in script.of(Sleep)]
    assert 7.0 in waits  # the server's Retry-After is honoured between rounds


def test_rounds_failing_longer_than_the_budget_give_up_with_the_last_error() -> None:
    t = tid(42)
    policy = PollPolicy(initial_wait=1.0, max_wait=2.0, quick_answer=2.0, give_up_after=30.0)
    script = Script(latency=1.0).on("entries.start_export_entry", t)
    script.on("tasks.list_tasks", *[ServerError("down", status=503)] * 40).on("tasks.cancel_tasks", {t: True})
    with pytest.raises(ServerError) as caught:
        script.run(export_flow(script.context(poll=policy), request(mode="async"), None))
    assert 30.0 <= script.now - 1000 <= 30.0 + 2 * 2.0 + 2
    assert any(t in note for note in caught.value.__notes__)
    assert script.sent("tasks.cancel_tasks")  # polling gave up: the task we started is cancelled


def test_a_job_naming_an_earlier_task_is_adopted_not_started_again() -> None:
    a, b = tid(43), tid(44)
    jobs = ManyRequest(
        jobs=(ExportJob(1, task_id=a.upper()), ExportJob(2)),
        dest=Destination(path=Path("out")),
        max_concurrent_tasks=2,
    )
    script = (
        Script(latency=5.0).on("entries.start_export_entry", b).on("tasks.list_tasks", [done(a), done(b)])
    )
    outcomes = script.run(export_many_flow(script.context(), jobs, None))
    assert [o.task_id for o in outcomes] == [a, b]
    assert len(script.sent("entries.start_export_entry")) == 1


def test_an_adopted_task_the_server_forgot_is_started_again() -> None:
    gone, fresh = tid(45), tid(46)
    jobs = ManyRequest(
        jobs=(ExportJob(1, task_id=gone),), dest=Destination(path=Path("out")), max_concurrent_tasks=1
    )
    script = (
        Script(latency=5.0).on("tasks.list_tasks", [], [done(fresh)]).on("entries.start_export_entry", fresh)
    )
    (outcome,) = script.run(export_many_flow(script.context(), jobs, None))
    assert outcome.ok
    assert outcome.task_id == fresh


def test_outcomes_are_delivered_as_jobs_finish_with_their_index() -> None:
    a, b = tid(47), tid(48)
    script = Script(latency=5.0).on("entries.start_export_entry", a, b)
    script.on("tasks.list_tasks", [progress(a, "InProgress"), done(b)], [done(a)])
    script.run(export_many_flow(script.context(), many(1, 2), None))
    delivered = [c.item for c in script.of(Deliver)]
    assert [(o.index, o.task_id) for o in delivered] == [(1, b), (0, a)]


def test_an_abandoned_stream_cancels_what_runs() -> None:
    a = tid(49)
    script = Script(latency=5.0).on("entries.start_export_entry", a)
    script.on("tasks.list_tasks", [progress(a, "InProgress")], Abandoned()).on(
        "tasks.cancel_tasks", {a: True}
    )
    with pytest.raises(Abandoned):
        script.run(export_many_flow(script.context(), many(1), None))
    assert script.sent("tasks.cancel_tasks")


# ------------------------------------------------------------------------------------------- long operations

API = "https://api.example.test/repository"


def copy_done(task_id: str, uri: str | None, entry_id: int | None = 77) -> TaskProgress:
    return TaskProgress(
        task_id=task_id, status=TaskStatus.COMPLETED, task_type="CopyEntry", entry_id=entry_id, result_uri=uri
    )


@pytest.mark.parametrize(
    ("uri", "fetched"),
    [
        (f"{API}/v2/Repositories/r-abc123/Entries/77", True),
        ("https://api.example.test:443/repository/v2/Repositories/r-abc123/Entries/77", True),  # same origin
        ("https://evil.example.test/repository/v2/Repositories/r-abc123/Entries/77", False),
        ("http://api.example.test/repository/v2/Repositories/r-abc123/Entries/77", False),
        ("https://api.example.test:8443/x", False),
        (None, False),
    ],
)
def test_a_copy_result_is_read_from_its_uri_only_on_the_api_origin(uri: str | None, fetched: bool) -> None:
    new = EntryInfo(entry_id=77, name="Copy", entry_type="Folder")
    script = Script()
    fetches: list[str] = []

    def answer(command: Command) -> Any:
        if isinstance(command, Fetch):
            fetches.append(command.url)
            return new
        return Script.answer(script, command)

    script.answer = answer  # type: ignore[method-assign]
    if not fetched:
        script.on("entries.get_entry", new)
    result = script.run(operation_result(script.context(), copy_done(tid(60), uri)))
    assert result == new
    assert fetches == ([uri] if fetched else [])
    assert len(script.sent("entries.get_entry")) == (0 if fetched else 1)


def test_results_by_task_type() -> None:
    script = Script()
    ctx = script.context()
    assert script.run(operation_result(ctx, done(tid(61)))) == LINK  # export: its download link
    deleted = TaskProgress(task_id=tid(62), status=TaskStatus.COMPLETED, task_type="DeleteEntry")
    assert script.run(operation_result(ctx, deleted)) is None
    other = TaskProgress(task_id=tid(63), status=TaskStatus.COMPLETED, task_type="ImportUploadedParts")
    assert script.run(operation_result(ctx, other)) is other
    failed = TaskProgress(
        task_id=tid(64),
        status=TaskStatus.FAILED,
        task_type="DeleteEntry",
        errors=({"title": "audit reason", "errorCode": 216},),
    )
    with pytest.raises(TaskFailedError, match="DeleteEntry audit reasons"):
        script.run(operation_result(ctx, failed))
    with pytest.raises(TaskFailedError, match="without naming the new entry"):
        script.run(operation_result(ctx, copy_done(tid(65), None, entry_id=None)))


def test_a_copy_named_like_its_source_asks_for_the_source_name_first() -> None:
    t = tid(66)
    script = Script().on("entries.get_entry", EntryInfo(entry_id=9, name="Guide", entry_type="Folder"))
    script.on("entries.start_copy_entry", t)
    ref = script.run(start_copy_flow(9, 8, None, False))
    assert (ref.task_id, ref.task_type, ref.entry_id) == (t, "CopyEntry", 9)
    (start,) = script.sent("entries.start_copy_entry")
    assert (start.kwargs["entry_id"], start.kwargs["body"].name, start.kwargs["body"].source_id) == (
        8,
        "Guide",
        9,
    )


def test_status_of_a_forgotten_task_is_expired() -> None:
    script = Script().on("tasks.list_tasks", [])
    with pytest.raises(TaskExpiredError):
        script.run(status_flow(tid(67)))


def test_many_operations_of_mixed_types_share_each_round_and_arrive_as_they_end() -> None:
    c, d, e = tid(68), tid(69), tid(70)
    refs = [
        OperationRef(c, "CopyEntry", 9),
        OperationRef(d, "DeleteEntry", 43),
        OperationRef(e, "ExportEntry", 11),
    ]
    deleted = TaskProgress(task_id=d, status=TaskStatus.COMPLETED, task_type="DeleteEntry")
    running = [progress(c, "InProgress"), deleted, progress(e, "InProgress")]
    script = Script(latency=5.0).on(
        "tasks.list_tasks", running, [copy_done(c, None), progress(e, "InProgress")], []
    )
    final = script.run(wait_each_flow(script.context(), refs, None))
    arrived = [(ref.task_id, p is not None) for ref, p in (c.item for c in script.of(Deliver))]
    assert arrived == [(d, True), (c, True), (e, False)]  # the export was forgotten: expired, not waited for
    assert [len(s.kwargs["task_ids"]) for s in script.sent("tasks.list_tasks")] == [3, 2, 1]
    assert final[e] is None


def test_two_jobs_naming_one_task_id_fail_the_second_not_the_batch() -> None:
    t = tid(80)
    jobs = ManyRequest(
        jobs=(ExportJob(1, task_id=t), ExportJob(2, task_id=t.upper())),
        dest=Destination(path=Path("out")),
        max_concurrent_tasks=2,
    )
    script = Script(latency=5.0).on("tasks.list_tasks", [done(t)])
    first, second = script.run(export_many_flow(script.context(), jobs, None))
    assert first.ok
    assert isinstance(second.error, OptionsError)
    assert "jobs[0]" in str(second.error)


def test_adopted_tasks_are_never_cancelled_by_the_run_that_adopted_them() -> None:
    earlier, mine = tid(81), tid(82)
    jobs = ManyRequest(
        jobs=(ExportJob(1, task_id=earlier), ExportJob(2)),
        dest=Destination(path=Path("out")),
        max_concurrent_tasks=2,
    )
    script = Script(latency=5.0).on("entries.start_export_entry", mine)
    script.on("tasks.list_tasks", KeyboardInterrupt()).on("tasks.cancel_tasks", {mine: True})
    with pytest.raises(ExportInterrupted) as caught:
        script.run(export_many_flow(script.context(), jobs, None))
    (cancel,) = script.sent("tasks.cancel_tasks")
    assert [str(i) for i in cancel.kwargs["task_ids"]] == [mine]
    assert caught.value.cancelled == (mine,)
    assert caught.value.left_running == (earlier,)
