"""Exact wire shapes and fault handling of ExportClient / AsyncExportClient, against httpx.MockTransport.

Every scenario runs through both drivers (the `run` fixture), so the sync and async clients are held to the
same behaviour. End-to-end runs against the emulator live in tests/e2e/.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina
from lf_export import (
    AsyncExportClient,
    AuthenticationError,
    ClientClosedError,
    ExportClient,
    ExportInterrupted,
    ExportOptions,
    ExportTimeoutError,
    NetworkError,
    OptionsError,
    PollPolicy,
    RateLimitedError,
    ServerError,
    TaskCancelledError,
    TaskExpiredError,
    TaskFailedError,
)

BASE = "https://api.example.test/repository"
REPO = "r-abc123"
TASKS = f"/repository/v2/Repositories/{REPO}/Tasks"
LINK = "https://storage.example.test/exports/doc.pdf?sig=SECRET-SIGNATURE&exp=1"
T1 = "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2"
T2 = "4a250850-41a4-4e31-8cef-0feb57a344ea"
FAST_POLL = PollPolicy(initial_wait=0.001, max_wait=0.002, quick_answer=0.5, give_up_after=0.3)


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    with stamina.set_testing(True, attempts=5, cap=True):
        yield


Reply = Callable[[httpx.Request], httpx.Response] | httpx.Response


class FakeServer:
    """Answers by (method, path suffix): `on` queues answers used once each, in order; `always` answers every
    request of a route the same way. A request with no answer left fails the test (AssertionError raised
    through the transport): nothing repeats unless a test says so. Records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], list[Callable[[httpx.Request], httpx.Response]]] = {}
        self.repeated: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {}
        self.file = b"%PDF-1.4 fake" * 100

    def on(self, method: str, suffix: str, *answers: Reply) -> None:
        queue = self.routes.setdefault((method, suffix), [])
        for answer in answers:
            queue.append(answer if callable(answer) else (lambda _r, a=answer: a))

    def always(self, method: str, suffix: str, answer: Reply) -> None:
        self.routes.setdefault((method, suffix), [])
        self.repeated[(method, suffix)] = answer if callable(answer) else (lambda _r: answer)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host == "storage.example.test":
            return httpx.Response(
                200,
                content=self.file,
                headers={
                    "Content-Type": "application/pdf",
                    "Content-Disposition": "attachment; filename*=UTF-8''Invoice%201001.pdf",
                },
            )
        for (method, suffix), queue in self.routes.items():
            if request.method == method and request.url.path.endswith(suffix):
                if queue:
                    return queue.pop(0)(request)
                if (method, suffix) in self.repeated:
                    return self.repeated[(method, suffix)](request)
                raise AssertionError(f"no answer left for {method} {request.url.path}")
        return httpx.Response(404, json={"status": 404, "title": f"no route for {request.url.path}"})

    def api(self, method: str | None = None) -> list[httpx.Request]:
        return [
            r
            for r in self.requests
            if r.url.host == "api.example.test" and (method is None or r.method == method)
        ]

    def downloads(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.host == "storage.example.test"]


def task(task_id: str, status: str = "InProgress", percent: int = 0, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": task_id,
        "taskType": "ExportEntry",
        "status": status,
        "percentComplete": percent,
    }
    if status == "Completed":
        body["result"] = {"entryId": 10, "uri": LINK}
    body.update(extra)
    return body


def tasks(*items: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"@odata.context": "x#Tasks", "value": list(items)})


