from enum import StrEnum


class EntryType(StrEnum):
    DOCUMENT = "Document"
    FOLDER = "Folder"
    RECORDSERIES = "RecordSeries"
    SHORTCUT = "Shortcut"

    def __str__(self) -> str:
        return str(self.value)
