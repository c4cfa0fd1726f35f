from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.create_access_token_request_grant_type import (
    CreateAccessTokenRequestGrantType,
)

T = TypeVar("T", bound="CreateAccessTokenRequest")


@_attrs_define
class CreateAccessTokenRequest:
    """
    Example:
        {'grant_type': 'password', 'username': 'exporter', 'password': 'correct horse battery staple'}

    Attributes:
        grant_type (CreateAccessTokenRequestGrantType):
        username (str):
        password (str):
    """

    grant_type: CreateAccessTokenRequestGrantType
    username: str
    password: str

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type.value

        username = self.username

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grant_type": grant_type,
                "username": username,
                "password": password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        grant_type = CreateAccessTokenRequestGrantType(d.pop("grant_type"))

        username = d.pop("username")

        password = d.pop("password")

        create_access_token_request = cls(
            grant_type=grant_type,
            username=username,
            password=password,
        )

        return create_access_token_request