Runner = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Any]:
    """run(server, method_name, *args, **client_kwargs_and_call_kwargs) on the sync or the async client."""

    def runner(
        server: FakeServer, method: str, *args: Any, client: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        options = {"token": "T0KEN", "poll": FAST_POLL} | (client or {})
        if request.param == "sync":
            transport = httpx.MockTransport(server.handler)
            with ExportClient(BASE, REPO, transport=transport, download_transport=transport, **options) as lf:
                return getattr(lf, method)(*args, **kwargs)

        async def main() -> Any:
            transport = httpx.MockTransport(server.handler)
            async with AsyncExportClient(
                BASE, REPO, transport=transport, download_transport=transport, **options
            ) as lf:
                return await getattr(lf, method)(*args, **kwargs)

        return asyncio.run(main())

    return runner


# ---------------------------------------------------------------------------------------------- wire shape


def test_simple_export_sends_exact_request_and_downloads_without_token(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    server.on("POST", "/Entries/10/Export", httpx.Response(200, json={"@odata.context": "c", "value": LINK}))
    options = ExportOptions.pdf(pages="1-3,5", watermark="CONFIDENTIAL")
    result = run(server, "export", 10, options, tmp_path, mode="sync")
    (post,) = server.api("POST")
    assert post.url.path == f"/repository/v2/Repositories/{REPO}/Entries/10/Export"
    assert post.url.params["pageRange"] == "1-3,5"
    assert post.headers["Authorization"] == "Bearer T0KEN"
    assert json.loads(post.content) == options.to_request_body()
    assert json.loads(post.content)["imageOptions"]["watermark"]["text"] == "CONFIDENTIAL"
    (download,) = server.downloads()
    assert "Authorization" not in download.headers
    assert result.path == tmp_path / "Invoice 1001.pdf"
    assert result.path.read_bytes() == server.file
    assert (result.size, result.mode, result.task_id) == (len(server.file), "sync", None)


def test_async_export_polls_with_repeated_task_ids_and_reports_progress(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    server.on("POST", "/Entries/10/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("GET", "/Tasks", tasks(task(T1, "InProgress", 40)), tasks(task(T1, "Completed", 100)))
    events: list[Any] = []
    result = run(
        server, "export", 10, ExportOptions.tiff(), tmp_path, mode="async", on_progress=events.append
    )
    polls = server.api("GET")
    assert len(polls) == 2
    assert polls[0].url.params.get_list("taskIds") == [T1]
    assert result.task_id == T1
    assert result.mode == "async"
    phases = [e.phase.value for e in events]
    assert phases[0] == "submitted"
    assert "task" in phases
    assert "download" in phases
    assert phases[-1] == "done"
    assert any(e.percent == 40 for e in events)


def test_many_task_ids_go_in_one_request_and_empty_lists_are_refused(run: Runner) -> None:
    server = FakeServer()
    server.on("GET", "/Tasks", tasks(task(T1, "InProgress"), task(T2, "Completed", 100)))
    progress = run(server, "tasks", [T1, T2, T1])
    (request,) = server.api()
    assert request.url.params.get_list("taskIds") == [T1, T2]
    assert {p.task_id for p in progress} == {T1, T2}
    with pytest.raises(OptionsError, match=r"taskIds.*at least one task"):
        run(server, "tasks", [])
    with pytest.raises(OptionsError, match=r"taskIds\[0\].*GUID"):
        run(server, "cancel", ["not-a-task"])
    assert len(server.api()) == 1  # nothing was sent for the refused calls


def test_download_link_query_string_never_reaches_repr_or_errors(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100)))
    (progress,) = run(server, "tasks", [T1])
    assert progress.download_link == LINK
    assert "SECRET-SIGNATURE" not in repr(progress)


# ------------------------------------------------------------------------------------------------- retries


def test_get_retried_on_503_and_html_502(run: Runner) -> None:
    server = FakeServer()
    server.on(
        "GET",
        "/Tasks",
        httpx.Response(503),
        httpx.Response(
            502, text="<html><title>Bad Gateway</title></html>", headers={"Content-Type": "text/html"}
        ),
        tasks(task(T1, "InProgress")),
    )
    assert run(server, "tasks", T1)[0].task_id == T1
    assert len(server.api()) == 3


def test_retry_after_is_honoured_and_the_gate_holds_later_requests(tmp_path: Path) -> None:
    server = FakeServer()
    server.on(
        "GET",
        "/Tasks",
        httpx.Response(
            429, headers={"Retry-After": "7"}, json={"status": 429, "title": "Too many requests."}
        ),
        tasks(task(T1, "InProgress")),
    )
    transport = httpx.MockTransport(server.handler)
    with ExportClient(BASE, REPO, token="T", transport=transport) as lf:
        lf.tasks(T1)
        gate = lf._http._transport._gate  # type: ignore[attr-defined]
        assert (
            gate._open_at - __import__("time").monotonic() > 5.0
        )  # closed ~7 s for every request of the client
    assert len(server.api()) == 2


def test_429_storm_ends_in_rate_limited_error_with_retry_after(run: Runner) -> None:
    server = FakeServer()
    server.always("GET", "/Tasks", httpx.Response(429, headers={"Retry-After": "2"}, json={"status": 429}))
    with pytest.raises(RateLimitedError) as caught:
        run(server, "tasks", T1)
    assert caught.value.retry_after == 2.0
    assert len(server.api()) == 5  # bounded attempts


def test_post_is_not_retried_once_the_request_was_sent(run: Runner) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(503))
    with pytest.raises(ServerError):
        run(server, "start_export", 10)
    assert len(server.api("POST")) == 1

    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    server = FakeServer()
    server.on("POST", "/ExportAsync", reset)
    with pytest.raises(NetworkError, match="ReadError"):
        run(server, "start_export", 10)
    assert len(server.api("POST")) == 1


def test_post_is_retried_when_it_certainly_did_not_arrive_or_on_429(run: Runner) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    server = FakeServer()
    server.on(
        "POST",
        "/ExportAsync",
        refused,
        httpx.Response(429, json={"status": 429}),
        httpx.Response(202, json={"taskId": T1}),
    )
    assert run(server, "start_export", 10).task_id == T1
    assert len(server.api("POST")) == 3


# ---------------------------------------------------------------------------------------------------- auth


def test_401_gets_one_new_token_from_the_provider(run: Runner) -> None:
    issued = iter(["old", "new"])
    seen: list[str] = []  # httpx re-sends the same Request object, so record headers as they arrive

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer old":
            return httpx.Response(401, json={"status": 401})
        return tasks(task(T1, "InProgress"))

    server = FakeServer()
    server.always("GET", "/Tasks", answer)
    run(server, "tasks", T1, client={"token": None, "token_provider": lambda: next(issued)})
    assert seen == ["Bearer old", "Bearer new"]


def test_401_with_a_static_token_or_a_refused_refresh_is_an_authentication_error(run: Runner) -> None:
    server = FakeServer()
    server.always(
        "GET", "/Tasks", httpx.Response(401, json={"status": 401, "title": "The access token is invalid."})
    )
    with pytest.raises(AuthenticationError) as caught:
        run(server, "tasks", T1)
    assert "T0KEN" not in str(caught.value)
    assert len(server.api()) == 1
    counter = iter(range(100))
    with pytest.raises(AuthenticationError, match="fresh token was refused"):
        run(server, "tasks", T1, client={"token": None, "token_provider": lambda: f"tok{next(counter)}"})


def test_self_hosted_password_grant(run: Runner) -> None:
    server = FakeServer()
    server.on(
        "POST",
        f"/v1/Repositories/{REPO}/Token",
        httpx.Response(200, json={"access_token": "granted", "expires_in": 900, "token_type": "bearer"}),
    )
    server.on("GET", "/Tasks", tasks(task(T1, "InProgress")))
    run(server, "tasks", T1, client={"token": None, "username": "exporter", "password": "pw"})
    grant, poll = server.api()
    assert grant.content == b"grant_type=password&username=exporter&password=pw"
    assert "Authorization" not in grant.headers
    assert poll.headers["Authorization"] == "Bearer granted"


# ----------------------------------------------------------------------------------------- task end states


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            {"status": "Failed", "errors": [{"status": 400, "title": "Need audit reason", "errorCode": 216}]},
            TaskFailedError,
        ),
        ({"status": "Cancelled"}, TaskCancelledError),
        (None, TaskExpiredError),  # the server no longer knows the id: absent from the answer
    ],
)
def test_task_end_states_raise_typed_errors(
    run: Runner, tmp_path: Path, answer: dict[str, Any] | None, error: type
) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("GET", "/Tasks", tasks() if answer is None else tasks(task(T1, **answer)))
    with pytest.raises(error) as caught:
        run(server, "export", 10, None, tmp_path, mode="async")
    assert caught.value.task_id == T1
    assert not list(tmp_path.iterdir())
    if error is TaskFailedError:
        assert caught.value.errors[0]["errorCode"] == 216


