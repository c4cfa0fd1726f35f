from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field import Field


T = TypeVar("T", bound="FieldCollectionResponse")


@_attrs_define
class FieldCollectionResponse:
    """A page of an entry's fields (`ListFields`).

    Example:
        {'value': [{'id': 14, 'name': 'Invoice Number', 'fieldType': 'String', 'values': ['INV-2023-117']}]}

    Attributes:
        value (list[Field]):
        odata_next_link (str | Unset): The absolute URL of the next page; absent on the last page.
        odata_count (int | Unset): The total number of items, when `$count=true` was asked.
    """

    value: list[Field]
    odata_next_link: str | Unset = UNSET
    odata_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value = []
        for value_item_data in self.value:
            value_item = value_item_data.to_dict()
            value.append(value_item)

        odata_next_link = self.odata_next_link

        odata_count = self.odata_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
            }
        )
        if odata_next_link is not UNSET:
            field_dict["@odata.nextLink"] = odata_next_link
        if odata_count is not UNSET:
            field_dict["@odata.count"] = odata_count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field import Field

        d = dict(src_dict)
        value = []
        _value = d.pop("value")
        for value_item_data in _value:
            value_item = Field.from_dict(value_item_data)

            value.append(value_item)

        odata_next_link = d.pop("@odata.nextLink", UNSET)

        odata_count = d.pop("@odata.count", UNSET)

        field_collection_response = cls(
            value=value,
            odata_next_link=odata_next_link,
            odata_count=odata_count,
        )

        field_collection_response.additional_properties = d
        return field_collection_response

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
