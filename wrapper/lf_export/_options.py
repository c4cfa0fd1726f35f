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
Defaults are the server's documented ones, so the minimal body means the same as the full one.
"""

from __future__ import annotations

import sys
import unicodedata
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum, StrEnum
from typing import Any, Self, TypeVar, cast

import attrs
from lf_repository_v2.models import ExportEntryRequest

from ._errors import OptionIssue, OptionsError, OptionsWarning
from ._pages import PageRange
from ._text_rules import (
    MAX_INT32,
    describe_char,
    find_emoji,
    find_file_name_violation,
    find_surrogate,
    is_dotnet_whitespace,
    utf16_len,
)

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

WATERMARK_TEXT_MAX = 100
PAGE_PREFIX_MAX = 10
AUDIT_REASON_COMMENT_MAX = 255
PAGE_RANGE_WIRE_MAX = 8192
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

# --------------------------------------------------------------------------------------- collecting issues


@attrs.define
class _Bag:
    errors: list[OptionIssue] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)


_BAG: ContextVar[_Bag | None] = ContextVar("lf_export_options_bag", default=None)


@contextmanager
def _validating() -> Iterator[None]:
    """Collect the issues of every object built inside; raise them together (or warn) at the end.

    Nested use joins the outermost collection, so a named constructor reports problems of the watermark, the
    image options and the export options in one error.
    """
    if _BAG.get() is not None:
        yield
        return
    bag = _Bag()
    token = _BAG.set(bag)
    try:
        yield
    finally:
        _BAG.reset(token)
    if bag.errors:
        raise OptionsError(bag.errors)
    level = _stacklevel()
    for message in dict.fromkeys(bag.warnings):
        warnings.warn(message, OptionsWarning, stacklevel=level)


def _stacklevel() -> int:
    """The `warnings.warn` stacklevel of the first frame outside this module and attrs' generated code."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and (
        frame.f_code.co_filename in (__file__, _contextlib_file)
        or frame.f_code.co_filename.startswith("<attrs")
    ):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


_contextlib_file = sys.modules[contextmanager.__module__].__file__


def _report(errors: list[OptionIssue], warns: list[str]) -> None:
    bag = _BAG.get()
    if bag is None:  # only when someone calls __attrs_init__ directly
        with _validating():
            _report(errors, warns)
        return
    bag.errors.extend(errors)
    bag.warnings.extend(warns)


# ------------------------------------------------------------------------------------------------ coercion

_E = TypeVar("_E", bound=Enum)


