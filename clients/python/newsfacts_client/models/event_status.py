from enum import StrEnum


class EventStatus(StrEnum):
    CANCELLED = "cancelled"
    DEFERRED = "deferred"
    EXPECTED = "expected"
    HELD = "held"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