def test_unknown_status_counts_as_running_until_the_deadline_then_the_task_is_cancelled(
    run: Runner, tmp_path: Path
) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.always("GET", "/Tasks", tasks(task(T1, "Paused", taskType="ArchiveEntry")))
    server.on("DELETE", "/Tasks", httpx.Response(200, json={"value": [{"id": T1, "result": True}]}))
    with pytest.raises(ExportTimeoutError) as caught:
        run(server, "export", 10, None, tmp_path, mode="async", deadline=0.3)
    assert caught.value.task_ids == (T1,)
    assert caught.value.cancelled is True
    (cancel,) = server.api("DELETE")
    assert cancel.url.params.get_list("taskIds") == [T1]
    assert len(server.api("GET")) >= 2
    assert not list(tmp_path.iterdir())


def test_deadline_without_cancel_on_deadline_leaves_the_task_for_resume(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.always("GET", "/Tasks", tasks(task(T1, "InProgress")))
    with pytest.raises(ExportTimeoutError) as caught:
        run(
            server,
            "export",
            10,
            None,
            tmp_path,
            mode="async",
            deadline=0.2,
            client={"cancel_on_deadline": False},
        )
    assert caught.value.cancelled is False
    assert "resume" in str(caught.value)
    assert server.api("DELETE") == []
    del server.repeated[("GET", "/Tasks")]
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100)))
    resumed = run(server, "resume", T1, tmp_path)
    assert resumed.path.read_bytes() == server.file
    assert resumed.entry_id == 10


