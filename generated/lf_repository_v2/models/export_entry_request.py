from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.export_part import ExportPart
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_export_options import ImageExportOptions
    from ..models.text_export_options import TextExportOptions


T = TypeVar("T", bound="ExportEntryRequest")


@_attrs_define
class ExportEntryRequest:
    """The body of `ExportEntry` and `StartExportEntry`. Unknown members are rejected.

    Example:
        {'part': 'Image', 'imageOptions': {'format': 'PDF', 'watermark': {'text': 'CONFIDENTIAL'}}}

    Attributes:
        part (ExportPart): `Image`: the page images; `Text`: the text layer; `Edoc`: the electronic file as stored.
            Example: Image.
        audit_reason_id (int | Unset): The id of an `ExportDocument` audit reason (see `ListAuditReasons`). Omit it
            rather than sending
            null. Required when the repository demands an audit reason (else errorCode 216).
        audit_reason_comment (str | Unset): A free-text comment stored with the audit reason.
        image_options (ImageExportOptions | Unset): Options used when `part` is `Image`; the server ignores them for
            other parts. Example: {'format': 'SinglePageTIFF', 'pagePrefix': '_p'}.
        text_options (TextExportOptions | Unset): Options used when `part` is `Text`; the server ignores them for other
            parts. Example: {'includeRedactions': True, 'redactionCharacter': '#'}.
    """

    part: ExportPart
    audit_reason_id: int | Unset = UNSET
    audit_reason_comment: str | Unset = UNSET
    image_options: ImageExportOptions | Unset = UNSET
    text_options: TextExportOptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        part = self.part.value

        audit_reason_id = self.audit_reason_id

        audit_reason_comment = self.audit_reason_comment

        image_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image_options, Unset):
            image_options = self.image_options.to_dict()

        text_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text_options, Unset):
            text_options = self.text_options.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "part": part,
            }
        )
        if audit_reason_id is not UNSET:
            field_dict["auditReasonId"] = audit_reason_id
        if audit_reason_comment is not UNSET:
            field_dict["auditReasonComment"] = audit_reason_comment
        if image_options is not UNSET:
            field_dict["imageOptions"] = image_options
        if text_options is not UNSET:
            field_dict["textOptions"] = text_options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.image_export_options import ImageExportOptions
        from ..models.text_export_options import TextExportOptions

        d = dict(src_dict)
        part = ExportPart(d.pop("part"))

        audit_reason_id = d.pop("auditReasonId", UNSET)

        audit_reason_comment = d.pop("auditReasonComment", UNSET)

        _image_options = d.pop("imageOptions", UNSET)
        image_options: ImageExportOptions | Unset
        if isinstance(_image_options, Unset):
            image_options = UNSET
        else:
            image_options = ImageExportOptions.from_dict(_image_options)

        _text_options = d.pop("textOptions", UNSET)
        text_options: TextExportOptions | Unset
        if isinstance(_text_options, Unset):
            text_options = UNSET
        else:
            text_options = TextExportOptions.from_dict(_text_options)

        export_entry_request = cls(
            part=part,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
            image_options=image_options,
            text_options=text_options,
        )

        return export_entry_request
