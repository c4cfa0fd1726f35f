from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entry_type import EntryType
from ..models.shortcut_entry_type import ShortcutEntryType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field import Field


T = TypeVar("T", bound="Shortcut")


@_attrs_define
class Shortcut:
    """A shortcut (`entryType` `Shortcut`) to another entry.

    Example:
        {'@odata.type': '#Laserfiche.Repository.Shortcut', 'id': 2161960, 'name': 'Latest invoice', 'entryType':
            'Shortcut', 'targetId': 2161949, 'targetType': 'Document', 'extension': 'pdf'}

    Attributes:
        id (int): The entry id (the root folder is 1).
        name (str): The entry's name (the root folder's is empty). It may hold any character a Windows file name may
            not: sanitise it before using it on disk.
        entry_type (ShortcutEntryType):
        odata_type (str | Unset): `#Laserfiche.Repository.Folder`, `...RecordSeries`, `...Document` or `...Shortcut`.
        parent_id (int | None | Unset): The id of the folder that holds the entry.
        full_path (None | str | Unset): The entry's path with backslashes (e.g. `\\Invoices\\Invoice 2023-117`); null in
            search results.
        folder_path (None | str | Unset): The path of the folder that holds the entry; null in search results.
        creator (None | str | Unset):
        creation_time (datetime.datetime | Unset):
        last_modified_time (datetime.datetime | Unset):
        is_container (bool | Unset): True for folders and record series.
        is_leaf (bool | Unset): True for documents and shortcuts.
        template_name (None | str | Unset): The name of the entry's template; may be empty when it has none.
        template_id (int | Unset): The id of the entry's template; 0 when it has none.
        template_field_names (list[str] | None | Unset): The names of the template's fields.
        volume_name (None | str | Unset): The volume that stores the entry's pages and electronic file.
        row_number (int | Unset): The entry's position in a listing (`ListEntries`, `ListSearchResults`).
        fields (list[Field] | None | Unset): Only in listings, and only the fields named in the `fields` query
            parameter. A multi-value field
            carries its first value only (`hasMoreValues` is then true); read every value with `ListFields`.
        target_id (int | Unset): The entry the shortcut points to.
        target_type (EntryType | str | Unset): `EntryType` as an open enum: one of its values, or a value added by a
            newer server.
             Example: Document.
        extension (None | str | Unset): The target document's extension, when the target is a document.
    """

    id: int
    name: str
    entry_type: ShortcutEntryType
    odata_type: str | Unset = UNSET
    parent_id: int | None | Unset = UNSET
    full_path: None | str | Unset = UNSET
    folder_path: None | str | Unset = UNSET
    creator: None | str | Unset = UNSET
    creation_time: datetime.datetime | Unset = UNSET
    last_modified_time: datetime.datetime | Unset = UNSET
    is_container: bool | Unset = UNSET
    is_leaf: bool | Unset = UNSET
    template_name: None | str | Unset = UNSET
    template_id: int | Unset = UNSET
    template_field_names: list[str] | None | Unset = UNSET
    volume_name: None | str | Unset = UNSET
    row_number: int | Unset = UNSET
    fields: list[Field] | None | Unset = UNSET
    target_id: int | Unset = UNSET
    target_type: EntryType | str | Unset = UNSET
    extension: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        entry_type = self.entry_type.value

        odata_type = self.odata_type

        parent_id: int | None | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        full_path: None | str | Unset
        if isinstance(self.full_path, Unset):
            full_path = UNSET
        else:
            full_path = self.full_path

        folder_path: None | str | Unset
        if isinstance(self.folder_path, Unset):
            folder_path = UNSET
        else:
            folder_path = self.folder_path

        creator: None | str | Unset
        if isinstance(self.creator, Unset):
            creator = UNSET
        else:
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

        template_field_names: list[str] | None | Unset
        if isinstance(self.template_field_names, Unset):
            template_field_names = UNSET
        elif isinstance(self.template_field_names, list):
            template_field_names = self.template_field_names

        else:
            template_field_names = self.template_field_names

        volume_name: None | str | Unset
        if isinstance(self.volume_name, Unset):
            volume_name = UNSET
        else:
            volume_name = self.volume_name

        row_number = self.row_number

        fields: list[dict[str, Any]] | None | Unset
        if isinstance(self.fields, Unset):
            fields = UNSET
        elif isinstance(self.fields, list):
            fields = []
            for fields_type_0_item_data in self.fields:
                fields_type_0_item = fields_type_0_item_data.to_dict()
                fields.append(fields_type_0_item)

        else:
            fields = self.fields

        target_id = self.target_id

        target_type: str | Unset
        if isinstance(self.target_type, Unset):
            target_type = UNSET
        elif isinstance(self.target_type, EntryType):
            target_type = self.target_type.value
        else:
            target_type = self.target_type

        extension: None | str | Unset
        if isinstance(self.extension, Unset):
            extension = UNSET
        else:
            extension = self.extension

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "entryType": entry_type,
            }
        )
        if odata_type is not UNSET:
            field_dict["@odata.type"] = odata_type
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
        if template_field_names is not UNSET:
            field_dict["templateFieldNames"] = template_field_names
        if volume_name is not UNSET:
            field_dict["volumeName"] = volume_name
        if row_number is not UNSET:
            field_dict["rowNumber"] = row_number
        if fields is not UNSET:
            field_dict["fields"] = fields
        if target_id is not UNSET:
            field_dict["targetId"] = target_id
        if target_type is not UNSET:
            field_dict["targetType"] = target_type
        if extension is not UNSET:
            field_dict["extension"] = extension

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field import Field

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        entry_type = ShortcutEntryType(d.pop("entryType"))

        odata_type = d.pop("@odata.type", UNSET)

        def _parse_parent_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parent_id = _parse_parent_id(d.pop("parentId", UNSET))

        def _parse_full_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        full_path = _parse_full_path(d.pop("fullPath", UNSET))

        def _parse_folder_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder_path = _parse_folder_path(d.pop("folderPath", UNSET))

        def _parse_creator(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        creator = _parse_creator(d.pop("creator", UNSET))

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

        def _parse_template_field_names(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                template_field_names_type_0 = cast(list[str], data)

                return template_field_names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        template_field_names = _parse_template_field_names(
            d.pop("templateFieldNames", UNSET)
        )

        def _parse_volume_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        volume_name = _parse_volume_name(d.pop("volumeName", UNSET))

        row_number = d.pop("rowNumber", UNSET)

        def _parse_fields(data: object) -> list[Field] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                fields_type_0 = []
                _fields_type_0 = data
                for fields_type_0_item_data in _fields_type_0:
                    fields_type_0_item = Field.from_dict(fields_type_0_item_data)

                    fields_type_0.append(fields_type_0_item)

                return fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Field] | None | Unset, data)

        fields = _parse_fields(d.pop("fields", UNSET))

        target_id = d.pop("targetId", UNSET)

        def _parse_target_type(data: object) -> EntryType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_entry_type_value_type_0 = EntryType(data)

                return componentsschemas_entry_type_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntryType | str | Unset, data)

        target_type = _parse_target_type(d.pop("targetType", UNSET))

        def _parse_extension(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        extension = _parse_extension(d.pop("extension", UNSET))

        shortcut = cls(
            id=id,
            name=name,
            entry_type=entry_type,
            odata_type=odata_type,
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
            template_field_names=template_field_names,
            volume_name=volume_name,
            row_number=row_number,
            fields=fields,
            target_id=target_id,
            target_type=target_type,
            extension=extension,
        )

        shortcut.additional_properties = d
        return shortcut

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
