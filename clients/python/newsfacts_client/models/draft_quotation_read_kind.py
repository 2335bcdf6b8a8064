from enum import StrEnum


class DraftQuotationReadKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    PARTIAL = "partial"

    def __str__(self) -> str:
        return str(self.value)
