from enum import StrEnum


class IssueCategory(StrEnum):
    DIPLOMACY = "diplomacy"
    ECONOMY = "economy"
    GOVERNANCE = "governance"
    OTHER = "other"
    SECURITY = "security"
    TRADE = "trade"

    def __str__(self) -> str:
        return str(self.value)
