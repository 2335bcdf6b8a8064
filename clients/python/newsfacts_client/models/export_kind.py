from enum import StrEnum


class ExportKind(StrEnum):
    ARTICLES = "articles"
    EVENTS = "events"
    ISSUES = "issues"
    PARTICIPANTS = "participants"
    QUOTATIONS = "quotations"

    def __str__(self) -> str:
        return str(self.value)
