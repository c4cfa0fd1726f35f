"""The generated client speaks the exact wire format and parses the guides' samples and a newer server's."""

from __future__ import annotations

import datetime
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from lf_repository_v2 import AuthenticatedClient
from lf_repository_v2.api.entries import get_entry
from lf_repository_v2.api.tasks import cancel_tasks, list_tasks
from lf_repository_v2.models import (
    Document,
    EntryType,
    ExportEntryRequest,
    ExportPart,
    Folder,
    FolderEntryType,
    ImageExportOptions,
    ImageFormat,
    StartTaskResponse,
    TaskCollectionResponse,
    TaskStatus,
    TaskType,
    TextExportOptions,
    Watermark,
    WatermarkPosition,
)
from lf_repository_v2.types import UNSET

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "openapi" / "laserfiche-repository-v2.yaml").read_text(
        encoding="utf-8"
    )
)
TASKS_200 = SPEC["paths"]["/v2/Repositories/{repositoryId}/Tasks"]["get"]["responses"]["200"]["content"][
    "application/json"
]["examples"]


def test_request_body_uses_exact_wire_names_and_omits_unset_fields() -> None:
    body = ExportEntryRequest(
        part=ExportPart.IMAGE,
        image_options=ImageExportOptions(
            format_=ImageFormat.JPEG,
            j_peg_compression_level=30,
            watermark=Watermark(text="DRAFT", position=WatermarkPosition.TOPLEFT),
        ),
    ).to_dict()
    # The generator fills the spec's defaults into the model; what matters is the exact wire spelling and
    # that nothing is sent as null.
    image = body["imageOptions"]
    assert "jPEGCompressionLevel" in image
    assert image["jPEGCompressionLevel"] == 30
    assert "jpegCompressionLevel" not in json.dumps(body)
    assert None not in _all_values(body)
    assert body["part"] == "Image"
    assert image["watermark"]["text"] == "DRAFT"
    assert image["watermark"]["position"] == "TopLeft"
    assert "auditReasonId" not in body
    assert "textOptions" not in body


def test_only_part_is_required_and_unset_optionals_are_absent() -> None:
    assert ExportEntryRequest(part=ExportPart.EDOC).to_dict() == {"part": "Edoc"}
    text = ExportEntryRequest(
        part=ExportPart.TEXT, text_options=TextExportOptions(redaction_character="#")
    ).to_dict()
    assert text["textOptions"]["redactionCharacter"] == "#"
    assert None not in _all_values(text)
    only_format = ImageExportOptions(
        format_=ImageFormat.PDF,
        j_peg_compression_level=UNSET,
        include_annotations=UNSET,
        convert_pdf_annotations=UNSET,
        page_prefix=UNSET,
        include_redactions=UNSET,
    )
    assert only_format.to_dict() == {"format": "PDF"}


def _all_values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _all_values(value)] + list(node.values())
    if isinstance(node, list):
        return [v for item in node for v in _all_values(item)]
    return []


def _client(handler: Any) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url="https://api.laserfiche.com/repository", token="t0k3n")
    client.set_httpx_client(
        httpx.Client(base_url="https://api.laserfiche.com/repository", transport=httpx.MockTransport(handler))
    )
    return client


@pytest.mark.parametrize("operation", [list_tasks, cancel_tasks])
def test_task_ids_go_out_as_repeated_query_keys(operation: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"value": []})

    ids = [
        uuid.UUID("98b07b1d-2a0f-4f7e-843d-28335a7ddfa2"),
        uuid.UUID("4a250850-41a4-4e31-8cef-0feb57a344ea"),
    ]
    operation.sync_detailed("r-abc123", client=_client(handler), task_ids=ids)
    (request,) = seen
    assert request.url.path == "/repository/v2/Repositories/r-abc123/Tasks"
    assert request.url.params.get_list("taskIds") == [str(i) for i in ids]
    assert str(request.url).count("taskIds=") == 2


