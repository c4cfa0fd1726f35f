"""Search as a long operation: the syntax subset, results paged like listings, cache, open-search limit."""

from __future__ import annotations

import httpx
import pytest
from lf_emulator.testing import EmulatorServer

from tests.emulator.conftest import assert_conforms

NOT_FOUND = "Task with requested taskId was not found"


def _search(client: httpx.Client, command: str) -> str:
    response = client.post("Searches/SearchAsync", json={"searchCommand": command})
    assert response.status_code == 202, response.text
    assert_conforms(response)
    return response.json()["taskId"]


def _results(client: httpx.Client, task_id: str, **params: str) -> httpx.Response:
    return client.get(f"Searches/{task_id}/Results", params=params)


def _names(client: httpx.Client, emulator: EmulatorServer, command: str) -> list[str]:
    task_id = _search(client, command)
    emulator.advance_clock(10)
    response = _results(client, task_id)
    assert response.status_code == 200, response.text
    client.delete("Tasks", params={"taskIds": task_id})
    return sorted(e["name"] for e in response.json()["value"])


def test_search_task_and_results(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = _search(client, '{LF:Name="Invoice*", Type="D"}')
    emulator.advance_clock(10)
    (task,) = client.get("Tasks", params={"taskIds": task_id}).json()["value"]
    assert (task["taskType"], task["status"]) == ("SearchEntry", "Completed")
    assert task["result"] == {"entryId": 0, "uri": emulator.api_url(f"Searches/{task_id}/Results")}
    response = client.get(task["result"]["uri"], params={"$count": "true"})
    assert response.status_code == 200
    assert_conforms(response)
    body = response.json()
    assert sorted(e["name"] for e in body["value"]) == ["Invoice 1001", "Invoice 1002"]
    assert body["@odata.count"] == 2
    for entry in body["value"]:
        assert entry["fullPath"] is None
        assert entry["folderPath"] is None
        assert entry["@odata.type"] == "#Laserfiche.Repository.Document"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ('{LF:Name="*Contract*"}', ["Contract Alpha", "Contracts", "Locked Contract"]),
        ('{LF:Name="*Contract*", Type="D"}', ["Contract Alpha", "Locked Contract"]),
        ('{LF:Type="S"} & {LF:LOOKIN="\\Projects"}', ["Shortcut to Policy Handbook", "Up to Projects"]),
        ('{LF:LOOKIN="\\Projects\\2023"}', ["Budget Q4", "Kickoff Notes", "Q4", "Up to Projects"]),
        ('{[]:[Vendor]="Acme Corp"}', ["Invoice 1001"]),
        ('{[Invoice]:[Line Items]="Toner"}', ["Invoice 1001"]),
        ('{[]:[Vendor]="Globex"} | {LF:Name="CON"}', ["CON", "Invoice 1002"]),
        ('({LF:Basic ~= "budget", option="DFANLT"})', ["Budget Q4"]),
        ('{LF:Template="Contract"} & -{LF:LOOKIN="\\Records"}', ["Contract Alpha"]),
        ('{LF:LOOKIN="\\No such folder"}', []),
    ],
)
def test_search_syntax_subset(
    client: httpx.Client, emulator: EmulatorServer, command: str, expected: list[str]
) -> None:
    assert _names(client, emulator, command) == expected


def test_bad_search_syntax_is_a_400(client: httpx.Client, emulator: EmulatorServer) -> None:
    for command in ("{LF:Name=", "Invoice", '{LF:Colour="red"}', '{LF:Name="x"} &'):
        response = client.post("Searches/SearchAsync", json={"searchCommand": command})
        assert response.status_code == 400, command
        assert_conforms(response)


@pytest.mark.emulator_config(synthetic_entries=500)
def test_search_results_page_like_listings(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = _search(client, '{LF:Name="*"} & {LF:LOOKIN="\\Synthetic"}')
    emulator.advance_clock(10)
    first = _results(client, task_id)
    assert first.status_code == 200
    assert len(first.json()["value"]) == 150
    ids, response = [], first
    while True:
        body = response.json()
        ids += [e["id"] for e in body["value"]]
        if "@odata.nextLink" not in body:
            break
        response = client.get(body["@odata.nextLink"], headers={"Prefer": "maxpagesize=150"})
        assert response.status_code == 200, response.text
    assert len(ids) == len(set(ids)) == 500
    small = _results(client, task_id, **{"$top": "7"})
    assert len(small.json()["value"]) == 7
    assert "@odata.nextLink" not in small.json()


@pytest.mark.emulator_config(search_cache_seconds=300.0)
def test_results_are_cached_and_refreshed(client: httpx.Client, emulator: EmulatorServer) -> None:
    docs = emulator.documents
    task_id = _search(client, '{LF:Name="Invoice*", Type="D"}')
    emulator.advance_clock(10)
    assert len(_results(client, task_id).json()["value"]) == 2
    client.delete(f"Entries/{docs['one_page']}")
    emulator.advance_clock(10)
    assert client.get(f"Entries/{docs['one_page']}").status_code == 404
    # Cached: the deleted entry is gone from the tree, so it drops out, but nothing new is searched for.
    copy = client.post(
        f"Entries/{docs['destination_folder']}/Folder/CopyAsync",
        json={"sourceId": docs["three_pages"], "name": "Invoice X"},
    )
    assert copy.status_code == 202
    emulator.advance_clock(10)
    assert [e["name"] for e in _results(client, task_id).json()["value"]] == ["Invoice 1002"]
    refreshed = _results(client, task_id, refresh="true").json()["value"]
    assert sorted(e["name"] for e in refreshed) == ["Invoice 1002", "Invoice X"]
    # Every read extends the cache; without reads it expires.
    emulator.advance_clock(200)
    assert _results(client, task_id).status_code == 200
    emulator.advance_clock(200)
    assert _results(client, task_id).status_code == 200
    emulator.advance_clock(301)
    expired = _results(client, task_id)
    assert expired.status_code == 404
    assert_conforms(expired)
    assert expired.json()["detail"] == NOT_FOUND


@pytest.mark.emulator_config(max_concurrent_tasks=1)
def test_two_open_searches_per_token_and_close_with_cancel(
    client: httpx.Client, emulator: EmulatorServer
) -> None:
    first = _search(client, '{LF:Name="A*"}')
    second = _search(client, '{LF:Name="B*"}')
    third = client.post("Searches/SearchAsync", json={"searchCommand": '{LF:Name="C*"}'})
    assert third.status_code == 429
    assert_conforms(third)
    assert int(third.headers["Retry-After"]) >= 1
    # Searches do not count toward the long-operation limit (1 here).
    export = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json={"part": "Text"})
    assert export.status_code == 202
    other = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert (
        client.post(
            "Searches/SearchAsync", json={"searchCommand": '{LF:Type="D"}'}, headers=other
        ).status_code
        == 202
    )
    emulator.advance_clock(10)
    closed = client.delete("Tasks", params={"taskIds": first})
    assert closed.json()["value"] == [{"id": first, "taskType": "SearchEntry", "result": True}]
    gone = _results(client, first)
    assert gone.status_code == 404
    assert gone.json()["detail"] == NOT_FOUND
    assert _results(client, second).status_code == 200
    assert client.post("Searches/SearchAsync", json={"searchCommand": '{LF:Name="C*"}'}).status_code == 202


def test_unknown_search_is_404(client: httpx.Client, emulator: EmulatorServer) -> None:
    response = _results(client, "00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["detail"] == NOT_FOUND
    task_id = _search(client, '{LF:Name="*"}')
    other = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert client.get(f"Searches/{task_id}/Results", headers=other).status_code == 404
