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
`from_request_body` reads a body by their names (see `lf_export._option_wire`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

import attrs

from . import _option_rules as rules
from . import _option_wire as wire
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
from ._option_values import (
    DEFAULT_JPEG_LEVEL,
    DEFAULT_PAGE_PREFIX,
    DEFAULT_REDACTION_CHARACTER,
    DEFAULT_TEXT_OPTIONS,
    ImageOptions,
    TextOptions,
    Watermark,
)
from ._option_wire import (
    ExportPart,
    ImageFormat,
    WatermarkPosition,
    generated_as,
    read_model,
    to_model,
    to_part,
    unchecked_from,
)
from ._pages import PageRange
from ._text_rules import MAX_INT32

if TYPE_CHECKING:
    from lf_repository_v2.models import ExportEntryRequest

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


@generated_as("ExportEntryRequest")
@attrs.frozen
class ExportOptions:
    """What to export and how: the body of Export/ExportAsync plus the ``pageRange`` query parameter.

    Prefer the named constructors: `pdf`, `tiff`, `single_page_tiff`, `png`, `jpeg`, `image`, `text`, `edoc`.
    The init parameters `image` and `text` fill the attributes `image_options` and `text_options` (the names
    `image` and `text` are the constructors). Change a copy with ``attrs.evolve(opts, pages="2-4")``.

    Examples:
        >>> ExportOptions.text(redaction_character="#").to_request_body()
        {'part': 'Text', 'textOptions': {'redactionCharacter': '#'}}
    """

    part: ExportPart = attrs.field(converter=to_part)
    pages: PageRange | None = attrs.field(default=None, converter=rules.pages)
    audit_reason_id: int | None = None
    audit_reason_comment: str | None = None
    image_options: ImageOptions | None = attrs.field(default=None, alias="image")
    text_options: TextOptions | None = attrs.field(default=None, alias="text")

    def __attrs_post_init__(self) -> None:
        settle("", self._issues(), self._warnings)

    def _issues(self) -> list[OptionIssue]:
        """Every problem of every level (nested objects' first), with wire paths."""
        image, text, part = self.image_options, self.text_options, self.part
        issues = within(wire.IMAGE_AT, image._issues()) if isinstance(image, ImageOptions) else []
        if isinstance(text, TextOptions):
            issues += within(wire.TEXT_AT, text._issues())
        issues += rules.one_of(wire.BODY["part"], ExportPart, part)
        issues += rules.page_range(self.pages)
        if self.audit_reason_id is not None:
            issues += rules.int_in(wire.BODY["audit_reason_id"], self.audit_reason_id, 1, MAX_INT32)
        if self.audit_reason_comment is not None:
            path = wire.BODY["audit_reason_comment"]
            issues += rules.text(path, self.audit_reason_comment, AUDIT_REASON_COMMENT_MAX)
        issues += rules.block(
            wire.IMAGE_AT, image, ImageOptions, "must be an ImageOptions or None", ExportPart.IMAGE, part
        )
        issues += rules.block(
            wire.TEXT_AT, text, TextOptions, "must be a TextOptions or None", ExportPart.TEXT, part
        )
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
                f"{wire.BODY['audit_reason_comment']} has no effect without {wire.BODY['audit_reason_id']}: "
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
    def _image(cls, args: dict[str, Any]) -> Self:
        """Unchecked options for part Image from a named constructor's arguments (its ``locals()``).

        The one constructor behind `image`, `pdf`, `tiff`, `single_page_tiff`, `png` and `jpeg`, which only
        add their format; they call `_settled` on the result themselves (the warnings' stacklevel needs it).
        """
        image = {
            ("jpeg_compression_level" if k == "quality" else k): v for k, v in args.items() if k != "cls"
        }
        export = {name: image.pop(name) for name in ("pages", "audit_reason_id", "audit_reason_comment")}
        return unchecked(cls, part=ExportPart.IMAGE, image=unchecked(ImageOptions, **image), **export)

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
        return cls._image(locals())._settled()

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
        return cls._image({**locals(), "format": ImageFormat.PDF})._settled()

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
        return cls._image({**locals(), "format": ImageFormat.MULTI_PAGE_TIFF})._settled()

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
        return cls._image({**locals(), "format": ImageFormat.SINGLE_PAGE_TIFF})._settled()

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
        return cls._image({**locals(), "format": ImageFormat.PNG})._settled()

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
        return cls._image({**locals(), "format": ImageFormat.JPEG})._settled()

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
        default = text == DEFAULT_TEXT_OPTIONS and not text._issues()  # True == 1: equal is not enough
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
        """The generated client's request model, with only the members that differ from the defaults set."""
        model: ExportEntryRequest = to_model(self)
        return model

    def to_request_body(self) -> dict[str, object]:
        """The exact JSON body for Export/ExportAsync (see the module docstring for what is omitted)."""
        return self.to_generated().to_dict()

    def query_page_range(self) -> str | None:
        """The ``pageRange`` query value (canonical form), or None for all pages."""
        return None if self.pages is None else str(self.pages)

    @classmethod
    def from_generated(cls, model: ExportEntryRequest, page_range: PageRange | str | None = None) -> Self:
        """Options from a generated request model (validated like any other input)."""
        return unchecked_from(cls, model, pages=page_range)._settled()

    @classmethod
    def from_request_body(cls, body: Mapping[str, object], page_range: PageRange | str | None = None) -> Self:
        """Options from a wire JSON body; unknown members and wrong types are reported together."""
        if not isinstance(body, Mapping):
            raise OptionsError([OptionIssue("", body, "the request body must be a JSON object")])
        found: list[OptionIssue] = []
        from lf_repository_v2.models import ExportEntryRequest

        model = read_model(ExportEntryRequest, body, "", found)
        return unchecked_from(cls, model, pages=page_range)._settled(found)