def _enum(cls: type[_E], value: object) -> _E:
    """The member of `cls` whose value (or name) equals `value` ignoring case; else `value` unchanged.

    An unchanged value is reported by the owner's validation; the object never escapes in that state.
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        key = value.strip().casefold().replace("_", "")
        for member in cls:
            if key in (str(member.value).casefold(), member.name.casefold().replace("_", "")):
                return member
    return cast(_E, value)


def _enum_issue(path: str, cls: type[Enum], value: object) -> list[OptionIssue]:
    if isinstance(value, cls):
        return []
    allowed = ", ".join(str(m.value) for m in cls)
    return [OptionIssue(path, value, f"must be one of {allowed} (any case)")]


def _int_issue(path: str, value: object, lo: int, hi: int) -> list[OptionIssue]:
    if isinstance(value, bool) or not isinstance(value, int):
        return [OptionIssue(path, value, f"must be an int between {lo} and {hi} inclusive")]
    if not lo <= value <= hi:
        return [OptionIssue(path, value, f"must be between {lo} and {hi} inclusive")]
    return []


def _bool_issue(path: str, value: object) -> list[OptionIssue]:
    return [] if isinstance(value, bool) else [OptionIssue(path, value, "must be a bool (True or False)")]


def _text_issues(path: str, value: object, max_units: int) -> list[OptionIssue]:
    """Type, surrogates and UTF-16 length; the caller adds field-specific rules when this returns []."""
    if not isinstance(value, str):
        return [OptionIssue(path, value, "must be a str")]
    issues: list[OptionIssue] = []
    bad = find_surrogate(value)
    if bad is not None:
        rule = f"must not contain surrogate code points, found U+{ord(value[bad]):04X} at index {bad}"
        issues.append(OptionIssue(path, value, rule))
    units = utf16_len(value)
    if units > max_units:
        rule = f"must be at most {max_units} characters (UTF-16 code units); it has {units}"
        issues.append(OptionIssue(path, value, rule))
    return issues


def _coerce_pages(value: object) -> PageRange | None:
    if value is None or isinstance(value, PageRange):
        return value
    try:
        if isinstance(value, str):
            return PageRange.parse(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return PageRange.of(value)
    except OptionsError:
        pass
    return cast(PageRange, value)  # reported by ExportOptions' validation


# ------------------------------------------------------------------------------------------------- classes

_W = "imageOptions.watermark"


@attrs.frozen(init=False)
class Watermark:
    """A text watermark drawn on every exported page (``imageOptions.watermark``).

    `text`: at most 100 characters counted in UTF-16 code units as the .NET server counts them (an emoji or
    another character outside the BMP counts 2), not empty or all whitespace, no emoji. `rotation_angle` is
    0..360 degrees, `page_span_percentage` 1..100.

    >>> Watermark("CONFIDENTIAL", position="topleft", rotation_angle=45).position
    <WatermarkPosition.TOP_LEFT: 'TopLeft'>
    """

    text: str
    position: WatermarkPosition = WatermarkPosition.DEAD_CENTER
    rotation_angle: int = DEFAULT_ROTATION
    page_span_percentage: int = DEFAULT_PAGE_SPAN

    def __init__(
        self,
        text: str,
        position: WatermarkPosition | str = WatermarkPosition.DEAD_CENTER,
        rotation_angle: int = DEFAULT_ROTATION,
        page_span_percentage: int = DEFAULT_PAGE_SPAN,
    ) -> None:
        with _validating():
            self.__attrs_init__(
                text, _enum(WatermarkPosition, position), rotation_angle, page_span_percentage
            )

    def __attrs_post_init__(self) -> None:
        _report(self._errors(), [])

    def _errors(self) -> list[OptionIssue]:
        path = f"{_W}.text"
        issues = _text_issues(path, self.text, WATERMARK_TEXT_MAX)
        if isinstance(self.text, str):
            if all(is_dotnet_whitespace(ch) for ch in self.text):
                issues.append(OptionIssue(path, self.text, "must not be empty or all whitespace"))
            hit = find_emoji(self.text)
            if hit is not None:
                rule = f"must not contain emoji, found {describe_char(hit.sequence)} at index {hit.index}"
                issues.append(OptionIssue(path, self.text, rule))
        issues += _enum_issue(f"{_W}.position", WatermarkPosition, self.position)
        issues += _int_issue(f"{_W}.rotationAngle", self.rotation_angle, 0, 360)
        issues += _int_issue(f"{_W}.pageSpanPercentage", self.page_span_percentage, 1, 100)
        return issues

    def to_wire(self) -> dict[str, object]:
        """The ``watermark`` JSON object: ``text`` always, the rest only when not the server's default."""
        body: dict[str, object] = {"text": self.text}
        if self.position is not WatermarkPosition.DEAD_CENTER:
            body["position"] = self.position.value
        if self.rotation_angle != DEFAULT_ROTATION:
            body["rotationAngle"] = self.rotation_angle
        if self.page_span_percentage != DEFAULT_PAGE_SPAN:
            body["pageSpanPercentage"] = self.page_span_percentage
        return body


