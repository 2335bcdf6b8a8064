"""The quotation's registry entry (app.kinds): canonical state, dependents, bundle section,
article page view, CSV columns, JSON-LD node and write routes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.changes.service import State, evidence_states, partial_date
from app.core.dates import format_optional_date
from app.models.event import Event
from app.models.issue import Issue
from app.models.kind import RecordKind
from app.models.participant import Participant
from app.models.quotation import Quotation, QuotationIssue
from app.quotations import service
from app.quotations.bundle import QuotationSection
from app.quotations.jsonld import quotation_node
from app.quotations.schemas import QuotationCreate, QuotationRead, QuotationUpdate
from app.spec import KindSpec, PageFact, PageView, page_details
from app.writes.routes import WriteSpec, untracked


def quotation_states(session: Session, ids: list[str]) -> dict[str, State]:
    """The canonical state of each quotation, with its issue ids and evidence."""
    issue_ids: dict[str, list[str]] = defaultdict(list)
    for quotation_id, issue_id in session.execute(
        select(QuotationIssue.quotation_id, QuotationIssue.issue_id)
        .where(QuotationIssue.quotation_id.in_(ids))
        .order_by(QuotationIssue.issue_id)
    ):
        issue_ids[quotation_id].append(issue_id)
    evidence = evidence_states(session, RecordKind.QUOTATION, ids)
    return {
        q.id: {
            "id": q.id,
            "article_id": q.article_id,
            "speaker_id": q.speaker_id,
            "text": q.text,
            "kind": q.kind.value,
            "said_on": partial_date(q.said_on, q.said_on_precision),
            "event_id": q.event_id,
            "audience_id": q.audience_id,
            "issue_ids": issue_ids[q.id],
            "evidence": evidence[q.id],
        }
        for q in session.scalars(select(Quotation).where(Quotation.id.in_(ids)))
    }


def quotation_dependents(session: Session, quotation_id: str) -> dict[RecordKind, set[str]]:
    """None: no other record's canonical state names a quotation."""
    return {}


def quotation_page_facts(session: Session, ids: set[str]) -> dict[str, PageFact]:
    """Each quotation as the article page shows it, shaded by its speaker (two queries)."""
    on: dict[str, list[str]] = defaultdict(list)
    for quotation_id, title in session.execute(
        select(QuotationIssue.quotation_id, Issue.title)
        .join(Issue, Issue.id == QuotationIssue.issue_id)
        .where(QuotationIssue.quotation_id.in_(ids))
        .order_by(Issue.title)
    ):
        on[quotation_id].append(title)
    speaker, audience = aliased(Participant), aliased(Participant)
    facts: dict[str, PageFact] = {}
    for q, speaker_name, audience_name, occasion in session.execute(
        select(Quotation, speaker.name, audience.name, Event.title)
        .join(speaker, speaker.id == Quotation.speaker_id)
        .outerjoin(audience, audience.id == Quotation.audience_id)
        .outerjoin(Event, Event.id == Quotation.event_id)
        .where(Quotation.id.in_(ids))
    ):
        label = f"Quotation by {speaker_name}"
        details = page_details(
            ("Speaker", speaker_name),
            ("Kind", q.kind.value),
            ("Said", format_optional_date(q.said_on, q.said_on_precision) or "undated"),
            ("To", audience_name),
            ("At", occasion),
            ("On", "; ".join(on[q.id])),
        )
        facts[q.id] = PageFact(label, details, shade=(q.speaker_id, label))
    return facts


def _issue_items(ids: list[str]) -> list[str]:
    """Issue ids as CSV list items."""
    return [str(i) for i in ids]


QUOTATION = KindSpec(
    kind=RecordKind.QUOTATION,
    model=Quotation,
    states=quotation_states,
    dependents=quotation_dependents,
    jsonld=quotation_node,
    writes=WriteSpec(
        kind=RecordKind.QUOTATION,
        create_model=QuotationCreate,
        update_model=QuotationUpdate,
        read_model=QuotationRead,
        create=service.create_quotation,
        update=service.update_quotation,
        delete=untracked(service.delete_quotation),
        read=service.get_quotation,
    ),
    csv_columns=(
        "id",
        "article_id",
        "speaker_id",
        "text",
        "kind",
        "said_on",
        "event_id",
        "audience_id",
        "issue_ids",
        "evidence",
    ),
    csv_items={"issue_ids": _issue_items},
    bundle=QuotationSection(),
    page=PageView(
        title="Quotation", plural="Quotations", order=0, rank=0, facts=quotation_page_facts
    ),
)
