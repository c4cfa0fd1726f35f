from enum import StrEnum


class AuditEventType(StrEnum):
    AUDIT_DELETE_ENTRY = "DeleteEntry"
    AUDIT_EXPORT_DOCUMENT = "ExportDocument"

    def __str__(self) -> str:
        return str(self.value)