@attrs.frozen(init=False)
class ImageOptions:
    """Options for part Image (``imageOptions``). Defaults are the server's.

    `jpeg_compression_level` (wire ``jPEGCompressionLevel``) 0..100, used for JPEG only; `page_prefix` names
    the files of a multi-file export (``"Invoice, Page 3.tif"``): at most 10 UTF-16 code units and only
    characters valid in file names on Windows, macOS and Linux (none of ``< > : " / \\ | ? *``, no control
    characters). `watermark` may be a `Watermark` or just its text.
    """

    format: ImageFormat = ImageFormat.MULTI_PAGE_TIFF
    jpeg_compression_level: int = DEFAULT_JPEG_LEVEL
    include_annotations: bool = True
    convert_pdf_annotations: bool = True
    include_redactions: bool = True
    page_prefix: str = DEFAULT_PAGE_PREFIX
    watermark: Watermark | None = None

    def __init__(
        self,
        format: ImageFormat | str = ImageFormat.MULTI_PAGE_TIFF,
        jpeg_compression_level: int = DEFAULT_JPEG_LEVEL,
        include_annotations: bool = True,
        convert_pdf_annotations: bool = True,
        include_redactions: bool = True,
        page_prefix: str = DEFAULT_PAGE_PREFIX,
        watermark: Watermark | str | None = None,
    ) -> None:
        with _validating():
            mark = Watermark(watermark) if isinstance(watermark, str) else watermark
            self.__attrs_init__(
                _enum(ImageFormat, format),
                jpeg_compression_level,
                include_annotations,
                convert_pdf_annotations,
                include_redactions,
                page_prefix,
                mark,
            )

    def __attrs_post_init__(self) -> None:
        _report(self._errors(), self._warnings())

    def _errors(self) -> list[OptionIssue]:
        issues = _enum_issue("imageOptions.format", ImageFormat, self.format)
        issues += _int_issue("imageOptions.jPEGCompressionLevel", self.jpeg_compression_level, 0, 100)
        issues += _bool_issue("imageOptions.includeAnnotations", self.include_annotations)
        issues += _bool_issue("imageOptions.convertPdfAnnotations", self.convert_pdf_annotations)
        issues += _bool_issue("imageOptions.includeRedactions", self.include_redactions)
        path = "imageOptions.pagePrefix"
        prefix_issues = _text_issues(path, self.page_prefix, PAGE_PREFIX_MAX)
        if isinstance(self.page_prefix, str):
            bad = find_file_name_violation(self.page_prefix)
            if bad is not None and 0xD800 <= ord(self.page_prefix[bad]) <= 0xDFFF:
                bad = None  # already reported as a surrogate
            if bad is not None:
                rule = (
                    'must contain only characters valid in file names (none of < > : " / \\ | ? * and no '
                    f"control characters), found {describe_char(self.page_prefix[bad])} at index {bad}"
                )
                prefix_issues.append(OptionIssue(path, self.page_prefix, rule))
        issues += prefix_issues
        if self.watermark is not None and not isinstance(self.watermark, Watermark):
            issues.append(OptionIssue(_W, self.watermark, "must be a Watermark, a str or None"))
        return issues

    def _warnings(self) -> list[str]:
        fmt = self.format
        if not isinstance(fmt, ImageFormat):
            return []
        warns: list[str] = []
        if self.jpeg_compression_level != DEFAULT_JPEG_LEVEL and fmt is not ImageFormat.JPEG:
            warns.append(
                f"imageOptions.jPEGCompressionLevel={self.jpeg_compression_level!r} only applies to "
                f"format JPEG; the server ignores it for {fmt.value}"
            )
        if self.convert_pdf_annotations is not True and (
            fmt is not ImageFormat.PDF or self.include_annotations is not True
        ):
            warns.append(
                "imageOptions.convertPdfAnnotations=False only applies to format PDF with "
                f"includeAnnotations; the server ignores it here (format {fmt.value}, "
                f"includeAnnotations={self.include_annotations})"
            )
        if self.page_prefix != DEFAULT_PAGE_PREFIX and fmt in _SINGLE_FILE_FORMATS:
            warns.append(
                f"imageOptions.pagePrefix={self.page_prefix!r} only names the files of a multi-file export; "
                f"the server ignores it for {fmt.value}"
            )
        return warns

    def to_wire(self) -> dict[str, object]:
        """The ``imageOptions`` JSON object: ``format`` always, the rest only when not the default."""
        body: dict[str, object] = {"format": self.format.value}
        if self.jpeg_compression_level != DEFAULT_JPEG_LEVEL:
            body["jPEGCompressionLevel"] = self.jpeg_compression_level
        if self.include_annotations is not True:
            body["includeAnnotations"] = self.include_annotations
        if self.convert_pdf_annotations is not True:
            body["convertPdfAnnotations"] = self.convert_pdf_annotations
        if self.page_prefix != DEFAULT_PAGE_PREFIX:
            body["pagePrefix"] = self.page_prefix
        if self.include_redactions is not True:
            body["includeRedactions"] = self.include_redactions
        if self.watermark is not None:
            body["watermark"] = self.watermark.to_wire()
        return body


