"""Queries over quotations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from app.dates import format_partial_date, within_clause
from app.errors import FieldError, NotFound, ValidationFailed
from app.evidence.models import FactKind
from app.evidence.service import evidence_for
from app.pagination import AnySelect, Ordering, Page, SortKey, filter_scope, paginate, split_page
from app.participants.models import Participant
from app.participants.schemas import ParticipantRef
from app.quotations.models import Quotation, QuotationIssue
from app.quotations.schemas import QuotationQuery, QuotationRead, QuotationSort
from app.search import quotation_matches

_speaker = aliased(Participant, name="speaker")
_audience = aliased(Participant, name="audience")

ORDERINGS = {
    QuotationSort.ID: Ordering("id", [SortKey(Quotation.id)]),
    QuotationSort.SAID_ON: Ordering(
        "said_on",
        [SortKey(Quotation.said_on, nullable=True, kind=dt.date), SortKey(Quotation.id)],
    ),
    QuotationSort.SAID_ON_DESC: Ordering(
        "-said_on",
        [
            SortKey(Quotation.said_on, descending=True, nullable=True, kind=dt.date),
            SortKey(Quotation.id, descending=True),
        ],
    ),
}


def _base_select() -> AnySelect:
    statement: AnySelect = (
        select(Quotation, _speaker.name, _audience.name)
        .join(_speaker, _speaker.id == Quotation.speaker_id)
        .outerjoin(_audience, _audience.id == Quotation.audience_id)
    )
    return statement


def quotation_reads(session: Session, rows: Sequence[Any]) -> list[QuotationRead]:
    """Representations of (quotation, speaker name, audience name) rows: two more queries."""
    ids = [row[0].id for row in rows]
    issues: dict[str, list[str]] = defaultdict(list)
    if ids:
        for quotation_id, issue_id in session.execute(
            select(QuotationIssue.quotation_id, QuotationIssue.issue_id)
            .where(QuotationIssue.quotation_id.in_(ids))
            .order_by(QuotationIssue.quotation_id, QuotationIssue.issue_id)
        ):
            issues[quotation_id].append(issue_id)
    evidence = evidence_for(session, FactKind.QUOTATION, ids)
    reads = []
    for row in rows:
        quotation, speaker_name, audience_name = row[0], row[1], row[2]
        said_on = (
            format_partial_date(quotation.said_on, quotation.said_on_precision)
            if quotation.said_on is not None and quotation.said_on_precision is not None
            else None
        )
        reads.append(
            QuotationRead(
                id=quotation.id,
                text=quotation.text,
                kind=quotation.kind,
                speaker=ParticipantRef(id=quotation.speaker_id, name=speaker_name),
                said_on=said_on,
                said_on_precision=quotation.said_on_precision,
                event_id=quotation.event_id,
                audience=(
                    ParticipantRef(id=quotation.audience_id, name=audience_name)
                    if quotation.audience_id is not None
                    else None
                ),
                issue_ids=issues[quotation.id],
                article_id=quotation.article_id,
                evidence=evidence.get(quotation.id, []),
            )
        )
    return reads


def list_quotations(session: Session, query: QuotationQuery, **fixed: str) -> Page[QuotationRead]:
    """Quotations matching the query; `fixed` adds filters set by the path (e.g. speaker)."""
    sort = query.sort or (QuotationSort.RELEVANCE if query.q else QuotationSort.ID)
    if sort is QuotationSort.RELEVANCE and not query.q:
        raise ValidationFailed(
            "sort=relevance needs a full-text query q.",
            [FieldError(location="query", name="sort", message="relevance needs q")],
        )
    statement = _base_select()
    # Path filters (e.g. /participants/{id}/quotations) and query filters both apply.
    for filters in (query.model_dump(exclude_none=True), fixed):
        for name, column in (
            ("speaker", Quotation.speaker_id),
            ("event", Quotation.event_id),
            ("article", Quotation.article_id),
            ("audience", Quotation.audience_id),
            ("kind", Quotation.kind),
        ):
            if name in filters:
                statement = statement.where(column == filters[name])
        if "issue" in filters:
            statement = statement.where(
                exists().where(
                    QuotationIssue.quotation_id == Quotation.id,
                    QuotationIssue.issue_id == filters["issue"],
                )
            )
    dated = within_clause(
        Quotation.said_on, Quotation.said_on_precision, query.said_from, query.said_to
    )
    if dated is not None:
        statement = statement.where(dated)

    ordering = ORDERINGS.get(sort)
    if query.q:
        matches = quotation_matches(session, query.q)
        if matches is None:
            return Page[QuotationRead](items=[], next_cursor=None)
        statement = statement.join(matches, matches.c.quotation_id == Quotation.id).add_columns(
            matches.c.rank
        )
        if sort is QuotationSort.RELEVANCE:
            ordering = Ordering(
                "relevance",
                [SortKey(matches.c.rank, descending=True, kind=float), SortKey(Quotation.id)],
            )
    assert ordering is not None
    scope = filter_scope(query) + "/" + ",".join(f"{k}={v}" for k, v in sorted(fixed.items()))
    rows = session.execute(paginate(statement, ordering, query.cursor, query.limit, scope)).all()
    page, next_cursor = split_page(
        rows, ordering, query.limit, lambda row: _sort_values(sort, row), scope
    )
    return Page[QuotationRead](items=quotation_reads(session, page), next_cursor=next_cursor)


def _sort_values(sort: QuotationSort, row: Any) -> list[Any]:
    quotation: Quotation = row[0]
    if sort is QuotationSort.RELEVANCE:
        return [row[3], quotation.id]
    if sort in (QuotationSort.SAID_ON, QuotationSort.SAID_ON_DESC):
        return [quotation.said_on, quotation.id]
    return [quotation.id]


def get_quotation(session: Session, quotation_id: str) -> QuotationRead:
    """One quotation; NotFound if there is none."""
    row = session.execute(_base_select().where(Quotation.id == quotation_id)).first()
    if row is None:
        raise NotFound(f"No quotation with id {quotation_id!r}.")
    return quotation_reads(session, [row])[0]


def quotations_on_issues(
    session: Session, issue_ids: Sequence[str]
) -> dict[str, list[QuotationRead]]:
    """Every quotation concerning each issue, oldest first (a fixed number of queries)."""
    if not issue_ids:
        return {}
    rows = session.execute(
        _base_select()
        .where(
            exists().where(
                QuotationIssue.quotation_id == Quotation.id,
                QuotationIssue.issue_id.in_(issue_ids),
            )
        )
        .order_by(*ORDERINGS[QuotationSort.SAID_ON].order_by())
    ).all()
    by_issue: dict[str, list[QuotationRead]] = defaultdict(list)
    for read in quotation_reads(session, rows):
        for issue_id in read.issue_ids:
            if issue_id in issue_ids:
                by_issue[issue_id].append(read)
    return by_issue
