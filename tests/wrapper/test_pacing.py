"""The pure pacing rules (`lf_export._pacing`) on a fake clock: buckets refill at their rate, a 429 halves the
rate once per burst and never below the floor, steady sending wins it back slowly, Retry-After closes every
bucket, the deadline wins over any wait, long operations are capped (also by the task-expiry rule)."""

from __future__ import annotations

import math

import attrs
import pytest
from lf_export._pacing import (
    AUTO,
    EXPIRY_SAFETY,
    FLOOR,
    RECOVERY,
    TASK_EXPIRY_SECONDS,
    Bucket,
    CallKind,
    PaceState,
    Pacing,
    Verdict,
    classify,
    expiry_cap,
    is_cloud_host,
    resolve_pacing,
)

EXPORT = CallKind(export=True, starts_operation=True)
SIMPLE_EXPORT = CallKind(export=True)
CALL = CallKind()


def state(**fields: object) -> PaceState:
    return PaceState.of(Pacing(**fields))  # type: ignore[arg-type]


def test_cloud_defaults_and_off() -> None:
    cloud = Pacing.cloud()
    assert (cloud.export_calls_per_minute, cloud.calls_per_minute, cloud.max_concurrent_operations) == (
        30,
        100,
        1,
    )
    assert cloud.adaptive
    assert cloud.enabled
    assert not Pacing.off().enabled
    assert PaceState.of(Pacing.off()).rates_per_minute() == {}
    assert state(**attrs.asdict(cloud)).rates_per_minute() == pytest.approx({"calls": 95.0, "exports": 28.5})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("export_calls_per_minute", 0),
        ("calls_per_minute", -1),
        ("calls_per_minute", math.inf),
        ("calls_per_minute", True),
        ("max_concurrent_operations", 0),
        ("max_concurrent_operations", 1.5),
        ("utilization", 0),
        ("utilization", 1.5),
        ("burst", 0),
    ],
)
def test_invalid_settings_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        Pacing(**{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("host", "cloud"),
    [
        ("api.laserfiche.com", True),
        ("api.laserfiche.ca", True),
        ("api.eu.laserfiche.com", True),
        ("API.a.clouddev.laserfiche.com", True),
        ("laserfiche.com", False),
        ("app.laserfiche.com", False),
        ("lf.example.com", False),
        ("127.0.0.1", False),
        ("localhost", False),
    ],
)
def test_cloud_hosts(host: str, cloud: bool) -> None:
    assert is_cloud_host(host) is cloud
    assert resolve_pacing(AUTO, host) == (Pacing.cloud() if cloud else Pacing.off())


def test_resolve_keeps_an_explicit_value_and_rejects_anything_else() -> None:
    mine = Pacing(calls_per_minute=10)
    assert resolve_pacing(mine, "api.laserfiche.com") is mine
    assert resolve_pacing(None, "x") is None
    assert resolve_pacing("cloud", "x") is None


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("POST", "/r/v2/Repositories/r/Entries/5/Export", SIMPLE_EXPORT),
        ("POST", "/r/v2/Repositories/r/Entries/5/ExportAsync", EXPORT),
        ("POST", "/r/v2/Repositories/r/Entries/5/Folder/CopyAsync", CallKind(starts_operation=True)),
        ("DELETE", "/r/v2/Repositories/r/Entries/5", CallKind(starts_operation=True)),
        ("DELETE", "/r/v2/Repositories/r/Tasks", CALL),
        ("GET", "/r/v2/Repositories/r/Entries/5", CALL),
        ("GET", "/r/v2/Repositories/r/Tasks", CALL),
    ],
)
def test_classify(method: str, path: str, kind: CallKind) -> None:
    assert classify(method, path) == kind
    assert classify(method, path, token_request=True) == CallKind(paced=False)


def test_a_bucket_refills_at_its_rate() -> None:
    pace = state(calls_per_minute=60, utilization=1.0)  # one a second
    now = 100.0
    assert pace.admit(CALL, now).wait == 0.0
    assert pace.admit(CALL, now).wait == pytest.approx(1.0)  # booked: the next slot is 1 s later
    assert pace.admit(CALL, now).wait == pytest.approx(2.0)
    assert pace.admit(CALL, now + 10).wait == 0.0  # idle time refills the (one-call) bucket


