"""Export options: every rule on both sides of every bound, cross-field errors/warnings, wire body, models."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lf_export._errors import OptionIssue, OptionsError, OptionsWarning
from lf_export._options import (
    ExportOptions,
    ExportPart,
    ImageFormat,
    ImageOptions,
    TextOptions,
    Watermark,
    WatermarkPosition,
)
from lf_export._pages import PageRange
from lf_repository_v2.models import ExportEntryRequest
from lf_repository_v2.models import ExportPart as GenExportPart


def issues_of(build: Callable[[], object]) -> list[tuple[str, object, str]]:
    with pytest.raises(OptionsError) as info:
        build()
    return [(i.field, i.value, i.rule) for i in info.value.issues]


def no_warnings(build: Callable[[], object]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return build()


# ------------------------------------------------------------------------------------------- integer bounds

INT_RULES = [
    # (field path, builder, lo, hi)
    ("imageOptions.jPEGCompressionLevel", lambda v: ImageOptions("JPEG", jpeg_compression_level=v), 0, 100),
    ("imageOptions.watermark.rotationAngle", lambda v: Watermark("A", rotation_angle=v), 0, 360),
    ("imageOptions.watermark.pageSpanPercentage", lambda v: Watermark("A", page_span_percentage=v), 1, 100),
    ("auditReasonId", lambda v: ExportOptions("Edoc", audit_reason_id=v), 1, 2147483647),
]


@pytest.mark.parametrize(("field", "build", "lo", "hi"), INT_RULES)
def test_int_bounds_accept_both_ends(field: str, build: Callable[[object], object], lo: int, hi: int) -> None:
    no_warnings(lambda: build(lo))
    no_warnings(lambda: build(hi))


@pytest.mark.parametrize(("field", "build", "lo", "hi"), INT_RULES)
def test_int_bounds_reject_just_outside(
    field: str, build: Callable[[object], object], lo: int, hi: int
) -> None:
    rule = f"must be between {lo} and {hi} inclusive"
    assert issues_of(lambda: build(lo - 1)) == [(field, lo - 1, rule)]
    assert issues_of(lambda: build(hi + 1)) == [(field, hi + 1, rule)]


@pytest.mark.parametrize(("field", "build", "lo", "hi"), INT_RULES)
@pytest.mark.parametrize("bad", [True, False, 50.0, "50", 1 + 0j])
def test_int_fields_reject_non_ints(
    field: str, build: Callable[[object], object], lo: int, hi: int, bad: object
) -> None:
    assert issues_of(lambda: build(bad)) == [(field, bad, f"must be an int between {lo} and {hi} inclusive")]


@pytest.mark.parametrize(
    ("value", "ok"),
    [(-1, False), (0, True), (100, True), (101, False), (360, False)],
)
def test_jpeg_level_table(value: int, ok: bool) -> None:
    if ok:
        assert ExportOptions.jpeg(quality=value).image_options is not None
    else:
        assert issues_of(lambda: ExportOptions.jpeg(quality=value)) == [
            ("imageOptions.jPEGCompressionLevel", value, "must be between 0 and 100 inclusive")
        ]


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (360, True), (361, False)])
def test_rotation_table(value: int, ok: bool) -> None:
    if ok:
        assert Watermark("A", rotation_angle=value).rotation_angle == value
    else:
        assert issues_of(lambda: Watermark("A", rotation_angle=value)) == [
            ("imageOptions.watermark.rotationAngle", value, "must be between 0 and 360 inclusive")
        ]


@pytest.mark.parametrize(("value", "ok"), [(0, False), (1, True), (100, True), (101, False)])
def test_page_span_table(value: int, ok: bool) -> None:
    if ok:
        assert Watermark("A", page_span_percentage=value).page_span_percentage == value
    else:
        assert issues_of(lambda: Watermark("A", page_span_percentage=value)) == [
            ("imageOptions.watermark.pageSpanPercentage", value, "must be between 1 and 100 inclusive")
        ]


# ------------------------------------------------------------------------------------------------- strings

W = "imageOptions.watermark.text"


@pytest.mark.parametrize(
    "text",
    [
        "A" * 100,
        "\u4e2d" * 100,  # CJK: one UTF-16 unit each
        "CONFIDENTIAL",
        " padded ",
        "\u00a9 2024 Acme\u2122",  # © and ™ in text presentation
        "\u2194 \u263a \u2764 \u203c",  # ↔ ☺ ❤ ‼ without VS16
        "\u0645\u0631\u062d\u0628\u0627",  # Arabic
        "e\u0301t\u00e9",  # combining acute accent
        "\u0915\u094d\u200d\u0937",  # Devanagari with ZWJ between letters
        "Line1\nLine2",
        "#1 *draft*",
        "\u2194\ufe0e",  # ↔ with VS15 (text presentation)
    ],
)
def test_watermark_text_accepted(text: str) -> None:
    assert no_warnings(lambda: Watermark(text)).text == text


@pytest.mark.parametrize(
    ("text", "units"),
    [("A" * 101, 101), ("\U00020000" * 51, 102), ("A" * 99 + "\U00020000", 101)],
)
def test_watermark_text_too_long_counts_utf16_units(text: str, units: int) -> None:
    assert issues_of(lambda: Watermark(text)) == [
        (W, text, f"must be at most 100 characters (UTF-16 code units); it has {units}")
    ]


def test_watermark_text_bmp_and_astral_at_the_bound() -> None:
    assert Watermark("\U00020000" * 50).text == "\U00020000" * 50  # 100 UTF-16 units: accepted


@pytest.mark.parametrize("text", ["", " ", "\t\n", "\u00a0", "\u3000", "\u2028", "\u0085 \u2009"])
def test_watermark_text_all_whitespace(text: str) -> None:
    assert issues_of(lambda: Watermark(text)) == [(W, text, "must not be empty or all whitespace")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("hi \U0001f600", "'\U0001f600' (U+1F600) at index 3"),
        ("\u00a9\ufe0f 2024", "'\u00a9\ufe0f' (U+00A9 U+FE0F) at index 0"),
        ("\u2122\ufe0f", "'\u2122\ufe0f' (U+2122 U+FE0F) at index 0"),
        ("A\ufe0f", "'A\ufe0f' (U+0041 U+FE0F) at index 0"),
        ("1\ufe0f\u20e3", "'1\ufe0f\u20e3' (U+0031 U+FE0F U+20E3) at index 0"),
        ("#\u20e3", "'#\u20e3' (U+0023 U+20E3) at index 0"),
        ("\U0001f1fa\U0001f1f8", "'\U0001f1fa\U0001f1f8' (U+1F1FA U+1F1F8) at index 0"),
        ("x\U0001f1fa", "'\U0001f1fa' (U+1F1FA) at index 1"),
        ("\U0001f44d\U0001f3fd", "'\U0001f44d\U0001f3fd' (U+1F44D U+1F3FD) at index 0"),
        ("a\U0001f3fd", "'\U0001f3fd' (U+1F3FD) at index 1"),
        (
            "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "'\U0001f468\\u200d\U0001f469\\u200d\U0001f467' (U+1F468 U+200D U+1F469 U+200D U+1F467) "
            "at index 0",
        ),
        ("\u231a", "'\u231a' (U+231A) at index 0"),
        ("\u231a\ufe0e", "'\u231a' (U+231A) at index 0"),
        ("\u2764\u200d\u2764", "'\u2764\\u200d\u2764' (U+2764 U+200D U+2764) at index 0"),
        (
            "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
            "'\U0001f3f4\\U000e0067\\U000e0062\\U000e0065\\U000e006e\\U000e0067\\U000e007f' "
            "(U+1F3F4 U+E0067 U+E0062 U+E0065 U+E006E U+E0067 U+E007F) at index 0",
        ),
    ],
)
def test_watermark_text_emoji(text: str, found: str) -> None:
    assert issues_of(lambda: Watermark(text)) == [(W, text, f"must not contain emoji, found {found}")]


def test_watermark_text_surrogates() -> None:
    text = "ab\ud83d\ude00"  # a split pair: JSON would send it as an emoji
    assert issues_of(lambda: Watermark(text)) == [
        (W, text, "must not contain surrogate code points, found U+D83D at index 2")
    ]


@pytest.mark.parametrize("bad", [None, 5, b"CONF", ["a"]])
def test_watermark_text_type(bad: object) -> None:
    assert issues_of(lambda: Watermark(bad)) == [(W, bad, "must be a str")]  # type: ignore[arg-type]


P = "imageOptions.pagePrefix"


@pytest.mark.parametrize(
    "prefix", ["", ", Page ", "_p", "A" * 10, "\u00e9" * 10, "-#%&'()+,;", "Seite ", "\u9801"]
)
def test_page_prefix_accepted(prefix: str) -> None:
    assert no_warnings(lambda: ImageOptions("SinglePageTIFF", page_prefix=prefix)).page_prefix == prefix


@pytest.mark.parametrize(
    ("prefix", "units"), [("A" * 11, 11), ("\U0001f4c4" * 6, 12), ("A" * 9 + "\U00020000", 11)]
)
def test_page_prefix_too_long(prefix: str, units: int) -> None:
    rule = f"must be at most 10 characters (UTF-16 code units); it has {units}"
    assert issues_of(lambda: ImageOptions("PNG", page_prefix=prefix)) == [(P, prefix, rule)]


@pytest.mark.parametrize(
    ("prefix", "found"),
    [(f"a{c}b", f"{c!r} (U+{ord(c):04X}) at index 1") for c in '<>:"/\\|?*\x00\x1f\x7f\x85\n\t'],
)
def test_page_prefix_file_name_characters(prefix: str, found: str) -> None:
    rule = (
        'must contain only characters valid in file names (none of < > : " / \\ | ? * and no control '
        f"characters), found {found}"
    )
    assert issues_of(lambda: ImageOptions("PNG", page_prefix=prefix)) == [(P, prefix, rule)]


def test_page_prefix_reports_length_and_characters_together() -> None:
    prefix = "page:number"
    assert [rule for _, _, rule in issues_of(lambda: ImageOptions("PNG", page_prefix=prefix))] == [
        "must be at most 10 characters (UTF-16 code units); it has 11",
        'must contain only characters valid in file names (none of < > : " / \\ | ? * and no control '
        "characters), found ':' (U+003A) at index 4",
    ]


R = "textOptions.redactionCharacter"


@pytest.mark.parametrize("char", ["X", "#", "*", "\u2588", "\u4e2d", "\u00e9", "0"])
def test_redaction_character_accepted(char: str) -> None:
    assert TextOptions(redaction_character=char).redaction_character == char


@pytest.mark.parametrize(
    ("char", "rule"),
    [
        ("", "must be exactly one character (one UTF-16 code unit); it has 0"),
        ("XX", "must be exactly one character (one UTF-16 code unit); it has 2"),
        ("\U0001f600", "must be exactly one character (one UTF-16 code unit); it has 2"),
        ("\U00020000", "must be exactly one character (one UTF-16 code unit); it has 2"),
        ("e\u0301", "must be exactly one character (one UTF-16 code unit); it has 2"),
        (" ", "must not be whitespace"),
        ("\t", "must not be whitespace"),
        ("\u00a0", "must not be whitespace"),
        ("\u3000", "must not be whitespace"),
        ("\x00", "must not be a control or format character (or private use)"),
        ("\u200b", "must not be a control or format character (or private use)"),
        ("\ud800", "must not be a surrogate code point"),
    ],
)
def test_redaction_character_rejected(char: str, rule: str) -> None:
    assert issues_of(lambda: TextOptions(redaction_character=char)) == [(R, char, rule)]


def test_audit_reason_comment_length() -> None:
    assert ExportOptions("Edoc", audit_reason_id=1, audit_reason_comment="c" * 255).audit_reason_comment
    assert ExportOptions("Edoc", audit_reason_id=1, audit_reason_comment="").audit_reason_comment == ""
    text = "c" * 256
    assert issues_of(lambda: ExportOptions("Edoc", audit_reason_id=1, audit_reason_comment=text)) == [
        ("auditReasonComment", text, "must be at most 255 characters (UTF-16 code units); it has 256")
    ]
    astral = "\U00020000" * 128
    assert issues_of(lambda: ExportOptions("Edoc", audit_reason_id=1, audit_reason_comment=astral)) == [
        ("auditReasonComment", astral, "must be at most 255 characters (UTF-16 code units); it has 256")
    ]


@pytest.mark.parametrize(
    ("field", "build"),
    [
        ("imageOptions.includeAnnotations", lambda v: ImageOptions(include_annotations=v)),
        ("imageOptions.convertPdfAnnotations", lambda v: ImageOptions("PDF", convert_pdf_annotations=v)),
        ("imageOptions.includeRedactions", lambda v: ImageOptions(include_redactions=v)),
        ("textOptions.includeRedactions", lambda v: TextOptions(include_redactions=v)),
    ],
)
@pytest.mark.parametrize("bad", [1, 0, "true", None])
def test_bools_are_strict(field: str, build: Callable[[object], object], bad: object) -> None:
    assert issues_of(lambda: build(bad)) == [(field, bad, "must be a bool (True or False)")]


# --------------------------------------------------------------------------------------------------- enums


@pytest.mark.parametrize(
    ("value", "member"),
    [
        ("PDF", ImageFormat.PDF),
        ("pdf", ImageFormat.PDF),
        ("multipagetiff", ImageFormat.MULTI_PAGE_TIFF),
        ("MULTI_PAGE_TIFF", ImageFormat.MULTI_PAGE_TIFF),
        (" SinglePageTIFF ", ImageFormat.SINGLE_PAGE_TIFF),
        (ImageFormat.JPEG, ImageFormat.JPEG),
    ],
)
def test_image_format_accepts_members_and_strings(value: str, member: ImageFormat) -> None:
    assert ImageOptions(value).format is member


def test_enums_accept_generated_members() -> None:
    assert ExportOptions(GenExportPart.TEXT).part is ExportPart.TEXT


@pytest.mark.parametrize(
    ("build", "field", "value", "allowed"),
    [
        (lambda: ExportOptions("Images"), "part", "Images", "Image, Text, Edoc"),
        (lambda: ExportOptions(None), "part", None, "Image, Text, Edoc"),  # type: ignore[arg-type]
        (
            lambda: ImageOptions("GIF"),
            "imageOptions.format",
            "GIF",
            "MultiPageTIFF, SinglePageTIFF, PNG, PDF, JPEG",
        ),
        (
            lambda: Watermark("A", position="Center"),
            "imageOptions.watermark.position",
            "Center",
            "TopLeft, TopCenter, TopRight, MiddleLeft, DeadCenter, MiddleRight, BottomLeft, BottomCenter, "
            "BottomRight",
        ),
        (lambda: ExportOptions(ImageFormat.PDF), "part", ImageFormat.PDF, "Image, Text, Edoc"),
    ],
)
def test_enum_errors_list_allowed_values(
    build: Callable[[], object], field: str, value: object, allowed: str
) -> None:
    assert issues_of(build) == [(field, value, f"must be one of {allowed} (any case)")]


def test_enum_values_are_wire_strings() -> None:
    assert [p.value for p in ExportPart] == ["Image", "Text", "Edoc"]
    assert WatermarkPosition("DeadCenter") is WatermarkPosition.DEAD_CENTER
    assert Watermark("A", position="bottomright").position is WatermarkPosition.BOTTOM_RIGHT


# ------------------------------------------------------------------------------------------ all at once


def test_named_constructor_reports_every_level_at_once() -> None:
    found = issues_of(
        lambda: ExportOptions.jpeg(
            quality=101,
            pages="3-1",
            watermark="\U0001f600",
            page_prefix="a/b",
            audit_reason_id=0,
        )
    )
    assert [field for field, _, _ in found] == [
        "imageOptions.watermark.text",
        "imageOptions.jPEGCompressionLevel",
        "imageOptions.pagePrefix",
        "pageRange",
        "auditReasonId",
    ]


def test_image_options_report_watermark_given_as_text_with_own_problems() -> None:
    found = issues_of(lambda: ImageOptions("PDF", jpeg_compression_level=-1, watermark="   "))
    assert [field for field, _, _ in found] == [
        "imageOptions.watermark.text",
        "imageOptions.jPEGCompressionLevel",
    ]


def test_error_message_lists_all_problems() -> None:
    with pytest.raises(OptionsError) as info:
        Watermark("", rotation_angle=361, page_span_percentage=0)
    assert str(info.value) == (
        "invalid export options: imageOptions.watermark.text: must not be empty or all whitespace (got ''); "
        "imageOptions.watermark.rotationAngle: must be between 0 and 360 inclusive (got 361); "
        "imageOptions.watermark.pageSpanPercentage: must be between 1 and 100 inclusive (got 0)"
    )
    assert isinstance(info.value, ValueError)


def test_issue_objects_are_frozen_values() -> None:
    issue = OptionIssue("part", "x", "rule")
    assert issue == OptionIssue("part", "x", "rule")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        issue.rule = "other"  # type: ignore[misc]


# ------------------------------------------------------------------------------------- cross-field errors


@pytest.mark.parametrize("part", ["Text", "Edoc"])
def test_image_options_only_with_part_image(part: str) -> None:
    image = ImageOptions("PDF")
    assert issues_of(lambda: ExportOptions(part, image=image)) == [
        ("imageOptions", image, f"are only allowed with part Image (part is {part})")
    ]


@pytest.mark.parametrize("part", ["Image", "Edoc"])
def test_text_options_only_with_part_text(part: str) -> None:
    text = TextOptions()
    assert issues_of(lambda: ExportOptions(part, text=text)) == [
        ("textOptions", text, f"are only allowed with part Text (part is {part})")
    ]


def test_wrong_types_for_nested_options() -> None:
    assert issues_of(lambda: ExportOptions("Image", image={"format": "PDF"})) == [  # type: ignore[arg-type]
        ("imageOptions", {"format": "PDF"}, "must be an ImageOptions or None")
    ]
    assert issues_of(lambda: ImageOptions(watermark=5)) == [  # type: ignore[arg-type]
        ("imageOptions.watermark", 5, "must be a Watermark, a str or None")
    ]


# ---------------------------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ExportOptions("Edoc", pages="1-3"),
            "pageRange='1-3' is ignored by the server for part Edoc: "
            "the whole electronic document is exported",
        ),
        (
            lambda: ExportOptions.pdf(),
            None,
        ),
        (
            lambda: ImageOptions("PDF", jpeg_compression_level=50),
            "imageOptions.jPEGCompressionLevel=50 only applies to format JPEG; the server ignores it for PDF",
        ),
        (
            lambda: ImageOptions("PNG", convert_pdf_annotations=False),
            "imageOptions.convertPdfAnnotations=False only applies to format PDF with includeAnnotations; "
            "the server ignores it here (format PNG, includeAnnotations=True)",
        ),
        (
            lambda: ImageOptions("PDF", include_annotations=False, convert_pdf_annotations=False),
            "imageOptions.convertPdfAnnotations=False only applies to format PDF with includeAnnotations; "
            "the server ignores it here (format PDF, includeAnnotations=False)",
        ),
        (
            lambda: ImageOptions("MultiPageTIFF", page_prefix="_p"),
            "imageOptions.pagePrefix='_p' only names the files of a multi-file export; "
            "the server ignores it for MultiPageTIFF",
        ),
        (
            lambda: ExportOptions.text(audit_reason_comment="why"),
            "auditReasonComment has no effect without auditReasonId: the comment belongs to an audit reason",
        ),
    ],
)
def test_ignored_settings_warn(build: Callable[[], object], message: str | None) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build()
    assert [str(w.message) for w in caught] == ([message] if message else [])
    assert all(w.category is OptionsWarning for w in caught)
    # The warning points at the caller (this file), not at lf_export internals or attrs' generated code.
    assert all(w.filename == __file__ for w in caught)


def test_meaningful_settings_do_not_warn() -> None:
    no_warnings(lambda: ImageOptions("JPEG", jpeg_compression_level=10, page_prefix="_p"))
    no_warnings(lambda: ImageOptions("PDF", convert_pdf_annotations=False))
    no_warnings(lambda: ImageOptions("SinglePageTIFF", page_prefix="_p"))
    no_warnings(lambda: ExportOptions.text(pages="1-2", audit_reason_id=3, audit_reason_comment="why"))


def test_warned_settings_are_still_sent() -> None:
    with pytest.warns(OptionsWarning):
        opts = ExportOptions("Edoc", pages="2")
    assert opts.query_page_range() == "2"
    with pytest.warns(OptionsWarning):
        image = ImageOptions("PDF", jpeg_compression_level=50)
    assert image.to_wire() == {"format": "PDF", "jPEGCompressionLevel": 50}


def test_no_warning_when_construction_fails() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(OptionsError):
            ExportOptions.image("PDF", jpeg_compression_level=50, page_prefix="a:b")
    assert caught == []


# ------------------------------------------------------------------------------------------- page ranges


def test_pages_accept_str_int_and_page_range() -> None:
    assert ExportOptions.pdf(pages="3, 1-2").query_page_range() == "1-3"
    assert ExportOptions.pdf(pages=4).query_page_range() == "4"
    assert ExportOptions.pdf(pages=PageRange.of((2, 5))).pages == PageRange.parse("2-5")
    assert ExportOptions.pdf().query_page_range() is None


def test_page_range_errors_inside_options_keep_the_caret() -> None:
    with pytest.raises(OptionsError) as info:
        ExportOptions.pdf(pages="1-3,,5", watermark=" ")
    message = str(info.value)
    assert message.endswith("  1-3,,5\n      ^")
    assert [i.field for i in info.value.issues] == ["imageOptions.watermark.text", "pageRange"]


def test_page_range_wire_length_limit() -> None:
    ok = PageRange.of(*range(1, 2 * 1638, 2))  # 1637 odd pages: under 8192 characters
    assert len(str(ok)) <= 8192
    ExportOptions.pdf(pages=ok)
    big = PageRange.of(*range(1, 2 * 3000, 2))
    found = issues_of(lambda: ExportOptions.pdf(pages=big))
    assert found == [
        (
            "pageRange",
            big,
            f"is {len(str(big))} characters in canonical form; the server accepts at most 8192: "
            "use wider ranges or split the export",
        )
    ]


@pytest.mark.parametrize("bad", [0, True, 2.5, ["1"]])
def test_pages_wrong_type(bad: object) -> None:
    found = issues_of(lambda: ExportOptions.pdf(pages=bad))  # type: ignore[arg-type]
    assert [field for field, _, _ in found] == ["pageRange"]


# ----------------------------------------------------------------------------------------------- the wire


@pytest.mark.parametrize(
    ("opts", "body"),
    [
        (lambda: ExportOptions.edoc(), {"part": "Edoc"}),
        (lambda: ExportOptions("Image"), {"part": "Image"}),
        (lambda: ExportOptions.text(), {"part": "Text"}),
        (lambda: ExportOptions.tiff(), {"part": "Image", "imageOptions": {"format": "MultiPageTIFF"}}),
        (
            lambda: ExportOptions.pdf(pages="1-3", watermark="CONFIDENTIAL"),
            {"part": "Image", "imageOptions": {"format": "PDF", "watermark": {"text": "CONFIDENTIAL"}}},
        ),
        (
            lambda: ExportOptions.jpeg(quality=85, page_prefix="_p"),
            {
                "part": "Image",
                "imageOptions": {"format": "JPEG", "jPEGCompressionLevel": 85, "pagePrefix": "_p"},
            },
        ),
        (
            lambda: ExportOptions.single_page_tiff(page_prefix="-"),
            {"part": "Image", "imageOptions": {"format": "SinglePageTIFF", "pagePrefix": "-"}},
        ),
        (
            lambda: ExportOptions.png(include_annotations=False, include_redactions=False),
            {
                "part": "Image",
                "imageOptions": {"format": "PNG", "includeAnnotations": False, "includeRedactions": False},
            },
        ),
        (
            lambda: ExportOptions.pdf(
                convert_pdf_annotations=False,
                watermark=Watermark("DRAFT", "TopLeft", 45, 80),
                audit_reason_id=7,
                audit_reason_comment="legal review",
            ),
            {
                "part": "Image",
                "auditReasonId": 7,
                "auditReasonComment": "legal review",
                "imageOptions": {
                    "format": "PDF",
                    "convertPdfAnnotations": False,
                    "watermark": {
                        "text": "DRAFT",
                        "position": "TopLeft",
                        "rotationAngle": 45,
                        "pageSpanPercentage": 80,
                    },
                },
            },
        ),
        (
            lambda: ExportOptions.text(include_redactions=False, redaction_character="#"),
            {"part": "Text", "textOptions": {"includeRedactions": False, "redactionCharacter": "#"}},
        ),
        (
            lambda: ExportOptions.edoc(audit_reason_id=2147483647),
            {"part": "Edoc", "auditReasonId": 2147483647},
        ),
    ],
)
def test_request_body(opts: Callable[[], ExportOptions], body: dict[str, object]) -> None:
    built = opts()
    assert built.to_request_body() == body
    generated = built.to_generated()
    assert isinstance(generated, ExportEntryRequest)
    assert generated.to_dict() == body
    assert ExportOptions.from_generated(generated, page_range=built.pages) == built
    assert ExportOptions.from_request_body(body, page_range=built.query_page_range()) == built


def test_explicit_defaults_round_trip_to_equal_options() -> None:
    full = {
        "part": "Image",
        "imageOptions": {
            "format": "PDF",
            "jPEGCompressionLevel": 70,
            "includeAnnotations": True,
            "convertPdfAnnotations": True,
            "pagePrefix": ", Page ",
            "includeRedactions": True,
            "watermark": {
                "text": "X",
                "position": "DeadCenter",
                "rotationAngle": 0,
                "pageSpanPercentage": 50,
            },
        },
        "textOptions": None,
    }
    opts = ExportOptions.from_request_body(full)
    assert opts == ExportOptions.pdf(watermark="X")
    assert opts.to_request_body() == {
        "part": "Image",
        "imageOptions": {"format": "PDF", "watermark": {"text": "X"}},
    }


def test_from_generated_with_model_defaults() -> None:
    model = ExportEntryRequest.from_dict({"part": "Image", "imageOptions": {"format": "PNG"}})
    assert ExportOptions.from_generated(model) == ExportOptions.png()


def test_from_request_body_reports_unknown_members_and_types() -> None:
    body = {
        "part": "image",
        "extra": 1,
        "imageOptions": {"format": "BMP", "jpegCompressionLevel": 5, "watermark": {"rotationAngle": "45"}},
    }
    found = issues_of(lambda: ExportOptions.from_request_body(body))
    assert sorted(field for field, _, _ in found) == [
        "extra",
        "imageOptions.format",
        "imageOptions.jpegCompressionLevel",
        "imageOptions.watermark.rotationAngle",
        "imageOptions.watermark.text",
    ]
    assert ("extra", 1, "is not a known member (the server rejects unknown members)") in found


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "part"),
        ({"part": "Image", "imageOptions": "PDF"}, "imageOptions"),
        ({"part": "Text", "textOptions": []}, "textOptions"),
        ({"part": "Image", "imageOptions": {"watermark": "x"}}, "imageOptions.watermark"),
    ],
)
def test_from_request_body_shape_errors(body: dict[str, object], field: str) -> None:
    assert [f for f, _, _ in issues_of(lambda: ExportOptions.from_request_body(body))] == [field]


def test_evolve_revalidates() -> None:
    opts = ExportOptions.pdf(pages="1-3")
    assert attrs.evolve(opts, pages="4-5").query_page_range() == "4-5"
    with pytest.raises(OptionsError):
        attrs.evolve(opts, part="Text")
    image = opts.image_options
    assert image is not None
    assert attrs.evolve(image, format="png").format is ImageFormat.PNG


def test_objects_are_frozen_and_hashable() -> None:
    opts = ExportOptions.pdf(watermark="A")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        opts.part = ExportPart.TEXT  # type: ignore[misc]
    assert hash(opts) == hash(ExportOptions.pdf(watermark="A"))


def test_defaults_match_the_server() -> None:
    image = ImageOptions()
    assert image.format is ImageFormat.MULTI_PAGE_TIFF
    assert image.jpeg_compression_level == 70
    assert image.include_annotations is True
    assert image.convert_pdf_annotations is True
    assert image.include_redactions is True
    assert image.page_prefix == ", Page "
    mark = Watermark("A")
    assert (mark.position, mark.rotation_angle, mark.page_span_percentage) == (
        WatermarkPosition.DEAD_CENTER,
        0,
        50,
    )
    assert TextOptions() == TextOptions(True, "X")


# --------------------------------------------------------------------------------------------- properties


def fields_of_failure(build: Callable[[], object]) -> list[str]:
    """The fields of the OptionsError `build` raises, [] when it succeeds; any other exception escapes."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build()
    except OptionsError as err:
        return [i.field for i in err.issues] or ["<no issues>"]
    return []


