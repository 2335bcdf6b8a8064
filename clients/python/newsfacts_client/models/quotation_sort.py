from enum import StrEnum


class QuotationSort(StrEnum):
    ID = "id"
    RELEVANCE = "relevance"
    SAID_ON = "said_on"
    VALUE_2 = "-said_on"

    def __str__(self) -> str:
        return str(self.value)