# ----------------------------------------------------------------------------------------------- batches


def test_export_many_polls_all_running_tasks_in_one_request_and_keeps_going_after_failures(
    run: Runner, tmp_path: Path
) -> None:
    ids = {10: T1, 11: T2}
    server = FakeServer()
    server.on("POST", "/Entries/10/ExportAsync", httpx.Response(202, json={"taskId": ids[10]}))
    server.on("POST", "/Entries/11/ExportAsync", httpx.Response(202, json={"taskId": ids[11]}))
    server.on("POST", "/Entries/12/ExportAsync", httpx.Response(423, json={"status": 423, "title": "Locked"}))
    server.on(
        "GET",
        "/Tasks",
        tasks(task(T1, "InProgress"), task(T2, "InProgress")),
        tasks(
            task(T1, "Completed", 100), task(T2, "Failed", errors=[{"status": 500, "title": "render failed"}])
        ),
    )
    outcomes = run(server, "export_many", [10, 11, 12], tmp_path / "out", max_concurrent_tasks=2)
    assert [o.ok for o in outcomes] == [True, False, False]
    assert isinstance(outcomes[1].error, TaskFailedError)
    assert "Locked" in str(outcomes[2].error)
    first_poll = server.api("GET")[0]
    assert sorted(first_poll.url.params.get_list("taskIds")) == sorted([T1, T2])
    assert outcomes[0].result.path.read_bytes() == server.file


