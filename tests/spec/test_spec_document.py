"""The hand-written OpenAPI document: valid, complete, and exact about the rules the guides state in prose."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "laserfiche-repository-v2.yaml"


def _load_checker() -> Any:
    spec = importlib.util.spec_from_file_location(
        "check_spec_examples", ROOT / "tools" / "check_spec_examples.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_spec_is_valid_openapi_3_0_3(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.0.3"
    validate(spec)


def test_every_example_validates_and_none_is_missing(spec: dict[str, Any]) -> None:
    assert _load_checker().check(spec) == []


def test_example_checker_catches_a_bad_example(spec: dict[str, Any]) -> None:
    broken = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    body = broken["components"]["requestBodies"]["ExportEntryRequest"]["content"]["application/json"]
    body["examples"]["guideSample"]["value"]["imageOptions"]["jPEGCompressionLevel"] = 101
    del broken["components"]["parameters"]["pageRange"]["example"]
    problems = _load_checker().check(broken)
    assert any("101 is greater than the maximum of 100" in p for p in problems)
    assert any("pageRange: has no example" in p for p in problems)


def test_vendor_operation_ids_at_the_real_paths(spec: dict[str, Any]) -> None:
    ops = {
        op["operationId"]: (method.upper(), path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    base = "/v2/Repositories/{repositoryId}"
    assert ops["ExportEntry"] == ("POST", f"{base}/Entries/{{entryId}}/Export")
    assert ops["StartExportEntry"] == ("POST", f"{base}/Entries/{{entryId}}/ExportAsync")
    assert ops["ListTasks"] == ("GET", f"{base}/Tasks")
    assert ops["CancelTasks"] == ("DELETE", f"{base}/Tasks")
    assert ops["ListAuditReasons"] == ("GET", f"{base}/AuditReasons")
    assert ops["GetEntry"] == ("GET", f"{base}/Entries/{{entryId}}")


def test_bounds_are_schema_not_prose(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    image = schemas["ImageExportOptions"]["properties"]
    assert "jpegCompressionLevel" not in image
    assert image["jPEGCompressionLevel"] | {"description": ""} == {
        "type": "integer",
        "format": "int32",
        "minimum": 0,
        "maximum": 100,
        "default": 70,
        "description": "",
    }
    assert image["pagePrefix"]["maxLength"] == 10
    assert image["pagePrefix"]["default"] == ", Page "
    mark = schemas["Watermark"]["properties"]
    assert (
        mark["rotationAngle"]["minimum"],
        mark["rotationAngle"]["maximum"],
        mark["rotationAngle"]["default"],
    ) == (
        0,
        360,
        0,
    )
    span = mark["pageSpanPercentage"]
    assert (span["minimum"], span["maximum"], span["default"]) == (1, 100, 50)
    assert mark["text"]["maxLength"] == 100
    text = schemas["TextExportOptions"]["properties"]["redactionCharacter"]
    assert (text["minLength"], text["maxLength"], text["default"]) == (1, 1, "X")
    params = spec["components"]["parameters"]
    assert params["entryId"]["schema"]["format"] == "int32"
    assert params["entryId"]["schema"]["minimum"] == 1
    task_ids = params["taskIds"]
    assert (task_ids["style"], task_ids["explode"], task_ids["required"]) == ("form", True, True)
    assert task_ids["schema"]["minItems"] == 1
    assert task_ids["schema"]["items"]["format"] == "uuid"
    for name in ("ExportEntryRequest", "ImageExportOptions", "Watermark", "TextExportOptions"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["ExportEntryRequest"]["required"] == ["part"]


def test_enums_and_defaults_as_the_guides_say(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["ExportPart"]["enum"] == ["Image", "Text", "Edoc"]
    assert schemas["ImageFormat"]["enum"] == ["MultiPageTIFF", "SinglePageTIFF", "PNG", "PDF", "JPEG"]
    assert schemas["ImageFormat"]["default"] == "MultiPageTIFF"
    assert schemas["WatermarkPosition"]["default"] == "DeadCenter"
    assert len(schemas["WatermarkPosition"]["enum"]) == 9
    assert schemas["TaskStatus"]["enum"] == ["NotStarted", "InProgress", "Completed", "Failed", "Cancelled"]
    for flag in ("includeAnnotations", "convertPdfAnnotations", "includeRedactions"):
        assert schemas["ImageExportOptions"]["properties"][flag]["default"] is True


def test_every_error_is_problem_details_and_429_declares_retry_after(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            for status, response in op["responses"].items():
                if int(status) < 400:
                    continue
                name = response["$ref"].rsplit("/", 1)[-1]
                content = responses[name]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)
                assert content["application/problem+json"]["schema"]["$ref"].endswith("/ProblemDetails")
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    problem = spec["components"]["schemas"]["ProblemDetails"]
    assert problem["additionalProperties"] is True
    assert set(problem["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "operationId",
        "errorSource",
        "errorCode",
        "traceId",
        "instanceDetail",
    }


def test_security_and_servers(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["bearerAuth"] == spec["components"]["securitySchemes"][
        "bearerAuth"
    ] | {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    *clouds, self_hosted = spec["servers"]
    # Concrete cloud URLs (no `{domain}` template): generators such as hey-api take the first server as the
    # default base URL, and a template variable would stay unfilled in it.
    assert [c["url"] for c in clouds] == [
        "https://api.laserfiche.com/repository",
        "https://api.laserfiche.ca/repository",
        "https://api.eu.laserfiche.com/repository",
    ]
    assert all("variables" not in c for c in clouds)
    assert "{host}" in self_hosted["url"]


def test_example_checker_catches_an_incoherent_discriminator(spec: dict[str, Any]) -> None:
    broken = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schemas = broken["components"]["schemas"]
    schemas["Entry"]["discriminator"]["mapping"]["Shortcut"] = "#/components/schemas/Document"
    schemas["Folder"]["allOf"][1]["properties"]["entryType"]["enum"] = ["Folder", "Document"]
    problems = _load_checker().check(broken)
    assert any("mapping" in p and "!= members" in p for p in problems)
    assert any("Folder must require 'entryType'" in p for p in problems)
    # A Folder that also accepts "Document" makes the document example match two members of the oneOf.
    assert any("is valid under each of" in p for p in problems)
