"""The issue's registry entry (app.kinds): canonical state, dependents, bundle section, article
page view, CSV columns, JSON-LD node and write routes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.service import State, evidence_states
from app.issues import service
from app.issues.bundle import IssueSection
from app.issues.jsonld import issue_node
from app.issues.schemas import IssueCreate, IssueRead, IssueUpdate
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind
from app.models.quotation import QuotationIssue
from app.spec import KindSpec, PageFact, PageView, page_details
from app.writes.routes import WriteSpec, untracked


def issue_states(session: Session, ids: list[str]) -> dict[str, State]:
    """The canonical state of each issue, with its agenda entries and evidence."""
    agenda: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in session.scalars(
        select(AgendaItem).where(AgendaItem.issue_id.in_(ids)).order_by(AgendaItem.event_id)
    ):
        agenda[item.issue_id].append({"event_id": item.event_id, "status": item.status.value})
    evidence = evidence_states(session, RecordKind.ISSUE, ids)
    return {
        i.id: {
            "id": i.id,
            "title": i.title,
            "summary": i.summary,
            "category": i.category.value,
            "agenda": agenda[i.id],
            "evidence": evidence[i.id],
        }
        for i in session.scalars(select(Issue).where(Issue.id.in_(ids)))
    }


def issue_dependents(session: Session, issue_id: str) -> dict[RecordKind, set[str]]:
    """The quotations on it."""
    quotations = select(QuotationIssue.quotation_id).where(QuotationIssue.issue_id == issue_id)
    return {RecordKind.QUOTATION: set(session.scalars(quotations))}


def issue_page_facts(session: Session, ids: set[str]) -> dict[str, PageFact]:
    """Each issue as the article page shows it (one query)."""
    return {
        i.id: PageFact(
            i.title, page_details(("Category", i.category.value), ("Summary", i.summary))
        )
        for i in session.scalars(select(Issue).where(Issue.id.in_(ids)))
    }


def _agenda_items(agenda: list[dict[str, str]]) -> list[str]:
    """Agenda entries as `event_id:status` CSV list items."""
    return [f"{e['event_id']}:{e['status']}" for e in agenda]


ISSUE = KindSpec(
    kind=RecordKind.ISSUE,
    model=Issue,
    states=issue_states,
    dependents=issue_dependents,
    jsonld=issue_node,
    writes=WriteSpec(
        kind=RecordKind.ISSUE,
        create_model=IssueCreate,
        update_model=IssueUpdate,
        read_model=IssueRead,
        create=service.create_issue,
        update=service.update_issue,
        delete=untracked(service.delete_issue),
        read=service.get_issue,
    ),
    csv_columns=("id", "title", "summary", "category", "agenda", "evidence"),
    csv_items={"agenda": _agenda_items},
    bundle=IssueSection(),
    page=PageView(title="Issue", plural="Issues", order=3, rank=2, facts=issue_page_facts),
)
