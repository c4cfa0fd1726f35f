from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StartDeleteEntryRequest")


@_attrs_define
class StartDeleteEntryRequest:
    """The optional body of `StartDeleteEntry`. Unknown members are rejected.

    Example:
        {'auditReasonId': 2, 'auditReasonComment': 'Retention period ended.'}

    Attributes:
        audit_reason_id (int | Unset): The id of a `DeleteEntry` audit reason (see `ListAuditReasons`). Omit it rather
            than sending null.
            Required when the repository demands an audit reason (else errorCode 216).
        audit_reason_comment (str | Unset): A free-text comment stored with the audit reason.
    """

    audit_reason_id: int | Unset = UNSET
    audit_reason_comment: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        audit_reason_id = self.audit_reason_id

        audit_reason_comment = self.audit_reason_comment

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if audit_reason_id is not UNSET:
            field_dict["auditReasonId"] = audit_reason_id
        if audit_reason_comment is not UNSET:
            field_dict["auditReasonComment"] = audit_reason_comment

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        audit_reason_id = d.pop("auditReasonId", UNSET)

        audit_reason_comment = d.pop("auditReasonComment", UNSET)

        start_delete_entry_request = cls(
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )

        return start_delete_entry_request
