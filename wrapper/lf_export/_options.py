"""Export options: frozen value objects that read like the wire contract and validate on construction.

>>> opts = ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL")
>>> opts.to_request_body()
{'part': 'Image', 'imageOptions': {'format': 'PDF', 'watermark': {'text': 'CONFIDENTIAL'}}}
>>> opts.query_page_range()
'1-3'

Validation runs when an object is built and reports **all** problems in one `OptionsError` (a `ValueError`):
each `OptionIssue` has the wire field path (``imageOptions.watermark.rotationAngle``), the offending value and
the rule. The named constructors (`ExportOptions.pdf`, `.text`, ...) and `ExportOptions.from_request_body`
validate the nested objects they build together, so one error lists problems at every level.

Rules (from the export guide and the wire contract):

========================================  ==================================================================
field                                     rule
========================================  ==================================================================
part / format / position                  one of the wire values; enum members or strings, any case
imageOptions.jPEGCompressionLevel         int 0..100 (bool, float and digit strings are rejected)
imageOptions.watermark.rotationAngle      int 0..360
imageOptions.watermark.pageSpanPercentage int 1..100
imageOptions.watermark.text               at most 100 UTF-16 code units, not empty/all whitespace, no emoji
imageOptions.pagePrefix                   at most 10 UTF-16 code units, only characters valid in file names
textOptions.redactionCharacter            exactly one UTF-16 code unit, not whitespace, not a control char
auditReasonId                             int 1..2147483647 (int32)
auditReasonComment                        at most 255 UTF-16 code units (the limit our spec encodes)
pageRange                                 see `lf_export.pages`; canonical form at most 8192 characters
all strings                               no surrogate code points (they cannot be sent as text)
========================================  ==================================================================

Lengths are counted the way the server (a .NET service) counts them: in UTF-16 code units, so a character
outside the Basic Multilingual Plane counts 2. Whitespace is .NET's `char.IsWhiteSpace`. Emoji are defined
in `lf_export._text_rules`.

Cross-field rules, error or warning:

* **Error** when a whole options block belongs to another part: ``imageOptions`` with part Text or Edoc,
  ``textOptions`` with part Image or Edoc. That is a structural mistake, not a tuning choice.
* **Warning** (`OptionsWarning`) when one setting differs from its default but the server ignores it for the
  chosen part or format: a page range with part Edoc; ``jPEGCompressionLevel`` unless format is JPEG;
  ``convertPdfAnnotations`` unless format is PDF with annotations included; ``pagePrefix`` for the single-file
  formats PDF and MultiPageTIFF; ``auditReasonComment`` without ``auditReasonId``. The request still carries
  what the caller set: warnings never rewrite the body, so options can be reused across formats with `evolve`.

Wire body: ``part`` always; ``imageOptions`` whenever image options are given, always with its ``format``;
``watermark`` always with its ``text``; every other member only when it differs from the server's default.

Wire names have one source, the generated request models (``lf_repository_v2.models.ExportEntryRequest``
and its members): `ExportOptions.to_generated` builds them, `to_request_body` is their ``to_dict()``, and
`from_request_body` reads a body by their names (see `lf_export._option_rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Self

import attrs
from lf_repository_v2.models import ExportEntryRequest, ImageExportOptions, TextExportOptions
from lf_repository_v2.models import ExportPart as _GenPart
from lf_repository_v2.models import ImageFormat as _GenFormat
from lf_repository_v2.models import Watermark as _GenWatermark
from lf_repository_v2.models import WatermarkPosition as _GenPosition
from lf_repository_v2.types import UNSET

from . import _option_rules as rules
from ._errors import OptionIssue, OptionsError
from ._option_rules import (
    AUDIT_REASON_COMMENT_MAX,
    PAGE_PREFIX_MAX,
    PAGE_RANGE_WIRE_MAX,
    WATERMARK_TEXT_MAX,
    settle,
    unchecked,
    within,
)
from ._pages import PageRange
from ._text_rules import MAX_INT32

__all__ = [
    "AUDIT_REASON_COMMENT_MAX",
    "DEFAULT_PAGE_PREFIX",
    "PAGE_PREFIX_MAX",
    "PAGE_RANGE_WIRE_MAX",
    "WATERMARK_TEXT_MAX",
    "ExportOptions",
    "ExportPart",
    "ImageFormat",
    "ImageOptions",
    "TextOptions",
    "Watermark",
    "WatermarkPosition",
]

DEFAULT_PAGE_PREFIX = ", Page "
DEFAULT_JPEG_LEVEL = 70
DEFAULT_ROTATION = 0
DEFAULT_PAGE_SPAN = 50
DEFAULT_REDACTION_CHARACTER = "X"


class ExportPart(StrEnum):
    """Which part of the document to export."""

    IMAGE = "Image"
    TEXT = "Text"
    EDOC = "Edoc"


class ImageFormat(StrEnum):
    """Image export format. MultiPageTIFF is the server's default."""

    MULTI_PAGE_TIFF = "MultiPageTIFF"
    SINGLE_PAGE_TIFF = "SinglePageTIFF"
    PNG = "PNG"
    PDF = "PDF"
    JPEG = "JPEG"