def test_guide_samples_parse_including_seven_fractional_digits() -> None:
    sample = TASKS_200["completedExport"]["value"]
    parsed = TaskCollectionResponse.from_dict(sample)
    (task,) = parsed.value
    assert task.id == uuid.UUID("98b07b1d-2a0f-4f7e-843d-28335a7ddfa2")
    assert task.status is TaskStatus.COMPLETED
    assert task.task_type is TaskType.EXPORTENTRY
    assert task.percent_complete == 100
    assert isinstance(task.last_update_time, datetime.datetime)
    assert task.last_update_time.utcoffset() == datetime.timedelta(0)
    assert (task.last_update_time.second, task.last_update_time.microsecond) == (32, 160265)
    assert task.result is not None
    assert not isinstance(task.result, type(None))
    assert task.result.to_dict()["uri"].startswith("https://storage.example.com/")
    assert parsed.additional_properties["@odata.context"].endswith("#Tasks")

    copy = TaskCollectionResponse.from_dict(TASKS_200["completedCopy"]["value"]).value[0]
    assert copy.task_type is TaskType.COPYENTRY

    failed = TaskCollectionResponse.from_dict(TASKS_200["failedExport"]["value"]).value[0]
    assert failed.status is TaskStatus.FAILED
    assert failed.result is None
    assert isinstance(failed.errors, list)
    assert failed.errors[0].error_code == 216

    started = StartTaskResponse.from_dict(
        {
            "@odata.context": "https://api.laserfiche.com/repository/v2/$metadata#Repositories('r-abc123')/x",
            "@odata.type": "#Laserfiche.Repository.StartTaskResponse",
            "taskId": "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2",
        }
    )
    assert started.task_id == uuid.UUID("98b07b1d-2a0f-4f7e-843d-28335a7ddfa2")
    assert started.additional_properties["@odata.type"] == "#Laserfiche.Repository.StartTaskResponse"


def test_unknown_status_type_and_members_from_a_newer_server_do_not_crash() -> None:
    parsed = TaskCollectionResponse.from_dict(
        {
            "value": [
                {
                    "id": "98b07b1d-2a0f-4f7e-843d-28335a7ddfa2",
                    "taskType": "ArchiveEntry",
                    "status": "Paused",
                    "percentComplete": 10,
                    "someNewMember": {"nested": True},
                }
            ],
            "@odata.count": 1,
        }
    )
    task = parsed.value[0]
    assert task.status == "Paused"
    assert not isinstance(task.status, TaskStatus)
    assert task.task_type == "ArchiveEntry"
    assert task.additional_properties == {"someNewMember": {"nested": True}}


def test_entry_samples_parse_into_their_union_member() -> None:
    examples = SPEC["paths"]["/v2/Repositories/{repositoryId}/Entries/{entryId}"]["get"]["responses"]["200"][
        "content"
    ]["application/json"]["examples"]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=examples[request.url.params["example"]]["value"])

    client = _client(handler)

    def get(example: str) -> Any:
        # The example name rides along as an extra query key only so that one handler can serve them all.
        client.get_httpx_client().params = httpx.QueryParams({"example": example})
        return get_entry.sync_detailed("r-abc123", 1, client=client).parsed

    folder = get("folder")
    assert isinstance(folder, Folder)
    assert folder.entry_type is FolderEntryType.FOLDER
    assert folder.name == "CopiedEntry"
    assert folder.is_record_folder is False
    assert folder.additional_properties["@odata.context"].endswith("Laserfiche.Repository.Folder/$entity")
    document = get("document")
    assert isinstance(document, Document)
    assert document.page_count == 12
    assert document.electronic_document_size == 482133
    assert document.current_version == 3
    assert document.locked_by is None
    assert "elecDocumentSize" not in document.to_dict()
    assert get("shortcut").target_type is EntryType.DOCUMENT
