"""Fetching evidence for many facts at once (one query per page, never one per fact)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.articles.models import Article
from app.evidence.models import EvidenceSpan, FactKind
from app.evidence.schemas import EvidenceRead

_FACT_COLUMN = {
    FactKind.PARTICIPANT: EvidenceSpan.participant_id,
    FactKind.EVENT: EvidenceSpan.event_id,
    FactKind.ISSUE: EvidenceSpan.issue_id,
    FactKind.QUOTATION: EvidenceSpan.quotation_id,
}


def evidence_for(
    session: Session, kind: FactKind, fact_ids: Collection[str]
) -> dict[str, list[EvidenceRead]]:
    """Evidence of each fact, in article then offset order; the span text is cut by the database."""
    if not fact_ids:
        return {}
    fact_column = _FACT_COLUMN[kind]
    # SQL substr counts characters from 1, as Python slices count code points from 0.
    span_text = func.substr(
        Article.text, EvidenceSpan.start + 1, EvidenceSpan.end - EvidenceSpan.start
    )
    rows = session.execute(
        select(
            fact_column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end, span_text
        )
        .join(Article, Article.id == EvidenceSpan.article_id)
        .where(fact_column.in_(list(fact_ids)))
        .order_by(fact_column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end)
    )
    found: dict[str, list[EvidenceRead]] = defaultdict(list)
    for fact_id, article_id, start, end, text in rows:
        found[fact_id].append(EvidenceRead(article_id=article_id, start=start, end=end, text=text))
    return found
