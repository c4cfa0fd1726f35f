"""The options and the generated request models agree: enums, wire names, bodies; warnings; module hygiene."""

from __future__ import annotations

import ast
import doctest
import inspect
import warnings
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import lf_repository_v2.models as gen
import pytest
import yaml
from lf_export import _option_rules, _option_values, _option_wire, _options, _pages, _text_rules
from lf_export._errors import OptionsError, OptionsWarning
from lf_export._options import (
    ExportOptions,
    ExportPart,
    ImageFormat,
    ImageOptions,
    TextOptions,
    Watermark,
    WatermarkPosition,
)
from lf_export._tasks import TaskStatus
from lf_repository_v2.types import UNSET

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = yaml.safe_load((ROOT / "openapi" / "laserfiche-repository-v2.yaml").read_text(encoding="utf-8"))[
    "components"
]["schemas"]

# ------------------------------------------------------------------------------------------------- enums


@pytest.mark.parametrize(
    ("ours", "generated"),
    [
        (ExportPart, gen.ExportPart),
        (ImageFormat, gen.ImageFormat),
        (WatermarkPosition, gen.WatermarkPosition),
        (TaskStatus, gen.TaskStatus),
    ],
)
def test_enum_values_match_the_generated_enum_and_the_spec(ours: type[Enum], generated: type[Enum]) -> None:
    assert {m.value for m in ours} == {m.value for m in generated}
    # The spec's order, which error messages list ("must be one of Image, Text, Edoc").
    assert [m.value for m in ours] == SCHEMAS[generated.__name__]["enum"]


# ------------------------------------------------------------------------------------------ wire names


@pytest.mark.parametrize(
    "model", [gen.ExportEntryRequest, gen.ImageExportOptions, gen.Watermark, gen.TextExportOptions]
)
def test_wire_names_read_from_the_generated_models_are_the_spec_properties(model: type) -> None:
    names = _option_wire.wire_names(model)
    assert set(names) == {field.name for field in attrs.fields(model)}
    assert list(names.values()) == list(SCHEMAS[model.__name__]["properties"])
    assert SCHEMAS[model.__name__]["additionalProperties"] is False  # hence unknown members are errors


def test_every_options_field_has_a_generated_counterpart() -> None:
    for cls, model in [
        (Watermark, gen.Watermark),
        (ImageOptions, gen.ImageExportOptions),
        (TextOptions, gen.TextExportOptions),
        (ExportOptions, gen.ExportEntryRequest),
    ]:
        generated = {field.name for field in attrs.fields(model)}
        ours = {_option_wire._GENERATED_NAME.get(f.name, f.name) for f in attrs.fields(cls)}
        assert ours - generated == ({"pages"} if cls is ExportOptions else set())  # pages: the query
        assert generated - ours == set()


# ------------------------------------------------------------------------------------------------ bodies


def test_the_body_is_the_generated_models_dict_with_defaults_unset() -> None:
    opts = ExportOptions.jpeg(quality=70, watermark=Watermark("A", rotation_angle=10), page_prefix="_p")
    model = opts.to_generated()
    assert isinstance(model.part, gen.ExportPart)
    image = model.image_options
    assert isinstance(image, gen.ImageExportOptions)
    assert isinstance(image.format_, gen.ImageFormat)
    assert image.j_peg_compression_level is UNSET  # 70 is the default: not sent
    assert image.include_annotations is UNSET
    assert image.page_prefix == "_p"
    assert isinstance(image.watermark, gen.Watermark)
    assert image.watermark.position is UNSET
    assert image.watermark.rotation_angle == 10
    assert model.text_options is UNSET
    assert model.audit_reason_id is UNSET
    assert opts.to_request_body() == model.to_dict()


