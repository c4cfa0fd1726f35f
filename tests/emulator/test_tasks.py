"""Long operations: progress, long-poll release, expiry on the injectable clock, per-token limits."""

from __future__ import annotations

import threading

import httpx
import pytest
from lf_emulator.faults import FaultProfile
from lf_emulator.testing import EmulatorServer

from tests.emulator.conftest import assert_conforms

IMAGE = {"part": "Image"}


def _start(client: httpx.Client, emulator: EmulatorServer, key: str = "one_page") -> str:
    response = client.post(f"Entries/{emulator.documents[key]}/ExportAsync", json=IMAGE)
    assert response.status_code == 202, response.text
    return response.json()["taskId"]


def _status(client: httpx.Client, task_id: str) -> dict:
    (task,) = client.get("Tasks", params={"taskIds": task_id}).json()["value"]
    return task


@pytest.mark.emulator_config(task_seconds=100.0, long_poll_max_seconds=0.1)
def test_states_follow_the_clock(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = _start(client, emulator)
    emulator.advance_clock(50)
    middle = _status(client, task_id)
    assert middle["status"] == "InProgress"
    assert 40 <= middle["percentComplete"] <= 60
    emulator.advance_clock(10)
    later = _status(client, task_id)
    assert later["percentComplete"] > middle["percentComplete"]
    emulator.advance_clock(45)
    done = _status(client, task_id)
    assert done["status"] == "Completed"
    assert done["percentComplete"] == 100


@pytest.mark.emulator_config(task_seconds=100.0, long_poll_max_seconds=0.1)
def test_bigger_documents_take_longer(client: httpx.Client, emulator: EmulatorServer) -> None:
    small = _start(client, emulator, "one_page")
    big = _start(client, emulator, "forty_pages")
    emulator.advance_clock(150)
    assert _status(client, small)["status"] == "Completed"
    assert _status(client, big)["status"] == "InProgress"
    emulator.advance_clock(300)
    assert _status(client, big)["status"] == "Completed"


@pytest.mark.emulator_config(task_seconds=600.0, long_poll_max_seconds=30.0)
def test_long_poll_is_released_early_by_a_state_change(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    task_id = _start(client, emulator)
    emulator.advance_clock(100)
    answers: list[dict] = []
    poll = threading.Thread(target=lambda: answers.append(_status(client, task_id)))
    poll.start()
    poll.join(0.3)
    assert poll.is_alive(), "the long-poll should hold while nothing changes"
    client.delete("Tasks", params={"taskIds": task_id})
    poll.join(10)
    assert not poll.is_alive()
    assert answers[0]["status"] == "Cancelled"
    counters = emulator.counters()
    assert counters["long_polls"] == 1
    assert counters["long_polls_released_by_change"] == 1


@pytest.mark.emulator_config(task_seconds=600.0, long_poll_max_seconds=30.0)
def test_long_poll_is_released_by_the_clock(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = _start(client, emulator)
    emulator.advance_clock(100)
    answers: list[dict] = []
    poll = threading.Thread(target=lambda: answers.append(_status(client, task_id)))
    poll.start()
    poll.join(0.3)
    assert poll.is_alive()
    emulator.advance_clock(600)
    poll.join(10)
    assert answers[0]["status"] == "Completed"


@pytest.mark.emulator_config(long_poll_max_seconds=0.5)
def test_long_poll_gives_up_after_its_maximum(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_task_hang=1.0))
    task_id = _start(client, emulator)
    first = _status(client, task_id)
    second = _status(client, task_id)
    assert first["status"] == second["status"] == "InProgress"
    counters = emulator.counters()
    assert counters["long_polls"] == 2
    assert counters["long_polls_released_by_change"] <= 1


def test_ended_tasks_answer_at_once_and_expire(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = _start(client, emulator)
    emulator.advance_clock(5)
    assert _status(client, task_id)["status"] == "Completed"
    before = emulator.counters()["long_polls_released_by_change"]
    assert _status(client, task_id)["status"] == "Completed"
    assert emulator.counters()["long_polls_released_by_change"] == before
    emulator.advance_clock(emulator.config.task_expiry_seconds + 1)
    gone = client.get("Tasks", params={"taskIds": task_id})
    assert gone.status_code == 200
    assert gone.json()["value"] == []


@pytest.mark.emulator_config(task_seconds=60.0, max_concurrent_tasks=2)
def test_concurrent_task_limit_per_token(client: httpx.Client, emulator: EmulatorServer) -> None:
    first = _start(client, emulator)
    _start(client, emulator)
    refused = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE)
    assert refused.status_code == 429
    assert_conforms(refused)
    assert int(refused.headers["Retry-After"]) >= 1
    other = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert (
        client.post(
            f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE, headers=other
        ).status_code
        == 202
    )
    client.delete("Tasks", params={"taskIds": first})
    assert _status(client, first)["status"] == "Cancelled"
    _start(client, emulator)
    counters = emulator.counters()
    assert counters["concurrent_tasks_high_water_per_token"] == 2
    assert counters["concurrent_tasks_high_water"] == 3


@pytest.mark.emulator_config(rate_limit_per_minute=3)
def test_request_rate_limit_per_token(client: httpx.Client, emulator: EmulatorServer) -> None:
    for _ in range(3):
        assert client.get("Entries/10").status_code == 200
    limited = client.get("Entries/10")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    other = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert client.get("Entries/10", headers=other).status_code == 200
    emulator.advance_clock(61)
    assert client.get("Entries/10").status_code == 200
