"""The wire side of the export options: enums, and the generated request models as the one source of names.

The wire names live in the generated models (``lf_repository_v2.models.ExportEntryRequest`` and its
members) and nowhere else: `wire_names` reads them from the models' own ``to_dict``, `to_model` builds the
models from options objects (so the body is the models' ``to_dict()``), and `read_model` / `unchecked_from`
read a raw body or a model back. The options classes register their model with `generated_as`.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
from lf_repository_v2.types import UNSET, Unset

from ._errors import OptionIssue
from ._option_rules import join, member, unchecked

__all__ = ["ExportPart", "ImageFormat", "WatermarkPosition"]

UNKNOWN_MEMBER = "is not a known member (the server rejects unknown members)"

_T = TypeVar("_T")

if TYPE_CHECKING:  # computed on first use by `__getattr__` below
    BODY: dict[str, str]
    IMAGE: dict[str, str]
    MARK: dict[str, str]
    TEXT: dict[str, str]
    IMAGE_AT: str
    MARK_AT: str
    TEXT_AT: str


def _models() -> ModuleType:
    """The generated models, loaded when options are first built, not with `import lf_export`."""
    import lf_repository_v2.models

    return lf_repository_v2.models


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


# The generated twin of each enum: the same values (a test checks it), but the wrapper keeps its member names
# (``MULTI_PAGE_TIFF``, not ``MULTIPAGETIFF``) and the guide's order, which its error messages list.
_GENERATED_ENUM: dict[type, str] = {
    ExportPart: "ExportPart",
    ImageFormat: "ImageFormat",
    WatermarkPosition: "WatermarkPosition",
}
# Options attributes whose generated counterparts are spelt differently (Python names, not wire names).
_GENERATED_NAME = {"format": "format_", "jpeg_compression_level": "j_peg_compression_level"}
_MODEL_OF: dict[type, str] = {}  # options class -> name of its generated model


# Converters: the member for a value or name in any case; anything else passes through for validation.
def to_part(value: ExportPart | str) -> ExportPart:
    return member(ExportPart, value)


def to_format(value: ImageFormat | str) -> ImageFormat:
    return member(ImageFormat, value)


def to_position(value: WatermarkPosition | str) -> WatermarkPosition:
    return member(WatermarkPosition, value)


def generated_as(model: str) -> Callable[[type[_T]], type[_T]]:
    """Class decorator: the options class is sent as the generated model named `model`."""

    def register(cls: type[_T]) -> type[_T]:
        _MODEL_OF[cls] = model
        return cls

    return register


@functools.cache
def _options_of() -> dict[type, type]:
    """Generated model -> the options class sent as it."""
    return {getattr(_models(), name): cls for cls, name in _MODEL_OF.items()}


class _Probe:
    """Stands in for a field of a generated model; passes as an enum member and as a nested model."""

    __slots__ = ("attribute",)

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    @property
    def value(self) -> _Probe:
        return self

    def to_dict(self) -> _Probe:
        return self


@functools.cache
def wire_names(model: type[Any]) -> dict[str, str]:
    """``{attribute: wire name}`` of a generated model, read from what its own `to_dict` writes."""
    probed = model(**{field.name: _Probe(field.name) for field in attrs.fields(model)}).to_dict()
    return {probe.attribute: name for name, probe in probed.items()}


@functools.cache
def _nested_models(model: type[Any]) -> dict[str, type[Any]]:
    """``{attribute: generated model}`` for the members of `model` that are JSON objects themselves."""
    hints = typing.get_type_hints(model, localns=vars(_models()))
    return {name: arg for name, hint in hints.items() for arg in typing.get_args(hint) if attrs.has(arg)}


def read_model(model: type[_T], raw: Mapping[Any, object], path: str, found: list[OptionIssue]) -> _T:
    """The wire JSON object `raw` as an instance of the generated `model`, its values as they came.

    The generated ``from_dict`` drops unknown members silently and raises on the first wrong type
    (``KeyError`` for a missing required member, ``ValueError`` for an enum value in another case). This
    reads with the same names and never raises: unknown members, and nested members that are not objects,
    are added to `found` (with their paths below `path`); an absent member is UNSET, an absent required one
    None. Values are not checked here: the options classes validate them, all at once.
    """
    names = wire_names(cast(Any, model))
    known = set(names.values())
    found.extend(
        OptionIssue(join(path, str(key)), raw[key], UNKNOWN_MEMBER) for key in raw if key not in known
    )
    nested = _nested_models(cast(Any, model))
    values: dict[str, object] = {}
    for field in attrs.fields(cast(Any, model)):
        name = names[field.name]
        value = raw.get(name, None if field.default is attrs.NOTHING else UNSET)
        if field.name in nested and isinstance(value, Mapping):
            value = read_model(nested[field.name], value, join(path, name), found)
        elif field.name in nested and value is not None and not isinstance(value, Unset):
            found.append(OptionIssue(join(path, name), value, "must be a JSON object"))
            value = UNSET
        values[field.name] = value
    return model(**values)


# The wire names by generated attribute (BODY, IMAGE, MARK, TEXT), and where each object sits in the body.
_NAMES_OF = {"BODY": "ExportEntryRequest", "IMAGE": "ImageExportOptions", "MARK": "Watermark"}
_NAMES_OF["TEXT"] = "TextExportOptions"
_AT: dict[str, Callable[[], str]] = {
    "IMAGE_AT": lambda: __getattr__("BODY")["image_options"],
    "MARK_AT": lambda: join(__getattr__("IMAGE_AT"), __getattr__("IMAGE")["watermark"]),
    "TEXT_AT": lambda: __getattr__("BODY")["text_options"],
}


def __getattr__(name: str) -> Any:
    if name in _NAMES_OF:
        value: Any = wire_names(getattr(_models(), _NAMES_OF[name]))
    elif name in _AT:
        value = _AT[name]()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # computed once
    return value


def to_model(obj: Any) -> Any:
    """The generated model of an options object, with only the members that differ from the defaults set.

    The defaults are the server's, so the minimal body means the same as the full one. ``format`` is set
    always; a nested object with nothing to send (all-default text options) is left out too.
    """
    model = getattr(_models(), _MODEL_OF[type(obj)])
    names = attrs.fields_dict(model)
    values: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        name, value = _GENERATED_NAME.get(field.name, field.name), getattr(obj, field.name)
        if name not in names:  # pages: the query, not the body
            continue
        if value == field.default and field.name != "format":
            value = UNSET
        elif type(value) in _MODEL_OF:
            value = to_model(value)
            value = value if value.to_dict() else UNSET
        elif type(value) in _GENERATED_ENUM:
            value = getattr(_models(), _GENERATED_ENUM[type(value)])(value)
        values[name] = value
    return model(**values)


def unchecked_from(cls: type[_T], model: object, **extra: object) -> _T:
    """An unchecked options object (nested ones too) from a generated model; UNSET members get defaults."""
    values: dict[str, object] = {}
    for field in attrs.fields(cast(Any, cls)):
        value = getattr(model, _GENERATED_NAME.get(field.name, field.name), UNSET)
        nested = _options_of().get(type(value))
        values[field.alias] = value if nested is None else unchecked_from(nested, value)
    return unchecked(cls, **{**values, **extra})
