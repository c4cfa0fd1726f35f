from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document import Document
    from ..models.folder import Folder
    from ..models.record_series import RecordSeries
    from ..models.shortcut import Shortcut


T = TypeVar("T", bound="EntryCollectionResponse")


@_attrs_define
class EntryCollectionResponse:
    """A page of entries (`ListEntries`, `ListSearchResults`).

    Example:
        {'value': [{'@odata.type': '#Laserfiche.Repository.Folder', 'id': 2161950, 'name': '2023', 'entryType':
            'Folder', 'rowNumber': 1}]}

    Attributes:
        value (list[Document | Folder | RecordSeries | Shortcut]):
        odata_next_link (str | Unset): The absolute URL of the next page (it may carry a `$skiptoken`); absent on the
            last page.
        odata_count (int | Unset): The total number of items, when `$count=true` was asked.
    """

    value: list[Document | Folder | RecordSeries | Shortcut]
    odata_next_link: str | Unset = UNSET
    odata_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.document import Document
        from ..models.folder import Folder
        from ..models.record_series import RecordSeries

        value = []
        for value_item_data in self.value:
            value_item: dict[str, Any]
            if (
                isinstance(value_item_data, Folder)
                or isinstance(value_item_data, RecordSeries)
                or isinstance(value_item_data, Document)
            ):
                value_item = value_item_data.to_dict()
            else:
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
        from ..models.document import Document
        from ..models.folder import Folder
        from ..models.record_series import RecordSeries
        from ..models.shortcut import Shortcut

        d = dict(src_dict)
        value = []
        _value = d.pop("value")
        for value_item_data in _value:

            def _parse_value_item(
                data: object,
            ) -> Document | Folder | RecordSeries | Shortcut:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_entry_type_0 = Folder.from_dict(data)

                    return componentsschemas_entry_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_entry_type_1 = RecordSeries.from_dict(data)

                    return componentsschemas_entry_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_entry_type_2 = Document.from_dict(data)

                    return componentsschemas_entry_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_entry_type_3 = Shortcut.from_dict(data)

                return componentsschemas_entry_type_3

            value_item = _parse_value_item(value_item_data)

            value.append(value_item)

        odata_next_link = d.pop("@odata.nextLink", UNSET)

        odata_count = d.pop("@odata.count", UNSET)

        entry_collection_response = cls(
            value=value,
            odata_next_link=odata_next_link,
            odata_count=odata_count,
        )

        entry_collection_response.additional_properties = d
        return entry_collection_response

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
