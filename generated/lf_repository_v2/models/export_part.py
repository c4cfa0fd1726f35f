from enum import StrEnum


class ExportPart(StrEnum):
    EDOC = "Edoc"
    IMAGE = "Image"
    TEXT = "Text"

    def __str__(self) -> str:
        return str(self.value)
