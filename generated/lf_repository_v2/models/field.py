from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_type import FieldType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Field")


@_attrs_define
class Field:
    """A metadata field of an entry with its values (as strings). From `ListFields` every value comes (page
    through them); in a listing's `fields` only the first value of a multi-value field.

        Example:
            {'id': 14, 'name': 'Invoice Number', 'fieldType': 'String', 'isMultiValue': False, 'isRequired': True,
                'hasMoreValues': False, 'groupId': None, 'values': ['INV-2023-117']}

        Attributes:
            name (str):
            id (int | Unset):
            field_type (FieldType | str | Unset): `FieldType` as an open enum: one of its values, or a value added by a
                newer server.
                 Example: String.
            is_multi_value (bool | Unset):
            is_required (bool | Unset):
            has_more_values (bool | Unset): True when the server sent only some of the values (a listing sends the first
                only).
            group_id (int | None | Unset): The multi-value group the field belongs to, if any.
            values (list[str] | Unset):
    """

    name: str
    id: int | Unset = UNSET
    field_type: FieldType | str | Unset = UNSET
    is_multi_value: bool | Unset = UNSET
    is_required: bool | Unset = UNSET
    has_more_values: bool | Unset = UNSET
    group_id: int | None | Unset = UNSET
    values: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        id = self.id

        field_type: str | Unset
        if isinstance(self.field_type, Unset):
            field_type = UNSET
        elif isinstance(self.field_type, FieldType):
            field_type = self.field_type.value
        else:
            field_type = self.field_type

        is_multi_value = self.is_multi_value

        is_required = self.is_required

        has_more_values = self.has_more_values

        group_id: int | None | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        values: list[str] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = self.values

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if field_type is not UNSET:
            field_dict["fieldType"] = field_type
        if is_multi_value is not UNSET:
            field_dict["isMultiValue"] = is_multi_value
        if is_required is not UNSET:
            field_dict["isRequired"] = is_required
        if has_more_values is not UNSET:
            field_dict["hasMoreValues"] = has_more_values
        if group_id is not UNSET:
            field_dict["groupId"] = group_id
        if values is not UNSET:
            field_dict["values"] = values

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        id = d.pop("id", UNSET)

        def _parse_field_type(data: object) -> FieldType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_field_type_value_type_0 = FieldType(data)

                return componentsschemas_field_type_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FieldType | str | Unset, data)

        field_type = _parse_field_type(d.pop("fieldType", UNSET))

        is_multi_value = d.pop("isMultiValue", UNSET)

        is_required = d.pop("isRequired", UNSET)

        has_more_values = d.pop("hasMoreValues", UNSET)

        def _parse_group_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        group_id = _parse_group_id(d.pop("groupId", UNSET))

        values = cast(list[str], d.pop("values", UNSET))

        field = cls(
            name=name,
            id=id,
            field_type=field_type,
            is_multi_value=is_multi_value,
            is_required=is_required,
            has_more_values=has_more_values,
            group_id=group_id,
            values=values,
        )

        field.additional_properties = d
        return field

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
