"""Every fault switch, the seeded determinism of faults, and the admin endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from lf_emulator.faults import FaultInjector, FaultProfile
from lf_emulator.testing import EmulatorServer

from tests.emulator.conftest import assert_conforms

IMAGE = {"part": "Image"}


def test_429_with_retry_after_only_on_chosen_operations(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    emulator.set_faults(FaultProfile(p_429=1.0, retry_after_seconds=7, operations=("GetEntry",)))
    limited = client.get("Entries/10")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert limited.headers["content-type"] == "application/problem+json"
    assert_conforms(limited)
    assert client.get("AuditReasons").status_code == 200
    assert emulator.counters()["faults_injected"] == {"http_429": 1}


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_problem_details(client: httpx.Client, emulator: EmulatorServer, status: int) -> None:
    emulator.set_faults(FaultProfile(p_5xx=1.0, statuses_5xx=(status,)))
    response = client.get("Entries/10")
    assert response.status_code == status
    assert response.json()["status"] == status
    assert response.headers["x-requestid"]


def test_5xx_come_in_bursts() -> None:
    injector = FaultInjector(FaultProfile(p_5xx=0.1, burst_length=3, seed=11))
    statuses = [f.status if (f := injector.request("ListTasks")) else 200 for _ in range(300)]
    runs: list[int] = []
    for i, status in enumerate(statuses):
        if status != 200 and (i == 0 or statuses[i - 1] == 200):
            runs.append(1)
        elif status != 200:
            runs[-1] += 1
    assert runs, "with p_5xx=0.1 over 300 calls some burst must occur"
    assert all(r % 3 == 0 for r in runs)


def test_html_error_bodies(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_5xx=1.0, statuses_5xx=(502,), html_errors=True))
    gateway = client.get("Entries/10")
    assert gateway.status_code == 502
    assert gateway.headers["content-type"].startswith("text/html")
    assert "<html>" in gateway.text
    assert "x-apiserver-error" not in gateway.headers
    emulator.set_faults(FaultProfile(p_5xx=1.0, statuses_5xx=(500,), html_errors=True))
    server = client.get("Entries/10")
    assert server.headers["content-type"].startswith("text/html")
    assert server.headers["x-apiserver-error"] == "Injected%20server%20fault"


def test_reset_before_processing(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_reset_before=1.0, operations=("StartExportEntry",)))
    with pytest.raises(httpx.TransportError):
        client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE)
    emulator.clear_faults()
    assert emulator.counters()["tasks_started"] == 0
    assert client.get("Tasks").json()["value"] == []


def test_reset_after_processing_keeps_side_effects(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_reset_after=1.0, operations=("StartExportEntry",)))
    with pytest.raises(httpx.TransportError):
        client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE)
    emulator.clear_faults()
    assert emulator.counters()["tasks_started"] == 1
    assert len(client.get("Tasks").json()["value"]) == 1


def _link(client: httpx.Client, emulator: EmulatorServer, key: str = "three_pages") -> str:
    return client.post(f"Entries/{emulator.documents[key]}/Export", json=IMAGE).json()["value"]


def test_slow_download_is_complete(client: httpx.Client, emulator: EmulatorServer) -> None:
    clean = httpx.get(_link(client, emulator)).content
    emulator.set_faults(FaultProfile(download_delay_seconds=0.01))
    slow = httpx.get(_link(client, emulator))
    assert slow.content == clean
    assert emulator.counters()["faults_injected"]["download_slow"] == 1


def _read_all(link: str, received: bytearray, timeout: httpx.Timeout | None = None) -> int:
    """Stream ``link`` into ``received``; returns the announced Content-Length."""
    with httpx.stream("GET", link, timeout=timeout or httpx.Timeout(30)) as response:
        assert response.status_code == 200
        expected = int(response.headers["content-length"])
        for chunk in response.iter_raw():
            received += chunk
    return expected


def test_stalled_download_times_out_the_reader(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_download_stall=1.0, stall_seconds=30))
    link = _link(client, emulator)
    received = bytearray()
    with pytest.raises(httpx.ReadTimeout):
        _read_all(link, received, httpx.Timeout(5, read=0.3))
    assert len(received) > 0
    assert emulator.counters()["faults_injected"]["download_stall"] == 1


def test_truncated_download_is_shorter_than_content_length(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    clean_size = len(httpx.get(_link(client, emulator)).content)
    emulator.set_faults(FaultProfile(p_download_truncate=1.0))
    received = bytearray()
    with pytest.raises(httpx.TransportError):
        _read_all(_link(client, emulator), received)
    assert 0 < len(received) < clean_size


def test_hostile_file_names(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(hostile_filenames=True))
    response = httpx.get(_link(client, emulator))
    assert 'filename="../../Invoice 1002.tif"' in response.headers["content-disposition"]


def _wait(client: httpx.Client, task_id: str) -> dict:
    for _ in range(20):
        (task,) = client.get("Tasks", params={"taskIds": task_id}).json()["value"]
        if task["status"] in ("Completed", "Failed", "Cancelled"):
            return task
    raise AssertionError("task never ended")


def test_tasks_fail_with_problem_details(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_task_fail=1.0))
    task_id = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    task = _wait(client, task_id)
    assert task["status"] == "Failed"
    (error,) = task["errors"]
    assert error["status"] == 500
    assert "injected" in error["detail"]


@pytest.mark.emulator_config(long_poll_max_seconds=0.2)
def test_tasks_that_never_finish(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_task_hang=1.0))
    task_id = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    emulator.advance_clock(100_000)
    (task,) = client.get("Tasks", params={"taskIds": task_id}).json()["value"]
    assert task["status"] == "InProgress"
    assert task["percentComplete"] <= 95
    client.delete("Tasks", params={"taskIds": task_id})
    assert _wait(client, task_id)["status"] == "Cancelled"


@pytest.mark.emulator_config(long_poll_max_seconds=0.2, task_seconds=100.0)
def test_unknown_enum_values_still_conform(client: httpx.Client, emulator: EmulatorServer) -> None:
    emulator.set_faults(FaultProfile(p_unknown_enum=1.0))
    task_id = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    emulator.advance_clock(50)
    running = client.get("Tasks", params={"taskIds": task_id})
    assert_conforms(running)
    (task,) = running.json()["value"]
    assert task["taskType"] == "BatchExportEntries"
    assert task["status"] == "Running"
    emulator.advance_clock(100)
    (done,) = client.get("Tasks", params={"taskIds": task_id}).json()["value"]
    assert done["status"] == "Completed"


def test_faults_are_deterministic_under_a_seed(client: httpx.Client, emulator: EmulatorServer) -> None:
    def run(seed: int) -> list[int]:
        emulator.set_faults(FaultProfile(seed=seed, p_429=0.3, p_5xx=0.3))
        return [client.get("Entries/10").status_code for _ in range(25)]

    first = run(42)
    assert run(42) == first
    assert run(43) != first
    assert {200, 429} <= set(first)


def test_admin_endpoints(emulator: EmulatorServer) -> None:
    admin = emulator.origin + "/_emulator"
    profile = {"seed": 3, "p_429": 1.0, "operations": ["GetEntry"]}
    assert httpx.post(f"{admin}/faults", json=profile).status_code == 200
    assert (
        httpx.get(
            emulator.api_url("Entries/10"), headers={"Authorization": f"Bearer {emulator.token}"}
        ).status_code
        == 429
    )
    state = httpx.get(f"{admin}/state").json()
    assert state["faults"]["p_429"] == 1.0
    assert state["counters"]["requests"] == {"GetEntry": 1}
    assert state["documents"]["one_page"] == 10
    assert emulator.token not in json.dumps(state)
    bad = httpx.post(f"{admin}/faults", json={"p_429": 2})
    assert bad.status_code == 400
    assert "p_429" in bad.json()["error"]
    token = httpx.post(f"{admin}/tokens", json={"lifetime_seconds": 10}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{admin}/reset").status_code == 200
    assert httpx.get(emulator.api_url("AuditReasons"), headers=headers).status_code == 200
    assert httpx.post(f"{admin}/clock/advance", json={"seconds": 11}).status_code == 200
    assert httpx.get(emulator.api_url("AuditReasons"), headers=headers).status_code == 401
    assert emulator.counters()["requests"] == {"ListAuditReasons": 2}


def test_fault_profiles_from_files(tmp_path: Path) -> None:
    as_json = tmp_path / "faults.json"
    as_json.write_text(json.dumps({"seed": 9, "p_429": 0.25, "statuses_5xx": [503]}))
    assert FaultProfile.from_file(as_json) == FaultProfile(seed=9, p_429=0.25, statuses_5xx=(503,))
    as_toml = tmp_path / "faults.toml"
    as_toml.write_text("seed = 9\np_5xx = 0.5\nstatuses_5xx = [502, 504]\nhtml_errors = true\n")
    assert FaultProfile.from_file(as_toml) == FaultProfile(
        seed=9, p_5xx=0.5, statuses_5xx=(502, 504), html_errors=True
    )
    with pytest.raises(ValueError, match="p_task_fail"):
        FaultProfile(p_task_fail=1.5)
    with pytest.raises(ValueError, match="unknown field"):
        FaultProfile.from_dict({"p_teapot": 0.1})
