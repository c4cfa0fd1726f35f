"""The retrying transports on their own: stamina drives the loop, `_policy.retry_delay` decides, Retry-After
wins, the rate gate closes on 429, the deadline stops new attempts and caps timeouts, 401 and token-endpoint
answers go back to their owners."""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import stamina
from lf_export._errors import ExportTimeoutError, RateLimitedError, ServerError
from lf_export._policy import Deadline, RetryPolicy
from lf_export._tokens import TOKEN_REQUEST
from lf_export._transport import AsyncRetryTransport, RateGate, RetryTransport, deadline_scope

URL = "https://api.example.test/repository/v2/Repositories/r/Entries/1"
Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Script:
    """Answers requests in order (the last answer repeats) and records each request's timeout extension."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.timeouts: list[dict[str, float]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.timeouts.append(dict(request.extensions.get("timeout") or {}))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer

    @property
    def calls(self) -> int:
        return len(self.timeouts)


def send(
    script: Script, method: str = "GET", *, extensions: dict[str, object] | None = None, **kwargs: object
) -> httpx.Response:
    transport = RetryTransport(httpx.MockTransport(script), **kwargs)  # type: ignore[arg-type]
    request = httpx.Request(method, URL, extensions={"timeout": httpx.Timeout(5.0).as_dict()})
    request.extensions.update(extensions or {})
    return transport.handle_request(request)


def asend(script: Script, method: str = "GET", **kwargs: object) -> httpx.Response:
    async def main() -> httpx.Response:
        transport = AsyncRetryTransport(httpx.MockTransport(script), **kwargs)  # type: ignore[arg-type]
        return await transport.handle_async_request(httpx.Request(method, URL))

    return asyncio.run(main())


@pytest.fixture
def testing() -> Iterator[None]:
    with stamina.set_testing(True, attempts=10, cap=True):
        yield


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Real (non-testing) stamina with time.sleep recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def reset(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError("connection reset", request=request)


@pytest.mark.usefixtures("testing")
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_each_retryable_status(status: int) -> None:
    script = Script(httpx.Response(status), httpx.Response(200, text="ok"))
    response = send(script)
    assert (response.status_code, script.calls) == (200, 2)
    assert response.read() == b"ok"


@pytest.mark.usefixtures("testing")
def test_get_and_delete_are_retried_on_connection_errors_and_timeouts() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    for method in ("GET", "DELETE"):
        script = Script(refused, reset, timeout, httpx.Response(200))
        assert send(script, method).status_code == 200
        assert script.calls == 4


@pytest.mark.usefixtures("testing")
def test_post_is_retried_only_when_certainly_not_sent_or_on_429() -> None:
    script = Script(refused, httpx.Response(429), httpx.Response(202))
    assert send(script, "POST").status_code == 202
    assert script.calls == 3
    script = Script(httpx.Response(503), httpx.Response(202))
    assert send(script, "POST").status_code == 503  # returned: the response hook maps it
    assert script.calls == 1
    script = Script(reset, httpx.Response(202))
    with pytest.raises(httpx.ReadError):
        send(script, "POST")
    assert script.calls == 1


@pytest.mark.usefixtures("testing")
def test_non_retryable_answers_are_returned_for_their_owners() -> None:
    for status in (200, 400, 401, 404, 500):
        script = Script(httpx.Response(status), httpx.Response(200))
        assert send(script).status_code == status
        assert script.calls == 1


@pytest.mark.usefixtures("testing")
def test_the_last_retryable_answer_is_returned_when_the_policy_gives_up() -> None:
    script = Script(httpx.Response(503, json={"status": 503, "title": "busy"}))
    response = send(script, policy=RetryPolicy(max_attempts=3))
    assert (response.status_code, script.calls) == (503, 3)


def test_when_stamina_stops_first_the_mapped_error_propagates() -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "3"}, json={"status": 429}))
    with stamina.set_testing(True, attempts=2), pytest.raises(RateLimitedError) as caught:
        send(script)
    assert script.calls == 2
    assert caught.value.retry_after == 3.0
    assert caught.value.method == "GET"
    assert caught.value.url == "/repository/v2/Repositories/r/Entries/1"


def test_a_token_endpoint_answer_goes_back_to_its_source_even_when_stamina_stops_first() -> None:
    script = Script(httpx.Response(503, json={"title": "token service down"}))
    with stamina.set_testing(True, attempts=1):
        response = send(script, "POST", extensions={TOKEN_REQUEST: True})
    assert response.status_code == 503
    assert response.json() == {"title": "token service down"}


def test_stamina_deactivated_means_one_attempt() -> None:
    stamina.set_active(False)
    try:
        script = Script(httpx.Response(503))
        with pytest.raises(ServerError):
            send(script)
        assert script.calls == 1
    finally:
        stamina.set_active(True)


@pytest.mark.usefixtures("testing")
def test_retry_after_zero_is_retried_at_once() -> None:
    # stamina < 25.2 read the hook's 0.0 as "do not retry": the floor in pyproject.toml is there for this.
    script = Script(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200))
    assert send(script).status_code == 200
    assert script.calls == 2


def test_retry_after_wins_and_is_capped(sleeps: list[float]) -> None:
    script = Script(
        httpx.Response(503, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": "9999"}),
        httpx.Response(200),
    )
    clock = FakeClock()
    assert send(script, policy=RetryPolicy(max_retry_after=20.0), clock=clock).status_code == 200
    # stamina slept what the hook said; then the gate, closed by the 429 for 20 s (the fake clock stands
    # still), made the third attempt wait as long again.
    assert sleeps == [7.0, 20.0, 20.0]


def test_backoff_without_retry_after_is_full_jitter_within_the_policy(sleeps: list[float]) -> None:
    script = Script(httpx.Response(503), httpx.Response(503), httpx.Response(503), httpx.Response(200))
    policy = RetryPolicy(initial_wait=0.01, max_wait=0.02)
    assert send(script, policy=policy).status_code == 200
    assert len(sleeps) == 3
    assert 0 <= sleeps[0] <= 0.01
    assert all(0 <= s <= 0.02 for s in sleeps)


def test_a_429_closes_the_shared_gate_for_every_request_of_the_client(sleeps: list[float]) -> None:
    clock = FakeClock()
    gate = RateGate(clock)
    script = Script(httpx.Response(429, headers={"Retry-After": "5"}))
    send(script, policy=RetryPolicy(max_attempts=1), gate=gate)  # not retried, but the gate still closes
    assert gate.wait_time() == 5.0
    clock.now += 2
    assert send(Script(httpx.Response(200)), gate=gate, clock=clock).status_code == 200
    assert sleeps == [3.0]
    with stamina.set_testing(True):
        assert gate.wait_time() == 0.0


@pytest.mark.usefixtures("testing")
def test_no_request_starts_after_the_deadline() -> None:
    clock = FakeClock()
    script = Script(httpx.Response(200))
    with deadline_scope(Deadline(clock.now - 1, clock)), pytest.raises(ExportTimeoutError):
        send(script, clock=clock)
    assert script.calls == 0


@pytest.mark.usefixtures("testing")
def test_timeouts_are_capped_by_the_time_left() -> None:
    clock = FakeClock()
    script = Script(httpx.Response(200))
    with deadline_scope(Deadline(clock.now + 2.5, clock)):
        send(script, clock=clock)
    assert script.timeouts == [{"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}]
    script = Script(httpx.Response(200))
    send(script)
    assert script.timeouts == [{"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}]


def test_no_retry_whose_wait_would_cross_the_deadline(sleeps: list[float]) -> None:
    clock = FakeClock()
    script = Script(httpx.Response(503, headers={"Retry-After": "30"}), httpx.Response(200))
    with deadline_scope(Deadline(clock.now + 10, clock)):
        assert send(script, clock=clock).status_code == 503
    assert (script.calls, sleeps) == (1, [])


@pytest.mark.usefixtures("testing")
def test_the_long_polls_get_the_long_read_timeout() -> None:
    script = Script(httpx.Response(200))
    transport = RetryTransport(httpx.MockTransport(script))
    transport.handle_request(httpx.Request("GET", "https://h.example/v2/Repositories/r/Tasks"))
    assert script.timeouts[0]["read"] == 75.0


@pytest.mark.usefixtures("testing")
def test_the_async_transport_follows_the_same_rule() -> None:
    script = Script(refused, httpx.Response(503), httpx.Response(200))
    assert asend(script).status_code == 200
    assert script.calls == 3
    script = Script(httpx.Response(503), httpx.Response(202))
    assert asend(script, "POST").status_code == 503
    with stamina.set_testing(True, attempts=1), pytest.raises(ServerError):
        asend(Script(httpx.Response(502)))


def test_the_retry_log_shows_the_path_only(caplog: pytest.LogCaptureFixture) -> None:
    script = Script(httpx.Response(503), httpx.Response(200))
    transport = RetryTransport(httpx.MockTransport(script))
    with stamina.set_testing(True, attempts=3), caplog.at_level("DEBUG", logger="lf_export.http"):
        transport.handle_request(httpx.Request("GET", "https://h.example/p?sig=SECRET"))
    lines = [r.getMessage() for r in caplog.records if r.name == "lf_export.http"]
    assert [line.split(" (")[0] for line in lines] == ["GET /p -> 503", "GET /p -> 200"]
    assert "attempt 2" in lines[1]
    assert not [line for line in lines if "SECRET" in line]


_OWN_MODULES = ("_transport", "_logging", "_errors", "_policy", "_tokens", "_cloud", "_redact", "_responses")


@pytest.mark.parametrize("module", _OWN_MODULES)
def test_no_assert_carries_an_invariant(module: str) -> None:
    # `python -O` strips assert statements: a check that must hold has to be an `if ...: raise`.
    import lf_export

    source = (Path(lf_export.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    assert not [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assert)]


def test_a_refused_certificate_is_never_retried() -> None:
    import ssl

    from lf_export._policy import DEFAULT_RETRY_POLICY, retry_delay

    cause = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    refused = httpx.ConnectError("certificate verify failed")
    refused.__cause__ = cause
    assert retry_delay(DEFAULT_RETRY_POLICY, "GET", 1, refused) is None
    assert retry_delay(DEFAULT_RETRY_POLICY, "GET", 1, httpx.ConnectError("refused")) is not None
