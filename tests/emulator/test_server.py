"""The Python runner starts on free ports and stops cleanly, even with requests in flight."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

import httpx
from lf_emulator.faults import FaultProfile
from lf_emulator.testing import EmulatorConfig, EmulatorServer


def _port_open(url: str) -> bool:
    host, port = url.removeprefix("http://").split("/")[0].rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def test_start_and_stop_leave_nothing_behind() -> None:
    before = {t.ident for t in threading.enumerate()}
    with EmulatorServer(EmulatorConfig(task_seconds=0.1)) as emu:
        assert emu.base_url.endswith("/repository")
        assert emu.links_url != emu.origin
        assert _port_open(emu.base_url)
        assert _port_open(emu.links_url)
        urls = (emu.base_url, emu.links_url)
    assert not any(_port_open(u) for u in urls)
    assert {t.ident for t in threading.enumerate()} <= before


def test_stop_ends_long_polls_and_stalled_downloads() -> None:
    emu = EmulatorServer(EmulatorConfig(task_seconds=600, long_poll_max_seconds=600)).start()
    headers = {"Authorization": f"Bearer {emu.token}"}
    task_id = httpx.post(
        emu.api_url("Entries/10/ExportAsync"), json={"part": "Text"}, headers=headers
    ).json()["taskId"]
    emu.set_faults(FaultProfile(p_download_stall=1.0, stall_seconds=600))
    link = httpx.post(emu.api_url("Entries/11/Export"), json={"part": "Image"}, headers=headers).json()[
        "value"
    ]
    outcomes: list[object] = []

    def call(fn: Callable[[], object]) -> None:
        try:
            outcomes.append(fn())
        except httpx.HTTPError as exc:
            outcomes.append(exc)

    workers = [
        threading.Thread(
            target=call,
            args=(
                lambda: httpx.get(
                    emu.api_url("Tasks"), params={"taskIds": task_id}, headers=headers, timeout=60
                ),
            ),
        ),
        threading.Thread(target=call, args=(lambda: httpx.get(link, timeout=60),)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(0.3)
    assert all(w.is_alive() for w in workers)
    emu.stop()
    for worker in workers:
        worker.join(20)
    assert not any(w.is_alive() for w in workers)
    assert len(outcomes) == 2
    emu.stop()  # idempotent


def test_reset_forgets_tasks_and_counters() -> None:
    with EmulatorServer(EmulatorConfig(task_seconds=0.1, long_poll_max_seconds=0.2)) as emu:
        headers = {"Authorization": f"Bearer {emu.token}"}
        httpx.post(emu.api_url("Entries/10/ExportAsync"), json={"part": "Text"}, headers=headers)
        emu.set_faults(FaultProfile(p_429=1.0, operations=("GetEntry",)))
        emu.reset()
        assert emu.counters()["tasks_started"] == 0
        assert emu.counters()["requests"] == {}
        assert httpx.get(emu.api_url("Tasks"), headers=headers).json()["value"] == []
        assert httpx.get(emu.api_url("Entries/10"), headers=headers).status_code == 200


def test_the_emulator_imports_neither_the_wrapper_nor_the_generated_client() -> None:
    import ast
    from pathlib import Path

    import lf_emulator

    for source in Path(lf_emulator.__file__).parent.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("lf_export", "lf_repository_v2")), f"{source.name} imports {name}"
