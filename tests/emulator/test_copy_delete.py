"""Copy and delete as long operations over real HTTP, first the Long Operations guide's worked example."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lf_emulator.testing import EmulatorConfig, EmulatorServer

from tests.emulator.conftest import assert_conforms

SEVEN_DIGITS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")


def _task(client: httpx.Client, task_id: str) -> dict:
    response = client.get("Tasks", params={"taskIds": task_id})
    assert response.status_code == 200
    assert_conforms(response)
    (task,) = response.json()["value"]
    return task


def _copy(client: httpx.Client, destination: int, body: dict) -> str:
    response = client.post(f"Entries/{destination}/Folder/CopyAsync", json=body)
    assert response.status_code == 202, response.text
    return response.json()["taskId"]


def _delete(client: httpx.Client, entry_id: int, body: dict | None = None) -> httpx.Response:
    return (
        client.request("DELETE", f"Entries/{entry_id}", json=body)
        if body
        else client.delete(f"Entries/{entry_id}")
    )


def _names(client: httpx.Client, folder: int) -> list[str]:
    response = client.get(f"Entries/{folder}/Folder/Children", params={"$top": 150})
    assert response.status_code == 200, response.text
    return [e["name"] for e in response.json()["value"]]


def test_the_guides_worked_example(client: httpx.Client, emulator: EmulatorServer) -> None:
    destination = emulator.documents["destination_folder"]
    assert emulator.documents["guide_folder"] == 9
    response = client.post(
        f"Entries/{destination}/Folder/CopyAsync",
        json={"sourceId": 9, "name": "CopiedEntry", "autoRename": True},
    )
    assert response.status_code == 202
    assert_conforms(response)
    started = response.json()
    assert set(started) == {"@odata.context", "taskId"}
    assert started["@odata.context"].endswith("/v2/$metadata#Laserfiche.Repository.StartTaskResponse")
    uuid.UUID(started["taskId"])
    emulator.advance_clock(60)
    listed = client.get("Tasks", params={"taskIds": started["taskId"]})
    assert listed.status_code == 200
    assert_conforms(listed)
    body = listed.json()
    assert body["@odata.context"].endswith("/v2/$metadata#Tasks")
    (task,) = body["value"]
    assert task["id"] == started["taskId"]
    assert task["taskType"] == "CopyEntry"
    assert task["percentComplete"] == 100
    assert task["status"] == "Completed"
    assert SEVEN_DIGITS.fullmatch(task["startTime"])
    assert SEVEN_DIGITS.fullmatch(task["lastUpdateTime"])
    assert task["errors"] == []
    new_id = task["result"]["entryId"]
    assert task["result"]["uri"] == emulator.api_url(f"Entries/{new_id}")
    entry = client.get(task["result"]["uri"])  # the API origin: fetched with the token
    assert entry.status_code == 200
    assert_conforms(entry)
    folder = entry.json()
    assert folder["@odata.context"].endswith(
        f"$metadata#Repositories('{emulator.repository_id}')/entries/Laserfiche.Repository.Folder/$entity"
    )
    assert folder["@odata.type"] == "#Laserfiche.Repository.Folder"
    assert folder["id"] == new_id
    assert (folder["isContainer"], folder["isLeaf"]) == (True, False)
    assert folder["name"] == "CopiedEntry"
    assert folder["parentId"] == destination
    assert folder["fullPath"] == "\\destination\\CopiedEntry"
    assert folder["folderPath"] == "\\destination"
    assert folder["entryType"] == "Folder"
    assert (folder["templateName"], folder["templateId"]) == ("", 0)
    assert (folder["isRecordFolder"], folder["isUnderRecordSeries"]) == (False, False)
    assert "creator" in folder
    assert "creationTime" in folder
    assert "lastModifiedTime" in folder


def test_copy_is_deep_and_auto_renames(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    first = _copy(
        client, docs["destination_folder"], {"sourceId": docs["projects_folder"], "name": "Projects"}
    )
    second = _copy(
        client,
        docs["destination_folder"],
        {"sourceId": docs["projects_folder"], "name": "projects", "autoRename": True},
    )
    emulator.advance_clock(60)
    assert _task(client, first)["status"] == "Completed"
    renamed = _task(client, second)
    assert renamed["status"] == "Completed"
    assert client.get(renamed["result"]["uri"]).json()["name"] == "projects (2)"
    assert sorted(_names(client, docs["destination_folder"])) == ["Projects", "projects (2)"]
    copied = client.get("Entries/ByPath", params={"fullPath": "\\destination\\Projects\\2023\\Q4\\Budget Q4"})
    assert copied.status_code == 200
    budget = copied.json()["entry"]
    assert budget["id"] != docs["all_fields"]
    fields = client.get(f"Entries/{budget['id']}/Fields").json()["value"]
    assert {f["name"]: f["values"] for f in fields}["Reviewers"] == ["Ann", "Bob", "Chloé"]
    assert client.get(f"Entries/{budget['id']}/Links").json()["value"] == []
    loop = client.get(
        "Entries/ByPath", params={"fullPath": "\\destination\\Projects\\2023\\Q4\\Up to Projects"}
    )
    assert loop.json()["entry"]["entryType"] == "Shortcut"
    # The original is untouched.
    assert _names(client, docs["quarter_folder"]) == ["Budget Q4", "Up to Projects"]


def test_copy_name_taken_without_auto_rename_fails_the_task(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    docs = emulator.documents
    task_id = _copy(client, docs["root"], {"sourceId": docs["one_page"], "name": "invoices"})
    emulator.advance_clock(60)
    task = _task(client, task_id)
    assert task["status"] == "Failed"
    assert task["errors"][0]["status"] == 409
    assert task["result"] is None
    assert _names(client, docs["root"]).count("Invoices") == 1


def test_copy_into_its_own_subtree_is_refused(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    for destination in (docs["projects_folder"], docs["quarter_folder"]):
        refused = client.post(
            f"Entries/{destination}/Folder/CopyAsync", json={"sourceId": docs["projects_folder"], "name": "X"}
        )
        assert refused.status_code == 400
        assert_conforms(refused)
        assert "own subfolders" in refused.json()["detail"]
    to_document = client.post(
        f"Entries/{docs['one_page']}/Folder/CopyAsync", json={"sourceId": docs["three_pages"], "name": "X"}
    )
    assert to_document.status_code == 400
    missing = client.post(f"Entries/{docs['root']}/Folder/CopyAsync", json={"sourceId": 99999, "name": "X"})
    assert missing.status_code == 404
    assert emulator.counters()["tasks_started"] == 0


@pytest.mark.emulator_config(task_seconds=100.0, long_poll_max_seconds=0.1)
def test_cancel_midway_leaves_a_partial_copy(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    # \Projects and its 7 entries: 100 s of copying (task_seconds per 10 entries, at least once), the first
    # second of it NotStarted.
    task_id = _copy(client, docs["destination_folder"], {"sourceId": docs["projects_folder"], "name": "Half"})
    emulator.advance_clock(1 + 99 / 2)
    cancelled = client.delete("Tasks", params={"taskIds": task_id})
    assert cancelled.json()["value"] == [{"id": task_id, "taskType": "CopyEntry", "result": True}]
    emulator.advance_clock(500)
    task = _task(client, task_id)
    assert task["status"] == "Cancelled"
    assert task["result"] is None
    half = client.get("Entries/ByPath", params={"fullPath": "\\destination\\Half"}).json()["entry"]
    copied = [e for e in emulator.state.tree() if e[0].startswith("\\destination\\Half")]
    assert 1 < len(copied) < 8, copied
    assert half["entryType"] == "Folder"


@pytest.mark.emulator_config(task_seconds=60.0, max_concurrent_tasks=1)
def test_copy_and_delete_count_toward_the_concurrency_limit(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    docs = emulator.documents
    _copy(client, docs["destination_folder"], {"sourceId": docs["one_page"], "name": "C"})
    refused = _delete(client, docs["three_pages"])
    assert refused.status_code == 429
    assert_conforms(refused)
    assert int(refused.headers["Retry-After"]) >= 1
    export = client.post(f"Entries/{docs['one_page']}/ExportAsync", json={"part": "Text"})
    assert export.status_code == 429


def test_delete_is_recursive(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    response = _delete(client, docs["projects_folder"])
    assert response.status_code == 202
    assert_conforms(response)
    assert set(response.json()) == {"@odata.context", "taskId"}
    emulator.advance_clock(60)
    task = _task(client, response.json()["taskId"])
    assert (task["status"], task["taskType"], task["result"]) == ("Completed", "DeleteEntry", None)
    for key in (
        "projects_folder",
        "year_folder",
        "quarter_folder",
        "all_fields",
        "loop_shortcut",
        "text_edoc",
    ):
        assert client.get(f"Entries/{docs[key]}").status_code == 404
    assert "Projects" not in _names(client, docs["root"])
    # Links that named a deleted entry are gone with it.
    assert client.get(f"Entries/{docs['annotated']}/Links").json()["value"][0]["sourceId"] == docs["one_page"]


def test_delete_with_a_locked_entry_inside_fails_partway(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    docs = emulator.documents
    locked = _delete(client, docs["locked"])
    assert locked.status_code == 423
    assert_conforms(locked)
    response = _delete(client, docs["contracts_folder"])
    assert response.status_code == 202
    emulator.advance_clock(60)
    task = _task(client, response.json()["taskId"])
    assert task["status"] == "Failed"
    assert task["errors"][0]["status"] == 423
    assert "Locked Contract" in task["errors"][0]["detail"]
    # The walk deletes children in order: the two entries before the locked one are gone, the locked
    # document and its folder stay.
    assert client.get(f"Entries/{docs['locked']}").status_code == 200
    assert client.get(f"Entries/{docs['contracts_folder']}").status_code == 200
    remaining = _names(client, docs["contracts_folder"])
    assert remaining == ["Locked Contract"]


@pytest.mark.emulator_config(require_audit_reason=True)
def test_delete_respects_the_audit_reason_requirement(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    without = _delete(client, docs["one_page"])
    assert without.status_code == 202
    export_reason = _delete(client, docs["three_pages"], {"auditReasonId": 1})
    emulator.advance_clock(60)
    for response in (without, export_reason):
        task = _task(client, response.json()["taskId"])
        assert task["status"] == "Failed"
        error = task["errors"][0]
        assert (error["status"], error["errorCode"]) == (400, 216)
        assert "8 (Duplicate)" in error["detail"]
        assert "Legal request" not in error["detail"]
    assert client.get(f"Entries/{docs['one_page']}").status_code == 200
    good = _delete(client, docs["one_page"], {"auditReasonId": 8, "auditReasonComment": "dup"})
    emulator.advance_clock(60)
    assert _task(client, good.json()["taskId"])["status"] == "Completed"
    assert client.get(f"Entries/{docs['one_page']}").status_code == 404


@pytest.mark.emulator_config(task_seconds=100.0, long_poll_max_seconds=0.1)
def test_cancel_midway_leaves_part_deleted(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    before = len(emulator.state.tree())
    response = _delete(client, docs["projects_folder"])
    emulator.advance_clock(1 + 99 / 2)
    client.delete("Tasks", params={"taskIds": response.json()["taskId"]})
    emulator.advance_clock(500)
    assert _task(client, response.json()["taskId"])["status"] == "Cancelled"
    after = len(emulator.state.tree())
    assert before - 8 < after < before
    assert client.get(f"Entries/{docs['projects_folder']}").status_code == 200


def test_root_cannot_be_deleted(client: httpx.Client, emulator: EmulatorServer) -> None:
    refused = _delete(client, emulator.documents["root"])
    assert refused.status_code == 400
    assert _delete(client, 99999).status_code == 404


# -- property: copy then delete of the copy leaves the tree as it was -------------------------------------

_SOURCES = [
    "projects_folder",
    "odd_names_folder",
    "guide_folder",
    "one_page",
    "loop_shortcut",
    "record_folder",
]
_DESTINATIONS = ["root", "destination_folder", "empty_folder", "folder", "quarter_folder"]


@pytest.fixture(scope="module")
def property_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(
        EmulatorConfig(task_seconds=0.2, long_poll_max_seconds=0.5, max_concurrent_tasks=8)
    ) as emu:
        yield emu


@settings(
    max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)
@given(
    copies=st.lists(
        st.tuples(st.sampled_from(_SOURCES), st.sampled_from(_DESTINATIONS), st.booleans()),
        min_size=1,
        max_size=3,
    )
)
def test_copy_then_delete_of_the_copy_restores_the_tree(
    property_emulator: EmulatorServer, copies: list[tuple[str, str, bool]]
) -> None:
    emu = property_emulator
    docs = emu.documents
    with httpx.Client(base_url=emu.api_url(""), headers={"Authorization": f"Bearer {emu.token}"}) as client:
        before = emu.state.tree()
        started = []
        for source, destination, rename in copies:
            if emu.state.repository.is_in_subtree(docs[destination], docs[source]):
                continue
            body = {"sourceId": docs[source], "name": f"copy-{source}", "autoRename": True}
            if rename:
                body["name"] = emu.state.repository.get(docs[source]).name
            started.append(_copy(client, docs[destination], body))
        emu.advance_clock(120)
        new_ids = []
        for task_id in started:
            task = _task(client, task_id)
            assert task["status"] == "Completed", task
            new_ids.append(task["result"]["entryId"])
        assert len(emu.state.tree()) > len(before) or not started
        deletes = [_delete(client, entry_id).json()["taskId"] for entry_id in reversed(new_ids)]
        emu.advance_clock(120)
        for task_id in deletes:
            assert _task(client, task_id)["status"] == "Completed"
        assert emu.state.tree() == before


@pytest.mark.emulator_config(task_seconds=10.0, long_poll_max_seconds=0.1)
def test_every_task_type_in_one_list_tasks(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    export = client.post(f"Entries/{docs['one_page']}/ExportAsync", json={"part": "Text"}).json()["taskId"]
    copy = _copy(client, docs["destination_folder"], {"sourceId": docs["guide_folder"], "name": "G"})
    delete = _delete(client, docs["no_pages"]).json()["taskId"]
    search = client.post("Searches/SearchAsync", json={"searchCommand": '{LF:Name="G"}'}).json()["taskId"]
    emulator.advance_clock(60)
    response = client.get("Tasks", params=[("taskIds", t) for t in (export, copy, delete, search)])
    assert_conforms(response)
    tasks = {t["id"]: t for t in response.json()["value"]}
    assert {tasks[t]["taskType"] for t in tasks} == {"ExportEntry", "CopyEntry", "DeleteEntry", "SearchEntry"}
    assert all(t["status"] == "Completed" for t in tasks.values())
    assert tasks[export]["result"]["uri"].startswith(emulator.links_url)
    new_id = emulator.entry_id("\\destination\\G")
    assert tasks[copy]["result"] == {"entryId": new_id, "uri": emulator.api_url(f"Entries/{new_id}")}
    assert tasks[delete]["result"] is None
    assert tasks[search]["result"] == {"entryId": 0, "uri": emulator.api_url(f"Searches/{search}/Results")}
