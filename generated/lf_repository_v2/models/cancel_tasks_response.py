from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cancel_task_result import CancelTaskResult


T = TypeVar("T", bound="CancelTasksResponse")


@_attrs_define
class CancelTasksResponse:
    """
    Example:
        {'value': [{'id': '98b07b1d-2a0f-4f7e-843d-28335a7ddfa2', 'taskType': 'ExportEntry', 'result': True}]}

    Attributes:
        value (list[CancelTaskResult]):
    """

    value: list[CancelTaskResult]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value = []
        for value_item_data in self.value:
            value_item = value_item_data.to_dict()
            value.append(value_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cancel_task_result import CancelTaskResult

        d = dict(src_dict)
        value = []
        _value = d.pop("value")
        for value_item_data in _value:
            value_item = CancelTaskResult.from_dict(value_item_data)

            value.append(value_item)

        cancel_tasks_response = cls(
            value=value,
        )

        cancel_tasks_response.additional_properties = d
        return cancel_tasks_response

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