def test_bad_arguments_are_reported_before_anything_is_sent(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    with pytest.raises(OptionsError) as caught:
        run(server, "export", 0, None, tmp_path, mode="fast")
    text = str(caught.value)
    assert "entry_id" in text
    assert "mode" in text
    with pytest.raises(OptionsError, match="deadline"):
        run(server, "export", 10, None, tmp_path, deadline=-1)
    assert server.requests == []


def test_auto_mode_falls_back_to_export_async_when_the_simple_export_times_out(
    run: Runner, tmp_path: Path
) -> None:
    def too_slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer within the read timeout", request=request)

    server = FakeServer()
    server.on(
        "GET",
        "/Entries/10",
        httpx.Response(200, json={"id": 10, "name": "Invoice", "entryType": "Document", "pageCount": 3}),
    )
    server.on("POST", "/Entries/10/Export", too_slow)
    server.on("POST", "/Entries/10/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100)))
    result = run(server, "export", 10, ExportOptions.pdf(), tmp_path)
    assert result.mode == "async"
    assert result.task_id == T1
    posts = [r.url.path.rsplit("/", 1)[-1] for r in server.api("POST")]
    assert posts == ["Export", "ExportAsync"]  # the timed-out POST itself is not repeated


def test_explicit_sync_mode_does_not_fall_back(run: Runner, tmp_path: Path) -> None:
    def too_slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer within the read timeout", request=request)

    server = FakeServer()
    server.on("POST", "/Entries/10/Export", too_slow)
    with pytest.raises(NetworkError, match="timed out"):
        run(server, "export", 10, ExportOptions.pdf(), tmp_path, mode="sync")
    assert len(server.api("POST")) == 1


def test_keyboard_interrupt_while_waiting_cancels_the_remote_task(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("GET", "/Tasks", tasks(task(T1, "InProgress", 10)))
    server.on("DELETE", "/Tasks", httpx.Response(200, json={"value": [{"id": T1, "result": True}]}))

    def interrupt(event: Any) -> None:
        if event.phase.value == "task":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as caught:
        run(server, "export", 10, None, tmp_path, mode="async", on_progress=interrupt)
    (cancel,) = server.api("DELETE")
    assert cancel.url.params.get_list("taskIds") == [T1]
    interrupted = caught.value
    assert isinstance(interrupted, ExportInterrupted)
    assert interrupted.tasks == {T1: 10}
    assert interrupted.cancelled == (T1,)
    assert interrupted.left_running == ()
    assert T1 in str(interrupted)
    assert isinstance(interrupted.__cause__, KeyboardInterrupt)


def test_cancelling_the_asyncio_task_cancels_the_remote_task(tmp_path: Path) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("GET", "/Tasks", tasks(task(T1, "InProgress", 10)))
    server.on("DELETE", "/Tasks", httpx.Response(200, json={"value": [{"id": T1, "result": True}]}))

    async def main() -> None:
        polled = asyncio.Event()

        def on_progress(event: Any) -> None:
            if event.phase.value == "task":
                polled.set()

        transport = httpx.MockTransport(server.handler)
        async with AsyncExportClient(BASE, REPO, token="T", poll=FAST_POLL, transport=transport) as lf:
            job = asyncio.create_task(lf.export(10, None, tmp_path, mode="async", on_progress=on_progress))
            await polled.wait()
            job.cancel()
            with pytest.raises(asyncio.CancelledError):
                await job

    asyncio.run(main())
    assert len(server.api("DELETE")) == 1


def test_audit_reasons_follow_next_links_across_pages(run: Runner) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params.get("$skip", "0"))
        items = [
            {"id": i, "name": f"reason {i}", "auditEventType": "ExportDocument" if i % 2 else "DeleteEntry"}
            for i in range(skip + 1, min(skip + 3, 6) + 1)
        ]
        body: dict[str, Any] = {"value": items}
        if skip + len(items) < 6:
            body["@odata.nextLink"] = (
                f"{BASE}/v2/Repositories/{REPO}/AuditReasons?$skip={skip + len(items)}&$top=3"
            )
        return httpx.Response(200, json=body)

    server = FakeServer()
    server.always("GET", "/AuditReasons", page)
    reasons = run(server, "audit_reasons", "exportdocument")
    assert [r.reason_id for r in reasons] == [1, 3, 5]
    assert [r.url.params["$skip"] for r in server.api()] == ["0", "3"]


def test_export_many_keeps_same_named_files_side_by_side(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()  # every download is "Invoice 1001.pdf"
    server.on("POST", "/Entries/10/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("POST", "/Entries/10/ExportAsync", httpx.Response(202, json={"taskId": T1}))  # the second run
    server.on("POST", "/Entries/11/ExportAsync", httpx.Response(202, json={"taskId": T2}))
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100), task(T2, "Completed", 100)))
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100)))
    (tmp_path / "Invoice 1001.pdf").write_bytes(b"already here")
    outcomes = run(server, "export_many", [10, 11], tmp_path, max_concurrent_tasks=2)
    assert [o.result.path.name for o in outcomes] == ["Invoice 1001 (2).pdf", "Invoice 1001 (3).pdf"]
    assert (tmp_path / "Invoice 1001.pdf").read_bytes() == b"already here"
    strict = run(server, "export_many", [10], tmp_path, unique_names=False)
    assert not strict[0].ok
    assert "already exists" in str(strict[0].error)


