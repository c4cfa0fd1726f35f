from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document import Document
    from ..models.folder import Folder
    from ..models.record_series import RecordSeries
    from ..models.shortcut import Shortcut


T = TypeVar("T", bound="GetEntryByPathResponse")


@_attrs_define
class GetEntryByPathResponse:
    """The answer of `GetEntryByPath`.

    Example:
        {'entry': {'@odata.type': '#Laserfiche.Repository.Folder', 'id': 2161934, 'name': 'Invoices', 'entryType':
            'Folder'}, 'ancestorEntry': None}

    Attributes:
        entry (Document | Folder | None | RecordSeries | Shortcut | Unset): The entry at the path; null or absent when
            only `ancestorEntry` was found (fallback).
        ancestor_entry (Document | Folder | None | RecordSeries | Shortcut | Unset): With `fallbackToClosestAncestor`,
            the closest existing ancestor when nothing is at the path.
    """

    entry: Document | Folder | None | RecordSeries | Shortcut | Unset = UNSET
    ancestor_entry: Document | Folder | None | RecordSeries | Shortcut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.document import Document
        from ..models.folder import Folder
        from ..models.record_series import RecordSeries
        from ..models.shortcut import Shortcut

        entry: dict[str, Any] | None | Unset
        if isinstance(self.entry, Unset):
            entry = UNSET
        elif (
            isinstance(self.entry, Folder)
            or isinstance(self.entry, RecordSeries)
            or isinstance(self.entry, Document)
            or isinstance(self.entry, Shortcut)
        ):
            entry = self.entry.to_dict()
        else:
            entry = self.entry

        ancestor_entry: dict[str, Any] | None | Unset
        if isinstance(self.ancestor_entry, Unset):
            ancestor_entry = UNSET
        elif (
            isinstance(self.ancestor_entry, Folder)
            or isinstance(self.ancestor_entry, RecordSeries)
            or isinstance(self.ancestor_entry, Document)
            or isinstance(self.ancestor_entry, Shortcut)
        ):
            ancestor_entry = self.ancestor_entry.to_dict()
        else:
            ancestor_entry = self.ancestor_entry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if entry is not UNSET:
            field_dict["entry"] = entry
        if ancestor_entry is not UNSET:
            field_dict["ancestorEntry"] = ancestor_entry

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document import Document
        from ..models.folder import Folder
        from ..models.record_series import RecordSeries
        from ..models.shortcut import Shortcut

        d = dict(src_dict)

        def _parse_entry(
            data: object,
        ) -> Document | Folder | None | RecordSeries | Shortcut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
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
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_entry_type_3 = Shortcut.from_dict(data)

                return componentsschemas_entry_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                Document | Folder | None | RecordSeries | Shortcut | Unset, data
            )

        entry = _parse_entry(d.pop("entry", UNSET))

        def _parse_ancestor_entry(
            data: object,
        ) -> Document | Folder | None | RecordSeries | Shortcut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
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
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_entry_type_3 = Shortcut.from_dict(data)

                return componentsschemas_entry_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                Document | Folder | None | RecordSeries | Shortcut | Unset, data
            )

        ancestor_entry = _parse_ancestor_entry(d.pop("ancestorEntry", UNSET))

        get_entry_by_path_response = cls(
            entry=entry,
            ancestor_entry=ancestor_entry,
        )

        get_entry_by_path_response.additional_properties = d
        return get_entry_by_path_response

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
