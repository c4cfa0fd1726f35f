from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.watermark_position import WatermarkPosition
from ..types import UNSET, Unset

T = TypeVar("T", bound="TagDefinitionWatermark")


@_attrs_define
class TagDefinitionWatermark:
    """The watermark a tag puts on the pages of the documents it is assigned to.

    Example:
        {'text': 'CONFIDENTIAL', 'position': 'DeadCenter', 'rotationAngle': 45, 'pageSpanPercentage': 50, 'isMandatory':
            True, 'opacity': 30}

    Attributes:
        text (None | str | Unset):
        position (str | Unset | WatermarkPosition): `WatermarkPosition` as an open enum (in answers): one of its values,
            or a value added by a newer server.
             Example: DeadCenter.
        rotation_angle (int | Unset):
        page_span_percentage (int | Unset):
        is_mandatory (bool | Unset):
        opacity (int | Unset):
    """

    text: None | str | Unset = UNSET
    position: str | Unset | WatermarkPosition = UNSET
    rotation_angle: int | Unset = UNSET
    page_span_percentage: int | Unset = UNSET
    is_mandatory: bool | Unset = UNSET
    opacity: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        position: str | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        elif isinstance(self.position, WatermarkPosition):
            position = self.position.value
        else:
            position = self.position

        rotation_angle = self.rotation_angle

        page_span_percentage = self.page_span_percentage

        is_mandatory = self.is_mandatory

        opacity = self.opacity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if text is not UNSET:
            field_dict["text"] = text
        if position is not UNSET:
            field_dict["position"] = position
        if rotation_angle is not UNSET:
            field_dict["rotationAngle"] = rotation_angle
        if page_span_percentage is not UNSET:
            field_dict["pageSpanPercentage"] = page_span_percentage
        if is_mandatory is not UNSET:
            field_dict["isMandatory"] = is_mandatory
        if opacity is not UNSET:
            field_dict["opacity"] = opacity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_position(data: object) -> str | Unset | WatermarkPosition:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_watermark_position_value_type_0 = WatermarkPosition(
                    data
                )

                return componentsschemas_watermark_position_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | Unset | WatermarkPosition, data)

        position = _parse_position(d.pop("position", UNSET))

        rotation_angle = d.pop("rotationAngle", UNSET)

        page_span_percentage = d.pop("pageSpanPercentage", UNSET)

        is_mandatory = d.pop("isMandatory", UNSET)

        opacity = d.pop("opacity", UNSET)

        tag_definition_watermark = cls(
            text=text,
            position=position,
            rotation_angle=rotation_angle,
            page_span_percentage=page_span_percentage,
            is_mandatory=is_mandatory,
            opacity=opacity,
        )

        tag_definition_watermark.additional_properties = d
        return tag_definition_watermark

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