class WatermarkPosition(StrEnum):
    """Cell of a 3x3 grid over the page where the watermark goes. DeadCenter is the default."""

    TOP_LEFT = "TopLeft"
    TOP_CENTER = "TopCenter"
    TOP_RIGHT = "TopRight"
    MIDDLE_LEFT = "MiddleLeft"
    DEAD_CENTER = "DeadCenter"
    MIDDLE_RIGHT = "MiddleRight"
    BOTTOM_LEFT = "BottomLeft"
    BOTTOM_CENTER = "BottomCenter"
    BOTTOM_RIGHT = "BottomRight"


# Formats whose export is one file: the page prefix (used to name the files of a zip) does not apply.
_SINGLE_FILE_FORMATS = frozenset({ImageFormat.PDF, ImageFormat.MULTI_PAGE_TIFF})

# The wire names by generated attribute, and where each object sits in the body.
_BODY = rules.wire_names(ExportEntryRequest)
_IMAGE = rules.wire_names(ImageExportOptions)
_MARK = rules.wire_names(_GenWatermark)
_TEXT = rules.wire_names(TextExportOptions)
_IMAGE_AT = _BODY["image_options"]
_MARK_AT = rules.join(_IMAGE_AT, _IMAGE["watermark"])
_TEXT_AT = _BODY["text_options"]


def _sparse(obj: Any) -> dict[str, Any]:
    """Each field of an options object by name, UNSET where it has its default: the minimal body."""
    return {
        field.name: UNSET if getattr(obj, field.name) == field.default else getattr(obj, field.name)
        for field in attrs.fields(type(obj))
    }


# Converters: enum members from strings in any case; invalid values pass through for validation to report.
def _part(value: ExportPart | str) -> ExportPart:
    return rules.member(ExportPart, value)


def _format(value: ImageFormat | str) -> ImageFormat:
    return rules.member(ImageFormat, value)


def _position(value: WatermarkPosition | str) -> WatermarkPosition:
    return rules.member(WatermarkPosition, value)


def _pages(value: PageRange | str | int | None) -> PageRange | None:
    return rules.pages(value)


def _watermark(value: Watermark | str | None) -> Watermark | None:
    # Unchecked: the image options validate it with their own fields, so one error lists both.
    return unchecked(Watermark, text=value) if isinstance(value, str) else value


# ------------------------------------------------------------------------------------------------- classes


