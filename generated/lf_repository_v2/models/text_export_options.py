from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TextExportOptions")


@_attrs_define
class TextExportOptions:
    """Options used when `part` is `Text`; the server ignores them for other parts.

    Example:
        {'includeRedactions': True, 'redactionCharacter': '#'}

    Attributes:
        include_redactions (bool | Unset): Whether redacted text is replaced by `redactionCharacter` (true) or left out
            of the redaction (false). Default: True.
        redaction_character (str | Unset): The character that replaces each redacted character: not whitespace (as
            .NET's `char.IsWhiteSpace`),
            and not a control, format (Unicode Cf) or private-use character. The pattern lists those of the Basic
            Multilingual Plane as literal characters, since no `\\u` escape reads the same in ECMA-262, RE2, Java
            and .NET; U+FEFF appears as the range U+FEFD..U+FF00 (the others in it are unassigned), since Go
            source cannot hold a literal U+FEFF. Exactly one UTF-16 code unit: a character outside the BMP is
            two and the server refuses it, although `maxLength` (which counts code points) and the pattern let
            it through; clients must check that themselves (lf-export does).
             Default: 'X'.
    """

    include_redactions: bool | Unset = True
    redaction_character: str | Unset = "X"

    def to_dict(self) -> dict[str, Any]:
        include_redactions = self.include_redactions

        redaction_character = self.redaction_character

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if include_redactions is not UNSET:
            field_dict["includeRedactions"] = include_redactions
        if redaction_character is not UNSET:
            field_dict["redactionCharacter"] = redaction_character

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        include_redactions = d.pop("includeRedactions", UNSET)

        redaction_character = d.pop("redactionCharacter", UNSET)

        text_export_options = cls(
            include_redactions=include_redactions,
            redaction_character=redaction_character,
        )

        return text_export_options