def test_all_default_text_options_are_not_sent() -> None:
    opts = ExportOptions("Text", text=TextOptions())
    assert opts.to_generated().text_options is UNSET
    assert opts.to_request_body() == {"part": "Text"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"part": "image"}, ValueError),  # the wrapper accepts any case
        ({"auditReasonId": 1}, KeyError),  # no part
        ({"part": "Image", "imageOptions": {"watermark": {}}}, KeyError),  # no watermark text
        ({"part": "Image", "imageOptions": {"format": "GIF"}}, ValueError),
        ({"part": "Image", "imageOptions": "PDF"}, ValueError),
        ({"part": "Text", "textOptions": None}, TypeError),
    ],
)
def test_bodies_the_generated_from_dict_cannot_read_are_options_or_issues(
    body: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        gen.ExportEntryRequest.from_dict(body)
    outcome: ExportOptions | OptionsError
    try:
        outcome = ExportOptions.from_request_body(body)
    except OptionsError as exc:
        outcome = exc
    assert isinstance(outcome, ExportOptions) or outcome.issues


def test_unknown_members_at_every_level_are_named_and_reported_together() -> None:
    body = {
        "part": "Image",
        "pages": "1-3",
        "imageOptions": {"format": "PDF", "quality": 5, "watermark": {"text": "A", "color": "red"}},
        "textOptions": {"character": "#"},
    }
    with pytest.raises(OptionsError) as info:
        ExportOptions.from_request_body(body)
    fields = [issue.field for issue in info.value.issues]
    assert fields[:4] == [
        "pages",
        "imageOptions.quality",
        "imageOptions.watermark.color",
        "textOptions.character",
    ]
    assert "textOptions" in fields  # and the block that belongs to another part
    unknown = [i for i in info.value.issues if i.rule.startswith("is not a known member")]
    assert [(i.field, i.value) for i in unknown] == [
        ("pages", "1-3"),
        ("imageOptions.quality", 5),
        ("imageOptions.watermark.color", "red"),
        ("textOptions.character", "#"),
    ]


def test_from_generated_reads_a_model_built_directly() -> None:
    model = gen.ExportEntryRequest(
        part=gen.ExportPart.IMAGE,
        image_options=gen.ImageExportOptions(format_=gen.ImageFormat.PNG, watermark=gen.Watermark(text="W")),
    )
    assert ExportOptions.from_generated(model, page_range="2") == ExportOptions.png(pages=2, watermark="W")
    with pytest.raises(OptionsError) as info:
        ExportOptions.from_generated(gen.ExportEntryRequest(part=gen.ExportPart.TEXT, audit_reason_id=0))
    assert [i.field for i in info.value.issues] == ["auditReasonId"]


def test_named_constructors_validate_even_when_the_value_equals_the_default() -> None:
    with pytest.raises(OptionsError) as info:
        ExportOptions.text(include_redactions=1)  # type: ignore[arg-type]
    assert [i.field for i in info.value.issues] == ["textOptions.includeRedactions"]


# ------------------------------------------------------------------------------- the public constructors

SIGNATURES = {
    "image": "(format: 'ImageFormat | str' = <ImageFormat.MULTI_PAGE_TIFF: 'MultiPageTIFF'>, *, "
    "pages: 'PageRange | str | int | None' = None, watermark: 'Watermark | str | None' = None, "
    "jpeg_compression_level: 'int' = 70, include_annotations: 'bool' = True, "
    "convert_pdf_annotations: 'bool' = True, include_redactions: 'bool' = True, "
    "page_prefix: 'str' = ', Page ', audit_reason_id: 'int | None' = None, "
    "audit_reason_comment: 'str | None' = None) -> 'Self'",
    "pdf": "(*, pages: 'PageRange | str | int | None' = None, watermark: 'Watermark | str | None' = None, "
    "include_annotations: 'bool' = True, convert_pdf_annotations: 'bool' = True, "
    "include_redactions: 'bool' = True, audit_reason_id: 'int | None' = None, "
    "audit_reason_comment: 'str | None' = None) -> 'Self'",
    "tiff": "(*, pages: 'PageRange | str | int | None' = None, watermark: 'Watermark | str | None' = None, "
    "include_annotations: 'bool' = True, include_redactions: 'bool' = True, "
    "audit_reason_id: 'int | None' = None, audit_reason_comment: 'str | None' = None) -> 'Self'",
    "single_page_tiff": "(*, pages: 'PageRange | str | int | None' = None, page_prefix: 'str' = ', Page ', "
    "watermark: 'Watermark | str | None' = None, include_annotations: 'bool' = True, "
    "include_redactions: 'bool' = True, audit_reason_id: 'int | None' = None, "
    "audit_reason_comment: 'str | None' = None) -> 'Self'",
    "jpeg": "(*, quality: 'int' = 70, pages: 'PageRange | str | int | None' = None, "
    "page_prefix: 'str' = ', Page ', watermark: 'Watermark | str | None' = None, "
    "include_annotations: 'bool' = True, include_redactions: 'bool' = True, "
    "audit_reason_id: 'int | None' = None, audit_reason_comment: 'str | None' = None) -> 'Self'",
    "text": "(*, pages: 'PageRange | str | int | None' = None, include_redactions: 'bool' = True, "
    "redaction_character: 'str' = 'X', audit_reason_id: 'int | None' = None, "
    "audit_reason_comment: 'str | None' = None) -> 'Self'",
    "edoc": "(*, audit_reason_id: 'int | None' = None, audit_reason_comment: 'str | None' = None) -> 'Self'",
}
SIGNATURES["png"] = SIGNATURES["single_page_tiff"]


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_named_constructor_signatures_are_pinned(name: str) -> None:
    assert str(inspect.signature(getattr(ExportOptions, name))) == SIGNATURES[name]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("pdf", ImageFormat.PDF),
        ("tiff", ImageFormat.MULTI_PAGE_TIFF),
        ("single_page_tiff", ImageFormat.SINGLE_PAGE_TIFF),
        ("png", ImageFormat.PNG),
        ("jpeg", ImageFormat.JPEG),
    ],
)
def test_each_named_image_constructor_is_image_with_its_format(name: str, fmt: ImageFormat) -> None:
    params = inspect.signature(getattr(ExportOptions, name)).parameters
    kwargs: dict[str, Any] = {"pages": "2-3", "watermark": "W", "include_annotations": False}
    for key, value in [("page_prefix", "_p"), ("quality", 10), ("convert_pdf_annotations", False)]:
        if key in params:
            kwargs[key] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = getattr(ExportOptions, name)(**kwargs)
        if "quality" in kwargs:
            kwargs["jpeg_compression_level"] = kwargs.pop("quality")
        assert built == ExportOptions.image(fmt, **kwargs)


