"""Pacing in the retrying transports (httpx.MockTransport, a fake clock that sleeping moves forward): a server
counting a sliding minute never says 429 to a client paced at its limit, a 429 storm brings the rate down,
sync and async share one state, the deadline wins over a wait, long operations beyond the cap are refused
without being sent, stamina's testing mode removes the waits."""

from __future__ import annotations

import asyncio
import time
from collections import deque

import httpx
import pytest
import stamina
from lf_export._errors import ExportTimeoutError, RateLimitedError
from lf_export._pacing import Pacing
from lf_export._policy import Deadline, RetryPolicy
from lf_export._tokens import TOKEN_REQUEST, TaskLedger
from lf_export._transport import AsyncRetryTransport, RateGate, RetryTransport, deadline_scope

API = "https://api.example.test/repository/v2/Repositories/r"


class FakeClock:
    """The client's clock; `time.sleep` (patched) moves it forward instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(time, "sleep", fake.sleep)
    return fake


class MinuteLimit:
    """A server allowing `per_minute` export calls in any sliding minute (as lf_emulator counts), 429 with
    Retry-After beyond that; everything else answers 200."""

    def __init__(self, clock: FakeClock, per_minute: int) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self.calls: deque[float] = deque()
        self.ok = 0
        self.refused = 0
        self.sent: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path.rsplit('/', 1)[-1]}")
        if not request.url.path.endswith("/Export"):
            return httpx.Response(200, json={})
        now = self.clock.now
        while self.calls and self.calls[0] <= now - 60:
            self.calls.popleft()
        if len(self.calls) >= self.per_minute:
            self.refused += 1
            wait = max(1, int(self.calls[0] + 60 - now + 0.999))
            return httpx.Response(429, headers={"Retry-After": str(wait)}, json={"status": 429})
        self.calls.append(now)
        self.ok += 1
        return httpx.Response(200, json={"value": "https://links.example.test/x"})


def export(transport: RetryTransport) -> httpx.Response:
    return transport.handle_request(httpx.Request("POST", f"{API}/Entries/1/Export"))


def test_paced_at_the_limit_a_sliding_minute_server_never_says_429(clock: FakeClock) -> None:
    server = MinuteLimit(clock, per_minute=30)
    transport = RetryTransport(
        httpx.MockTransport(server), clock=clock, pacing=Pacing(export_calls_per_minute=30)
    )
    start = clock.now
    for _ in range(120):
        assert export(transport).status_code == 200
    minutes = (clock.now - start) / 60
    assert server.refused == 0
    assert 120 / minutes / 30 >= 0.9  # achieved rate as a fraction of the limit


def test_without_pacing_the_same_batch_meets_429s(clock: FakeClock) -> None:
    server = MinuteLimit(clock, per_minute=30)
    transport = RetryTransport(httpx.MockTransport(server), clock=clock, policy=RetryPolicy(max_attempts=50))
    for _ in range(60):
        export(transport)
    assert server.refused > 0


def test_a_429_storm_brings_the_rate_down(clock: FakeClock) -> None:
    # Configured at four times what the server takes (114 a minute against 30): each 429 halves the rate,
    # sending wins it back by 10 % of the ceiling a minute (AIMD), so 429s become rare.
    server = MinuteLimit(clock, per_minute=30)
    gate = RateGate(clock, Pacing(export_calls_per_minute=120))
    transport = RetryTransport(
        httpx.MockTransport(server), clock=clock, gate=gate, policy=RetryPolicy(max_attempts=50)
    )
    lowest = gate.rates_per_minute()["exports"]
    start = clock.now
    for _ in range(150):
        assert export(transport).status_code == 200
        lowest = min(lowest, gate.rates_per_minute()["exports"])
    assert lowest <= 30
    assert 1 <= server.refused <= 5
    achieved = 150 / ((clock.now - start) / 60)
    assert 25 <= achieved <= 35


def test_sync_and_async_share_one_state(clock: FakeClock) -> None:
    gate = RateGate(clock, Pacing(calls_per_minute=60, utilization=1.0))
    sync = RetryTransport(httpx.MockTransport(lambda r: httpx.Response(200)), gate=gate, clock=clock)
    sync.handle_request(httpx.Request("GET", f"{API}/Entries/1"))
    waited: list[float] = []

    async def main() -> None:
        real_sleep = asyncio.sleep

        async def record(seconds: float) -> None:
            waited.append(seconds)
            await real_sleep(0)

        asyncio.sleep = record  # type: ignore[assignment]
        try:
            aio = AsyncRetryTransport(
                httpx.MockTransport(lambda r: httpx.Response(200)), gate=gate, clock=clock
            )
            await aio.handle_async_request(httpx.Request("GET", f"{API}/Entries/1"))
        finally:
            asyncio.sleep = real_sleep

    asyncio.run(main())
    assert waited == [pytest.approx(1.0)]  # the sync request took the slot: the async one waits its turn


def test_the_deadline_wins_over_a_pacing_wait(clock: FakeClock) -> None:
    server = MinuteLimit(clock, per_minute=1000)
    transport = RetryTransport(
        httpx.MockTransport(server), clock=clock, pacing=Pacing(export_calls_per_minute=6, utilization=1.0)
    )
    export(transport)
    with deadline_scope(Deadline.after(5.0, clock)), pytest.raises(ExportTimeoutError):
        export(transport)  # the next slot is 10 s away
    assert server.ok == 1
    assert clock.slept == []
    with deadline_scope(Deadline.after(11.0, clock)):
        assert export(transport).status_code == 200
    assert clock.slept == [pytest.approx(10.0)]


def test_long_operations_beyond_the_cap_are_refused_without_being_sent(clock: FakeClock) -> None:
    server = MinuteLimit(clock, per_minute=1000)
    ledger = TaskLedger()
    transport = RetryTransport(
        httpx.MockTransport(server), clock=clock, pacing=Pacing(max_concurrent_operations=1), ledger=ledger
    )
    start = httpx.Request("POST", f"{API}/Entries/1/ExportAsync")
    assert transport.handle_request(start).status_code == 200
    ledger.hold(["task-1"])
    with pytest.raises(RateLimitedError) as refused:
        transport.handle_request(httpx.Request("POST", f"{API}/Entries/2/ExportAsync"))
    assert refused.value.status == 429
    assert "limit of 1" in str(refused.value)
    assert transport.handle_request(httpx.Request("GET", f"{API}/Tasks?taskIds=task-1")).status_code == 200
    assert export(transport).status_code == 200  # the simple Export starts no task
    ledger.release(["task-1"])
    assert transport.handle_request(httpx.Request("POST", f"{API}/Entries/2/ExportAsync")).status_code == 200
    assert server.sent == ["POST ExportAsync", "GET Tasks", "POST Export", "POST ExportAsync"]


def test_token_requests_are_not_paced(clock: FakeClock) -> None:
    server = MinuteLimit(clock, per_minute=1000)
    transport = RetryTransport(
        httpx.MockTransport(server), clock=clock, pacing=Pacing(calls_per_minute=1, utilization=1.0)
    )
    for _ in range(3):
        token = httpx.Request(
            "POST", "https://signin.example.test/oauth/Token", extensions={TOKEN_REQUEST: True}
        )
        transport.handle_request(token)
    assert clock.slept == []


def test_stamina_testing_mode_removes_pacing_waits(clock: FakeClock) -> None:
    server = MinuteLimit(clock, per_minute=1000)
    transport = RetryTransport(
        httpx.MockTransport(server), clock=clock, pacing=Pacing(export_calls_per_minute=1)
    )
    with stamina.set_testing(True):
        for _ in range(5):
            export(transport)
    assert clock.slept == []
    assert server.ok == 5
