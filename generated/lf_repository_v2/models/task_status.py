from enum import StrEnum


class TaskStatus(StrEnum):
    CANCELLED = "Cancelled"
    COMPLETED = "Completed"
    FAILED = "Failed"
    INPROGRESS = "InProgress"
    NOTSTARTED = "NotStarted"

    def __str__(self) -> str:
        return str(self.value)
