from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProblemDetails")


@_attrs_define
class ProblemDetails:
    """An RFC 7807 problem, with Laserfiche's members. Extra members may appear.

    Example:
        {'type': 'https://api.laserfiche.com/repository/errors/not-found', 'title': 'Entry not found.', 'status': 404,
            'detail': 'Entry 99999 was not found in repository r-abc123.', 'instance':
            '/v2/Repositories/r-abc123/Entries/99999', 'operationId': '7c1a3f4e9d2b4c0a', 'errorSource': 'Repository',
            'errorCode': 9013, 'traceId': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'instanceDetail': ''}

    Attributes:
        status (int):
        type_ (None | str | Unset):
        title (None | str | Unset):
        detail (None | str | Unset):
        instance (None | str | Unset):
        operation_id (None | str | Unset): The server's id for the operation; quote it when reporting a problem.
        error_source (None | str | Unset):
        error_code (int | None | Unset):
        trace_id (None | str | Unset):
        instance_detail (None | str | Unset):
    """

    status: int
    type_: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    detail: None | str | Unset = UNSET
    instance: None | str | Unset = UNSET
    operation_id: None | str | Unset = UNSET
    error_source: None | str | Unset = UNSET
    error_code: int | None | Unset = UNSET
    trace_id: None | str | Unset = UNSET
    instance_detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        instance: None | str | Unset
        if isinstance(self.instance, Unset):
            instance = UNSET
        else:
            instance = self.instance

        operation_id: None | str | Unset
        if isinstance(self.operation_id, Unset):
            operation_id = UNSET
        else:
            operation_id = self.operation_id

        error_source: None | str | Unset
        if isinstance(self.error_source, Unset):
            error_source = UNSET
        else:
            error_source = self.error_source

        error_code: int | None | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        trace_id: None | str | Unset
        if isinstance(self.trace_id, Unset):
            trace_id = UNSET
        else:
            trace_id = self.trace_id

        instance_detail: None | str | Unset
        if isinstance(self.instance_detail, Unset):
            instance_detail = UNSET
        else:
            instance_detail = self.instance_detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if title is not UNSET:
            field_dict["title"] = title
        if detail is not UNSET:
            field_dict["detail"] = detail
        if instance is not UNSET:
            field_dict["instance"] = instance
        if operation_id is not UNSET:
            field_dict["operationId"] = operation_id
        if error_source is not UNSET:
            field_dict["errorSource"] = error_source
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if trace_id is not UNSET:
            field_dict["traceId"] = trace_id
        if instance_detail is not UNSET:
            field_dict["instanceDetail"] = instance_detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = d.pop("status")

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        def _parse_instance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance = _parse_instance(d.pop("instance", UNSET))

        def _parse_operation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        operation_id = _parse_operation_id(d.pop("operationId", UNSET))

        def _parse_error_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_source = _parse_error_source(d.pop("errorSource", UNSET))

        def _parse_error_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        error_code = _parse_error_code(d.pop("errorCode", UNSET))

        def _parse_trace_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        trace_id = _parse_trace_id(d.pop("traceId", UNSET))

        def _parse_instance_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance_detail = _parse_instance_detail(d.pop("instanceDetail", UNSET))

        problem_details = cls(
            status=status,
            type_=type_,
            title=title,
            detail=detail,
            instance=instance,
            operation_id=operation_id,
            error_source=error_source,
            error_code=error_code,
            trace_id=trace_id,
            instance_detail=instance_detail,
        )

        problem_details.additional_properties = d
        return problem_details

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