@attrs.frozen
class Watermark:
    """A text watermark drawn on every exported page (``imageOptions.watermark``).

    `text`: at most 100 characters counted in UTF-16 code units as the .NET server counts them (an emoji or
    another character outside the BMP counts 2), not empty or all whitespace, no emoji. `rotation_angle` is
    0..360 degrees, `page_span_percentage` 1..100.

    >>> Watermark("CONFIDENTIAL", position="topleft", rotation_angle=45).position
    <WatermarkPosition.TOP_LEFT: 'TopLeft'>
    """

    text: str
    position: WatermarkPosition = attrs.field(default=WatermarkPosition.DEAD_CENTER, converter=_position)
    rotation_angle: int = DEFAULT_ROTATION
    page_span_percentage: int = DEFAULT_PAGE_SPAN

    def __attrs_post_init__(self) -> None:
        settle(_MARK_AT, self._issues())

    def _issues(self) -> list[OptionIssue]:
        """Every problem, with paths relative to the watermark object."""
        return [
            *rules.watermark_text(_MARK["text"], self.text),
            *rules.one_of(_MARK["position"], WatermarkPosition, self.position),
            *rules.int_in(_MARK["rotation_angle"], self.rotation_angle, 0, 360),
            *rules.int_in(_MARK["page_span_percentage"], self.page_span_percentage, 1, 100),
        ]

    def to_generated(self) -> _GenWatermark:
        """The generated model: ``text`` always, the rest only when not the server's default."""
        sparse = _sparse(self)
        position = sparse["position"]
        return _GenWatermark(
            text=self.text,
            position=position if position is UNSET else _GenPosition(position),
            rotation_angle=sparse["rotation_angle"],
            page_span_percentage=sparse["page_span_percentage"],
        )

    def to_wire(self) -> dict[str, object]:
        """The ``watermark`` JSON object: ``text`` always, the rest only when not the server's default."""
        return self.to_generated().to_dict()

    @classmethod
    def _unchecked_from(cls, model: _GenWatermark) -> Self:
        return unchecked(
            cls,
            text=model.text,
            position=model.position,
            rotation_angle=model.rotation_angle,
            page_span_percentage=model.page_span_percentage,
        )


