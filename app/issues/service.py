"""Queries over agenda issues."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.events.models import EventParticipant
from app.evidence.models import FactKind
from app.evidence.service import evidence_for
from app.issues.models import AgendaItem, AgendaStatus, Issue
from app.issues.schemas import AgendaEntryRead, IssueQuery, IssueRead
from app.pagination import Ordering, Page, SortKey, paginate, split_page
from app.quotations.models import Quotation, QuotationIssue

ISSUE_ORDER = Ordering("id", [SortKey(Issue.id)])


def issue_reads(session: Session, issues: Sequence[Issue]) -> list[IssueRead]:
    """Full representations of issues, with agenda and evidence (two queries)."""
    ids = [i.id for i in issues]
    agenda: dict[str, list[AgendaEntryRead]] = defaultdict(list)
    if ids:
        for item in session.scalars(
            select(AgendaItem)
            .where(AgendaItem.issue_id.in_(ids))
            .order_by(AgendaItem.issue_id, AgendaItem.event_id)
        ):
            agenda[item.issue_id].append(
                AgendaEntryRead(event_id=item.event_id, status=item.status)
            )
    evidence = evidence_for(session, FactKind.ISSUE, ids)
    return [
        IssueRead(
            id=i.id,
            title=i.title,
            summary=i.summary,
            category=i.category,
            agenda=agenda[i.id],
            evidence=evidence.get(i.id, []),
        )
        for i in issues
    ]


def list_issues(session: Session, query: IssueQuery) -> Page[IssueRead]:
    """Issues in id order, with the query's filters."""
    statement = select(Issue)
    if query.event is not None:
        statement = statement.where(
            exists().where(AgendaItem.issue_id == Issue.id, AgendaItem.event_id == query.event)
        )
    if query.participant is not None:
        quoted = exists().where(
            QuotationIssue.issue_id == Issue.id,
            Quotation.id == QuotationIssue.quotation_id,
            Quotation.speaker_id == query.participant,
        )
        raised = exists().where(
            AgendaItem.issue_id == Issue.id,
            AgendaItem.status.in_([AgendaStatus.RAISED, AgendaStatus.DISCUSSED]),
            EventParticipant.event_id == AgendaItem.event_id,
            EventParticipant.participant_id == query.participant,
        )
        statement = statement.where(or_(quoted, raised))
    if query.category is not None:
        statement = statement.where(Issue.category == query.category)
    if query.q:
        statement = statement.where(
            or_(
                Issue.title.icontains(query.q, autoescape=True),
                Issue.summary.icontains(query.q, autoescape=True),
            )
        )
    rows = session.scalars(paginate(statement, ISSUE_ORDER, query.cursor, query.limit)).all()
    page, next_cursor = split_page(rows, ISSUE_ORDER, query.limit, lambda i: [i.id])
    return Page[IssueRead](items=issue_reads(session, page), next_cursor=next_cursor)


def get_issue(session: Session, issue_id: str) -> IssueRead:
    """One issue; NotFound if there is none."""
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise NotFound(f"No issue with id {issue_id!r}.")
    return issue_reads(session, [issue])[0]


def require_issue(session: Session, issue_id: str) -> None:
    """NotFound unless the issue exists."""
    if session.get(Issue, issue_id) is None:
        raise NotFound(f"No issue with id {issue_id!r}.")
