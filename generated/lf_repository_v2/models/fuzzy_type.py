from enum import StrEnum


class FuzzyType(StrEnum):
    NONE = "None"
    NUMBEROFLETTERS = "NumberOfLetters"
    PERCENTAGE = "Percentage"

    def __str__(self) -> str:
        return str(self.value)