# ---------------------------------------------------------------------------------------------- warnings

WARNING_CALLS: list[tuple[str, Callable[[], object]]] = [
    ("ImageOptions()", lambda: ImageOptions("PDF", page_prefix="_p")),
    ("ExportOptions()", lambda: ExportOptions("Edoc", pages=2)),
    ("image", lambda: ExportOptions.image("PNG", jpeg_compression_level=5)),
    ("pdf", lambda: ExportOptions.pdf(include_annotations=False, convert_pdf_annotations=False)),
    ("tiff", lambda: ExportOptions.tiff(audit_reason_comment="why")),
    ("single_page_tiff", lambda: ExportOptions.single_page_tiff(audit_reason_comment="why")),
    ("png", lambda: ExportOptions.png(audit_reason_comment="why")),
    ("jpeg", lambda: ExportOptions.jpeg(audit_reason_comment="why")),
    ("text", lambda: ExportOptions.text(audit_reason_comment="why")),
    ("edoc", lambda: ExportOptions.edoc(audit_reason_comment="why")),
    ("from_request_body", lambda: ExportOptions.from_request_body({"part": "Edoc"}, page_range="1")),
    (
        "from_generated",
        lambda: ExportOptions.from_generated(gen.ExportEntryRequest(part=gen.ExportPart.EDOC), "1"),
    ),
]


@pytest.mark.parametrize("build", [c[1] for c in WARNING_CALLS], ids=[c[0] for c in WARNING_CALLS])
def test_warnings_point_at_the_callers_line(build: Callable[[], object]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build()
    assert len(caught) == 1
    assert caught[0].category is OptionsWarning
    assert (caught[0].filename, caught[0].lineno) == (__file__, build.__code__.co_firstlineno)


def test_nested_warnings_are_not_repeated_by_the_parent_or_evolve() -> None:
    with pytest.warns(OptionsWarning):
        image = ImageOptions("PDF", jpeg_compression_level=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opts = ExportOptions("Image", image=image)
        attrs.evolve(opts, pages="1-2")


# ------------------------------------------------------------------------------------------------ modules

MODULES = [_options, _option_rules, _option_values, _option_wire, _pages, _text_rules]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_assert_statements(module: ModuleType) -> None:
    """`python -O` drops asserts: no invariant may depend on one."""
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    assert not [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_modules_stay_small(module: ModuleType) -> None:
    assert len(Path(str(module.__file__)).read_text(encoding="utf-8").splitlines()) <= 400


@pytest.mark.parametrize("module", [_option_values], ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_unchecked_refuses_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError, match="no field"):
        _option_rules.unchecked(TextOptions, character="#")
    with pytest.raises(TypeError, match="needs text"):
        _option_rules.unchecked(Watermark)
