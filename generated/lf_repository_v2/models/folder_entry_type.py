from enum import StrEnum


class FolderEntryType(StrEnum):
    FOLDER = "Folder"

    def __str__(self) -> str:
        return str(self.value)
