from enum import StrEnum


class EventKind(StrEnum):
    CONGRATULATION = "congratulation"
    ELECTION = "election"
    INAUGURATION = "inauguration"
    INTERVIEW = "interview"
    MEETING = "meeting"
    OTHER = "other"
    SESSION = "session"
    SPEECH = "speech"
    STATEMENT = "statement"
    SUMMIT = "summit"
    VISIT = "visit"

    def __str__(self) -> str:
        return str(self.value)
