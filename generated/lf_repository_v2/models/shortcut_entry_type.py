from enum import StrEnum


class ShortcutEntryType(StrEnum):
    SHORTCUT = "Shortcut"

    def __str__(self) -> str:
        return str(self.value)
