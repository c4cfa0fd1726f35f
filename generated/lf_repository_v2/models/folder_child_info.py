from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FolderChildInfo")


@_attrs_define
class FolderChildInfo:
    """What a folder holds (`Folder.childInfo`).

    Example:
        {'hasChildren': True, 'childCount': 12, 'folderCount': 2, 'documentCount': 9, 'shortcutCount': 1}

    Attributes:
        has_children (bool | Unset):
        child_count (int | Unset):
        folder_count (int | Unset):
        document_count (int | Unset):
        shortcut_count (int | Unset):
    """

    has_children: bool | Unset = UNSET
    child_count: int | Unset = UNSET
    folder_count: int | Unset = UNSET
    document_count: int | Unset = UNSET
    shortcut_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        has_children = self.has_children

        child_count = self.child_count

        folder_count = self.folder_count

        document_count = self.document_count

        shortcut_count = self.shortcut_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if has_children is not UNSET:
            field_dict["hasChildren"] = has_children
        if child_count is not UNSET:
            field_dict["childCount"] = child_count
        if folder_count is not UNSET:
            field_dict["folderCount"] = folder_count
        if document_count is not UNSET:
            field_dict["documentCount"] = document_count
        if shortcut_count is not UNSET:
            field_dict["shortcutCount"] = shortcut_count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        has_children = d.pop("hasChildren", UNSET)

        child_count = d.pop("childCount", UNSET)

        folder_count = d.pop("folderCount", UNSET)

        document_count = d.pop("documentCount", UNSET)

        shortcut_count = d.pop("shortcutCount", UNSET)

        folder_child_info = cls(
            has_children=has_children,
            child_count=child_count,
            folder_count=folder_count,
            document_count=document_count,
            shortcut_count=shortcut_count,
        )

        folder_child_info.additional_properties = d
        return folder_child_info

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
