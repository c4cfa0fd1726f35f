"""Export option flags (``--format pdf --pages 1-3 --watermark DRAFT``) → validated `ExportOptions`.

The flags are turned into the wire request body and validated by `ExportOptions.from_request_body`, so the
rules live in one place (the library); problems only the command line can have (a word where a number
belongs, an unknown format name, a flag for another part) are added to the same `OptionsError`, each named
by its flag.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import attrs

from lf_export import ExportOptions, OptionIssue, OptionsError, OptionsWarning

__all__ = ["FORMAT_NAMES", "OptionFlags", "build_options", "flag_for_field"]


#: CLI format names → wire ``imageOptions.format`` values. Wire names are accepted too, in any case.
FORMAT_NAMES: Mapping[str, str] = {
    "tiff": "MultiPageTIFF",
    "single-tiff": "SinglePageTIFF",
    "png": "PNG",
    "pdf": "PDF",
    "jpeg": "JPEG",
}
_WIRE_FORMATS = {value.casefold(): value for value in FORMAT_NAMES.values()}

#: Wire field paths → the flag that sets them (for messages a command-line user can act on).
_FLAGS: Mapping[str, str] = {
    "part": "--part",
    "pageRange": "--pages",
    "imageOptions.format": "--format",
    "imageOptions.jPEGCompressionLevel": "--jpeg-quality",
    "imageOptions.includeAnnotations": "--no-annotations",
    "imageOptions.includeRedactions": "--no-redactions",
    "imageOptions.pagePrefix": "--page-prefix",
    "imageOptions.watermark.text": "--watermark",
    "imageOptions.watermark.position": "--watermark-position",
    "imageOptions.watermark.rotationAngle": "--watermark-angle",
    "imageOptions.watermark.pageSpanPercentage": "--watermark-span",
    "textOptions.includeRedactions": "--no-redactions",
    "textOptions.redactionCharacter": "--redaction-char",
    "auditReasonId": "--audit-reason",
    "auditReasonComment": "--audit-comment",
}


def flag_for_field(field: str) -> str | None:
    """The flag that sets a wire field (``imageOptions.watermark.rotationAngle`` → ``--watermark-angle``)."""
    if field.startswith("-") or field.isupper():  # already a flag or an argument (ENTRY_ID)
        return field
    return _FLAGS.get(field)


@attrs.frozen(kw_only=True)
class OptionFlags:
    """Export option flags exactly as typed (strings), so one pass can report every problem."""

    part: str | None = None
    format: str | None = None
    pages: str | None = None
    jpeg_quality: str | None = None
    watermark: str | None = None
    watermark_position: str | None = None
    watermark_angle: str | None = None
    watermark_span: str | None = None
    no_annotations: bool = False
    no_redactions: bool = False
    page_prefix: str | None = None
    redaction_char: str | None = None
    audit_reason: str | None = None
    audit_comment: str | None = None

    @property
    def audit_reason_name(self) -> str | None:
        """The audit reason when given by name (resolved against the server), else None."""
        value = self.audit_reason
        if value is None or (value.strip().isascii() and value.strip().isdigit()):
            return None
        return value.strip()


def _int_flag(flag: str, value: str | None, issues: list[OptionIssue]) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.lstrip("-").isdigit() and text.count("-") <= 1:
        return int(text)
    issues.append(OptionIssue(flag, value, "must be a whole number"))
    return None


def build_options(flags: OptionFlags, audit_reason_id: int | None = None) -> tuple[ExportOptions, list[str]]:
    """Validated `ExportOptions` from flags, and the warnings the options raised (settings the server would
    ignore). An audit reason given by name needs `audit_reason_id` (resolved by the caller); until then a
    placeholder id is validated. Raises one `OptionsError` with every problem."""
    issues: list[OptionIssue] = []
    part = (flags.part or "image").strip()
    part_key = part.casefold()
    body: dict[str, object] = {"part": part}

    image_flags = {
        "--format": flags.format is not None,
        "--jpeg-quality": flags.jpeg_quality is not None,
        "--watermark": flags.watermark is not None,
        "--watermark-position": flags.watermark_position is not None,
        "--watermark-angle": flags.watermark_angle is not None,
        "--watermark-span": flags.watermark_span is not None,
        "--no-annotations": flags.no_annotations,
        "--page-prefix": flags.page_prefix is not None,
    }
    text_flags = {"--redaction-char": flags.redaction_char is not None}
    if part_key == "image":
        image: dict[str, object] = {}
        fmt = (flags.format or "tiff").strip()
        wire_format = FORMAT_NAMES.get(fmt.casefold()) or _WIRE_FORMATS.get(fmt.casefold())
        if wire_format is None:
            names = ", ".join(FORMAT_NAMES)
            issues.append(OptionIssue("--format", fmt, f"must be one of {names}"))
            wire_format = "MultiPageTIFF"
        image["format"] = wire_format
        quality = _int_flag("--jpeg-quality", flags.jpeg_quality, issues)
        if quality is not None:
            image["jPEGCompressionLevel"] = quality
        if flags.no_annotations:
            image["includeAnnotations"] = False
        if flags.no_redactions:
            image["includeRedactions"] = False
        if flags.page_prefix is not None:
            image["pagePrefix"] = flags.page_prefix
        mark_flags = ("--watermark-position", "--watermark-angle", "--watermark-span")
        if flags.watermark is not None:
            mark: dict[str, object] = {"text": flags.watermark}
            if flags.watermark_position is not None:
                mark["position"] = flags.watermark_position.strip().replace("-", "")
            angle = _int_flag("--watermark-angle", flags.watermark_angle, issues)
            if angle is not None:
                mark["rotationAngle"] = angle
            span = _int_flag("--watermark-span", flags.watermark_span, issues)
            if span is not None:
                mark["pageSpanPercentage"] = span
            image["watermark"] = mark
        else:
            issues += [
                OptionIssue(flag, None, "needs --watermark TEXT") for flag in mark_flags if image_flags[flag]
            ]
        body["imageOptions"] = image
        issues += [
            OptionIssue(flag, None, "only applies to --part text")
            for flag, given in text_flags.items()
            if given
        ]
    elif part_key in ("text", "edoc"):
        issues += [
            OptionIssue(flag, None, "only applies to --part image")
            for flag, given in image_flags.items()
            if given
        ]
        if part_key == "text":
            text: dict[str, object] = {}
            if flags.no_redactions:
                text["includeRedactions"] = False
            if flags.redaction_char is not None:
                text["redactionCharacter"] = flags.redaction_char
            if text:
                body["textOptions"] = text
        else:
            issues += [
                OptionIssue(flag, None, "only applies to --part text")
                for flag, given in text_flags.items()
                if given
            ]
            if flags.no_redactions:
                issues.append(OptionIssue("--no-redactions", None, "only applies to --part image or text"))
    # else: an unknown part is reported by the options' own validation, with the allowed values.

    if flags.audit_reason is not None:
        name = flags.audit_reason_name
        if name is None:
            body["auditReasonId"] = _int_flag("--audit-reason", flags.audit_reason, issues)
        elif not name:
            issues.append(OptionIssue("--audit-reason", flags.audit_reason, "must be an id or a name"))
        else:
            body["auditReasonId"] = audit_reason_id if audit_reason_id is not None else 1
        if body.get("auditReasonId") is None:
            body.pop("auditReasonId", None)
    if flags.audit_comment is not None:
        body["auditReasonComment"] = flags.audit_comment

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OptionsWarning)
        try:
            options = ExportOptions.from_request_body(body, page_range=flags.pages)
        except OptionsError as exc:
            raise OptionsError([*issues, *exc.issues]) from None
    if issues:
        raise OptionsError(issues)
    messages = [str(w.message) for w in caught if issubclass(w.category, OptionsWarning)]
    return options, list(dict.fromkeys(messages))
