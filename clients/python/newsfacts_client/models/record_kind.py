from enum import StrEnum


class RecordKind(StrEnum):
    ARTICLE = "article"
    EVENT = "event"
    ISSUE = "issue"
    PARTICIPANT = "participant"
    QUOTATION = "quotation"

    def __str__(self) -> str:
        return str(self.value)
