"""The spec reads the same in every generator's language (issue 18): portable patterns, named open enums,
Go-safe enum constant names, a short info.description, lint-clean info."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from lf_export._option_rules import redaction_character
from lf_export._text_rules import is_dotnet_whitespace

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "laserfiche-repository-v2.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]

#: Escapes and constructs that ECMA-262, RE2, Java and .NET read differently (or not at all): `\uXXXX` (RE2
#: wants `\x{...}`), the shorthand classes (Unicode in ECMA/.NET, ASCII in RE2/Java), `\v` (a class in Java),
#: `\p{..}` (Python and ECMA without the u flag), lookarounds and other `(?` groups (RE2), backreferences.
NON_PORTABLE = re.compile(r"\\[usSdDwWbBpPvhHkzZAQE1-9]|\(\?")


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


PATTERNS = {
    path: node["pattern"] for path, node in _walk(SPEC) if isinstance(node, dict) and "pattern" in node
}


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_every_pattern_uses_the_portable_subset(where: str) -> None:
    pattern = PATTERNS[where]
    assert not NON_PORTABLE.search(pattern), f"{where}: {pattern!r}"
    for ch in pattern:
        # Non-ASCII characters appear literally; none a Go source file refuses (U+FEFF), none outside the BMP
        # (one code point in RE2 and Java, two code units in ECMA-262 and .NET), no surrogates.
        assert ch != "\ufeff", where
        assert ord(ch) <= 0xFFFF, where
        assert not 0xD800 <= ord(ch) <= 0xDFFF, where
    re.compile(pattern)


def _pattern(*path: str) -> re.Pattern[str]:
    node: Any = SCHEMAS
    for key in path:
        node = node[key]
    return re.compile(node["pattern"])


def _bmp() -> Iterator[str]:
    return (chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF)


def test_the_redaction_character_pattern_is_the_wrappers_rule_on_the_whole_bmp() -> None:
    pattern = _pattern("TextExportOptions", "properties", "redactionCharacter")
    unassigned = {"\ufefd", "\ufefe", "\uff00"}  # the range that stands for U+FEFF (see the description)
    disagree = [
        f"U+{ord(ch):04X}"
        for ch in _bmp()
        if bool(redaction_character("c", ch)) != (pattern.search(ch) is None) and ch not in unassigned
    ]
    assert disagree == []
    assert all(unicodedata.category(ch) == "Cn" for ch in unassigned)


def test_the_watermark_pattern_is_dotnet_whitespace_on_the_whole_bmp() -> None:
    pattern = _pattern("Watermark", "properties", "text")
    assert [f"U+{ord(c):04X}" for c in _bmp() if is_dotnet_whitespace(c) != (pattern.search(c) is None)] == []


OPEN_ENUMS = ["TaskStatus", "TaskType", "AuditEventType", "EntryType", "FieldType", "WatermarkPosition"]


@pytest.mark.parametrize("name", OPEN_ENUMS)
def test_open_enums_are_named_components(name: str) -> None:
    assert SCHEMAS[f"{name}Value"]["anyOf"] == [{"$ref": f"#/components/schemas/{name}"}, {"type": "string"}]


def test_no_inline_open_enum_remains() -> None:
    """An inline `anyOf [enum, string]` makes Java, C# and typescript-fetch invent a class per property."""
    inline = [
        path
        for path, node in _walk(SPEC)
        if isinstance(node, dict)
        and {"type": "string"} in node.get("anyOf", [])
        and not re.fullmatch(r"/components/schemas/\w+Value", path)
    ]
    assert inline == []


def _go_constant(value: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", value).upper()


def test_go_enum_constants_do_not_collide() -> None:
    """Go's enum constants share the package scope (DeleteEntry was in TaskType and AuditEventType)."""
    seen: dict[str, str] = {}
    for name, schema in SCHEMAS.items():
        if schema.get("type") != "string" or "enum" not in schema:
            continue
        names = schema.get("x-enum-varnames") or [_go_constant(v) for v in schema["enum"]]
        assert len(names) == len(schema["enum"])
        for constant in names:
            assert constant not in seen, f"{constant}: {name} and {seen[constant]}"
            seen[constant] = name


def test_info_is_short_and_lint_clean() -> None:
    info = SPEC["info"]
    assert len(info["description"]) < 1000  # copied into the header of every generated file
    assert info["license"]["url"].startswith("https://")  # Redocly info-license-strict
    assert info["contact"]["name"]  # Spectral info-contact
    tags = {tag["name"]: tag["description"] for tag in SPEC["tags"]}
    assert "Never send an empty `taskIds`" in tags["Tasks"]  # the guidance moved here
    assert "without** the `Authorization` header" in tags["Entries"]


def test_every_server_url_is_concrete_or_fully_templated() -> None:
    for server in SPEC["servers"]:
        assert set(re.findall(r"\{(\w+)\}", server["url"])) == set(server.get("variables", {}))
