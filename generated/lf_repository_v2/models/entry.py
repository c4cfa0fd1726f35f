from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entry_type import EntryType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Entry")


@_attrs_define
class Entry:
    """An entry. Documents also carry `pageCount` (image pages) and, when they have an electronic file,
    `isElectronicDocument`, `extension`, `mimeType` and `elecDocumentSize` (bytes).

        Example:
            {'id': 2161949, 'name': 'Invoice 2023-117', 'entryType': 'Document', 'pageCount': 12}

        Attributes:
            id (int):
            name (str):
            entry_type (EntryType | str): Open enum — one of `EntryType`'s values, or a value added by a newer server.
            parent_id (int | None | Unset):
            full_path (str | Unset):
            folder_path (str | Unset):
            creator (str | Unset):
            creation_time (datetime.datetime | Unset):
            last_modified_time (datetime.datetime | Unset):
            is_container (bool | Unset):
            is_leaf (bool | Unset):
            template_name (None | str | Unset):
            template_id (int | Unset):
            volume_name (str | Unset):
            is_record_folder (bool | Unset):
            is_under_record_series (bool | Unset):
            page_count (int | Unset): Documents only — the number of image pages (0 for an electronic-only document).
            is_electronic_document (bool | Unset): Documents only — whether it has an electronic file (exportable as
                `Edoc`).
            extension (None | str | Unset): Documents only — the electronic file's extension, without the dot.
            mime_type (None | str | Unset): Documents only — the electronic file's media type.
            elec_document_size (int | Unset): Documents only — the electronic file's size in bytes.
    """

    id: int
    name: str
    entry_type: EntryType | str
    parent_id: int | None | Unset = UNSET
    full_path: str | Unset = UNSET
    folder_path: str | Unset = UNSET
    creator: str | Unset = UNSET
    creation_time: datetime.datetime | Unset = UNSET
    last_modified_time: datetime.datetime | Unset = UNSET
    is_container: bool | Unset = UNSET
    is_leaf: bool | Unset = UNSET
    template_name: None | str | Unset = UNSET
    template_id: int | Unset = UNSET
    volume_name: str | Unset = UNSET
    is_record_folder: bool | Unset = UNSET
    is_under_record_series: bool | Unset = UNSET
    page_count: int | Unset = UNSET
    is_electronic_document: bool | Unset = UNSET
    extension: None | str | Unset = UNSET
    mime_type: None | str | Unset = UNSET
    elec_document_size: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        entry_type: str
        if isinstance(self.entry_type, EntryType):
            entry_type = self.entry_type.value
        else:
            entry_type = self.entry_type

        parent_id: int | None | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        full_path = self.full_path

        folder_path = self.folder_path

        creator = self.creator

        creation_time: str | Unset = UNSET
        if not isinstance(self.creation_time, Unset):
            creation_time = self.creation_time.isoformat()

        last_modified_time: str | Unset = UNSET
        if not isinstance(self.last_modified_time, Unset):
            last_modified_time = self.last_modified_time.isoformat()

        is_container = self.is_container

        is_leaf = self.is_leaf

        template_name: None | str | Unset
        if isinstance(self.template_name, Unset):
            template_name = UNSET
        else:
            template_name = self.template_name

        template_id = self.template_id

        volume_name = self.volume_name

        is_record_folder = self.is_record_folder

        is_under_record_series = self.is_under_record_series

        page_count = self.page_count

        is_electronic_document = self.is_electronic_document

        extension: None | str | Unset
        if isinstance(self.extension, Unset):
            extension = UNSET
        else:
            extension = self.extension

        mime_type: None | str | Unset
        if isinstance(self.mime_type, Unset):
            mime_type = UNSET
        else:
            mime_type = self.mime_type

        elec_document_size = self.elec_document_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "entryType": entry_type,
            }
        )
        if parent_id is not UNSET:
            field_dict["parentId"] = parent_id
        if full_path is not UNSET:
            field_dict["fullPath"] = full_path
        if folder_path is not UNSET:
            field_dict["folderPath"] = folder_path
        if creator is not UNSET:
            field_dict["creator"] = creator
        if creation_time is not UNSET:
            field_dict["creationTime"] = creation_time
        if last_modified_time is not UNSET:
            field_dict["lastModifiedTime"] = last_modified_time
        if is_container is not UNSET:
            field_dict["isContainer"] = is_container
        if is_leaf is not UNSET:
            field_dict["isLeaf"] = is_leaf
        if template_name is not UNSET:
            field_dict["templateName"] = template_name
        if template_id is not UNSET:
            field_dict["templateId"] = template_id
        if volume_name is not UNSET:
            field_dict["volumeName"] = volume_name
        if is_record_folder is not UNSET:
            field_dict["isRecordFolder"] = is_record_folder
        if is_under_record_series is not UNSET:
            field_dict["isUnderRecordSeries"] = is_under_record_series
        if page_count is not UNSET:
            field_dict["pageCount"] = page_count
        if is_electronic_document is not UNSET:
            field_dict["isElectronicDocument"] = is_electronic_document
        if extension is not UNSET:
            field_dict["extension"] = extension
        if mime_type is not UNSET:
            field_dict["mimeType"] = mime_type
        if elec_document_size is not UNSET:
            field_dict["elecDocumentSize"] = elec_document_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_entry_type(data: object) -> EntryType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                entry_type_type_0 = EntryType(data)

                return entry_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntryType | str, data)

        entry_type = _parse_entry_type(d.pop("entryType"))

        def _parse_parent_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parent_id = _parse_parent_id(d.pop("parentId", UNSET))

        full_path = d.pop("fullPath", UNSET)

        folder_path = d.pop("folderPath", UNSET)

        creator = d.pop("creator", UNSET)

        _creation_time = d.pop("creationTime", UNSET)
        creation_time: datetime.datetime | Unset
        if isinstance(_creation_time, Unset):
            creation_time = UNSET
        else:
            creation_time = datetime.datetime.fromisoformat(_creation_time)

        _last_modified_time = d.pop("lastModifiedTime", UNSET)
        last_modified_time: datetime.datetime | Unset
        if isinstance(_last_modified_time, Unset):
            last_modified_time = UNSET
        else:
            last_modified_time = datetime.datetime.fromisoformat(_last_modified_time)

        is_container = d.pop("isContainer", UNSET)

        is_leaf = d.pop("isLeaf", UNSET)

        def _parse_template_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template_name = _parse_template_name(d.pop("templateName", UNSET))

        template_id = d.pop("templateId", UNSET)

        volume_name = d.pop("volumeName", UNSET)

        is_record_folder = d.pop("isRecordFolder", UNSET)

        is_under_record_series = d.pop("isUnderRecordSeries", UNSET)

        page_count = d.pop("pageCount", UNSET)

        is_electronic_document = d.pop("isElectronicDocument", UNSET)

        def _parse_extension(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        extension = _parse_extension(d.pop("extension", UNSET))

        def _parse_mime_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mime_type = _parse_mime_type(d.pop("mimeType", UNSET))

        elec_document_size = d.pop("elecDocumentSize", UNSET)

        entry = cls(
            id=id,
            name=name,
            entry_type=entry_type,
            parent_id=parent_id,
            full_path=full_path,
            folder_path=folder_path,
            creator=creator,
            creation_time=creation_time,
            last_modified_time=last_modified_time,
            is_container=is_container,
            is_leaf=is_leaf,
            template_name=template_name,
            template_id=template_id,
            volume_name=volume_name,
            is_record_folder=is_record_folder,
            is_under_record_series=is_under_record_series,
            page_count=page_count,
            is_electronic_document=is_electronic_document,
            extension=extension,
            mime_type=mime_type,
            elec_document_size=elec_document_size,
        )

        entry.additional_properties = d
        return entry

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