def test_int_fields_reject_none_where_none_is_not_absence() -> None:
    assert fields_of_failure(lambda: Watermark("A", rotation_angle=None)) == [  # type: ignore[arg-type]
        "imageOptions.watermark.rotationAngle"
    ]
    assert fields_of_failure(lambda: ImageOptions(jpeg_compression_level=None)) == [  # type: ignore[arg-type]
        "imageOptions.jPEGCompressionLevel"
    ]


@given(st.text(max_size=120))
def test_arbitrary_watermark_text_raises_only_options_error(text: str) -> None:
    assert set(fields_of_failure(lambda: Watermark(text))) <= {W}


@given(st.text(max_size=14))
def test_arbitrary_page_prefix_raises_only_options_error(text: str) -> None:
    assert set(fields_of_failure(lambda: ImageOptions("PNG", page_prefix=text))) <= {P}


@given(st.text(max_size=3))
def test_arbitrary_redaction_character_raises_only_options_error(text: str) -> None:
    fields = fields_of_failure(lambda: TextOptions(redaction_character=text))
    assert set(fields) <= {R}
    if len(text) == 1 and text.isprintable() and not text.isspace() and text not in "\u00a0":
        assert fields == [] or ord(text) > 0xFFFF or 0xD800 <= ord(text) <= 0xDFFF
