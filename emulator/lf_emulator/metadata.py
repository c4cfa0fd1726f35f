"""Templates with fields, tags and links, and their wire shapes (ListFields, ListTags, ListLinks).

Field values are strings on the wire, whatever the field type: ``Date`` ``2023-09-07``, ``DateTime``
``2023-09-07T14:12:26``, ``Time`` ``14:12:26``, numbers in invariant culture, ``Blob`` base64, ``List`` one of
the list's choices.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

__all__ = ["FIELD_TYPES", "EntryLink", "FieldDef", "FieldType", "Tag", "Template", "field_json", "tag_json"]

FieldType = Literal[
    "DateTime", "Blob", "Date", "ShortInteger", "LongInteger", "List", "Number", "String", "Time"
]
FIELD_TYPES: tuple[FieldType, ...] = (
    "DateTime",
    "Blob",
    "Date",
    "ShortInteger",
    "LongInteger",
    "List",
    "Number",
    "String",
    "Time",
)


@dataclasses.dataclass(frozen=True)
class FieldDef:
    id: int
    name: str
    field_type: FieldType
    is_multi_value: bool = False
    is_required: bool = False
    group_id: int | None = None


@dataclasses.dataclass(frozen=True)
class Template:
    id: int
    name: str
    fields: tuple[FieldDef, ...]

    def field(self, name: str) -> FieldDef | None:
        folded = name.casefold()
        return next((f for f in self.fields if f.name.casefold() == folded), None)


@dataclasses.dataclass(frozen=True)
class Tag:
    id: int
    name: str
    display_name: str
    description: str
    is_secure: bool = False
    watermark_text: str | None = None


@dataclasses.dataclass(frozen=True)
class EntryLink:
    """A link between two entries (shown by ListLinks of either end)."""

    id: int
    source_id: int
    target_id: int
    description: str
    link_definition_id: int
    source_label: str
    target_label: str
    custom_properties: Mapping[str, str] = dataclasses.field(default_factory=dict)


def field_json(field: FieldDef, values: tuple[str, ...], *, first_only: bool = False) -> dict[str, Any]:
    """A ``Field`` body; ``first_only`` (listings' ``fields=``) keeps one value and sets ``hasMoreValues``."""
    shown = list(values[:1]) if first_only else list(values)
    return {
        "id": field.id,
        "name": field.name,
        "fieldType": field.field_type,
        "isMultiValue": field.is_multi_value,
        "isRequired": field.is_required,
        "hasMoreValues": len(shown) < len(values),
        "groupId": field.group_id,
        "values": shown,
    }


def tag_json(tag: Tag) -> dict[str, Any]:
    watermark = None
    if tag.watermark_text is not None:
        watermark = {
            "text": tag.watermark_text,
            "position": "DeadCenter",
            "rotationAngle": 45,
            "pageSpanPercentage": 50,
            "isMandatory": True,
            "opacity": 30,
        }
    return {
        "id": tag.id,
        "name": tag.name,
        "displayName": tag.display_name,
        "description": tag.description,
        "isSecure": tag.is_secure,
        "watermark": watermark,
    }
