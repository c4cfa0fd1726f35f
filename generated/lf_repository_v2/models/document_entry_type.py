from enum import StrEnum


class DocumentEntryType(StrEnum):
    DOCUMENT = "Document"

    def __str__(self) -> str:
        return str(self.value)