def test_burst_lets_calls_go_back_to_back_after_an_idle_spell() -> None:
    pace = state(calls_per_minute=60, utilization=1.0, burst=3)
    waits = [pace.admit(CALL, 0.0).wait for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.0, 0.0, 1.0, 2.0])


def test_an_export_passes_both_buckets() -> None:
    pace = state(calls_per_minute=120, export_calls_per_minute=30, utilization=1.0)
    assert pace.admit(SIMPLE_EXPORT, 0.0).wait == 0.0
    assert pace.admit(CALL, 0.0).wait == pytest.approx(0.5)  # the export used an all-calls slot
    assert pace.admit(SIMPLE_EXPORT, 0.0).wait == pytest.approx(2.0)  # the export bucket: one per 2 s


def test_steady_state_at_the_ceiling_is_utilization_times_the_limit() -> None:
    pace = state(export_calls_per_minute=300)  # 0.95 * 300 = 285 a minute
    now = 0.0
    sent = []
    for _ in range(1000):
        now += pace.admit(SIMPLE_EXPORT, now).wait
        sent.append(now)
    assert sent[284] == pytest.approx(284 * 60 / 285)
    # no sliding minute (as the emulator counts one) ever holds more than the limit
    assert max(sum(1 for t in sent if start - 60 < t <= start) for start in sent) <= 300


def test_a_429_halves_the_rate_once_per_burst_down_to_the_floor() -> None:
    pace = state(export_calls_per_minute=60, utilization=1.0)
    assert pace.rate_limited(SIMPLE_EXPORT, 0.0, None, None)
    assert pace.rates_per_minute()["exports"] == pytest.approx(30.0)
    # other answers to requests already in flight: the same burst, no second decrease
    assert not pace.rate_limited(SIMPLE_EXPORT, 1.0, None, None)
    assert pace.rate_limited(SIMPLE_EXPORT, 2.0, None, None)  # one interval (2 s) later: it counts
    assert pace.rates_per_minute()["exports"] == pytest.approx(15.0)
    now = 2.0
    for _ in range(10):
        now += 600
        pace.rate_limited(SIMPLE_EXPORT, now, None, None)
    assert pace.rates_per_minute()["exports"] == pytest.approx(60.0 * FLOOR)
    assert pace.slowdowns == 4  # 60 -> 30 -> 15 -> 7.5 -> 6 (the floor), then no more


def test_a_429_slows_the_most_specific_bucket_and_retry_after_closes_them_all() -> None:
    pace = state(export_calls_per_minute=60, calls_per_minute=600, utilization=1.0)
    pace.rate_limited(SIMPLE_EXPORT, 0.0, 7.0, 7.0)
    assert pace.rates_per_minute() == pytest.approx({"calls": 600.0, "exports": 30.0})
    assert pace.admit(CALL, 1.0).wait == pytest.approx(6.0)  # nobody before the server's time
    assert pace.admit(CallKind(paced=False), 1.0).wait == pytest.approx(6.0)
    pace.rate_limited(CALL, 10.0, None, None)
    assert pace.rates_per_minute()["calls"] == pytest.approx(300.0)
    # a Retry-After longer than the interval keeps further 429s of that burst from counting
    assert not pace.rate_limited(SIMPLE_EXPORT, 6.0, 1.0, 1.0)


def test_adaptive_off_never_changes_the_rate() -> None:
    pace = state(export_calls_per_minute=60, utilization=1.0, adaptive=False)
    pace.rate_limited(SIMPLE_EXPORT, 0.0, 3.0, 3.0)
    assert pace.rates_per_minute()["exports"] == 60.0
    assert pace.admit(SIMPLE_EXPORT, 0.0).wait == pytest.approx(3.0)  # Retry-After is still honoured


