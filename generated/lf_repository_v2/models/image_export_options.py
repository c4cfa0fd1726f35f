from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.image_format import ImageFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.watermark import Watermark


T = TypeVar("T", bound="ImageExportOptions")


@_attrs_define
class ImageExportOptions:
    """Options used when `part` is `Image`; the server ignores them for other parts.

    Example:
        {'format': 'SinglePageTIFF', 'pagePrefix': '_p'}

    Attributes:
        format_ (ImageFormat | Unset): `MultiPageTIFF` (default): one multi-page TIFF. `SinglePageTIFF`: a zip of one
            TIFF per page, named
            with `pagePrefix`. `PNG`, `JPEG`: one image for a single page, a zip of one image per page otherwise.
            `PDF`: one PDF.
             Example: PDF.
        j_peg_compression_level (int | Unset): JPEG quality, 0..100 inclusive; used when `format` is `JPEG`. Note the
            wire spelling
            `jPEGCompressionLevel` (the guide writes `jpegCompressionLevel`).
             Default: 70.
        include_annotations (bool | Unset): Whether annotations are drawn on the pages. Default: True.
        convert_pdf_annotations (bool | Unset): For `PDF` with `includeAnnotations`, whether annotations become PDF
            annotations (else they are burnt into the image). Default: True.
        page_prefix (str | Unset): The text between the document name and the page number in the names of the files of a
            multi-file
            export (a zip), e.g. `Invoice, Page 3.tif`. At most 10 characters (the server counts UTF-16 code
            units; JSON Schema counts code points — they differ only for characters outside the BMP). Only
            characters valid in file names on every common OS: none of `<>:"/\\|?*` and no control characters
            (C0, DEL or C1).
             Default: ', Page '.
        include_redactions (bool | Unset): Whether redactions are applied (black boxes) on the pages. Default: True.
        watermark (Watermark | Unset): A text watermark drawn on every exported page. Example: {'text': 'CONFIDENTIAL',
            'position': 'DeadCenter', 'rotationAngle': 45, 'pageSpanPercentage': 50}.
    """

    format_: ImageFormat | Unset = UNSET
    j_peg_compression_level: int | Unset = 70
    include_annotations: bool | Unset = True
    convert_pdf_annotations: bool | Unset = True
    page_prefix: str | Unset = ", Page "
    include_redactions: bool | Unset = True
    watermark: Watermark | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value

        j_peg_compression_level = self.j_peg_compression_level

        include_annotations = self.include_annotations

        convert_pdf_annotations = self.convert_pdf_annotations

        page_prefix = self.page_prefix

        include_redactions = self.include_redactions

        watermark: dict[str, Any] | Unset = UNSET
        if not isinstance(self.watermark, Unset):
            watermark = self.watermark.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if format_ is not UNSET:
            field_dict["format"] = format_
        if j_peg_compression_level is not UNSET:
            field_dict["jPEGCompressionLevel"] = j_peg_compression_level
        if include_annotations is not UNSET:
            field_dict["includeAnnotations"] = include_annotations
        if convert_pdf_annotations is not UNSET:
            field_dict["convertPdfAnnotations"] = convert_pdf_annotations
        if page_prefix is not UNSET:
            field_dict["pagePrefix"] = page_prefix
        if include_redactions is not UNSET:
            field_dict["includeRedactions"] = include_redactions
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.watermark import Watermark

        d = dict(src_dict)
        _format_ = d.pop("format", UNSET)
        format_: ImageFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = ImageFormat(_format_)

        j_peg_compression_level = d.pop("jPEGCompressionLevel", UNSET)

        include_annotations = d.pop("includeAnnotations", UNSET)

        convert_pdf_annotations = d.pop("convertPdfAnnotations", UNSET)

        page_prefix = d.pop("pagePrefix", UNSET)

        include_redactions = d.pop("includeRedactions", UNSET)

        _watermark = d.pop("watermark", UNSET)
        watermark: Watermark | Unset
        if isinstance(_watermark, Unset):
            watermark = UNSET
        else:
            watermark = Watermark.from_dict(_watermark)

        image_export_options = cls(
            format_=format_,
            j_peg_compression_level=j_peg_compression_level,
            include_annotations=include_annotations,
            convert_pdf_annotations=convert_pdf_annotations,
            page_prefix=page_prefix,
            include_redactions=include_redactions,
            watermark=watermark,
        )

        return image_export_options
