"""The emulator's per-token limit on export calls (ExportEntry + StartExportEntry) beside the all-calls
limit, and the window both are counted over (short windows scale a per-minute limit down to seconds)."""

from __future__ import annotations

import httpx
import pytest
from lf_emulator.testing import EmulatorConfig, EmulatorServer

TEXT = {"part": "Text"}


@pytest.mark.emulator_config(export_calls_per_minute=2)
def test_export_call_rate_limit_per_token(client: httpx.Client, emulator: EmulatorServer) -> None:
    doc = emulator.documents["one_page"]
    assert client.post(f"Entries/{doc}/Export", json=TEXT).status_code == 200
    assert client.post(f"Entries/{doc}/ExportAsync", json=TEXT).status_code == 202
    limited = client.post(f"Entries/{doc}/Export", json=TEXT)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "2 export calls per minute" in limited.json()["detail"]
    assert client.get(f"Entries/{doc}").status_code == 200  # other calls are not export calls
    other = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert client.post(f"Entries/{doc}/Export", json=TEXT, headers=other).status_code == 200
    assert emulator.counters()["rate_limited"] == {"calls": 0, "export_calls": 1}
    emulator.advance_clock(61)
    assert client.post(f"Entries/{doc}/Export", json=TEXT).status_code == 200


@pytest.mark.emulator_config(export_calls_per_minute=120, rate_limit_per_minute=600, rate_window_seconds=1.0)
def test_a_short_window_scales_the_per_minute_limits(client: httpx.Client, emulator: EmulatorServer) -> None:
    doc = emulator.documents["one_page"]
    statuses = [client.post(f"Entries/{doc}/Export", json=TEXT).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # 120 a minute is 2 in any second
    assert client.post(f"Entries/{doc}/Export", json=TEXT).headers["Retry-After"] == "1"
    emulator.advance_clock(1.01)
    assert client.post(f"Entries/{doc}/Export", json=TEXT).status_code == 200
    assert emulator.counters()["rate_limited"]["export_calls"] == 2
    emulator.reset()
    assert emulator.counters()["rate_limited"] == {"calls": 0, "export_calls": 0}


@pytest.mark.emulator_config(rate_limit_per_minute=60, rate_window_seconds=2.0)
def test_the_all_calls_limit_counts_over_the_same_window(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    statuses = [client.get("Entries/10").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert emulator.counters()["rate_limited"] == {"calls": 1, "export_calls": 0}


@pytest.mark.parametrize(
    "fields",
    [{"export_calls_per_minute": -1}, {"rate_window_seconds": 0}, {"rate_window_seconds": -5.0}],
)
def test_bad_limits_are_refused(fields: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(fields))):
        EmulatorConfig(**fields)  # type: ignore[arg-type]


def test_the_summary_shows_the_limits() -> None:
    summary = EmulatorConfig(export_calls_per_minute=30, rate_window_seconds=6.0).summary()
    assert (summary["export_calls_per_minute"], summary["rate_window_seconds"]) == (30, 6.0)