def test_read_timeouts_are_finite_and_exceed_the_long_poll_where_the_server_may_hold(
    run: Runner, tmp_path: Path
) -> None:
    seen: dict[str, dict[str, float]] = {}

    def record(answer: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
        def handler(request: httpx.Request) -> httpx.Response:
            seen[f"{request.method} {request.url.path.rsplit('/', 1)[-1]}"] = dict(
                request.extensions["timeout"]
            )
            return answer

        return handler

    server = FakeServer()
    server.on("POST", "/Entries/10/Export", record(httpx.Response(200, json={"value": LINK})))
    server.on("GET", "/Tasks", record(tasks(task(T1, "InProgress"))))
    server.on("DELETE", "/Tasks", record(httpx.Response(200, json={"value": [{"id": T1, "result": True}]})))
    run(server, "export", 10, ExportOptions.pdf(), tmp_path, mode="sync")
    run(server, "tasks", T1)
    run(server, "cancel", T1)
    assert seen["POST Export"]["read"] > 60
    assert seen["GET Tasks"]["read"] > 60
    assert seen["DELETE Tasks"]["read"] <= 60
    for timeouts in seen.values():
        assert all(value is not None and 0 < value < 120 for value in timeouts.values())


def test_malformed_jobs_are_one_options_error(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    with pytest.raises(OptionsError) as caught:
        run(server, "export_many", [(10,), (11, "pdf"), 0, "12"], tmp_path)
    fields = [issue.field for issue in caught.value.issues]
    assert fields == ["jobs[0]", "jobs[1]", "jobs[2].entry_id", "jobs[3].entry_id"]
    assert server.requests == []


@pytest.mark.parametrize(
    ("base_url", "token", "field"),
    [
        ("http://[::1", "T", "base_url"),
        ("ftp://example.test/repository", "T", "base_url"),
        ("https://api.example.test/repository?x=1", "T", "base_url"),
        (BASE, "   ", "token"),
    ],
)
def test_bad_client_settings_are_options_errors(base_url: str, token: str, field: str) -> None:
    with pytest.raises(OptionsError) as caught:
        ExportClient(base_url, REPO, token=token)
    assert [issue.field for issue in caught.value.issues] == [field]
    assert token.strip() == "" or token not in str(caught.value)


# ------------------------------------------------------------------------------ found in review, kept fixed


def test_export_many_deadline_while_starting_a_task_reports_every_job(run: Runner, tmp_path: Path) -> None:
    def slow_start(request: httpx.Request) -> httpx.Response:
        time.sleep(0.4)
        return httpx.Response(202, json={"taskId": T1})

    server = FakeServer()
    server.on("POST", "/Entries/10/ExportAsync", slow_start)
    server.on("POST", "/Entries/11/ExportAsync", httpx.Response(202, json={"taskId": T2}))
    server.on("DELETE", "/Tasks", httpx.Response(200, json={"value": [{"id": T1, "result": True}]}))
    outcomes = run(server, "export_many", [10, 11], tmp_path, max_concurrent_tasks=2, deadline=0.3)
    assert len(outcomes) == 2
    assert all(isinstance(o.error, ExportTimeoutError) for o in outcomes)
    assert outcomes[0].task_id == T1
    assert outcomes[0].error.cancelled is True


def test_polling_that_fails_for_good_keeps_finished_files_and_cancels_the_rest(
    run: Runner, tmp_path: Path
) -> None:
    server = FakeServer()
    server.on("POST", "/Entries/10/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.on("POST", "/Entries/11/ExportAsync", httpx.Response(202, json={"taskId": T2}))
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100), task(T2, "InProgress")))
    server.always("GET", "/Tasks", httpx.Response(503))  # every retry too
    server.on("DELETE", "/Tasks", httpx.Response(200, json={"value": [{"id": T2, "result": True}]}))
    outcomes = run(server, "export_many", [10, 11], tmp_path, max_concurrent_tasks=2)
    assert outcomes[0].ok
    assert outcomes[0].result.path.exists()
    assert isinstance(outcomes[1].error, ServerError)
    assert outcomes[1].task_id == T2
    assert [r.url.params.get_list("taskIds") for r in server.api("DELETE")] == [[T2]]


def test_single_export_whose_polling_fails_names_and_cancels_its_task(run: Runner, tmp_path: Path) -> None:
    server = FakeServer()
    server.on("POST", "/ExportAsync", httpx.Response(202, json={"taskId": T1}))
    server.always("GET", "/Tasks", httpx.Response(503))
    server.on("DELETE", "/Tasks", httpx.Response(200, json={"value": [{"id": T1, "result": True}]}))
    with pytest.raises(ServerError) as caught:
        run(server, "export", 10, None, tmp_path, mode="async")
    assert any(T1 in note for note in caught.value.__notes__)
    assert len(server.api("DELETE")) == 1


def test_cleanup_calls_get_their_own_short_deadline() -> None:
    from lf_export._base import call_deadline
    from lf_export._flows import cancel_tasks, list_tasks
    from lf_export._policy import CLEANUP_SECONDS, Deadline

    expired = Deadline(time.monotonic() - 1, time.monotonic)
    cleanup = call_deadline(cancel_tasks([T1], cleanup=True), expired, time.monotonic)
    assert cleanup is not None
    assert 0 < cleanup.remaining() <= CLEANUP_SECONDS
    assert call_deadline(list_tasks([T1]), expired, time.monotonic) is expired