@attrs.frozen(init=False)
class TextOptions:
    """Options for part Text (``textOptions``).

    `redaction_character` replaces each redacted character: exactly one UTF-16 code unit (so not an emoji or
    another character outside the BMP), not whitespace (.NET's definition) and not a control character.
    """

    include_redactions: bool = True
    redaction_character: str = DEFAULT_REDACTION_CHARACTER

    def __init__(
        self, include_redactions: bool = True, redaction_character: str = DEFAULT_REDACTION_CHARACTER
    ) -> None:
        with _validating():
            self.__attrs_init__(include_redactions, redaction_character)

    def __attrs_post_init__(self) -> None:
        _report(self._errors(), [])

    def _errors(self) -> list[OptionIssue]:
        issues = _bool_issue("textOptions.includeRedactions", self.include_redactions)
        path = "textOptions.redactionCharacter"
        char = self.redaction_character
        if not isinstance(char, str):
            return [*issues, OptionIssue(path, char, "must be a str")]
        units = utf16_len(char)
        if units != 1:
            rule = f"must be exactly one character (one UTF-16 code unit); it has {units}"
            issues.append(OptionIssue(path, char, rule))
        elif 0xD800 <= ord(char) <= 0xDFFF:
            issues.append(OptionIssue(path, char, "must not be a surrogate code point"))
        elif is_dotnet_whitespace(char):
            issues.append(OptionIssue(path, char, "must not be whitespace"))
        elif unicodedata.category(char) in ("Cc", "Cf", "Co"):
            # The same rule as the spec's pattern: no control, format or private-use character.
            issues.append(
                OptionIssue(path, char, "must not be a control or format character (or private use)")
            )
        return issues

    def to_wire(self) -> dict[str, object]:
        """The ``textOptions`` JSON object with only the members that differ from the server's defaults."""
        body: dict[str, object] = {}
        if self.include_redactions is not True:
            body["includeRedactions"] = self.include_redactions
        if self.redaction_character != DEFAULT_REDACTION_CHARACTER:
            body["redactionCharacter"] = self.redaction_character
        return body


_DEFAULT_TEXT_OPTIONS = TextOptions()


def _watermark_arg(value: Watermark | str | None) -> Watermark | None:
    return Watermark(value) if isinstance(value, str) else value


