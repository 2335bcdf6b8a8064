from enum import StrEnum


class AgendaStatus(StrEnum):
    DISCUSSED = "discussed"
    EXPECTED = "expected"
    RAISED = "raised"

    def __str__(self) -> str:
        return str(self.value)
