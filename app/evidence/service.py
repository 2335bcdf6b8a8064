"""Fetching evidence for many facts at once (one query per page, never one per fact)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import Session

from app.articles.models import Article
from app.evidence.models import EvidenceSpan, FactKind
from app.evidence.schemas import EvidenceRead
from app.pagination import AnySelect
from app.sqljson import constant, json_array, json_object

_FACT_COLUMN = {
    FactKind.PARTICIPANT: EvidenceSpan.participant_id,
    FactKind.EVENT: EvidenceSpan.event_id,
    FactKind.ISSUE: EvidenceSpan.issue_id,
    FactKind.QUOTATION: EvidenceSpan.quotation_id,
}


# A span's text, cut by the database: SQL substr counts characters from 1, as Python slices
# count code points from 0. Over the tables' columns, so that a Core statement using it stays
# free of the ORM.
_spans, _articles = EvidenceSpan.__table__, Article.__table__
_span, _article = _spans.c, _articles.c
_SPAN_TEXT = func.substr(_article.text, _span.start + constant(1), _span.end - _span.start)


def evidence_json(dialect: str, *where: ColumnElement[bool]) -> ColumnElement[Any]:
    """The spans matching `where` (correlated to a fact of the enclosing select) as a JSON
    array of EvidenceRead objects, in article then offset order.

    On SQLite that order is the order of the index the plan reads, so `where` must fix the
    fact column of a `uq_evidence_spans_<fact>_id_article_id_start_end` index (app.sqljson).
    """
    span = json_object(
        dialect,
        {
            "article_id": _span.article_id,
            "start": _span.start,
            "end": _span.end,
            "text": _SPAN_TEXT,
        },
    )
    rows = select(_span.id).join(_articles, _article.id == _span.article_id).where(*where)
    return json_array(dialect, span, rows, [_span.article_id, _span.start, _span.end])


def _evidence_statement(fact_column: Any) -> AnySelect:
    statement: AnySelect = (
        select(
            fact_column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end, _SPAN_TEXT
        )
        .join(Article, Article.id == EvidenceSpan.article_id)
        .where(fact_column.in_(bindparam("fact_ids", expanding=True)))
        .order_by(fact_column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end)
    )
    return statement


# Built once: a statement object reused on every page keeps its cache key (see SQLAlchemy's
# compiled cache), so a page pays neither for building it nor for keying it again.
_EVIDENCE_OF = {kind: _evidence_statement(column) for kind, column in _FACT_COLUMN.items()}


def evidence_for(
    session: Session, kind: FactKind, fact_ids: Collection[str]
) -> dict[str, list[EvidenceRead]]:
    """Evidence of each fact, in article then offset order; the span text is cut by the database."""
    if not fact_ids:
        return {}
    found: dict[str, list[EvidenceRead]] = defaultdict(list)
    rows = session.execute(_EVIDENCE_OF[kind], {"fact_ids": list(fact_ids)})
    for fact_id, article_id, start, end, text in rows:
        found[fact_id].append(EvidenceRead(article_id=article_id, start=start, end=end, text=text))
    return found