@attrs.frozen
class ImageOptions:
    """Options for part Image (``imageOptions``). Defaults are the server's.

    `jpeg_compression_level` (wire ``jPEGCompressionLevel``) 0..100, used for JPEG only; `page_prefix` names
    the files of a multi-file export (``"Invoice, Page 3.tif"``): at most 10 UTF-16 code units and only
    characters valid in file names on Windows, macOS and Linux (none of ``< > : " / \\ | ? *``, no control
    characters). `watermark` may be a `Watermark` or just its text.
    """

    format: ImageFormat = attrs.field(default=ImageFormat.MULTI_PAGE_TIFF, converter=_format)
    jpeg_compression_level: int = DEFAULT_JPEG_LEVEL
    include_annotations: bool = True
    convert_pdf_annotations: bool = True
    include_redactions: bool = True
    page_prefix: str = DEFAULT_PAGE_PREFIX
    watermark: Watermark | None = attrs.field(default=None, converter=_watermark)

    def __attrs_post_init__(self) -> None:
        settle(_IMAGE_AT, self._issues(), self._warnings)

    def _issues(self) -> list[OptionIssue]:
        """Every problem (the watermark's first), with paths relative to the image options object."""
        mark = self.watermark
        issues = within(_IMAGE["watermark"], mark._issues()) if isinstance(mark, Watermark) else []
        issues += rules.one_of(_IMAGE["format_"], ImageFormat, self.format)
        issues += rules.int_in(_IMAGE["j_peg_compression_level"], self.jpeg_compression_level, 0, 100)
        issues += rules.boolean(_IMAGE["include_annotations"], self.include_annotations)
        issues += rules.boolean(_IMAGE["convert_pdf_annotations"], self.convert_pdf_annotations)
        issues += rules.boolean(_IMAGE["include_redactions"], self.include_redactions)
        issues += rules.page_prefix(_IMAGE["page_prefix"], self.page_prefix)
        if mark is not None and not isinstance(mark, Watermark):
            issues.append(OptionIssue(_IMAGE["watermark"], mark, "must be a Watermark, a str or None"))
        return issues

    def _warnings(self) -> list[str]:
        fmt = self.format
        if not isinstance(fmt, ImageFormat):
            return []
        warns: list[str] = []
        if self.jpeg_compression_level != DEFAULT_JPEG_LEVEL and fmt is not ImageFormat.JPEG:
            warns.append(
                f"{_IMAGE_AT}.{_IMAGE['j_peg_compression_level']}={self.jpeg_compression_level!r} only "
                f"applies to format JPEG; the server ignores it for {fmt.value}"
            )
        if self.convert_pdf_annotations is not True and (
            fmt is not ImageFormat.PDF or self.include_annotations is not True
        ):
            warns.append(
                f"{_IMAGE_AT}.{_IMAGE['convert_pdf_annotations']}=False only applies to format PDF with "
                f"{_IMAGE['include_annotations']}; the server ignores it here (format {fmt.value}, "
                f"{_IMAGE['include_annotations']}={self.include_annotations})"
            )
        if self.page_prefix != DEFAULT_PAGE_PREFIX and fmt in _SINGLE_FILE_FORMATS:
            warns.append(
                f"{_IMAGE_AT}.{_IMAGE['page_prefix']}={self.page_prefix!r} only names the files of a "
                f"multi-file export; the server ignores it for {fmt.value}"
            )
        return warns

    def to_generated(self) -> ImageExportOptions:
        """The generated model: ``format`` always, the rest only when not the server's default."""
        sparse = _sparse(self)
        return ImageExportOptions(
            format_=_GenFormat(self.format),
            j_peg_compression_level=sparse["jpeg_compression_level"],
            include_annotations=sparse["include_annotations"],
            convert_pdf_annotations=sparse["convert_pdf_annotations"],
            page_prefix=sparse["page_prefix"],
            include_redactions=sparse["include_redactions"],
            watermark=UNSET if self.watermark is None else self.watermark.to_generated(),
        )

    def to_wire(self) -> dict[str, object]:
        """The ``imageOptions`` JSON object: ``format`` always, the rest only when not the default."""
        return self.to_generated().to_dict()

    @classmethod
    def _unchecked_from(cls, model: ImageExportOptions) -> Self:
        mark = model.watermark
        return unchecked(
            cls,
            format=model.format_,
            jpeg_compression_level=model.j_peg_compression_level,
            include_annotations=model.include_annotations,
            convert_pdf_annotations=model.convert_pdf_annotations,
            include_redactions=model.include_redactions,
            page_prefix=model.page_prefix,
            watermark=Watermark._unchecked_from(mark) if isinstance(mark, _GenWatermark) else mark,
        )


@attrs.frozen
class TextOptions:
    """Options for part Text (``textOptions``).

    `redaction_character` replaces each redacted character: exactly one UTF-16 code unit (so not an emoji or
    another character outside the BMP), not whitespace (.NET's definition) and not a control character.
    """

    include_redactions: bool = True
    redaction_character: str = DEFAULT_REDACTION_CHARACTER

    def __attrs_post_init__(self) -> None:
        settle(_TEXT_AT, self._issues())

    def _issues(self) -> list[OptionIssue]:
        """Every problem, with paths relative to the text options object."""
        return [
            *rules.boolean(_TEXT["include_redactions"], self.include_redactions),
            *rules.redaction_character(_TEXT["redaction_character"], self.redaction_character),
        ]

    def to_generated(self) -> TextExportOptions:
        """The generated model with only the members that differ from the server's defaults."""
        sparse = _sparse(self)
        return TextExportOptions(
            include_redactions=sparse["include_redactions"],
            redaction_character=sparse["redaction_character"],
        )

    def to_wire(self) -> dict[str, object]:
        """The ``textOptions`` JSON object with only the members that differ from the server's defaults."""
        return self.to_generated().to_dict()

    @classmethod
    def _unchecked_from(cls, model: TextExportOptions) -> Self:
        return unchecked(
            cls, include_redactions=model.include_redactions, redaction_character=model.redaction_character
        )


