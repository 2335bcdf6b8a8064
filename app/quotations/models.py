"""Quotation: what a participant said (directly, partially quoted, or reported)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.dates import DatePrecision
from app.db import Base, str_enum


class QuotationKind(enum.StrEnum):
    """How the article renders the utterance."""

    DIRECT = "direct"  # a full quoted utterance
    PARTIAL = "partial"  # a short quoted phrase inside reported speech
    INDIRECT = "indirect"  # reported speech without quote marks


class Quotation(Base):
    """An utterance reported by an article; its first evidence span is its own text."""

    __tablename__ = "quotations"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="RESTRICT"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[QuotationKind] = mapped_column(
        str_enum(QuotationKind, "quotation_kind"), index=True
    )
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    said_on_precision: Mapped[DatePrecision | None] = mapped_column(
        str_enum(DatePrecision, "said_on_precision")
    )
    event_id: Mapped[str | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    audience_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (
        CheckConstraint("(said_on IS NULL) = (said_on_precision IS NULL)", name="said_on_pair"),
        Index("ix_quotations_said_on_id", "said_on", "id"),
    )


class QuotationIssue(Base):
    """An issue a quotation concerns."""

    __tablename__ = "quotation_issues"

    quotation_id: Mapped[str] = mapped_column(
        ForeignKey("quotations.id", ondelete="CASCADE"), primary_key=True
    )
    issue_id: Mapped[str] = mapped_column(
        ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True, index=True
    )