def test_retries_cut_short_by_stamina_still_end_in_an_api_error(run: Runner) -> None:
    server = FakeServer()
    server.on("GET", "/Tasks", httpx.Response(503))
    with stamina.set_testing(True, attempts=1), pytest.raises(ServerError):
        run(server, "tasks", T1)
    assert len(server.api()) == 1


def test_task_ids_in_other_guid_spellings_are_sent_and_matched_canonically(run: Runner) -> None:
    server = FakeServer()
    server.on("GET", "/Tasks", tasks(task(T1, "Completed", 100)))
    final = run(server, "wait", ["{" + T1.upper() + "}"])
    assert list(final) == [T1]
    assert server.api()[0].url.params.get_list("taskIds") == [T1]


def test_a_failed_token_request_leaves_no_generator_noise(
    run: Runner, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    server = FakeServer()
    server.always("POST", f"/v1/Repositories/{REPO}/Token", refused)
    with pytest.raises(NetworkError):
        run(server, "tasks", T1, client={"token": None, "username": "u", "password": "p"})
    gc.collect()
    assert "GeneratorExit" not in capsys.readouterr().err


def test_a_closed_client_says_so(tmp_path: Path) -> None:
    lf = ExportClient(BASE, REPO, token="T", transport=httpx.MockTransport(FakeServer().handler))
    lf.close()
    with pytest.raises(ClientClosedError):
        lf.tasks(T1)
    with pytest.raises(ClientClosedError):
        lf.download(LINK, tmp_path)


def test_audit_reasons_stop_when_the_next_link_does_not_advance(run: Runner) -> None:
    stuck = f"{BASE}/v2/Repositories/{REPO}/AuditReasons?$skip=0&$top=2"
    server = FakeServer()
    server.on(
        "GET",
        "/AuditReasons",
        httpx.Response(200, json={"value": [{"id": 1, "name": "a"}], "@odata.nextLink": stuck}),
    )
    assert [r.reason_id for r in run(server, "audit_reasons")] == [1]
    assert len(server.api()) == 1


@pytest.mark.parametrize("deadline", [float("nan"), float("inf"), 0, True])
def test_deadline_must_be_a_finite_positive_number(run: Runner, tmp_path: Path, deadline: float) -> None:
    with pytest.raises(OptionsError, match="deadline"):
        run(FakeServer(), "export", 10, None, tmp_path, deadline=deadline)


@pytest.mark.parametrize(
    ("uri", "fetched_from"),
    [
        (f"{BASE}/v2/Repositories/{REPO}/Entries/77", "api.example.test"),  # the API's origin: with the token
        ("https://evil.example.test/v2/Repositories/r-abc123/Entries/77", None),  # elsewhere: never fetched
        ("http://api.example.test/repository/v2/Repositories/r-abc123/Entries/77", None),  # other scheme/port
    ],
)
def test_a_copy_result_uri_gets_the_token_only_on_the_api_origin(
    run: Runner, uri: str, fetched_from: str | None
) -> None:
    folder = {"id": 77, "name": "Copied", "entryType": "Folder", "parentId": 8}
    server = FakeServer()
    server.on("POST", "/Folder/CopyAsync", httpx.Response(202, json={"taskId": T1}))
    copy_done = task(T1, "Completed", 100, taskType="CopyEntry", result={"entryId": 77, "uri": uri})
    server.on("GET", "/Tasks", tasks(copy_done))
    server.on("GET", "/Entries/77", httpx.Response(200, json=folder))
    entry = run(server, "copy", 5, 8, "Copied")
    assert (entry.entry_id, entry.name, entry.entry_type) == (77, "Copied", "Folder")
    (copy,) = server.api("POST")
    assert json.loads(copy.content) == {"sourceId": 5, "name": "Copied", "autoRename": False}
    foreign = [r for r in server.requests if r.url.host not in ("api.example.test",)]
    assert foreign == []
    (get,) = [r for r in server.requests if r.url.path.endswith("/Entries/77")]
    assert get.headers["Authorization"] == "Bearer T0KEN"
    assert get.url.params.get("includeChildInfo") in (None, "false")
    if fetched_from is not None:
        assert str(get.url) == uri  # read from result.uri itself
