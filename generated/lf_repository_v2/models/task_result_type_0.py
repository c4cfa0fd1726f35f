from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskResultType0")


@_attrs_define
class TaskResultType0:
    """The result of a completed long operation; null (or absent) while the task runs or when it failed. What
    it holds depends on `taskType`:
    * `CopyEntry`: `entryId` is the new entry, `uri` its absolute `GetEntry` URL on the API origin
      (e.g. `https://api.laserfiche.com/repository/v2/Repositories/r-abc123/Entries/2161935`).
    * `ExportEntry`: `uri` is the download link (fetch it without the token; do not log its query string).
    * `SearchEntry`: `entryId` is 0 and `uri` is the results URL
    (`.../v2/Repositories/{repositoryId}/Searches/{taskId}/Results`);
      read the results with `ListSearchResults`.
    * `DeleteEntry`: nothing to rely on; success is the task's `Completed` status.

    A `uri` on the API origin (same scheme, host and port as the base URL) is the API and is fetched with
    the token; a `uri` on any other origin never gets the token.

        Example:
            {'entryId': 2161949, 'uri': 'https://storage.example.com/exports/2161949.pdf?sig=abc123&exp=1700000000'}

        Attributes:
            entry_id (int | None | Unset): The entry the operation produced or worked on (Copy, Export); 0 for a search.
            uri (None | str | Unset): Copy: the new entry's `GetEntry` URL; Export: the download link (fetch without the
                token; do not log
                its query string); Search: the results URL.
    """

    entry_id: int | None | Unset = UNSET
    uri: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entry_id: int | None | Unset
        if isinstance(self.entry_id, Unset):
            entry_id = UNSET
        else:
            entry_id = self.entry_id

        uri: None | str | Unset
        if isinstance(self.uri, Unset):
            uri = UNSET
        else:
            uri = self.uri

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if entry_id is not UNSET:
            field_dict["entryId"] = entry_id
        if uri is not UNSET:
            field_dict["uri"] = uri

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_entry_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        entry_id = _parse_entry_id(d.pop("entryId", UNSET))

        def _parse_uri(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        uri = _parse_uri(d.pop("uri", UNSET))

        task_result_type_0 = cls(
            entry_id=entry_id,
            uri=uri,
        )

        task_result_type_0.additional_properties = d
        return task_result_type_0

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
