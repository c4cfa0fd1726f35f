"""Each operation over real HTTP: entries, audit reasons, exports, tasks, auth, tokens."""

from __future__ import annotations

import uuid

import httpx
import pytest
from lf_emulator.testing import EmulatorServer

from tests.emulator.conftest import assert_conforms

IMAGE = {"part": "Image"}


def _wait(client: httpx.Client, task_id: str) -> dict:
    for _ in range(20):
        response = client.get("Tasks", params={"taskIds": task_id})
        assert response.status_code == 200
        (task,) = response.json()["value"]
        if task["status"] in ("Completed", "Failed", "Cancelled"):
            return task
    raise AssertionError(f"task {task_id} never ended")


def test_get_entry_document(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    response = session_client.get(f"Entries/{emulator_session.documents['annotated']}")
    assert response.status_code == 200
    assert_conforms(response)
    entry = response.json()
    assert entry["name"] == "Contract Alpha"
    assert entry["entryType"] == "Document"
    assert entry["pageCount"] == 12
    assert entry["fullPath"] == "\\Contracts\\Contract Alpha"
    assert entry["folderPath"] == "\\Contracts"
    assert entry["isLeaf"] is True
    assert entry["isContainer"] is False
    assert entry["isElectronicDocument"] is False


def test_get_entry_edoc_folder_and_shortcut(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    docs = emulator_session.documents
    edoc = session_client.get(f"Entries/{docs['edoc_pdf']}").json()
    assert edoc["isElectronicDocument"] is True
    assert edoc["mimeType"] == "application/pdf"
    assert edoc["extension"] == "pdf"
    assert edoc["electronicDocumentSize"] > 100
    assert edoc["pageCount"] == 0
    large = session_client.get(f"Entries/{docs['large_edoc']}").json()
    assert large["electronicDocumentSize"] == emulator_session.config.large_edoc_bytes
    folder = session_client.get(f"Entries/{docs['folder']}")
    assert_conforms(folder)
    assert folder.json()["entryType"] == "Folder"
    assert folder.json()["isContainer"] is True
    assert session_client.get(f"Entries/{docs['record_series']}").json()["entryType"] == "RecordSeries"
    assert session_client.get(f"Entries/{docs['shortcut']}").json()["entryType"] == "Shortcut"
    assert session_client.get(f"Entries/{docs['record_document']}").json()["isRecord"] is True
    root = session_client.get(f"Entries/{docs['root']}").json()
    assert root["fullPath"] == "\\"
    assert "parentId" not in root


def test_unknown_entry_and_repository_are_404(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    response = session_client.get("Entries/99999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert_conforms(response)
    assert "99999" in response.json()["detail"]
    other = httpx.get(
        f"{emulator_session.base_url}/v2/Repositories/r-other/Entries/10",
        headers={"Authorization": f"Bearer {emulator_session.token}"},
    )
    assert other.status_code == 404
    assert "r-other" in other.json()["detail"]


def test_unknown_path_and_method(session_client: httpx.Client) -> None:
    assert session_client.get("Nothing/Here").status_code == 404
    response = session_client.put("Tasks")
    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_audit_reasons_paging(session_client: httpx.Client) -> None:
    first = session_client.get(
        "AuditReasons", params={"$top": 5, "$count": "true"}, headers={"Prefer": "maxpagesize=2"}
    )
    assert first.status_code == 200
    assert_conforms(first)
    body = first.json()
    assert body["@odata.count"] == 12
    assert [r["id"] for r in body["value"]] == [1, 2]
    seen = [r["id"] for r in body["value"]]
    link = body["@odata.nextLink"]
    while link:
        page = session_client.get(link, headers={"Prefer": "maxpagesize=2"})
        assert page.status_code == 200
        seen += [r["id"] for r in page.json()["value"]]
        link = page.json().get("@odata.nextLink")
    assert seen == [1, 2, 3, 4, 5]


def test_audit_reasons_orderby_select_skip(session_client: httpx.Client) -> None:
    body = session_client.get(
        "AuditReasons", params={"$orderby": "name desc", "$select": "id,name", "$skip": 1, "$top": 3}
    ).json()
    names = [r["name"] for r in body["value"]]
    assert names == ["Public records request", "Other export", "Other deletion"]
    assert all(set(r) == {"id", "name"} for r in body["value"])
    assert "@odata.nextLink" not in body
    everything = session_client.get("AuditReasons").json()["value"]
    assert len(everything) == 12
    assert {r["auditEventType"] for r in everything} == {"ExportDocument", "DeleteEntry"}


def test_audit_reasons_bad_odata(session_client: httpx.Client) -> None:
    too_many = session_client.get("AuditReasons", params={"$top": 151})
    assert too_many.status_code == 400
    assert "$top" in too_many.json()["detail"]
    bad_order = session_client.get("AuditReasons", params={"$orderby": "colour"})
    assert bad_order.status_code == 400
    assert "colour" in bad_order.json()["detail"]
    bad_select = session_client.get("AuditReasons", params={"$select": "id,secret"})
    assert bad_select.status_code == 400
    assert "secret" in bad_select.json()["detail"]


def test_simple_export_returns_link(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    response = session_client.post(f"Entries/{emulator_session.documents['one_page']}/Export", json=IMAGE)
    assert response.status_code == 200
    assert_conforms(response)
    body = response.json()
    assert body["@odata.context"].endswith("/Export")
    assert body["value"].startswith(emulator_session.links_url + "/d/")
    download = httpx.get(body["value"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/tiff"


def test_async_export_lifecycle(client: httpx.Client, emulator: EmulatorServer) -> None:
    started = client.post(f"Entries/{emulator.documents['three_pages']}/ExportAsync", json={"part": "Text"})
    assert started.status_code == 202
    assert_conforms(started)
    body = started.json()
    assert body["@odata.type"] == "#Laserfiche.Repository.StartTaskResponse"
    task_id = str(uuid.UUID(body["taskId"]))
    statuses = []
    for _ in range(20):
        listed = client.get("Tasks", params={"taskIds": task_id})
        assert_conforms(listed)
        (task,) = listed.json()["value"]
        statuses.append((task["status"], task["percentComplete"]))
        if task["status"] == "Completed":
            break
    assert statuses[-1] == ("Completed", 100)
    assert task["result"]["entryId"] == emulator.documents["three_pages"]
    assert task["errors"] == []
    assert task["startTime"].endswith("Z")
    assert len(task["startTime"].split(".")[1]) == 8
    text = httpx.get(task["result"]["uri"])
    assert text.status_code == 200
    assert "Invoice 1002" in text.text
    assert emulator.counters()["tasks_started"] == 1


def test_list_tasks_unknown_and_duplicate_ids(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    stranger = str(uuid.uuid4())
    response = client.get("Tasks", params={"taskIds": [task_id, stranger, task_id]})
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["value"]] == [task_id]
    only_unknown = client.get("Tasks", params={"taskIds": [stranger]})
    assert only_unknown.status_code == 200
    assert only_unknown.json()["value"] == []


def test_tasks_belong_to_their_token(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    other = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert client.get("Tasks", params={"taskIds": task_id}, headers=other).json()["value"] == []
    assert client.delete("Tasks", params={"taskIds": task_id}, headers=other).json()["value"] == []
    assert len(client.get("Tasks", params={"taskIds": task_id}).json()["value"]) == 1


def test_empty_task_ids_mean_every_task_of_the_token(client: httpx.Client, emulator: EmulatorServer) -> None:
    ids = {
        client.post(f"Entries/{emulator.documents[k]}/ExportAsync", json=IMAGE).json()["taskId"]
        for k in ("one_page", "three_pages")
    }
    listed = client.get("Tasks")
    assert listed.status_code == 200
    assert {t["id"] for t in listed.json()["value"]} == ids
    cancelled = client.delete("Tasks")
    assert {t["id"] for t in cancelled.json()["value"]} == ids
    assert emulator.counters()["requests"]["ListTasks without taskIds"] == 1
    assert emulator.counters()["requests"]["CancelTasks without taskIds"] == 1


@pytest.mark.emulator_config(strict_task_ids=True)
def test_strict_task_ids_follow_the_spec(client: httpx.Client) -> None:
    response = client.get("Tasks")
    assert response.status_code == 400
    assert "taskIds" in response.json()["detail"]


@pytest.mark.emulator_config(task_seconds=30.0)
def test_cancel_running_then_ended(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = client.post(f"Entries/{emulator.documents['forty_pages']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    response = client.delete("Tasks", params={"taskIds": task_id})
    assert response.status_code == 200
    assert_conforms(response)
    assert response.json()["value"] == [{"id": task_id, "taskType": "ExportEntry", "result": True}]
    assert _wait(client, task_id)["status"] == "Cancelled"
    again = client.delete("Tasks", params={"taskIds": task_id})
    assert again.json()["value"][0]["result"] is True
    assert emulator.counters()["tasks_cancelled"] == 1


def test_cancel_completed_task_answers_true(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = client.post(f"Entries/{emulator.documents['one_page']}/ExportAsync", json=IMAGE).json()[
        "taskId"
    ]
    assert _wait(client, task_id)["status"] == "Completed"
    response = client.delete("Tasks", params={"taskIds": task_id})
    assert response.json()["value"][0]["result"] is True
    assert _wait(client, task_id)["status"] == "Completed"
    assert emulator.counters()["tasks_cancelled"] == 0


def test_auth_missing_unknown_expired(emulator: EmulatorServer) -> None:
    url = emulator.api_url("Entries/10")
    missing = httpx.get(url)
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert_conforms(missing)
    assert "WWW-Authenticate" in missing.headers
    unknown = httpx.get(url, headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
    assert "not valid" in unknown.json()["detail"]
    short = emulator.issue_token(lifetime_seconds=60)
    assert httpx.get(url, headers={"Authorization": f"Bearer {short}"}).status_code == 200
    emulator.advance_clock(61)
    expired = httpx.get(url, headers={"Authorization": f"Bearer {short}"})
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


def test_password_grant(emulator: EmulatorServer) -> None:
    url = f"{emulator.base_url}/v1/Repositories/{emulator.repository_id}/Token"
    response = httpx.post(url, data={"grant_type": "password", "username": "admin", "password": "admin"})
    assert response.status_code == 200
    assert_conforms(response)
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert httpx.get(
        emulator.api_url("Entries/10"), headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    bad = httpx.post(url, data={"grant_type": "password", "username": "admin", "password": "wrong"})
    assert bad.status_code == 401
    wrong_grant = httpx.post(url, data={"grant_type": "client_credentials", "username": "a", "password": "b"})
    assert wrong_grant.status_code == 400
    assert "grant_type" in wrong_grant.json()["detail"]


def test_locked_document_simple_export_is_423(client: httpx.Client, emulator: EmulatorServer) -> None:
    response = client.post(f"Entries/{emulator.documents['locked']}/Export", json=IMAGE)
    assert response.status_code == 423
    assert_conforms(response)
    assert response.headers["x-apiserver-error"]


def test_locked_document_async_export_fails_with_423(client: httpx.Client, emulator: EmulatorServer) -> None:
    task_id = client.post(f"Entries/{emulator.documents['locked']}/ExportAsync", json=IMAGE).json()["taskId"]
    task = _wait(client, task_id)
    assert task["status"] == "Failed"
    assert task["errors"][0]["status"] == 423
    assert task["result"] is None


@pytest.mark.emulator_config(require_audit_reason=True)
def test_required_audit_reason(client: httpx.Client, emulator: EmulatorServer) -> None:
    doc = emulator.documents["one_page"]
    simple = client.post(f"Entries/{doc}/Export", json=IMAGE)
    assert simple.status_code == 400
    assert simple.json()["errorCode"] == 216
    assert simple.json()["detail"].startswith("Need to provide correct audit reason")
    task_id = client.post(f"Entries/{doc}/ExportAsync", json=IMAGE).json()["taskId"]
    task = _wait(client, task_id)
    assert task["status"] == "Failed"
    assert task["errors"][0]["errorCode"] == 216
    assert task["errors"][0]["status"] == 400
    wrong_kind = client.post(f"Entries/{doc}/Export", json={**IMAGE, "auditReasonId": 8})
    assert wrong_kind.status_code == 400
    assert wrong_kind.json()["errorCode"] == 216
    ok = client.post(
        f"Entries/{doc}/Export", json={**IMAGE, "auditReasonId": 1, "auditReasonComment": "legal"}
    )
    assert ok.status_code == 200


def test_non_documents_and_missing_parts_are_400(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    docs = emulator_session.documents
    folder = session_client.post(f"Entries/{docs['folder']}/Export", json=IMAGE)
    assert folder.status_code == 400
    assert "Folder" in folder.json()["detail"]
    no_pages = session_client.post(f"Entries/{docs['edoc_pdf']}/Export", json=IMAGE)
    assert no_pages.status_code == 400
    assert "no image pages" in no_pages.json()["detail"]
    no_edoc = session_client.post(f"Entries/{docs['one_page']}/Export", json={"part": "Edoc"})
    assert no_edoc.status_code == 400
    assert "electronic" in no_edoc.json()["detail"]
    beyond = session_client.post(f"Entries/{docs['three_pages']}/Export?pageRange=2-4", json=IMAGE)
    assert beyond.status_code == 400
    assert_conforms(beyond)
    assert "page 4 is beyond" in beyond.json()["detail"]
