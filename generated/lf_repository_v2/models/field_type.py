from enum import StrEnum


class FieldType(StrEnum):
    BLOB = "Blob"
    DATE = "Date"
    DATETIME = "DateTime"
    LIST = "List"
    LONGINTEGER = "LongInteger"
    NUMBER = "Number"
    SHORTINTEGER = "ShortInteger"
    STRING = "String"
    TIME = "Time"

    def __str__(self) -> str:
        return str(self.value)
