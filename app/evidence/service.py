"""Evidence: fetching it for many facts at once (one query per page, never one per fact), and
the rule that a fact no evidence supports any more is deleted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.changes.service import ChangeTracker
from app.core.errors import Conflict
from app.core.pagination import AnySelect
from app.core.sqljson import constant, json_array, json_object
from app.evidence.schemas import EvidenceRead
from app.models.article import Article
from app.models.event import Event
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.issue import Issue
from app.models.kind import RecordKind
from app.models.participant import Participant
from app.models.quotation import Quotation

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
    fact column of a `uq_evidence_spans_<fact>_id_article_id_start_end` index (app.core.sqljson).
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
_EVIDENCE_OF = {kind: _evidence_statement(column) for kind, column in EVIDENCE_COLUMNS.items()}


def evidence_for(
    session: Session, kind: RecordKind, fact_ids: Collection[str]
) -> dict[str, list[EvidenceRead]]:
    """Evidence of each fact, in article then offset order; the span text is cut by the database."""
    if not fact_ids:
        return {}
    found: dict[str, list[EvidenceRead]] = defaultdict(list)
    rows = session.execute(_EVIDENCE_OF[kind], {"fact_ids": list(fact_ids)})
    for fact_id, article_id, start, end, text in rows:
        found[fact_id].append(EvidenceRead(article_id=article_id, start=start, end=end, text=text))
    return found


class SpeakerStillQuoted(Conflict):
    """A participant would lose their last evidence while they still speak quotations."""

    def __init__(self, participant_id: str, quotation_ids: list[str]) -> None:
        self.participant_id = participant_id
        self.quotation_ids = quotation_ids
        super().__init__(
            f"Participant {participant_id!r} would be left with no evidence, but they still"
            f" speak quotations of other articles ({', '.join(quotation_ids)}). Keep their"
            " evidence in another article, or delete those quotations first."
        )


# What a fact left without evidence takes with it is what its kind's own delete takes; a
# quotation belongs to one article and goes with it, so only these kinds can be orphaned.
_ORPHAN_MODELS: dict[RecordKind, type[Participant | Event | Issue]] = {
    RecordKind.PARTICIPANT: Participant,
    RecordKind.EVENT: Event,
    RecordKind.ISSUE: Issue,
}


def facts_with_evidence_in(session: Session, article_id: str) -> set[tuple[RecordKind, str]]:
    """The kind and id of every fact with a span in this article."""
    spans = session.scalars(select(EvidenceSpan).where(EvidenceSpan.article_id == article_id))
    return {span.fact for span in spans}


def delete_if_unsupported(
    session: Session, kind: RecordKind, fact_id: str, tracker: ChangeTracker
) -> None:
    """Delete a participant, event or issue that no evidence supports any more (the one place
    of this rule). A participant who still speaks quotations is kept: SpeakerStillQuoted."""
    model = _ORPHAN_MODELS.get(kind)
    if model is None:
        return
    session.flush()
    remaining = session.scalar(
        select(func.count()).select_from(EvidenceSpan).where(EVIDENCE_COLUMNS[kind] == fact_id)
    )
    if remaining:
        return
    if kind is RecordKind.PARTICIPANT:
        spoken = session.scalars(
            select(Quotation.id).where(Quotation.speaker_id == fact_id).limit(5)
        ).all()
        if spoken:
            raise SpeakerStillQuoted(fact_id, list(spoken))
    tracker.track_dependents(kind, fact_id)
    session.execute(delete(model).where(model.id == fact_id))
    session.flush()
