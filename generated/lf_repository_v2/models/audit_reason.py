from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audit_event_type import AuditEventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="AuditReason")


@_attrs_define
class AuditReason:
    """
    Example:
        {'id': 1, 'name': 'Legal request', 'auditEventType': 'ExportDocument'}

    Attributes:
        id (int):
        name (str):
        audit_event_type (AuditEventType | str | Unset): `AuditEventType` as an open enum: one of its values, or a value
            added by a newer server.
             Example: ExportDocument.
    """

    id: int
    name: str
    audit_event_type: AuditEventType | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        audit_event_type: str | Unset
        if isinstance(self.audit_event_type, Unset):
            audit_event_type = UNSET
        elif isinstance(self.audit_event_type, AuditEventType):
            audit_event_type = self.audit_event_type.value
        else:
            audit_event_type = self.audit_event_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if audit_event_type is not UNSET:
            field_dict["auditEventType"] = audit_event_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_audit_event_type(data: object) -> AuditEventType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_audit_event_type_value_type_0 = AuditEventType(data)

                return componentsschemas_audit_event_type_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEventType | str | Unset, data)

        audit_event_type = _parse_audit_event_type(d.pop("auditEventType", UNSET))

        audit_reason = cls(
            id=id,
            name=name,
            audit_event_type=audit_event_type,
        )

        audit_reason.additional_properties = d
        return audit_reason

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
