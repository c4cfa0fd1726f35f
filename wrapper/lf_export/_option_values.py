"""The nested blocks of the export options: `Watermark`, `ImageOptions`, `TextOptions`.

Each validates itself when built (or changed with `attrs.evolve`) by the rules in `lf_export._options`, and
lists its issues with paths relative to itself; `ExportOptions` re-prefixes them into one error.
"""

from __future__ import annotations

import attrs

from . import _option_rules as rules
from . import _option_wire as wire
from ._errors import OptionIssue
from ._option_rules import settle, unchecked, within
from ._option_wire import ImageFormat, WatermarkPosition, generated_as, to_format, to_model, to_position

__all__ = ["DEFAULT_PAGE_PREFIX", "ImageOptions", "TextOptions", "Watermark"]

DEFAULT_PAGE_PREFIX = ", Page "
DEFAULT_JPEG_LEVEL = 70
DEFAULT_ROTATION = 0
DEFAULT_PAGE_SPAN = 50
DEFAULT_REDACTION_CHARACTER = "X"


# Formats whose export is one file: the page prefix (used to name the files of a zip) does not apply.
_SINGLE_FILE_FORMATS = frozenset({ImageFormat.PDF, ImageFormat.MULTI_PAGE_TIFF})


def _watermark(value: Watermark | str | None) -> Watermark | None:
    # Unchecked: the image options validate it with their own fields, so one error lists both.
    return unchecked(Watermark, text=value) if isinstance(value, str) else value


@generated_as("Watermark")
@attrs.frozen
class Watermark:
    """A text watermark drawn on every exported page (``imageOptions.watermark``).

    `text`: at most 100 characters counted in UTF-16 code units as the .NET server counts them (an emoji or
    another character outside the BMP counts 2), not empty or all whitespace, no emoji. `rotation_angle` is
    0..360 degrees, `page_span_percentage` 1..100.

    Examples:
        >>> Watermark("CONFIDENTIAL", position="topleft", rotation_angle=45).position
        <WatermarkPosition.TOP_LEFT: 'TopLeft'>
    """

    text: str
    position: WatermarkPosition = attrs.field(default=WatermarkPosition.DEAD_CENTER, converter=to_position)
    rotation_angle: int = DEFAULT_ROTATION
    page_span_percentage: int = DEFAULT_PAGE_SPAN

    def __attrs_post_init__(self) -> None:
        settle(wire.MARK_AT, self._issues())

    def _issues(self) -> list[OptionIssue]:
        """Every problem, with paths relative to the watermark object."""
        return [
            *rules.watermark_text(wire.MARK["text"], self.text),
            *rules.one_of(wire.MARK["position"], WatermarkPosition, self.position),
            *rules.int_in(wire.MARK["rotation_angle"], self.rotation_angle, 0, 360),
            *rules.int_in(wire.MARK["page_span_percentage"], self.page_span_percentage, 1, 100),
        ]

    def to_wire(self) -> dict[str, object]:
        """The ``watermark`` JSON object: ``text`` always, the rest only when not the server's default."""
        return dict(to_model(self).to_dict())


