"""The spec decides what is valid: bad requests get a 400 ProblemDetails naming the field and the rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.conftest import assert_conforms

CASES: list[tuple[str, dict[str, Any], str | None, list[str]]] = [
    ("unknown property", {"part": "Image", "colour": "red"}, None, ["colour", "additionalProperties"]),
    ("missing part", {"imageOptions": {}}, None, ["part", "required"]),
    ("bad part", {"part": "Pages"}, None, ["part", "enum"]),
    (
        "jpeg level too high",
        {"part": "Image", "imageOptions": {"format": "JPEG", "jPEGCompressionLevel": 101}},
        None,
        ["imageOptions.jPEGCompressionLevel", "maximum"],
    ),
    (
        "guide spelling is unknown",
        {"part": "Image", "imageOptions": {"jpegCompressionLevel": 50}},
        None,
        ["jpegCompressionLevel", "additionalProperties"],
    ),
    (
        "rotation out of range",
        {"part": "Image", "imageOptions": {"watermark": {"text": "A", "rotationAngle": 361}}},
        None,
        ["imageOptions.watermark.rotationAngle", "maximum"],
    ),
    (
        "span zero",
        {"part": "Image", "imageOptions": {"watermark": {"text": "A", "pageSpanPercentage": 0}}},
        None,
        ["imageOptions.watermark.pageSpanPercentage", "minimum"],
    ),
    (
        "blank watermark",
        {"part": "Image", "imageOptions": {"watermark": {"text": "   "}}},
        None,
        ["imageOptions.watermark.text", "pattern"],
    ),
    (
        "page prefix too long",
        {"part": "Image", "imageOptions": {"pagePrefix": "12345678901"}},
        None,
        ["imageOptions.pagePrefix", "maxLength"],
    ),
    (
        "page prefix with slash",
        {"part": "Image", "imageOptions": {"pagePrefix": "a/b"}},
        None,
        ["imageOptions.pagePrefix", "pattern"],
    ),
    (
        "two redaction characters",
        {"part": "Text", "textOptions": {"redactionCharacter": "ab"}},
        None,
        ["textOptions.redactionCharacter", "maxLength"],
    ),
    ("audit reason null", {"part": "Image", "auditReasonId": None}, None, ["auditReasonId"]),
    ("bad page range", {"part": "Image"}, "1--2", ["pageRange", "pattern"]),
    ("page zero", {"part": "Image"}, "0", ["pageRange", "pattern"]),
]


@pytest.mark.parametrize(
    ("body", "page_range", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_export_body_rules_come_from_the_spec(
    session_client: httpx.Client, body: dict[str, Any], page_range: str | None, expected: list[str]
) -> None:
    params = {"pageRange": page_range} if page_range is not None else {}
    response = session_client.post("Entries/10/Export", params=params, json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert_conforms(response)
    detail = response.json()["detail"]
    for word in expected:
        assert word in detail


@pytest.mark.parametrize("text", ["TOP SECRET 🔒", "ok ☕", "1\ufe0f\u20e3", "🇫🇷", "👍🏽", "✅ done"])
def test_emoji_watermark_is_rejected(session_client: httpx.Client, text: str) -> None:
    body = {"part": "Image", "imageOptions": {"watermark": {"text": text}}}
    response = session_client.post("Entries/10/Export", json=body)
    assert response.status_code == 400
    assert "imageOptions.watermark.text" in response.json()["detail"]


@pytest.mark.parametrize("text", ["20° C", "№ 5", "☐ ☑", "♪ ★ ✓", "© ™ ®", "→ ←"])
def test_symbols_that_are_not_emoji_are_accepted(session_client: httpx.Client, text: str) -> None:
    body = {"part": "Image", "imageOptions": {"watermark": {"text": text}}}
    assert session_client.post("Entries/10/Export", json=body).status_code == 200


def test_anchored_patterns_have_ecma_semantics(session_client: httpx.Client) -> None:
    """ECMA-262 ``$`` (JSON Schema's dialect) does not match before a final newline, unlike Python's."""
    newline_range = session_client.post(
        "Entries/10/Export", params={"pageRange": "1\n"}, json={"part": "Image"}
    )
    assert newline_range.status_code == 400
    assert "pageRange" in newline_range.json()["detail"]
    assert "(?!" not in newline_range.json()["detail"]
    body = {"part": "Image", "imageOptions": {"pagePrefix": "p\n"}}
    assert session_client.post("Entries/10/Export", json=body).status_code == 400


def test_missing_body_and_bad_json(session_client: httpx.Client) -> None:
    missing = session_client.post("Entries/10/Export")
    assert missing.status_code == 400
    assert "body" in missing.json()["detail"]
    broken = session_client.post(
        "Entries/10/Export", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400


def test_path_and_query_parameters(session_client: httpx.Client) -> None:
    not_int = session_client.get("Entries/abc")
    assert not_int.status_code == 400
    assert "entryId" in not_int.json()["detail"]
    negative = session_client.get("Entries/0")
    assert negative.status_code == 400
    assert "minimum" in negative.json()["detail"]
    bad_task = session_client.get("Tasks", params={"taskIds": "not-a-uuid"})
    assert bad_task.status_code == 400
    assert "taskIds" in bad_task.json()["detail"]
    bad_prefer = session_client.get("AuditReasons", headers={"Prefer": "maxpagesize=0"})
    assert bad_prefer.status_code == 400
    assert "Prefer" in bad_prefer.json()["detail"]


def test_every_problem_is_reported(session_client: httpx.Client) -> None:
    body = {"part": "Image", "imageOptions": {"jPEGCompressionLevel": -1, "pagePrefix": "<>"}, "extra": 1}
    detail = session_client.post("Entries/10/Export", json=body).json()["detail"]
    for word in ("jPEGCompressionLevel", "pagePrefix", "extra"):
        assert word in detail
