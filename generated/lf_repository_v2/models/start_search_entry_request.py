from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.fuzzy_type import FuzzyType
from ..types import UNSET, Unset

T = TypeVar("T", bound="StartSearchEntryRequest")


@_attrs_define
class StartSearchEntryRequest:
    """The body of `StartSearchEntry`. Unknown members are rejected.

    Example:
        {'searchCommand': '{LF:Name="Invoice*", Type="D"} & {LF:LOOKIN="\\\\Invoices"}'}

    Attributes:
        search_command (str): A search in Laserfiche search syntax, e.g. `{LF:Name="Invoice*", Type="D"}` or
            `({LF:Basic ~= "text", option="DFANLT"})`, scoped to a folder with `& {LF:LOOKIN="\\Folder"}`.
        fuzzy_type (FuzzyType | Unset): How a search matches approximately: not at all, by a percentage of the word, or
            by a number of letters. Example: Percentage.
        fuzzy_factor (int | Unset): With `fuzzyType` `Percentage`, the percentage; with `NumberOfLetters`, the number of
            letters.
    """

    search_command: str
    fuzzy_type: FuzzyType | Unset = UNSET
    fuzzy_factor: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        search_command = self.search_command

        fuzzy_type: str | Unset = UNSET
        if not isinstance(self.fuzzy_type, Unset):
            fuzzy_type = self.fuzzy_type.value

        fuzzy_factor = self.fuzzy_factor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "searchCommand": search_command,
            }
        )
        if fuzzy_type is not UNSET:
            field_dict["fuzzyType"] = fuzzy_type
        if fuzzy_factor is not UNSET:
            field_dict["fuzzyFactor"] = fuzzy_factor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        search_command = d.pop("searchCommand")

        _fuzzy_type = d.pop("fuzzyType", UNSET)
        fuzzy_type: FuzzyType | Unset
        if isinstance(_fuzzy_type, Unset):
            fuzzy_type = UNSET
        else:
            fuzzy_type = FuzzyType(_fuzzy_type)

        fuzzy_factor = d.pop("fuzzyFactor", UNSET)

        start_search_entry_request = cls(
            search_command=search_command,
            fuzzy_type=fuzzy_type,
            fuzzy_factor=fuzzy_factor,
        )

        return start_search_entry_request
