from enum import StrEnum


class AuditEventType(StrEnum):
    DELETEENTRY = "DeleteEntry"
    EXPORTDOCUMENT = "ExportDocument"

    def __str__(self) -> str:
        return str(self.value)