_DEFAULT_TEXT_OPTIONS = TextOptions()


def _block(
    path: str, value: object, cls: type, rule: str, owner: ExportPart, part: object
) -> list[OptionIssue]:
    """An options block: of its class or None, and only with the part it belongs to."""
    if value is None:
        return []
    if not isinstance(value, cls):
        return [OptionIssue(path, value, rule)]
    if isinstance(part, ExportPart) and part is not owner:
        return [OptionIssue(path, value, f"are only allowed with part {owner.value} (part is {part.value})")]
    return []


@attrs.frozen
class ExportOptions:
    """What to export and how: the body of Export/ExportAsync plus the ``pageRange`` query parameter.

    Prefer the named constructors: `pdf`, `tiff`, `single_page_tiff`, `png`, `jpeg`, `image`, `text`, `edoc`.
    The init parameters `image` and `text` fill the attributes `image_options` and `text_options` (the names
    `image` and `text` are the constructors). Change a copy with ``attrs.evolve(opts, pages="2-4")``.

    >>> ExportOptions.text(redaction_character="#").to_request_body()
    {'part': 'Text', 'textOptions': {'redactionCharacter': '#'}}
    """

    part: ExportPart = attrs.field(converter=_part)
    pages: PageRange | None = attrs.field(default=None, converter=_pages)
    audit_reason_id: int | None = None
    audit_reason_comment: str | None = None
    image_options: ImageOptions | None = attrs.field(default=None, alias="image")
    text_options: TextOptions | None = attrs.field(default=None, alias="text")

    def __attrs_post_init__(self) -> None:
        settle("", self._issues(), self._warnings)

    def _issues(self) -> list[OptionIssue]:
        """Every problem of every level (nested objects' first), with wire paths."""
        image, text, part = self.image_options, self.text_options, self.part
        issues = within(_IMAGE_AT, image._issues()) if isinstance(image, ImageOptions) else []
        if isinstance(text, TextOptions):
            issues += within(_TEXT_AT, text._issues())
        issues += rules.one_of(_BODY["part"], ExportPart, part)
        issues += rules.page_range(self.pages)
        if self.audit_reason_id is not None:
            issues += rules.int_in(_BODY["audit_reason_id"], self.audit_reason_id, 1, MAX_INT32)
        if self.audit_reason_comment is not None:
            path = _BODY["audit_reason_comment"]
            issues += rules.text(path, self.audit_reason_comment, AUDIT_REASON_COMMENT_MAX)
        issues += _block(
            _IMAGE_AT, image, ImageOptions, "must be an ImageOptions or None", ExportPart.IMAGE, part
        )
        issues += _block(_TEXT_AT, text, TextOptions, "must be a TextOptions or None", ExportPart.TEXT, part)
        return issues

    def _warnings(self) -> list[str]:
        warns: list[str] = []
        if self.part is ExportPart.EDOC and self.pages is not None:
            warns.append(
                f"{rules.PAGE_RANGE}={str(self.pages)!r} is ignored by the server for part Edoc: "
                "the whole electronic document is exported"
            )
        if self.audit_reason_comment is not None and self.audit_reason_id is None:
            warns.append(
                f"{_BODY['audit_reason_comment']} has no effect without {_BODY['audit_reason_id']}: "
                "the comment belongs to an audit reason"
            )
        return warns

    def _settled(self, found: list[OptionIssue] | None = None) -> Self:
        """Validate an unchecked tree at once: `found` and every level's issues, then every level's warnings.

        Only the public constructors call this, as their last step (the warnings' stacklevel relies on it).
        """
        image = self.image_options
        nested = image._warnings if isinstance(image, ImageOptions) else list
        settle("", [*(found or []), *self._issues()], lambda: [*nested(), *self._warnings()])
        return self

    # --------------------------------------------------------------------------------- named constructors

    @classmethod
    def _image(
        cls,
        format: ImageFormat | str,
        pages: PageRange | str | int | None,
        watermark: Watermark | str | None,
        audit_reason_id: int | None,
        audit_reason_comment: str | None,
        **image: object,
    ) -> Self:
        """Unchecked image options: the one constructor behind the public ones (which settle it)."""
        options = unchecked(ImageOptions, format=format, watermark=watermark, **image)
        return unchecked(
            cls,
            part=ExportPart.IMAGE,
            pages=pages,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
            image=options,
        )

    @classmethod
    def image(
        cls,
        format: ImageFormat | str = ImageFormat.MULTI_PAGE_TIFF,
        *,
        pages: PageRange | str | int | None = None,
        watermark: Watermark | str | None = None,
        jpeg_compression_level: int = DEFAULT_JPEG_LEVEL,
        include_annotations: bool = True,
        convert_pdf_annotations: bool = True,
        include_redactions: bool = True,
        page_prefix: str = DEFAULT_PAGE_PREFIX,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """Page images in any `ImageFormat`; every problem of every level is reported at once."""
        return cls._image(
            format,
            pages,
            watermark,
            audit_reason_id,
            audit_reason_comment,
            jpeg_compression_level=jpeg_compression_level,
            include_annotations=include_annotations,
            convert_pdf_annotations=convert_pdf_annotations,
            include_redactions=include_redactions,
            page_prefix=page_prefix,
        )._settled()

    @classmethod
    def pdf(
        cls,
        *,
        pages: PageRange | str | int | None = None,
        watermark: Watermark | str | None = None,
        include_annotations: bool = True,
        convert_pdf_annotations: bool = True,
        include_redactions: bool = True,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """One PDF: ``ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL")``."""
        return cls._image(
            ImageFormat.PDF,
            pages,
            watermark,
            audit_reason_id,
            audit_reason_comment,
            include_annotations=include_annotations,
            convert_pdf_annotations=convert_pdf_annotations,
            include_redactions=include_redactions,
        )._settled()

    @classmethod
    def tiff(
        cls,
        *,
        pages: PageRange | str | int | None = None,
        watermark: Watermark | str | None = None,
        include_annotations: bool = True,
        include_redactions: bool = True,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """One multi-page TIFF (the server's default image format)."""
        return cls._image(
            ImageFormat.MULTI_PAGE_TIFF,
            pages,
            watermark,
            audit_reason_id,
            audit_reason_comment,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
        )._settled()

    @classmethod
    def single_page_tiff(
        cls,
        *,
        pages: PageRange | str | int | None = None,
        page_prefix: str = DEFAULT_PAGE_PREFIX,
        watermark: Watermark | str | None = None,
        include_annotations: bool = True,
        include_redactions: bool = True,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """A zip of one TIFF per page, named ``<document><page_prefix><n>.tif``."""
        return cls._image(
            ImageFormat.SINGLE_PAGE_TIFF,
            pages,
            watermark,
            audit_reason_id,
            audit_reason_comment,
            page_prefix=page_prefix,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
        )._settled()

    @classmethod
    def png(
        cls,
        *,
        pages: PageRange | str | int | None = None,
        page_prefix: str = DEFAULT_PAGE_PREFIX,
        watermark: Watermark | str | None = None,
        include_annotations: bool = True,
        include_redactions: bool = True,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """PNG: one image for a single page, a zip of one image per page otherwise."""
        return cls._image(
            ImageFormat.PNG,
            pages,
            watermark,
            audit_reason_id,
            audit_reason_comment,
            page_prefix=page_prefix,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
        )._settled()

    @classmethod
    def jpeg(
        cls,
        *,
        quality: int = DEFAULT_JPEG_LEVEL,
        pages: PageRange | str | int | None = None,
        page_prefix: str = DEFAULT_PAGE_PREFIX,
        watermark: Watermark | str | None = None,
        include_annotations: bool = True,
        include_redactions: bool = True,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """JPEG with `quality` (``jPEGCompressionLevel``, 0..100): one image, or a zip for several pages."""
        return cls._image(
            ImageFormat.JPEG,
            pages,
            watermark,
            audit_reason_id,
            audit_reason_comment,
            jpeg_compression_level=quality,
            page_prefix=page_prefix,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
        )._settled()

    @classmethod
    def text(
        cls,
        *,
        pages: PageRange | str | int | None = None,
        include_redactions: bool = True,
        redaction_character: str = DEFAULT_REDACTION_CHARACTER,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
    ) -> Self:
        """The text layer. `text_options` is None when both settings are the server's defaults."""
        text = unchecked(
            TextOptions, include_redactions=include_redactions, redaction_character=redaction_character
        )
        # All-default text options are the same request as none: keep one representation.
        default = text == _DEFAULT_TEXT_OPTIONS and not text._issues()  # True == 1: equal is not enough
        return unchecked(
            cls,
            part=ExportPart.TEXT,
            pages=pages,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
            text=None if default else text,
        )._settled()

    @classmethod
    def edoc(cls, *, audit_reason_id: int | None = None, audit_reason_comment: str | None = None) -> Self:
        """The electronic document as stored (no page range: the server would ignore it)."""
        return unchecked(
            cls,
            part=ExportPart.EDOC,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )._settled()

    # ------------------------------------------------------------------------------------------ the wire

    def to_generated(self) -> ExportEntryRequest:
        """The generated client's request model; only the members that differ from the defaults are set."""
        text = self.text_options
        return ExportEntryRequest(
            part=_GenPart(self.part),
            audit_reason_id=UNSET if self.audit_reason_id is None else self.audit_reason_id,
            audit_reason_comment=UNSET if self.audit_reason_comment is None else self.audit_reason_comment,
            image_options=UNSET if self.image_options is None else self.image_options.to_generated(),
            text_options=UNSET if text is None or text == _DEFAULT_TEXT_OPTIONS else text.to_generated(),
        )

    def to_request_body(self) -> dict[str, object]:
        """The exact JSON body for Export/ExportAsync (see the module docstring for what is omitted)."""
        return self.to_generated().to_dict()

    def query_page_range(self) -> str | None:
        """The ``pageRange`` query value (canonical form), or None for all pages."""
        return None if self.pages is None else str(self.pages)

    @classmethod
    def from_generated(cls, model: ExportEntryRequest, page_range: PageRange | str | None = None) -> Self:
        """Options from a generated request model (validated like any other input)."""
        return cls._unchecked_from(model, page_range)._settled()

    @classmethod
    def from_request_body(cls, body: Mapping[str, object], page_range: PageRange | str | None = None) -> Self:
        """Options from a wire JSON body; unknown members and wrong types are reported together."""
        if not isinstance(body, Mapping):
            raise OptionsError([OptionIssue("", body, "the request body must be a JSON object")])
        found: list[OptionIssue] = []
        model = rules.read_model(ExportEntryRequest, body, "", found)
        return cls._unchecked_from(model, page_range)._settled(found)

    @classmethod
    def _unchecked_from(cls, model: ExportEntryRequest, page_range: object) -> Self:
        image, text = model.image_options, model.text_options
        return unchecked(
            cls,
            part=model.part,
            pages=page_range,
            audit_reason_id=model.audit_reason_id,
            audit_reason_comment=model.audit_reason_comment,
            image=ImageOptions._unchecked_from(image) if isinstance(image, ImageExportOptions) else None,
            text=TextOptions._unchecked_from(text) if isinstance(text, TextExportOptions) else None,
        )
