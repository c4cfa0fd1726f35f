from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tag_definition_watermark import TagDefinitionWatermark


T = TypeVar("T", bound="Tag")


@_attrs_define
class Tag:
    """A tag assigned to an entry.

    Example:
        {'id': 4, 'name': 'Paid', 'displayName': 'Paid', 'description': '', 'isSecure': False, 'watermark': None}

    Attributes:
        id (int):
        name (str):
        display_name (None | str | Unset):
        description (None | str | Unset):
        is_secure (bool | Unset): Whether the tag is a security tag (only users granted it see entries bearing it).
        watermark (None | TagDefinitionWatermark | Unset): The tag's watermark, if it has one.
    """

    id: int
    name: str
    display_name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    is_secure: bool | Unset = UNSET
    watermark: None | TagDefinitionWatermark | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tag_definition_watermark import TagDefinitionWatermark

        id = self.id

        name = self.name

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        is_secure = self.is_secure

        watermark: dict[str, Any] | None | Unset
        if isinstance(self.watermark, Unset):
            watermark = UNSET
        elif isinstance(self.watermark, TagDefinitionWatermark):
            watermark = self.watermark.to_dict()
        else:
            watermark = self.watermark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if description is not UNSET:
            field_dict["description"] = description
        if is_secure is not UNSET:
            field_dict["isSecure"] = is_secure
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tag_definition_watermark import TagDefinitionWatermark

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("displayName", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        is_secure = d.pop("isSecure", UNSET)

        def _parse_watermark(data: object) -> None | TagDefinitionWatermark | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                watermark_type_0 = TagDefinitionWatermark.from_dict(data)

                return watermark_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TagDefinitionWatermark | Unset, data)

        watermark = _parse_watermark(d.pop("watermark", UNSET))

        tag = cls(
            id=id,
            name=name,
            display_name=display_name,
            description=description,
            is_secure=is_secure,
            watermark=watermark,
        )

        tag.additional_properties = d
        return tag

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
