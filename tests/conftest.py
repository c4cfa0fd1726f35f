"""Shared fixtures that start the local Laserfiche emulator (lf_emulator) on free loopback ports.

- ``emulator``: a fresh emulator per test (fast tasks, short long-polls). Override its configuration with
  ``@pytest.mark.emulator_config(require_audit_reason=True, ...)`` (any EmulatorConfig field).
- ``emulator_session``: one emulator for the whole session; do not change its faults or clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lf_emulator.testing import EmulatorConfig, EmulatorServer

#: Defaults for tests: quick tasks, long-polls that give up after 2 s, a small "large" document.
TEST_CONFIG: dict[str, Any] = {
    "task_seconds": 0.2,
    "long_poll_max_seconds": 2.0,
    "max_concurrent_tasks": 4,
    "large_edoc_bytes": 3 * 1024 * 1024 + 123,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator_config(**fields): EmulatorConfig fields for the `emulator` fixture"
    )


@pytest.fixture
def emulator(request: pytest.FixtureRequest) -> Iterator[EmulatorServer]:
    marker = request.node.get_closest_marker("emulator_config")
    fields = {**TEST_CONFIG, **(marker.kwargs if marker else {})}
    with EmulatorServer(EmulatorConfig(**fields)) as emu:
        yield emu


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(**TEST_CONFIG)) as emu:
        yield emu