@attrs.frozen(init=False)
class ExportOptions:
    """What to export and how: the body of Export/ExportAsync plus the ``pageRange`` query parameter.

    Prefer the named constructors: `pdf`, `tiff`, `single_page_tiff`, `png`, `jpeg`, `image`, `text`, `edoc`.
    The init parameters `image` and `text` fill the attributes `image_options` and `text_options` (the names
    `image` and `text` are the constructors). Change a copy with ``attrs.evolve(opts, pages="2-4")``.

    >>> ExportOptions.text(redaction_character="#").to_request_body()
    {'part': 'Text', 'textOptions': {'redactionCharacter': '#'}}
    """

    part: ExportPart
    pages: PageRange | None = None
    audit_reason_id: int | None = None
    audit_reason_comment: str | None = None
    image_options: ImageOptions | None = attrs.field(default=None, alias="image")
    text_options: TextOptions | None = attrs.field(default=None, alias="text")

    def __init__(
        self,
        part: ExportPart | str,
        pages: PageRange | str | int | None = None,
        audit_reason_id: int | None = None,
        audit_reason_comment: str | None = None,
        image: ImageOptions | None = None,
        text: TextOptions | None = None,
    ) -> None:
        with _validating():
            self.__attrs_init__(
                _enum(ExportPart, part),
                _coerce_pages(pages),
                audit_reason_id,
                audit_reason_comment,
                image,
                text,
            )

    def __attrs_post_init__(self) -> None:
        _report(self._errors(), self._warnings())

    def _errors(self) -> list[OptionIssue]:
        issues = _enum_issue("part", ExportPart, self.part)
        pages: object = self.pages
        if pages is not None and not isinstance(pages, PageRange):
            if isinstance(pages, str):
                try:
                    PageRange.parse(pages)
                except OptionsError as exc:
                    issues += exc.issues
            else:
                issues.append(
                    OptionIssue("pageRange", pages, "must be a PageRange, a str such as '1-3,5', or an int")
                )
        elif isinstance(pages, PageRange):
            length = len(str(pages))
            if length > PAGE_RANGE_WIRE_MAX:
                rule = (
                    f"is {length} characters in canonical form; the server accepts at most "
                    f"{PAGE_RANGE_WIRE_MAX}: use wider ranges or split the export"
                )
                issues.append(OptionIssue("pageRange", pages, rule))
        if self.audit_reason_id is not None:
            issues += _int_issue("auditReasonId", self.audit_reason_id, 1, MAX_INT32)
        if self.audit_reason_comment is not None:
            issues += _text_issues("auditReasonComment", self.audit_reason_comment, AUDIT_REASON_COMMENT_MAX)
        part = self.part if isinstance(self.part, ExportPart) else None
        if self.image_options is not None:
            if not isinstance(self.image_options, ImageOptions):
                issues.append(
                    OptionIssue("imageOptions", self.image_options, "must be an ImageOptions or None")
                )
            elif part is not None and part is not ExportPart.IMAGE:
                rule = f"are only allowed with part Image (part is {part.value})"
                issues.append(OptionIssue("imageOptions", self.image_options, rule))
        if self.text_options is not None:
            if not isinstance(self.text_options, TextOptions):
                issues.append(OptionIssue("textOptions", self.text_options, "must be a TextOptions or None"))
            elif part is not None and part is not ExportPart.TEXT:
                rule = f"are only allowed with part Text (part is {part.value})"
                issues.append(OptionIssue("textOptions", self.text_options, rule))
        return issues

    def _warnings(self) -> list[str]:
        warns: list[str] = []
        if self.part is ExportPart.EDOC and self.pages is not None:
            warns.append(
                f"pageRange={str(self.pages)!r} is ignored by the server for part Edoc: "
                "the whole electronic document is exported"
            )
        if self.audit_reason_comment is not None and self.audit_reason_id is None:
            warns.append(
                "auditReasonComment has no effect without auditReasonId: "
                "the comment belongs to an audit reason"
            )
        return warns

    # --------------------------------------------------------------------------------- named constructors

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
        with _validating():
            image = ImageOptions(
                format,
                jpeg_compression_level,
                include_annotations,
                convert_pdf_annotations,
                include_redactions,
                page_prefix,
                _watermark_arg(watermark),
            )
            return cls(ExportPart.IMAGE, pages, audit_reason_id, audit_reason_comment, image=image)

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
        return cls.image(
            ImageFormat.PDF,
            pages=pages,
            watermark=watermark,
            include_annotations=include_annotations,
            convert_pdf_annotations=convert_pdf_annotations,
            include_redactions=include_redactions,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )

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
        return cls.image(
            ImageFormat.MULTI_PAGE_TIFF,
            pages=pages,
            watermark=watermark,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )

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
        return cls.image(
            ImageFormat.SINGLE_PAGE_TIFF,
            pages=pages,
            page_prefix=page_prefix,
            watermark=watermark,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )

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
        return cls.image(
            ImageFormat.PNG,
            pages=pages,
            page_prefix=page_prefix,
            watermark=watermark,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )

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
        return cls.image(
            ImageFormat.JPEG,
            jpeg_compression_level=quality,
            pages=pages,
            page_prefix=page_prefix,
            watermark=watermark,
            include_annotations=include_annotations,
            include_redactions=include_redactions,
            audit_reason_id=audit_reason_id,
            audit_reason_comment=audit_reason_comment,
        )

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
        with _validating():
            text = TextOptions(include_redactions, redaction_character)
            # All-default text options are the same request as none: keep one representation.
            chosen = None if text == _DEFAULT_TEXT_OPTIONS else text
            return cls(ExportPart.TEXT, pages, audit_reason_id, audit_reason_comment, text=chosen)

    @classmethod
    def edoc(cls, *, audit_reason_id: int | None = None, audit_reason_comment: str | None = None) -> Self:
        """The electronic document as stored (no page range: the server would ignore it)."""
        return cls(ExportPart.EDOC, None, audit_reason_id, audit_reason_comment)

    # ------------------------------------------------------------------------------------------ the wire

    def to_request_body(self) -> dict[str, object]:
        """The exact JSON body for Export/ExportAsync (see the module docstring for what is omitted)."""
        body: dict[str, object] = {"part": self.part.value}
        if self.audit_reason_id is not None:
            body["auditReasonId"] = self.audit_reason_id
        if self.audit_reason_comment is not None:
            body["auditReasonComment"] = self.audit_reason_comment
        if self.image_options is not None:
            body["imageOptions"] = self.image_options.to_wire()
        if self.text_options is not None:
            text = self.text_options.to_wire()
            if text:
                body["textOptions"] = text
        return body

    def query_page_range(self) -> str | None:
        """The ``pageRange`` query value (canonical form), or None for all pages."""
        return None if self.pages is None else str(self.pages)

    def to_generated(self) -> ExportEntryRequest:
        """The generated client's request model; its ``to_dict()`` equals `to_request_body()`."""
        return ExportEntryRequest.from_dict(self.to_request_body())

    @classmethod
    def from_generated(cls, model: ExportEntryRequest, page_range: PageRange | str | None = None) -> Self:
        """Options from a generated request model (validated like any other input)."""
        return cls.from_request_body(model.to_dict(), page_range=page_range)

    @classmethod
    def from_request_body(cls, body: Mapping[str, object], page_range: PageRange | str | None = None) -> Self:
        """Options from a wire JSON body; unknown members and wrong types are reported together."""
        with _validating():
            issues: list[OptionIssue] = []
            if not isinstance(body, Mapping):
                raise OptionsError([OptionIssue("", body, "the request body must be a JSON object")])
            issues += _unknown("", body, _BODY_KEYS)
            image: ImageOptions | None = None
            raw_image = body.get("imageOptions")
            if isinstance(raw_image, Mapping):
                issues += _unknown("imageOptions.", raw_image, _IMAGE_KEYS)
                raw_mark = raw_image.get("watermark")
                mark: Watermark | None = None
                if isinstance(raw_mark, Mapping):
                    issues += _unknown(f"{_W}.", raw_mark, _WATERMARK_KEYS)
                    mark = Watermark(
                        _get(raw_mark, "text", None),
                        _get(raw_mark, "position", WatermarkPosition.DEAD_CENTER),
                        _get(raw_mark, "rotationAngle", DEFAULT_ROTATION),
                        _get(raw_mark, "pageSpanPercentage", DEFAULT_PAGE_SPAN),
                    )
                elif raw_mark is not None:
                    issues.append(OptionIssue(_W, raw_mark, "must be a JSON object"))
                image = ImageOptions(
                    _get(raw_image, "format", ImageFormat.MULTI_PAGE_TIFF),
                    _get(raw_image, "jPEGCompressionLevel", DEFAULT_JPEG_LEVEL),
                    _get(raw_image, "includeAnnotations", True),
                    _get(raw_image, "convertPdfAnnotations", True),
                    _get(raw_image, "includeRedactions", True),
                    _get(raw_image, "pagePrefix", DEFAULT_PAGE_PREFIX),
                    mark,
                )
            elif raw_image is not None:
                issues.append(OptionIssue("imageOptions", raw_image, "must be a JSON object"))
            text: TextOptions | None = None
            raw_text = body.get("textOptions")
            if isinstance(raw_text, Mapping):
                issues += _unknown("textOptions.", raw_text, _TEXT_KEYS)
                text = TextOptions(
                    _get(raw_text, "includeRedactions", True),
                    _get(raw_text, "redactionCharacter", DEFAULT_REDACTION_CHARACTER),
                )
            elif raw_text is not None:
                issues.append(OptionIssue("textOptions", raw_text, "must be a JSON object"))
            _report(issues, [])
            return cls(
                _get(body, "part", None),
                page_range,
                _get(body, "auditReasonId", None),
                _get(body, "auditReasonComment", None),
                image=image,
                text=text,
            )


_BODY_KEYS = frozenset({"part", "auditReasonId", "auditReasonComment", "imageOptions", "textOptions"})
_IMAGE_KEYS = frozenset(
    {
        "format",
        "jPEGCompressionLevel",
        "includeAnnotations",
        "convertPdfAnnotations",
        "pagePrefix",
        "includeRedactions",
        "watermark",
    }
)
_WATERMARK_KEYS = frozenset({"text", "position", "rotationAngle", "pageSpanPercentage"})
_TEXT_KEYS = frozenset({"includeRedactions", "redactionCharacter"})


def _unknown(prefix: str, obj: Mapping[Any, object], known: frozenset[str]) -> list[OptionIssue]:
    return [
        OptionIssue(f"{prefix}{key}", obj[key], "is not a known member (the server rejects unknown members)")
        for key in obj
        if key not in known
    ]


def _get(obj: Mapping[Any, object], key: str, default: object) -> Any:
    """A wire member, typed Any on purpose: the constructors validate whatever arrives."""
    return obj.get(key, default)
