"""The synthetic large tree: deterministic, quick to build, small in memory, fully listable."""

from __future__ import annotations

import time
import tracemalloc

import httpx
import pytest
from lf_emulator.__main__ import parse_args
from lf_emulator.repository import LazyPages
from lf_emulator.state import EmulatorState
from lf_emulator.synthetic import SYNTHETIC_ROOT_ID, synthetic_entries
from lf_emulator.testing import EmulatorConfig, EmulatorServer


def test_synthetic_tree_is_deterministic_and_sized() -> None:
    a = synthetic_entries(1000, 7, parent_id=1)
    b = synthetic_entries(1000, 7, parent_id=1)
    c = synthetic_entries(1000, 8, parent_id=1)
    assert len(a) == 1001
    assert [(e.id, e.name, e.parent_id, len(e.pages)) for e in a] == [
        (e.id, e.name, e.parent_id, len(e.pages)) for e in b
    ]
    assert [e.name for e in a] != [e.name for e in c]
    assert isinstance(a[-1].pages, LazyPages) or a[-1].entry_type == "Shortcut"


def test_ten_thousand_entries_build_fast_and_small() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    state = EmulatorState(EmulatorConfig(synthetic_entries=10_000, synthetic_seed=3))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5.0
    assert peak < 60 * 1024 * 1024
    under = [e for e in state.repository.subtree(SYNTHETIC_ROOT_ID) if e.id != SYNTHETIC_ROOT_ID]
    assert len(under) == 10_000


@pytest.mark.emulator_config(synthetic_entries=10_000, synthetic_seed=3)
def test_ten_thousand_entries_list_fully(client: httpx.Client, emulator: EmulatorServer) -> None:
    seen: list[int] = []
    folders = [emulator.documents["synthetic_folder"]]
    while folders:
        folder = folders.pop()
        url: str | None = f"Entries/{folder}/Folder/Children"
        while url is not None:
            response = client.get(url)
            assert response.status_code == 200, response.text
            body = response.json()
            for entry in body["value"]:
                seen.append(entry["id"])
                if entry["entryType"] == "Folder":
                    folders.append(entry["id"])
            url = body.get("@odata.nextLink")
    assert len(seen) == len(set(seen)) == 10_000
    document = next(i for i in reversed(seen) if client.get(f"Entries/{i}").json()["entryType"] == "Document")
    exported = client.post(f"Entries/{document}/Export", json={"part": "Text"})
    assert exported.status_code == 200
    assert httpx.get(exported.json()["value"]).status_code == 200


def test_command_line_flags() -> None:
    config, _ = parse_args(["--synthetic-entries", "250", "--seed", "9"])
    assert (config.synthetic_entries, config.synthetic_seed) == (250, 9)
