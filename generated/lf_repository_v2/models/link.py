from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link_custom_properties import LinkCustomProperties


T = TypeVar("T", bound="Link")


@_attrs_define
class Link:
    """A link between two entries (the entry listed is its source or its target).

    Example:
        {'id': 21, 'sourceId': 2161949, 'targetId': 2161951, 'linkDefinitionId': 2, 'customProperties': {'reviewed':
            'yes'}}

    Attributes:
        id (int):
        description (None | str | Unset):
        source_id (int | Unset):
        source_full_path (None | str | Unset):
        source_label (None | str | Unset):
        source_link (None | str | Unset): The source entry's `GetEntry` URL.
        target_id (int | Unset):
        target_full_path (None | str | Unset):
        target_label (None | str | Unset):
        target_link (None | str | Unset): The target entry's `GetEntry` URL.
        link_definition_id (int | Unset):
        link_definition_description (None | str | Unset):
        custom_properties (LinkCustomProperties | None | Unset): The link's custom properties, name to value.
    """

    id: int
    description: None | str | Unset = UNSET
    source_id: int | Unset = UNSET
    source_full_path: None | str | Unset = UNSET
    source_label: None | str | Unset = UNSET
    source_link: None | str | Unset = UNSET
    target_id: int | Unset = UNSET
    target_full_path: None | str | Unset = UNSET
    target_label: None | str | Unset = UNSET
    target_link: None | str | Unset = UNSET
    link_definition_id: int | Unset = UNSET
    link_definition_description: None | str | Unset = UNSET
    custom_properties: LinkCustomProperties | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.link_custom_properties import LinkCustomProperties

        id = self.id

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        source_id = self.source_id

        source_full_path: None | str | Unset
        if isinstance(self.source_full_path, Unset):
            source_full_path = UNSET
        else:
            source_full_path = self.source_full_path

        source_label: None | str | Unset
        if isinstance(self.source_label, Unset):
            source_label = UNSET
        else:
            source_label = self.source_label

        source_link: None | str | Unset
        if isinstance(self.source_link, Unset):
            source_link = UNSET
        else:
            source_link = self.source_link

        target_id = self.target_id

        target_full_path: None | str | Unset
        if isinstance(self.target_full_path, Unset):
            target_full_path = UNSET
        else:
            target_full_path = self.target_full_path

        target_label: None | str | Unset
        if isinstance(self.target_label, Unset):
            target_label = UNSET
        else:
            target_label = self.target_label

        target_link: None | str | Unset
        if isinstance(self.target_link, Unset):
            target_link = UNSET
        else:
            target_link = self.target_link

        link_definition_id = self.link_definition_id

        link_definition_description: None | str | Unset
        if isinstance(self.link_definition_description, Unset):
            link_definition_description = UNSET
        else:
            link_definition_description = self.link_definition_description

        custom_properties: dict[str, Any] | None | Unset
        if isinstance(self.custom_properties, Unset):
            custom_properties = UNSET
        elif isinstance(self.custom_properties, LinkCustomProperties):
            custom_properties = self.custom_properties.to_dict()
        else:
            custom_properties = self.custom_properties

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if source_id is not UNSET:
            field_dict["sourceId"] = source_id
        if source_full_path is not UNSET:
            field_dict["sourceFullPath"] = source_full_path
        if source_label is not UNSET:
            field_dict["sourceLabel"] = source_label
        if source_link is not UNSET:
            field_dict["sourceLink"] = source_link
        if target_id is not UNSET:
            field_dict["targetId"] = target_id
        if target_full_path is not UNSET:
            field_dict["targetFullPath"] = target_full_path
        if target_label is not UNSET:
            field_dict["targetLabel"] = target_label
        if target_link is not UNSET:
            field_dict["targetLink"] = target_link
        if link_definition_id is not UNSET:
            field_dict["linkDefinitionId"] = link_definition_id
        if link_definition_description is not UNSET:
            field_dict["linkDefinitionDescription"] = link_definition_description
        if custom_properties is not UNSET:
            field_dict["customProperties"] = custom_properties

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.link_custom_properties import LinkCustomProperties

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        source_id = d.pop("sourceId", UNSET)

        def _parse_source_full_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_full_path = _parse_source_full_path(d.pop("sourceFullPath", UNSET))

        def _parse_source_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_label = _parse_source_label(d.pop("sourceLabel", UNSET))

        def _parse_source_link(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_link = _parse_source_link(d.pop("sourceLink", UNSET))

        target_id = d.pop("targetId", UNSET)

        def _parse_target_full_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_full_path = _parse_target_full_path(d.pop("targetFullPath", UNSET))

        def _parse_target_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_label = _parse_target_label(d.pop("targetLabel", UNSET))

        def _parse_target_link(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_link = _parse_target_link(d.pop("targetLink", UNSET))

        link_definition_id = d.pop("linkDefinitionId", UNSET)

        def _parse_link_definition_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        link_definition_description = _parse_link_definition_description(
            d.pop("linkDefinitionDescription", UNSET)
        )

        def _parse_custom_properties(
            data: object,
        ) -> LinkCustomProperties | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                custom_properties_type_0 = LinkCustomProperties.from_dict(data)

                return custom_properties_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkCustomProperties | None | Unset, data)

        custom_properties = _parse_custom_properties(d.pop("customProperties", UNSET))

        link = cls(
            id=id,
            description=description,
            source_id=source_id,
            source_full_path=source_full_path,
            source_label=source_label,
            source_link=source_link,
            target_id=target_id,
            target_full_path=target_full_path,
            target_label=target_label,
            target_link=target_link,
            link_definition_id=link_definition_id,
            link_definition_description=link_definition_description,
            custom_properties=custom_properties,
        )

        link.additional_properties = d
        return link

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