def test_the_rate_recovers_slowly_while_sending_and_not_while_idle() -> None:
    pace = state(export_calls_per_minute=60, utilization=1.0)
    pace.rate_limited(SIMPLE_EXPORT, 0.0, None, None)  # 30 a minute
    assert pace.exports is not None
    now = 0.0
    pace.admit(SIMPLE_EXPORT, now)
    now += 3600  # an idle hour: no evidence the server would take more
    pace.admit(SIMPLE_EXPORT, now)
    assert pace.rates_per_minute()["exports"] == pytest.approx(30.0 + RECOVERY * 60 * (2.0 / 60), rel=1e-6)
    minutes = 0.0
    start = now
    while pace.exports.rate < pace.exports.ceiling:
        now += pace.admit(SIMPLE_EXPORT, now).wait
        minutes = (now - start) / 60
    # from half the ceiling back to it: +10 % of the ceiling per minute of sending, so about 5 minutes
    assert 4.0 <= minutes <= 5.5


def test_the_deadline_wins_and_books_nothing() -> None:
    pace = state(calls_per_minute=60, utilization=1.0)
    pace.admit(CALL, 0.0)
    assert pace.admit(CALL, 0.0, deadline_left=0.5) == pace.admit(CALL, 0.0, deadline_left=1.0)
    assert pace.admit(CALL, 0.0, deadline_left=0.5).verdict is Verdict.TOO_LATE
    assert pace.admit(CALL, 0.0, deadline_left=1.5).wait == pytest.approx(1.0)  # nothing was booked before
    pace.close_for(0.0, 30.0)
    assert pace.admit(CALL, 0.0, deadline_left=29.0).verdict is Verdict.TOO_LATE


def test_testing_mode_removes_waits_but_still_books() -> None:
    pace = state(calls_per_minute=60, utilization=1.0)
    assert [pace.admit(CALL, 0.0, waits=False).wait for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pace.admit(CALL, 0.0).wait == pytest.approx(3.0)


def test_long_operations_beyond_the_cap_are_refused_without_booking() -> None:
    pace = state(max_concurrent_operations=2, export_calls_per_minute=60, utilization=1.0)
    assert pace.admit(EXPORT, 0.0, in_flight=1).verdict is Verdict.GO
    refused = pace.admit(EXPORT, 0.0, in_flight=2)
    assert refused.verdict is Verdict.REFUSED
    assert "limit of 2" in refused.reason
    assert pace.admit(SIMPLE_EXPORT, 0.0, in_flight=5).verdict is Verdict.GO  # the simple Export is no task
    assert pace.admit(EXPORT, 0.0, in_flight=0).wait == pytest.approx(2.0)  # only two booked


def test_task_expiry_caps_tasks_in_flight_by_the_measured_download_time() -> None:
    assert expiry_cap(None) is None
    assert expiry_cap(1.0) == math.floor(EXPIRY_SAFETY * TASK_EXPIRY_SECONDS)  # 450
    assert expiry_cap(90.0) == 5  # five 90 s downloads after they all end: 7.5 min, half the expiry
    assert expiry_cap(3600.0) == 1  # always one
    pace = state()  # no limits at all: the expiry rule still holds once downloads are measured
    assert pace.admit(EXPORT, 0.0, in_flight=100).verdict is Verdict.GO
    pace.downloaded(90.0)
    assert pace.operations_cap() == 5
    assert pace.admit(EXPORT, 0.0, in_flight=5).verdict is Verdict.REFUSED
    for _ in range(40):
        pace.downloaded(1.0)  # a running mean: faster downloads lift the cap again
    assert (pace.operations_cap() or 0) > 100
    pace.downloaded(-1.0)
    pace.downloaded(math.nan)
    assert (pace.mean_download or 99.0) < 2.0


def test_a_bucket_of_its_own() -> None:
    bucket = Bucket(ceiling=1.0)
    assert (bucket.rate, bucket.floor, bucket.interval) == (1.0, FLOOR, 1.0)
    bucket.book(0.0)
    bucket.book(0.0)
    assert bucket.wait(0.5) == pytest.approx(1.5)
