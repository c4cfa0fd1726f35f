from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.watermark_position import WatermarkPosition
from ..types import UNSET, Unset

T = TypeVar("T", bound="Watermark")


@_attrs_define
class Watermark:
    """A text watermark drawn on every exported page.

    Example:
        {'text': 'CONFIDENTIAL', 'position': 'DeadCenter', 'rotationAngle': 45, 'pageSpanPercentage': 50}

    Attributes:
        text (str): The watermark text: at most 100 characters (UTF-16 code units on the server), not all whitespace
            (.NET's `char.IsWhiteSpace`: TAB..CR, NEL, and the Unicode space separators; the pattern names them,
            since `\\S` means different things in ECMA-262, RE2, Java and .NET).
            Emoji are not supported (emoji presentation characters, pictographs, flags, keycaps, ZWJ sequences,
            skin-tone modifiers, variation selector 16): the server rejects them.
        position (WatermarkPosition | Unset): The cell of a 3×3 grid over the page where the watermark's centre goes.
            Example: DeadCenter.
        rotation_angle (int | Unset): Rotation in degrees, 0..360 inclusive. Default: 0.
        page_span_percentage (int | Unset): How much of the page width the watermark spans, in percent, 1..100
            inclusive. Default: 50.
    """

    text: str
    position: WatermarkPosition | Unset = UNSET
    rotation_angle: int | Unset = 0
    page_span_percentage: int | Unset = 50

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        position: str | Unset = UNSET
        if not isinstance(self.position, Unset):
            position = self.position.value

        rotation_angle = self.rotation_angle

        page_span_percentage = self.page_span_percentage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if position is not UNSET:
            field_dict["position"] = position
        if rotation_angle is not UNSET:
            field_dict["rotationAngle"] = rotation_angle
        if page_span_percentage is not UNSET:
            field_dict["pageSpanPercentage"] = page_span_percentage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        text = d.pop("text")

        _position = d.pop("position", UNSET)
        position: WatermarkPosition | Unset
        if isinstance(_position, Unset):
            position = UNSET
        else:
            position = WatermarkPosition(_position)

        rotation_angle = d.pop("rotationAngle", UNSET)

        page_span_percentage = d.pop("pageSpanPercentage", UNSET)

        watermark = cls(
            text=text,
            position=position,
            rotation_angle=rotation_angle,
            page_span_percentage=page_span_percentage,
        )

        return watermark
