"""Queries over agenda issues."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from app.core import websearch
from app.core.errors import NotFound
from app.core.pagination import Ordering, Page, SortKey, filter_scope, paginate, split_page
from app.core.sync import sync_rows
from app.evidence.service import evidence_for
from app.issues.schemas import AgendaEntryRead, IssueCreate, IssueQuery, IssueRead, IssueUpdate
from app.models.event import Event, EventParticipant
from app.models.issue import AgendaItem, AgendaStatus, Issue
from app.models.kind import RecordKind
from app.models.quotation import Quotation, QuotationIssue
from app.writes.flows import (
    invalid,
    replace_evidence,
    require_absent,
    require_ref,
    resolve_evidence,
)

ISSUE_ORDER = Ordering("issues:id", [SortKey(Issue.id)])


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
    evidence = evidence_for(session, RecordKind.ISSUE, ids)
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
        searched = websearch.condition(
            query.q,
            lambda term: or_(
                Issue.title.icontains(term.text, autoescape=True),
                Issue.summary.icontains(term.text, autoescape=True),
            ),
        )
        statement = statement.where(searched)
    scope = filter_scope(query)
    rows = session.scalars(paginate(statement, ISSUE_ORDER, query.cursor, query.limit, scope)).all()
    page, next_cursor = split_page(rows, ISSUE_ORDER, query.limit, lambda i: [i.id], scope)
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


# --- writes --------------------------------------------------------------------------------


def _apply(session: Session, issue: Issue, values: dict[str, Any]) -> None:
    for name in ("title", "summary", "category"):
        if name in values:
            setattr(issue, name, values[name])
    session.flush()
    if "agenda" in values:
        entries = values["agenda"]
        for index, entry in enumerate(entries):
            require_ref(session, Event, entry.event_id, f"agenda.{index}.event_id")
        if len({entry.event_id for entry in entries}) != len(entries):
            raise invalid("agenda", "an event is listed twice")
        sync_rows(
            session,
            AgendaItem,
            AgendaItem.issue_id == issue.id,
            {(entry.event_id, issue.id, entry.status) for entry in entries},
            ("event_id", "issue_id", "status"),
        )
    if "evidence" in values:
        spans = resolve_evidence(session, values["evidence"])
        replace_evidence(session, RecordKind.ISSUE, issue.id, spans)


def create_issue(session: Session, data: IssueCreate) -> None:
    """Insert an issue with its agenda entries and evidence."""
    require_absent(session, Issue, data.id)
    issue = Issue(id=data.id, title=data.title, category=data.category)
    session.add(issue)
    _apply(session, issue, {name: getattr(data, name) for name in type(data).model_fields})


def update_issue(session: Session, issue_id: str, data: IssueUpdate) -> None:
    """Change the fields the client sent."""
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise NotFound(f"No issue with id {issue_id!r}.")
    _apply(session, issue, data.changes())


def delete_issue(session: Session, issue_id: str) -> None:
    """Delete an issue; agenda entries and quotations' links to it go with it."""
    session.execute(delete(Issue).where(Issue.id == issue_id))
