"""The tree and its metadata over real HTTP: entry shapes, listings and paging, paths, fields, tags, links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest
from lf_emulator.samples import LONG_NAME
from lf_emulator.testing import EmulatorServer

from tests.emulator.conftest import assert_conforms


def _all_pages(client: httpx.Client, first: httpx.Response) -> list[dict]:
    """Every item of a listing, following @odata.nextLink exactly as given."""
    items, response, seen = [], first, set()
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["value"]
        link = body.get("@odata.nextLink")
        if link is None:
            return items
        assert link not in seen
        seen.add(link)
        response = client.get(link)


def test_entry_shapes_by_type(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    docs = emulator_session.documents
    document = session_client.get(f"Entries/{docs['edoc_pdf']}")
    assert_conforms(document)
    body = document.json()
    assert body["@odata.type"] == "#Laserfiche.Repository.Document"
    assert body["electronicDocumentSize"] > 100
    assert "elecDocumentSize" not in body
    for name in (
        "isRecord",
        "isCheckedOut",
        "isUnderVersionControl",
        "isLocked",
        "lockedBy",
        "currentVersion",
    ):
        assert name in body
    assert "totalDocumentSize" not in body
    sized = session_client.get(f"Entries/{docs['edoc_pdf']}", params={"includeTotalSize": "true"}).json()
    assert sized["totalDocumentSize"] >= sized["electronicDocumentSize"]
    locked = session_client.get(f"Entries/{docs['locked']}").json()
    assert locked["isLocked"] is True
    assert locked["isLockedByAnotherUser"] is True
    assert locked["lockedBy"]
    folder = session_client.get(f"Entries/{docs['folder']}", params={"includeChildInfo": "true"})
    assert_conforms(folder)
    assert folder.json()["@odata.type"] == "#Laserfiche.Repository.Folder"
    assert folder.json()["childInfo"] == {
        "hasChildren": True,
        "childCount": 4,
        "folderCount": 0,
        "documentCount": 4,
        "shortcutCount": 0,
    }
    assert "childInfo" not in session_client.get(f"Entries/{docs['folder']}").json()
    shortcut = session_client.get(f"Entries/{docs['edoc_shortcut']}")
    assert_conforms(shortcut)
    assert shortcut.json()["targetId"] == docs["edoc_pdf"]
    assert shortcut.json()["targetType"] == "Document"
    assert shortcut.json()["extension"] == "pdf"
    record_folder = session_client.get(f"Entries/{docs['record_folder']}").json()
    assert record_folder["isRecordFolder"] is True
    assert record_folder["isUnderRecordSeries"] is True
    series = session_client.get(f"Entries/{docs['record_series']}").json()
    assert series["@odata.type"] == "#Laserfiche.Repository.RecordSeries"
    templated = session_client.get(f"Entries/{docs['all_fields']}").json()
    assert templated["templateName"] == "Project"
    assert templated["templateId"] == 102
    assert "Review Time" in templated["templateFieldNames"]


def test_get_entry_select(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    response = session_client.get(
        f"Entries/{emulator_session.documents['edoc_pdf']}", params={"$select": "pageCount,extension"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"@odata.context", "@odata.type", "id", "name", "entryType", "pageCount", "extension"}
    bad = session_client.get("Entries/1", params={"$select": "nope"})
    assert bad.status_code == 400


def test_list_entries_is_not_converted_to_subtypes(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    docs = emulator_session.documents
    response = session_client.get(f"Entries/{docs['electronic_folder']}/Folder/Children")
    assert_conforms(response)
    value = response.json()["value"]
    assert [e["name"] for e in value] == [
        "Empty Document",
        "Large Archive",
        "Meeting Notes",
        "Policy Handbook",
    ]
    assert [e["rowNumber"] for e in value] == [1, 2, 3, 4]
    for entry in value:
        assert entry["@odata.type"] == "#Laserfiche.Repository.Document"
        assert entry["fullPath"] == "\\Electronic\\" + entry["name"]
        for name in ("extension", "electronicDocumentSize", "isElectronicDocument", "mimeType", "pageCount"):
            assert name not in entry
    selected = session_client.get(
        f"Entries/{docs['electronic_folder']}/Folder/Children",
        params={"$select": "name,electronicDocumentSize,extension,childInfo"},
    ).json()["value"]
    policy = next(e for e in selected if e["name"] == "Policy Handbook")
    assert policy["extension"] == "pdf"
    assert policy["electronicDocumentSize"] > 100
    assert set(policy) == {
        "@odata.type",
        "id",
        "name",
        "entryType",
        "rowNumber",
        "extension",
        "electronicDocumentSize",
    }


def test_list_entries_groups_orders_and_counts(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    docs = emulator_session.documents
    grouped = session_client.get(
        f"Entries/{docs['projects_folder']}/Folder/Children",
        params={"groupByEntryType": "true", "$count": "true"},
    ).json()
    assert [e["entryType"] for e in grouped["value"]] == ["Folder", "Folder", "Shortcut"]
    assert grouped["@odata.count"] == 3
    ordered = session_client.get(
        f"Entries/{docs['folder']}/Folder/Children", params={"$orderby": "name desc"}
    ).json()["value"]
    names = [e["name"] for e in ordered]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert (
        session_client.get(f"Entries/{docs['folder']}/Folder/Children", params={"$orderby": "x"}).status_code
        == 400
    )
    assert session_client.get(f"Entries/{docs['one_page']}/Folder/Children").status_code == 400
    missing = session_client.get("Entries/99999/Folder/Children")
    assert missing.status_code == 404
    assert_conforms(missing)


def test_list_entries_fields_first_value_only(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    docs = emulator_session.documents
    response = session_client.get(
        f"Entries/{docs['folder']}/Folder/Children",
        params=[("fields", "Line Items"), ("fields", "Vendor"), ("fields", "Nope")],
    )
    assert response.status_code == 200
    invoice = next(e for e in response.json()["value"] if e["id"] == docs["one_page"])
    by_name = {f["name"]: f for f in invoice["fields"]}
    assert by_name["Line Items"]["values"] == ["Paper"]
    assert by_name["Line Items"]["hasMoreValues"] is True
    assert by_name["Vendor"]["values"] == ["Acme Corp"]
    report = next(e for e in response.json()["value"] if e["id"] == docs["forty_pages"])
    assert report["fields"] == []
    too_many = [("fields", f"f{i}") for i in range(11)]
    assert session_client.get(f"Entries/{docs['folder']}/Folder/Children", params=too_many).status_code == 400


@pytest.mark.emulator_config(synthetic_entries=400)
def test_paging_next_link_maxpagesize_top_skip(client: httpx.Client, emulator: EmulatorServer) -> None:
    batch = next(
        e["id"]
        for e in client.get(f"Entries/{emulator.documents['synthetic_folder']}/Folder/Children").json()[
            "value"
        ]
        if e["name"] == "Batch 0001"
    )
    whole = client.get(f"Entries/{batch}/Folder/Children", params={"$top": 150}).json()["value"]
    assert len(whole) == 99
    first = client.get(f"Entries/{batch}/Folder/Children", headers={"Prefer": "maxpagesize=10"})
    assert first.headers["Preference-Applied"] == "odata.maxpagesize=10"
    assert len(first.json()["value"]) == 10
    link = first.json()["@odata.nextLink"]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == emulator.origin
    assert "$skiptoken=" in link
    assert "$skip=" not in link
    paged = _all_pages(
        httpx.Client(headers={"Authorization": f"Bearer {emulator.token}", "Prefer": "maxpagesize=10"}),
        first,
    )
    assert [e["id"] for e in paged] == [e["id"] for e in whole]
    assert [e["rowNumber"] for e in paged] == list(range(1, 100))
    # $top caps the whole listing, across pages; $skip starts later.
    capped = _all_pages(
        client,
        client.get(
            f"Entries/{batch}/Folder/Children",
            params={"$top": 25, "$skip": 5},
            headers={"Prefer": "maxpagesize=10"},
        ),
    )
    assert [e["id"] for e in capped] == [e["id"] for e in whole[5:30]]
    # Default page size is 150: the synthetic folder with its batch folders fits one page.
    assert client.get(f"Entries/{batch}/Folder/Children", params={"$top": 151}).status_code == 400
    assert (
        client.get(f"Entries/{batch}/Folder/Children", params={"$skiptoken": "garbage!"}).status_code == 400
    )


def test_get_entry_by_path(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    docs = emulator_session.documents
    found = session_client.get("Entries/ByPath", params={"fullPath": "\\projects\\2023\\Q4\\Budget Q4"})
    assert found.status_code == 200, found.text
    assert_conforms(found)
    assert found.json()["entry"]["id"] == docs["all_fields"]
    assert found.json()["ancestorEntry"] is None
    root = session_client.get("Entries/ByPath", params={"fullPath": "\\"}).json()
    assert root["entry"]["id"] == docs["root"]
    missing = session_client.get("Entries/ByPath", params={"fullPath": "\\Projects\\2023\\Nope\\Deeper"})
    assert missing.status_code == 404
    fallback = session_client.get(
        "Entries/ByPath",
        params={"fullPath": "\\Projects\\2023\\Nope\\Deeper", "fallbackToClosestAncestor": "true"},
    )
    assert fallback.status_code == 200
    assert fallback.json()["entry"] is None
    assert fallback.json()["ancestorEntry"]["id"] == docs["year_folder"]
    hostile = session_client.get("Entries/ByPath", params={"fullPath": f"\\Odd Names\\{LONG_NAME}"})
    assert hostile.json()["entry"]["id"] == docs["long_name"]


def test_hostile_names(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    docs = emulator_session.documents
    names = {
        e["name"]
        for e in session_client.get(f"Entries/{docs['odd_names_folder']}/Folder/Children").json()["value"]
    }
    assert 'Q3 <draft>: "final"? a|b*c/d' in names
    assert "Trailing dot." in names
    assert "Trailing space " in names
    assert "CON" in names
    assert LONG_NAME in names
    assert len(LONG_NAME) > 240
    loop = session_client.get(f"Entries/{docs['loop_shortcut']}").json()
    assert loop["targetId"] == docs["projects_folder"]
    assert loop["fullPath"].startswith("\\Projects\\")


def test_list_fields_every_type_all_values(
    session_client: httpx.Client, emulator_session: EmulatorServer
) -> None:
    response = session_client.get(f"Entries/{emulator_session.documents['all_fields']}/Fields")
    assert_conforms(response)
    fields = {f["name"]: f for f in response.json()["value"]}
    assert {f["fieldType"] for f in fields.values()} == {
        "DateTime",
        "Blob",
        "Date",
        "ShortInteger",
        "LongInteger",
        "List",
        "Number",
        "String",
        "Time",
    }
    assert fields["Reviewers"]["isMultiValue"] is True
    assert fields["Reviewers"]["values"] == ["Ann", "Bob", "Chloé"]
    assert fields["Reviewers"]["hasMoreValues"] is False
    assert fields["Reviewers"]["groupId"] == fields["Milestones"]["groupId"] is not None
    assert fields["Status"]["isRequired"] is True
    assert re.fullmatch(r"\d\d:\d\d:\d\d", fields["Review Time"]["values"][0])
    paged = session_client.get(
        f"Entries/{emulator_session.documents['all_fields']}/Fields", headers={"Prefer": "maxpagesize=5"}
    ).json()
    assert len(paged["value"]) == 5
    assert "@odata.nextLink" in paged
    assert (
        session_client.get(f"Entries/{emulator_session.documents['forty_pages']}/Fields").json()["value"]
        == []
    )


def test_list_tags_and_links(session_client: httpx.Client, emulator_session: EmulatorServer) -> None:
    docs = emulator_session.documents
    tags = session_client.get(f"Entries/{docs['annotated']}/Tags")
    assert_conforms(tags)
    by_name = {t["name"]: t for t in tags.json()["value"]}
    assert set(by_name) == {"Confidential", "LegalHold"}
    assert by_name["Confidential"]["isSecure"] is True
    assert by_name["Confidential"]["watermark"]["text"] == "CONFIDENTIAL"
    assert by_name["LegalHold"]["watermark"] is None
    assert by_name["LegalHold"]["displayName"] == "Legal Hold"
    links = session_client.get(f"Entries/{docs['annotated']}/Links")
    assert_conforms(links)
    (link,) = links.json()["value"]
    assert link["sourceId"] == docs["one_page"]
    assert link["targetId"] == docs["annotated"]
    assert link["sourceFullPath"] == "\\Invoices\\Invoice 1001"
    assert link["targetLink"] == emulator_session.api_url(f"Entries/{docs['annotated']}")
    assert link["customProperties"] == {"reason": "payment terms"}
    assert session_client.get("Entries/99999/Links").status_code == 404
