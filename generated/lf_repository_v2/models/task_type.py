from enum import StrEnum


class TaskType(StrEnum):
    COPYENTRY = "CopyEntry"
    DELETEENTRY = "DeleteEntry"
    EXPORTENTRY = "ExportEntry"
    IMPORTUPLOADEDPARTS = "ImportUploadedParts"
    SEARCHENTRY = "SearchEntry"

    def __str__(self) -> str:
        return str(self.value)
