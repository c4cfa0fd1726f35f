from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StartCopyEntryRequest")


@_attrs_define
class StartCopyEntryRequest:
    """The body of `StartCopyEntry`. Unknown members are rejected.

    Example:
        {'sourceId': 9, 'name': 'CopiedEntry', 'autoRename': True}

    Attributes:
        source_id (int): The entry to copy (a folder is copied with everything under it).
        name (str): The new entry's name, used as given (no name token substitution).
        auto_rename (bool | Unset): When the name is taken in the destination folder: true gives the copy a free name
            (such as
            `CopiedEntry (2)`), false makes the copy fail.
             Default: False.
        volume_name (None | str | Unset): The volume for the copied documents' pages (self-hosted; ignored in Cloud).
    """

    source_id: int
    name: str
    auto_rename: bool | Unset = False
    volume_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        source_id = self.source_id

        name = self.name

        auto_rename = self.auto_rename

        volume_name: None | str | Unset
        if isinstance(self.volume_name, Unset):
            volume_name = UNSET
        else:
            volume_name = self.volume_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sourceId": source_id,
                "name": name,
            }
        )
        if auto_rename is not UNSET:
            field_dict["autoRename"] = auto_rename
        if volume_name is not UNSET:
            field_dict["volumeName"] = volume_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source_id = d.pop("sourceId")

        name = d.pop("name")

        auto_rename = d.pop("autoRename", UNSET)

        def _parse_volume_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        volume_name = _parse_volume_name(d.pop("volumeName", UNSET))

        start_copy_entry_request = cls(
            source_id=source_id,
            name=name,
            auto_rename=auto_rename,
            volume_name=volume_name,
        )

        return start_copy_entry_request
