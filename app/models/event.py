"""Event: something that happened or will happen (a summit, a visit, an election...)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import DatePrecision
from app.core.db import Base, str_enum


class EventKind(enum.StrEnum):
    """What sort of event it is."""

    SUMMIT = "summit"
    MEETING = "meeting"
    VISIT = "visit"
    SESSION = "session"
    ELECTION = "election"
    INAUGURATION = "inauguration"
    STATEMENT = "statement"
    CONGRATULATION = "congratulation"
    INTERVIEW = "interview"
    SPEECH = "speech"
    OTHER = "other"


class EventStatus(enum.StrEnum):
    """Where the event stood as of the article that reports it."""

    SCHEDULED = "scheduled"
    EXPECTED = "expected"
    DEFERRED = "deferred"
    HELD = "held"
    CANCELLED = "cancelled"


class Event(Base):
    """An event reported by one or more articles."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "event_kind"))
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus, "event_status"))
    date: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[DatePrecision | None] = mapped_column(
        str_enum(DatePrecision, "date_precision")
    )
    location: Mapped[str | None] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("(date IS NULL) = (date_precision IS NULL)", name="date_pair"),
        # Serves date filters and the date sort with its id tie-breaker.
        Index("ix_events_date_id", "date", "id"),
        Index("ix_events_kind_id", "kind", "id"),
        Index("ix_events_status_id", "status", "id"),
    )


class EventParticipant(Base):
    """A participant's role in an event (host, attendee, visitor, subject, ...)."""

    __tablename__ = "event_participants"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(50), primary_key=True)
