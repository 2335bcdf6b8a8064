"""Evidence span: the characters of an article that support a fact."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from app.core.db import Base
from app.models.kind import RecordKind


class EvidenceSpan(Base):
    """`article.text[start:end]` supports exactly one fact; offsets count code points."""

    __tablename__ = "evidence_spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # Exactly one of these names the fact (a CHECK enforces it); each unique constraint
    # below starts with its fact column, so it also serves "evidence of these facts".
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    issue_id: Mapped[str | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    quotation_id: Mapped[str | None] = mapped_column(
        ForeignKey("quotations.id", ondelete="CASCADE")
    )

    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="span_bounds"),
        CheckConstraint(
            "(CASE WHEN participant_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN quotation_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_fact",
        ),
        UniqueConstraint("participant_id", "article_id", "start", "end"),
        UniqueConstraint("event_id", "article_id", "start", "end"),
        UniqueConstraint("issue_id", "article_id", "start", "end"),
        UniqueConstraint("quotation_id", "article_id", "start", "end"),
    )

    @property
    def fact(self) -> tuple[RecordKind, str]:
        """The kind and id of the fact this span supports."""
        for kind, column in EVIDENCE_COLUMNS.items():
            fact_id: str | None = getattr(self, column.key)
            if fact_id is not None:
                return kind, fact_id
        raise ValueError(f"evidence span {self.id} names no fact")


# The column of EvidenceSpan that names a fact of each kind: the one map from kind to column.
EVIDENCE_COLUMNS: dict[RecordKind, InstrumentedAttribute[str | None]] = {
    RecordKind.PARTICIPANT: EvidenceSpan.participant_id,
    RecordKind.EVENT: EvidenceSpan.event_id,
    RecordKind.ISSUE: EvidenceSpan.issue_id,
    RecordKind.QUOTATION: EvidenceSpan.quotation_id,
}
