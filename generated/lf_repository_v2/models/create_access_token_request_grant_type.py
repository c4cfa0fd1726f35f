from enum import StrEnum


class CreateAccessTokenRequestGrantType(StrEnum):
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)
