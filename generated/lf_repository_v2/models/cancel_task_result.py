from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_type import TaskType
from ..types import UNSET, Unset

T = TypeVar("T", bound="CancelTaskResult")


@_attrs_define
class CancelTaskResult:
    """
    Example:
        {'id': '98b07b1d-2a0f-4f7e-843d-28335a7ddfa2', 'taskType': 'ExportEntry', 'result': True}

    Attributes:
        id (UUID):
        result (bool): True when cancellation was started, or the task had already ended.
        task_type (str | TaskType | Unset): `TaskType` as an open enum: one of its values, or a value added by a newer
            server.
             Example: ExportEntry.
    """

    id: UUID
    result: bool
    task_type: str | TaskType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        result = self.result

        task_type: str | Unset
        if isinstance(self.task_type, Unset):
            task_type = UNSET
        elif isinstance(self.task_type, TaskType):
            task_type = self.task_type.value
        else:
            task_type = self.task_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "result": result,
            }
        )
        if task_type is not UNSET:
            field_dict["taskType"] = task_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        result = d.pop("result")

        def _parse_task_type(data: object) -> str | TaskType | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_task_type_value_type_0 = TaskType(data)

                return componentsschemas_task_type_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskType | Unset, data)

        task_type = _parse_task_type(d.pop("taskType", UNSET))

        cancel_task_result = cls(
            id=id,
            result=result,
            task_type=task_type,
        )

        cancel_task_result.additional_properties = d
        return cancel_task_result

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
