from enum import StrEnum


class DraftSpeakerKind(StrEnum):
    COUNTRY = "country"
    GROUP = "group"
    ORGANIZATION = "organization"
    PERSON = "person"

    def __str__(self) -> str:
        return str(self.value)
