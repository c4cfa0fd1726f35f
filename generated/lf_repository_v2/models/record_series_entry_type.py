from enum import StrEnum


class RecordSeriesEntryType(StrEnum):
    RECORDSERIES = "RecordSeries"

    def __str__(self) -> str:
        return str(self.value)
