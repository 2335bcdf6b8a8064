from enum import StrEnum


class EventSort(StrEnum):
    DATE = "date"
    ID = "id"
    VALUE_2 = "-date"

    def __str__(self) -> str:
        return str(self.value)
