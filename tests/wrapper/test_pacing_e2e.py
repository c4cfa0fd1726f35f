"""Pacing against the emulator's rate limits over real HTTP: paced at the export-call limit the client gets no
429 and keeps most of the rate; unpaced, the same batch meets 429s; the cap on long operations keeps the
server's count of running tasks at one; ``pacing="auto"`` picks Cloud's limits only for Cloud hosts."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from lf_emulator.testing import EmulatorServer
from lf_export import AsyncExportClient, ExportClient, ExportOptions, OptionsError, PollPolicy
from lf_export._pacing import Pacing

pytestmark = pytest.mark.e2e

FAST_POLL = PollPolicy(initial_wait=0.01, max_wait=0.05, quick_answer=0.5)
#: 600 export calls a minute counted over 1 s windows: 10 in any second, so a batch takes seconds.
LIMITED = {"export_calls_per_minute": 600, "rate_window_seconds": 1.0, "task_seconds": 0.05}
JOBS = 30


def client(emu: EmulatorServer, **kwargs: Any) -> ExportClient:
    return ExportClient(emu.base_url, emu.repository_id, token=emu.token, poll=FAST_POLL, **kwargs)


def jobs(emu: EmulatorServer) -> list[tuple[int, ExportOptions]]:
    return [(emu.documents["one_page"], ExportOptions.text())] * JOBS


@pytest.mark.emulator_config(**LIMITED)
def test_paced_at_the_export_limit_no_429_and_most_of_the_rate(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    with client(emulator, pacing=Pacing(export_calls_per_minute=600)) as lf:
        start = time.perf_counter()
        for i in range(JOBS):
            lf.export(
                emulator.documents["one_page"], ExportOptions.text(), tmp_path / f"{i}.txt", mode="sync"
            )
        seconds = time.perf_counter() - start
    assert emulator.counters()["rate_limited"]["export_calls"] == 0
    achieved = (JOBS - 1) / seconds / 10  # first call free, then paced; 10 a second is the limit
    assert 0.8 <= achieved <= 1.0


@pytest.mark.emulator_config(**LIMITED)
def test_unpaced_the_same_batch_meets_429s(emulator: EmulatorServer, tmp_path: Path) -> None:
    with client(emulator, pacing=Pacing.off()) as lf:
        for i in range(JOBS):
            lf.export(
                emulator.documents["one_page"], ExportOptions.text(), tmp_path / f"{i}.txt", mode="sync"
            )
    assert emulator.counters()["rate_limited"]["export_calls"] > 0


@pytest.mark.emulator_config(**LIMITED)
def test_export_many_paced_by_export_calls_and_long_operations(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    pacing = Pacing(export_calls_per_minute=600, max_concurrent_operations=1)
    with client(emulator, pacing=pacing) as lf:
        outcomes = lf.export_many(jobs(emulator)[:12], tmp_path, max_concurrent_tasks=4)
    assert all(o.ok for o in outcomes)
    counters = emulator.counters()
    assert counters["concurrent_tasks_high_water"] == 1
    assert counters["rate_limited"] == {"calls": 0, "export_calls": 0}
    assert counters["tasks_started"] == 12


@pytest.mark.emulator_config(**LIMITED)
def test_async_client_is_paced_too(emulator: EmulatorServer, tmp_path: Path) -> None:
    async def main() -> None:
        pacing = Pacing(export_calls_per_minute=600)
        async with AsyncExportClient(
            emulator.base_url, emulator.repository_id, token=emulator.token, poll=FAST_POLL, pacing=pacing
        ) as lf:
            doc = emulator.documents["one_page"]
            await asyncio.gather(
                *(lf.export(doc, ExportOptions.text(), tmp_path / f"{i}.txt", mode="sync") for i in range(20))
            )

    start = time.perf_counter()
    asyncio.run(main())
    assert time.perf_counter() - start >= 19 / 9.5 * 0.9  # paced: about 9.5 a second, not all at once
    assert emulator.counters()["rate_limited"]["export_calls"] == 0


def test_auto_is_off_for_the_emulator_and_a_bad_value_is_refused(emulator: EmulatorServer) -> None:
    with client(emulator) as lf:
        assert lf._config.pacing == Pacing.off()
    with ExportClient("https://api.laserfiche.com/repository", "r-1", token="t") as lf:
        assert lf._config.pacing == Pacing.cloud()
    with pytest.raises(OptionsError, match="pacing"):
        client(emulator, pacing=None)
