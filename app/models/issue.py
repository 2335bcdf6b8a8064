"""Issue: an agenda topic that was, or will be, raised at events and in quotations."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, str_enum


class IssueCategory(enum.StrEnum):
    """The broad area an issue belongs to."""

    SECURITY = "security"
    TRADE = "trade"
    ECONOMY = "economy"
    DIPLOMACY = "diplomacy"
    GOVERNANCE = "governance"
    OTHER = "other"


class AgendaStatus(enum.StrEnum):
    """How far an issue got on an event's agenda."""

    EXPECTED = "expected"
    RAISED = "raised"
    DISCUSSED = "discussed"


class Issue(Base):
    """An agenda issue."""

    __tablename__ = "issues"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    category: Mapped[IssueCategory] = mapped_column(
        str_enum(IssueCategory, "issue_category"), index=True
    )


class AgendaItem(Base):
    """An issue on an event's agenda, with how far it got."""

    __tablename__ = "agenda_items"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    issue_id: Mapped[str] = mapped_column(
        ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[AgendaStatus] = mapped_column(str_enum(AgendaStatus, "agenda_status"))
