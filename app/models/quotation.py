"""Quotation: what a participant said (directly, partially quoted, or reported)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.dates import DatePrecision
from app.core.db import Base, str_enum


class QuotationKind(enum.StrEnum):
    """How the article renders the utterance."""

    DIRECT = "direct"  # a full quoted utterance
    PARTIAL = "partial"  # a short quoted phrase inside reported speech
    INDIRECT = "indirect"  # reported speech without quote marks


class Quotation(Base):
    """An utterance reported by an article; its first evidence span is its own text."""

    __tablename__ = "quotations"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    speaker_id: Mapped[str] = mapped_column(ForeignKey("participants.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[QuotationKind] = mapped_column(str_enum(QuotationKind, "quotation_kind"))
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    said_on_precision: Mapped[DatePrecision | None] = mapped_column(
        str_enum(DatePrecision, "said_on_precision")
    )
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    audience_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint("(said_on IS NULL) = (said_on_precision IS NULL)", name="said_on_pair"),
        # Each filter with the id order it is paged in, so a deep page costs what page 1 does;
        # (said_on, id) serves the date sorts and date ranges.
        Index("ix_quotations_said_on_id", "said_on", "id"),
        Index("ix_quotations_speaker_id_id", "speaker_id", "id"),
        Index("ix_quotations_speaker_id_said_on", "speaker_id", "said_on", "id"),
        Index("ix_quotations_article_id_id", "article_id", "id"),
        Index("ix_quotations_event_id_id", "event_id", "id"),
        Index("ix_quotations_audience_id_id", "audience_id", "id"),
        Index("ix_quotations_kind_id", "kind", "id"),
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
