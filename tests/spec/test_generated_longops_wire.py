"""Copy, delete, listings, metadata and search: the wire shapes through the generated client.

Every body here is what the wire contract and the Long Operations guide show; the generated models must
send and read exactly these names.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from lf_repository_v2 import AuthenticatedClient
from lf_repository_v2.api.entries import (
    get_entry,
    get_entry_by_path,
    list_entries,
    list_fields,
    list_links,
    list_tags,
    start_copy_entry,
    start_delete_entry,
)
from lf_repository_v2.api.searches import list_search_results, start_search_entry
from lf_repository_v2.models import (
    Document,
    DocumentEntryType,
    EntryCollectionResponse,
    Field,
    FieldCollectionResponse,
    FieldType,
    Folder,
    FolderChildInfo,
    FuzzyType,
    GetEntryByPathResponse,
    LinkCollectionResponse,
    LinkCustomProperties,
    ProblemDetails,
    RecordSeries,
    Shortcut,
    StartCopyEntryRequest,
    StartDeleteEntryRequest,
    StartSearchEntryRequest,
    StartTaskResponse,
    TagCollectionResponse,
    TagDefinitionWatermark,
    TaskCollectionResponse,
    TaskStatus,
    TaskType,
)
from lf_repository_v2.types import UNSET
from openapi_schema_validator import OAS30Validator

BASE = "https://api.laserfiche.com/repository"
SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "openapi" / "laserfiche-repository-v2.yaml").read_text(
        encoding="utf-8"
    )
)
PATHS = SPEC["paths"]
ROOT = "/v2/Repositories/{repositoryId}"


def _client(handler: Any) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url=BASE, token="t0k3n")
    client.set_httpx_client(httpx.Client(base_url=BASE, transport=httpx.MockTransport(handler)))
    return client


def _recorder(status: int, body: Any) -> tuple[list[httpx.Request], Any]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body)

    return seen, handler


GUIDE_202 = {
    "@odata.context": "https://api.laserfiche.com/repository/v2/$metadata#Laserfiche.Repository.StartTaskResponse",
    "taskId": "4a250850-41a4-4e31-8cef-0feb57a344ea",
}


def test_copy_request_is_the_guides_worked_example_and_the_202_parses() -> None:
    copy_op = PATHS[f"{ROOT}/Entries/{{entryId}}/Folder/CopyAsync"]["post"]
    guide_body = copy_op["requestBody"]["content"]["application/json"]["examples"]["guideSample"]["value"]
    assert guide_body == {"sourceId": 9, "name": "CopiedEntry", "autoRename": True}
    assert copy_op["responses"]["202"]["content"]["application/json"]["example"] == GUIDE_202

    seen, handler = _recorder(202, GUIDE_202)
    body = StartCopyEntryRequest(source_id=9, name="CopiedEntry", auto_rename=True)
    response = start_copy_entry.sync_detailed("r-abc123", 2161934, client=_client(handler), body=body)
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == "/repository/v2/Repositories/r-abc123/Entries/2161934/Folder/CopyAsync"
    assert json.loads(request.content) == guide_body
    assert isinstance(response.parsed, StartTaskResponse)
    assert response.parsed.task_id == uuid.UUID("4a250850-41a4-4e31-8cef-0feb57a344ea")
    # The guide's 202 has @odata.context but no @odata.type.
    assert response.parsed.additional_properties == {"@odata.context": GUIDE_202["@odata.context"]}


def test_copy_request_sends_no_null_and_only_what_was_set() -> None:
    minimal = StartCopyEntryRequest(source_id=2161949, name="Copy", auto_rename=UNSET).to_dict()
    assert minimal == {"sourceId": 2161949, "name": "Copy"}
    with_volume = StartCopyEntryRequest(source_id=1, name="x", volume_name="DEFAULT").to_dict()
    assert with_volume["volumeName"] == "DEFAULT"
    assert with_volume["autoRename"] is False  # the spec's default, filled in by the generator
    schema = SPEC["components"]["schemas"]["StartCopyEntryRequest"]
    assert schema["required"] == ["sourceId", "name"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["name"]["minLength"] == 1
    assert schema["properties"]["autoRename"]["default"] is False
    assert schema["properties"]["volumeName"]["nullable"] is True


def test_delete_with_an_audit_reason_and_without_a_body() -> None:
    started = {"taskId": "5b3c1e0a-8d2f-4c71-9a6e-2f0d7c4b8e13"}
    seen, handler = _recorder(202, started)
    body = StartDeleteEntryRequest(audit_reason_id=2, audit_reason_comment="Retention period ended.")
    response = start_delete_entry.sync_detailed("r-abc123", 2161935, client=_client(handler), body=body)
    response_bare = start_delete_entry.sync_detailed("r-abc123", 2161935, client=_client(handler))
    with_reason, bare = seen
    assert with_reason.method == "DELETE"
    assert with_reason.url.path == "/repository/v2/Repositories/r-abc123/Entries/2161935"
    reason = {"auditReasonId": 2, "auditReasonComment": "Retention period ended."}
    assert json.loads(with_reason.content) == reason
    assert bare.content == b""
    for parsed in (response.parsed, response_bare.parsed):
        assert isinstance(parsed, StartTaskResponse)
        assert parsed.task_id == uuid.UUID(started["taskId"])
    assert StartDeleteEntryRequest().to_dict() == {}
    assert SPEC["components"]["schemas"]["StartDeleteEntryRequest"]["additionalProperties"] is False
    assert PATHS[f"{ROOT}/Entries/{{entryId}}"]["delete"]["requestBody"]["required"] is False


def test_guide_list_tasks_answer_for_the_copy_with_seven_fractional_digits() -> None:
    sample = PATHS[f"{ROOT}/Tasks"]["get"]["responses"]["200"]["content"]["application/json"]["examples"][
        "completedCopy"
    ]["value"]
    (task,) = TaskCollectionResponse.from_dict(sample).value
    assert task.task_type is TaskType.COPYENTRY
    assert task.status is TaskStatus.COMPLETED
    assert task.start_time is not None
    assert task.start_time is not UNSET
    assert (task.start_time.second, task.start_time.microsecond) == (20, 523273)
    assert task.result is not None
    assert not isinstance(task.result, type(UNSET))
    assert task.result.entry_id == 2161935
    assert task.result.uri == "https://api.laserfiche.com/repository/v2/Repositories/r-abc123/Entries/2161935"


def test_long_operation_status_codes_are_declared() -> None:
    copy_op = PATHS[f"{ROOT}/Entries/{{entryId}}/Folder/CopyAsync"]["post"]
    delete_op = PATHS[f"{ROOT}/Entries/{{entryId}}"]["delete"]
    assert copy_op["operationId"] == "StartCopyEntry"
    assert delete_op["operationId"] == "StartDeleteEntry"
    assert set(copy_op["responses"]) == {"202", "400", "401", "403", "404", "413", "429", "500"}
    assert set(delete_op["responses"]) >= {"202", "400", "401", "403", "404", "429", "500"}
    types = SPEC["components"]["schemas"]["TaskType"]["enum"]
    assert types == ["CopyEntry", "DeleteEntry", "ExportEntry", "ImportUploadedParts", "SearchEntry"]


GET_ENTRY_EXAMPLES = PATHS[f"{ROOT}/Entries/{{entryId}}"]["get"]["responses"]["200"]["content"][
    "application/json"
]["examples"]


def test_folder_with_child_info_and_get_entry_query_parameters() -> None:
    seen, handler = _recorder(200, GET_ENTRY_EXAMPLES["folderWithChildInfo"]["value"])
    response = get_entry.sync_detailed(
        "r-abc123",
        2161934,
        client=_client(handler),
        select="id,name,childInfo",
        include_child_info=True,
        include_total_size=False,
    )
    (request,) = seen
    assert request.url.path == "/repository/v2/Repositories/r-abc123/Entries/2161934"
    assert dict(request.url.params) == {
        "$select": "id,name,childInfo",
        "includeChildInfo": "true",
        "includeTotalSize": "false",
    }
    folder = response.parsed
    assert isinstance(folder, Folder)
    assert isinstance(folder.child_info, FolderChildInfo)
    info = folder.child_info
    assert (
        info.has_children,
        info.child_count,
        info.folder_count,
        info.document_count,
        info.shortcut_count,
    ) == (
        True,
        12,
        2,
        9,
        1,
    )
    assert folder.full_path == "\\Invoices"
    assert folder.folder_path == "\\"
    assert (
        Folder.from_dict({"id": 1, "name": "", "entryType": "Folder", "childInfo": None}).child_info is None
    )


def test_document_with_electronic_document_size() -> None:
    _seen, handler = _recorder(200, GET_ENTRY_EXAMPLES["document"]["value"])
    document = get_entry.sync_detailed("r-abc123", 2161949, client=_client(handler)).parsed
    assert isinstance(document, Document)
    assert document.electronic_document_size == 482133
    assert document.total_document_size == 1630211
    assert (document.extension, document.mime_type, document.is_electronic_document) == (
        "pdf",
        "application/pdf",
        True,
    )
    # V1's name is not read as the size: it stays an unknown member.
    v1 = Document.from_dict({"id": 7, "name": "old", "entryType": "Document", "elecDocumentSize": 5})
    assert v1.electronic_document_size is UNSET
    assert v1.additional_properties == {"elecDocumentSize": 5}
    assert Document(
        id=7, name="n", entry_type=DocumentEntryType.DOCUMENT, electronic_document_size=2**40
    ).to_dict() == {
        "id": 7,
        "name": "n",
        "entryType": "Document",
        "electronicDocumentSize": 2**40,
    }


@pytest.mark.parametrize(
    ("entry_type", "model"),
    [("Folder", Folder), ("RecordSeries", RecordSeries), ("Document", Document), ("Shortcut", Shortcut)],
)
def test_the_entry_union_dispatches_on_entry_type(entry_type: str, model: type) -> None:
    body = {
        "@odata.type": f"#Laserfiche.Repository.{entry_type}",
        "id": 5,
        "name": "x",
        "entryType": entry_type,
    }
    _seen, handler = _recorder(200, body)
    parsed = get_entry.sync_detailed("r-abc123", 5, client=_client(handler)).parsed
    assert type(parsed) is model
    assert parsed.odata_type == f"#Laserfiche.Repository.{entry_type}"
    assert parsed.to_dict() == body


def test_the_entry_union_is_closed_an_unknown_entry_type_does_not_parse() -> None:
    # Each member's entryType is a one-value enum: that is what makes the generated trial parse dispatch.
    # The price: a type no member knows is an error, not a fifth kind of entry.
    _seen, handler = _recorder(200, {"id": 5, "name": "x", "entryType": "Portal"})
    with pytest.raises(ValueError, match="Portal"):
        get_entry.sync_detailed("r-abc123", 5, client=_client(handler))
    entry = SPEC["components"]["schemas"]["Entry"]
    assert entry["discriminator"]["propertyName"] == "entryType"
    assert set(entry["discriminator"]["mapping"]) == {"Folder", "RecordSeries", "Document", "Shortcut"}


def test_entry_property_names_are_the_sheets() -> None:
    schemas = SPEC["components"]["schemas"]

    def names(schema: str) -> set[str]:
        node = schemas[schema]
        parts = [node, *node.get("allOf", [])]
        return {name for part in parts for name in part.get("properties", {})}

    common = {
        "id", "name", "parentId", "fullPath", "folderPath", "creator", "creationTime", "lastModifiedTime",
        "isContainer", "isLeaf", "templateName", "templateId", "templateFieldNames", "volumeName",
        "rowNumber", "fields", "@odata.type",
    }  # fmt: skip
    assert names("EntryBase") == common
    assert names("Document") == {
        "entryType", "pageCount", "extension", "isElectronicDocument", "electronicDocumentSize", "mimeType",
        "isRecord", "isCheckedOut", "isUnderVersionControl", "totalDocumentSize", "isLocked", "lockedBy",
        "isLockedByAnotherUser", "currentVersion", "checkedOutBy", "isCheckedOutByAnotherUser",
    }  # fmt: skip
    assert names("Folder") == {"entryType", "isRecordFolder", "isUnderRecordSeries", "childInfo"}
    assert names("Shortcut") == {"entryType", "targetId", "targetType", "extension"}
    assert names("RecordSeries") == {"entryType"}
    assert set(schemas["FolderChildInfo"]["properties"]) == {
        "hasChildren", "childCount", "folderCount", "documentCount", "shortcutCount",
    }  # fmt: skip
    assert schemas["FolderChildInfo"]["properties"]["childCount"]["format"] == "int64"
    size = schemas["Document"]["allOf"][1]["properties"]["electronicDocumentSize"]
    assert (size["type"], size["format"]) == ("integer", "int64")
    assert "elecDocumentSize" not in json.dumps(SPEC["paths"])


def _example(path: str, name: str | None = None) -> Any:
    content = PATHS[f"{ROOT}{path}"]["get"]["responses"]["200"]["content"]["application/json"]
    return content["example"] if name is None else content["examples"][name]["value"]


def test_list_entries_page_with_next_link_parses_into_entry_subtypes() -> None:
    page = _example("/Entries/{entryId}/Folder/Children")
    seen, handler = _recorder(200, page)
    response = list_entries.sync_detailed(
        "r-abc123",
        2161934,
        client=_client(handler),
        fields=["Vendor", "Invoice Number"],
        select="id,name,entryType,extension,electronicDocumentSize,pageCount",
        orderby="name asc",
        top=2,
        count=True,
        group_by_entry_type=True,
        prefer="maxpagesize=2",
    )
    (request,) = seen
    assert request.url.path == "/repository/v2/Repositories/r-abc123/Entries/2161934/Folder/Children"
    assert request.url.params.get_list("fields") == ["Vendor", "Invoice Number"]
    assert request.url.params["$select"] == "id,name,entryType,extension,electronicDocumentSize,pageCount"
    assert (request.url.params["$orderby"], request.url.params["$top"], request.url.params["$count"]) == (
        "name asc",
        "2",
        "true",
    )
    assert request.url.params["groupByEntryType"] == "true"
    assert request.headers["Prefer"] == "maxpagesize=2"
    parsed = response.parsed
    assert isinstance(parsed, EntryCollectionResponse)
    assert parsed.odata_next_link == page["@odata.nextLink"]
    assert "$skiptoken=" in parsed.odata_next_link
    assert parsed.odata_count == 12
    folder, document = parsed.value
    assert isinstance(folder, Folder)
    assert isinstance(document, Document)
    assert (folder.row_number, document.row_number) == (1, 2)
    assert folder.odata_type == "#Laserfiche.Repository.Folder"
    assert document.electronic_document_size == 482133
    assert isinstance(document.fields, list)
    (vendor,) = document.fields
    assert (vendor.name, vendor.field_type, vendor.values, vendor.has_more_values) == (
        "Vendor",
        FieldType.STRING,
        ["Acme Corp"],
        True,
    )
    # A listed document without $select lacks the Document-only members: they are optional.
    bare = EntryCollectionResponse.from_dict(
        {
            "value": [
                {
                    "@odata.type": "#Laserfiche.Repository.Document",
                    "id": 9,
                    "name": "d",
                    "entryType": "Document",
                }
            ]
        }
    ).value[0]
    assert isinstance(bare, Document)
    assert bare.electronic_document_size is UNSET
    assert bare.page_count is UNSET


def test_list_entries_last_page_and_search_style_null_paths() -> None:
    last = EntryCollectionResponse.from_dict(
        {
            "value": [
                {
                    "id": 3,
                    "name": "s",
                    "entryType": "Shortcut",
                    "fullPath": None,
                    "folderPath": None,
                    "targetId": 9,
                },
                {"id": 4, "name": "r", "entryType": "RecordSeries", "rowNumber": 151},
            ]
        }
    )
    assert last.odata_next_link is UNSET
    shortcut, series = last.value
    assert isinstance(shortcut, Shortcut)
    assert shortcut.full_path is None
    assert shortcut.target_id == 9
    assert isinstance(series, RecordSeries)


def test_get_entry_by_path_found_and_fallback() -> None:
    seen, handler = _recorder(200, _example("/Entries/ByPath", "found"))
    found = get_entry_by_path.sync_detailed(
        "r-abc123",
        client=_client(handler),
        full_path="\\Invoices\\Invoice 2023-117",
        fallback_to_closest_ancestor=False,
    ).parsed
    (request,) = seen
    assert request.url.path == "/repository/v2/Repositories/r-abc123/Entries/ByPath"
    assert request.url.params["fullPath"] == "\\Invoices\\Invoice 2023-117"
    assert request.url.params["fallbackToClosestAncestor"] == "false"
    assert isinstance(found, GetEntryByPathResponse)
    assert isinstance(found.entry, Document)
    assert found.ancestor_entry is None
    fallback = GetEntryByPathResponse.from_dict(_example("/Entries/ByPath", "fallback"))
    assert fallback.entry is None
    assert isinstance(fallback.ancestor_entry, Folder)
    assert fallback.ancestor_entry.full_path == "\\Invoices"
    assert (
        GetEntryByPathResponse.from_dict(
            {"entry": {"id": 1, "name": "", "entryType": "Folder"}}
        ).ancestor_entry
        is UNSET
    )


def test_fields_tags_and_links_pages() -> None:
    seen, handler = _recorder(200, _example("/Entries/{entryId}/Fields"))
    fields = list_fields.sync_detailed("r-abc123", 2161949, client=_client(handler), top=100).parsed
    assert seen[0].url.path == "/repository/v2/Repositories/r-abc123/Entries/2161949/Fields"
    assert isinstance(fields, FieldCollectionResponse)
    number, vendor, date = fields.value
    assert (number.id, number.is_required, number.group_id) == (14, True, None)
    assert vendor.values == ["Acme Corp", "Acme Europe GmbH"]
    assert date.field_type is FieldType.DATE
    assert Field.from_dict({"name": "x", "fieldType": "Geo"}).field_type == "Geo"

    seen, handler = _recorder(200, _example("/Entries/{entryId}/Tags"))
    tags = list_tags.sync_detailed("r-abc123", 2161949, client=_client(handler)).parsed
    assert seen[0].url.path == "/repository/v2/Repositories/r-abc123/Entries/2161949/Tags"
    assert isinstance(tags, TagCollectionResponse)
    secure, paid = tags.value
    assert isinstance(secure.watermark, TagDefinitionWatermark)
    assert secure.watermark.text == "CONFIDENTIAL"
    assert (secure.is_secure, secure.display_name) == (True, "Confidential")
    assert paid.watermark is None

    seen, handler = _recorder(200, _example("/Entries/{entryId}/Links"))
    links = list_links.sync_detailed("r-abc123", 2161949, client=_client(handler)).parsed
    assert seen[0].url.path == "/repository/v2/Repositories/r-abc123/Entries/2161949/Links"
    assert isinstance(links, LinkCollectionResponse)
    (link,) = links.value
    assert (link.source_id, link.target_id, link.link_definition_id) == (2161949, 2161951, 2)
    assert isinstance(link.custom_properties, LinkCustomProperties)
    assert link.custom_properties.additional_properties == {"reviewed": "yes"}
    assert link.to_dict()["customProperties"] == {"reviewed": "yes"}


def test_paging_parameters_are_bounded_as_the_sheet_says() -> None:
    params = SPEC["components"]["parameters"]
    assert (params["top"]["schema"]["minimum"], params["top"]["schema"]["maximum"]) == (1, 150)
    assert params["fields"]["schema"]["maxItems"] == 10
    assert (params["fields"]["style"], params["fields"]["explode"]) == ("form", True)
    assert params["preferMaxPageSize"]["in"] == "header"
    schema = {"type": "string", "pattern": params["orderby"]["schema"]["pattern"]}
    validator = OAS30Validator(schema)
    assert validator.is_valid("name asc")
    assert validator.is_valid("entryType desc,name asc")
    assert validator.is_valid("a,b,c,d,e")
    assert not validator.is_valid("a,b,c,d,e,f")
    for path in (
        "/Entries/{entryId}/Folder/Children",
        "/Entries/{entryId}/Fields",
        "/Entries/{entryId}/Tags",
    ):
        refs = {p["$ref"].rsplit("/", 1)[-1] for p in PATHS[f"{ROOT}{path}"]["get"]["parameters"]}
        assert {"select", "orderby", "top", "skip", "count", "preferMaxPageSize"} <= refs, path


SEARCH_ID = uuid.UUID("0d2c5a9e-6f1b-4e8a-b3c7-9a4e1f2d6b80")


def test_start_search_sends_the_command_and_the_fuzzy_options() -> None:
    search_op = PATHS[f"{ROOT}/Searches/SearchAsync"]["post"]
    examples = search_op["requestBody"]["content"]["application/json"]["examples"]
    seen, handler = _recorder(202, {"taskId": str(SEARCH_ID)})
    body = StartSearchEntryRequest(
        search_command='({LF:Basic ~= "purchase order", option="DFANLT"})',
        fuzzy_type=FuzzyType.PERCENTAGE,
        fuzzy_factor=20,
    )
    response = start_search_entry.sync_detailed("r-abc123", client=_client(handler), body=body)
    (request,) = seen
    assert (request.method, request.url.path) == (
        "POST",
        "/repository/v2/Repositories/r-abc123/Searches/SearchAsync",
    )
    assert json.loads(request.content) == examples["fullText"]["value"]
    assert isinstance(response.parsed, StartTaskResponse)
    assert response.parsed.task_id == SEARCH_ID
    command = examples["byName"]["value"]["searchCommand"]
    assert StartSearchEntryRequest(search_command=command).to_dict() == {"searchCommand": command}
    assert command.endswith('{LF:LOOKIN="\\Invoices"}')
    schema = SPEC["components"]["schemas"]["StartSearchEntryRequest"]
    assert (schema["required"], schema["additionalProperties"]) == (["searchCommand"], False)
    assert schema["properties"]["searchCommand"]["minLength"] == 1
    assert SPEC["components"]["schemas"]["FuzzyType"]["enum"] == ["None", "Percentage", "NumberOfLetters"]


def test_search_results_page_and_unknown_task() -> None:
    page = _example("/Searches/{taskId}/Results")
    seen, handler = _recorder(200, page)
    response = list_search_results.sync_detailed(
        "r-abc123",
        SEARCH_ID,
        client=_client(handler),
        refresh=True,
        fields=["Vendor"],
        prefer="maxpagesize=1",
    )
    (request,) = seen
    assert request.url.path == f"/repository/v2/Repositories/r-abc123/Searches/{SEARCH_ID}/Results"
    assert request.url.params["refresh"] == "true"
    assert request.url.params.get_list("fields") == ["Vendor"]
    assert request.headers["Prefer"] == "maxpagesize=1"
    parsed = response.parsed
    assert isinstance(parsed, EntryCollectionResponse)
    (document,) = parsed.value
    assert isinstance(document, Document)
    assert (document.full_path, document.folder_path) == (None, None)
    assert isinstance(parsed.odata_next_link, str)
    assert parsed.odata_next_link.startswith(
        "https://api.laserfiche.com/repository/v2/Repositories/r-abc123/"
    )

    problem = {"title": "Task with requested taskId was not found.", "status": 404}
    _seen, handler = _recorder(404, problem)
    missing = list_search_results.sync_detailed("r-abc123", SEARCH_ID, client=_client(handler))
    assert isinstance(missing.parsed, ProblemDetails)
    assert missing.parsed.title == problem["title"]
    responses = PATHS[f"{ROOT}/Searches/{{taskId}}/Results"]["get"]["responses"]
    assert responses["404"]["$ref"].endswith("/TaskNotFound")


def test_guide_search_task_result_is_entry_zero_and_the_results_url() -> None:
    task = TaskCollectionResponse.from_dict(
        {
            "value": [
                {
                    "id": str(SEARCH_ID),
                    "taskType": "SearchEntry",
                    "status": "Completed",
                    "percentComplete": 100,
                    "startTime": "2023-09-07T14:12:26.6577411Z",
                    "lastUpdateTime": "2023-09-07T14:12:27.0000001Z",
                    "errors": [],
                    "result": {
                        "entryId": 0,
                        "uri": f"https://api.laserfiche.com/repository/v2/Repositories/r-abc123/Searches/{SEARCH_ID}/Results",
                    },
                }
            ]
        }
    ).value[0]
    assert task.task_type is TaskType.SEARCHENTRY
    assert task.result is not None
    assert not isinstance(task.result, type(UNSET))
    assert task.result.entry_id == 0
    assert isinstance(task.result.uri, str)
    assert task.result.uri.endswith(f"/Searches/{SEARCH_ID}/Results")


def test_every_new_operation_has_the_vendor_operation_id_at_the_real_path() -> None:
    ops = {
        op["operationId"]: (method.upper(), path)
        for path, item in PATHS.items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    assert ops["StartCopyEntry"] == ("POST", f"{ROOT}/Entries/{{entryId}}/Folder/CopyAsync")
    assert ops["StartDeleteEntry"] == ("DELETE", f"{ROOT}/Entries/{{entryId}}")
    assert ops["ListEntries"] == ("GET", f"{ROOT}/Entries/{{entryId}}/Folder/Children")
    assert ops["GetEntryByPath"] == ("GET", f"{ROOT}/Entries/ByPath")
    assert ops["ListFields"] == ("GET", f"{ROOT}/Entries/{{entryId}}/Fields")
    assert ops["ListTags"] == ("GET", f"{ROOT}/Entries/{{entryId}}/Tags")
    assert ops["ListLinks"] == ("GET", f"{ROOT}/Entries/{{entryId}}/Links")
    assert ops["StartSearchEntry"] == ("POST", f"{ROOT}/Searches/SearchAsync")
    assert ops["ListSearchResults"] == ("GET", f"{ROOT}/Searches/{{taskId}}/Results")