@generated_as("ImageExportOptions")
@attrs.frozen
class ImageOptions:
    """Options for part Image (``imageOptions``). Defaults are the server's.

    `jpeg_compression_level` (wire ``jPEGCompressionLevel``) 0..100, used for JPEG only; `page_prefix` names
    the files of a multi-file export (``"Invoice, Page 3.tif"``): at most 10 UTF-16 code units and only
    characters valid in file names on Windows, macOS and Linux (none of ``< > : " / \\ | ? *``, no control
    characters). `watermark` may be a `Watermark` or just its text.
    """

    format: ImageFormat = attrs.field(default=ImageFormat.MULTI_PAGE_TIFF, converter=to_format)
    jpeg_compression_level: int = DEFAULT_JPEG_LEVEL
    include_annotations: bool = True
    convert_pdf_annotations: bool = True
    include_redactions: bool = True
    page_prefix: str = DEFAULT_PAGE_PREFIX
    watermark: Watermark | None = attrs.field(default=None, converter=_watermark)

    def __attrs_post_init__(self) -> None:
        settle(wire.IMAGE_AT, self._issues(), self._warnings)

    def _issues(self) -> list[OptionIssue]:
        """Every problem (the watermark's first), with paths relative to the image options object."""
        mark = self.watermark
        issues = within(wire.IMAGE["watermark"], mark._issues()) if isinstance(mark, Watermark) else []
        issues += rules.one_of(wire.IMAGE["format_"], ImageFormat, self.format)
        issues += rules.int_in(wire.IMAGE["j_peg_compression_level"], self.jpeg_compression_level, 0, 100)
        issues += rules.boolean(wire.IMAGE["include_annotations"], self.include_annotations)
        issues += rules.boolean(wire.IMAGE["convert_pdf_annotations"], self.convert_pdf_annotations)
        issues += rules.boolean(wire.IMAGE["include_redactions"], self.include_redactions)
        issues += rules.page_prefix(wire.IMAGE["page_prefix"], self.page_prefix)
        if mark is not None and not isinstance(mark, Watermark):
            issues.append(OptionIssue(wire.IMAGE["watermark"], mark, "must be a Watermark, a str or None"))
        return issues

    def _warnings(self) -> list[str]:
        """Settings that differ from their default although the server ignores them for this format."""
        fmt, at, name = self.format, f"{wire.IMAGE_AT}.", wire.IMAGE
        if not isinstance(fmt, ImageFormat):
            return []
        warns: list[str] = []
        if self.jpeg_compression_level != DEFAULT_JPEG_LEVEL and fmt is not ImageFormat.JPEG:
            warns.append(
                f"{at}{name['j_peg_compression_level']}={self.jpeg_compression_level!r} only applies to "
                f"format JPEG; the server ignores it for {fmt.value}"
            )
        annotations = name["include_annotations"]
        if self.convert_pdf_annotations is not True and (
            fmt is not ImageFormat.PDF or self.include_annotations is not True
        ):
            warns.append(
                f"{at}{name['convert_pdf_annotations']}=False only applies to format PDF with {annotations}; "
                f"the server ignores it here (format {fmt.value}, {annotations}={self.include_annotations})"
            )
        if self.page_prefix != DEFAULT_PAGE_PREFIX and fmt in _SINGLE_FILE_FORMATS:
            warns.append(
                f"{at}{name['page_prefix']}={self.page_prefix!r} only names the files of a multi-file "
                f"export; the server ignores it for {fmt.value}"
            )
        return warns

    def to_wire(self) -> dict[str, object]:
        """The ``imageOptions`` JSON object: ``format`` always, the rest only when not the default."""
        return dict(to_model(self).to_dict())


@generated_as("TextExportOptions")
@attrs.frozen
class TextOptions:
    """Options for part Text (``textOptions``).

    `redaction_character` replaces each redacted character: exactly one UTF-16 code unit (so not an emoji or
    another character outside the BMP), not whitespace (.NET's definition) and not a control character.
    """

    include_redactions: bool = True
    redaction_character: str = DEFAULT_REDACTION_CHARACTER

    def __attrs_post_init__(self) -> None:
        settle(wire.TEXT_AT, self._issues())

    def _issues(self) -> list[OptionIssue]:
        """Every problem, with paths relative to the text options object."""
        return [
            *rules.boolean(wire.TEXT["include_redactions"], self.include_redactions),
            *rules.redaction_character(wire.TEXT["redaction_character"], self.redaction_character),
        ]

    def to_wire(self) -> dict[str, object]:
        """The ``textOptions`` JSON object with only the members that differ from the server's defaults."""
        return dict(to_model(self).to_dict())


DEFAULT_TEXT_OPTIONS = unchecked(TextOptions)  # the defaults are valid by construction (a test checks it)
