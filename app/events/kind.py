"""The event's registry entry (app.kinds): canonical state, dependents, bundle section, article
page view, CSV columns, JSON-LD node and write routes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.service import State, evidence_states, partial_date
from app.core.dates import format_optional_date
from app.events import service
from app.events.bundle import EventSection
from app.events.jsonld import event_node
from app.events.schemas import EventCreate, EventRead, EventUpdate
from app.models.event import Event, EventParticipant
from app.models.issue import AgendaItem
from app.models.kind import RecordKind
from app.models.quotation import Quotation
from app.spec import KindSpec, PageFact, PageView, page_details
from app.writes.routes import WriteSpec, untracked


def event_states(session: Session, ids: list[str]) -> dict[str, State]:
    """The canonical state of each event, with its participants' roles and evidence."""
    roles: dict[str, list[dict[str, str]]] = defaultdict(list)
    for link in session.scalars(
        select(EventParticipant)
        .where(EventParticipant.event_id.in_(ids))
        .order_by(EventParticipant.participant_id, EventParticipant.role)
    ):
        roles[link.event_id].append({"participant_id": link.participant_id, "role": link.role})
    evidence = evidence_states(session, RecordKind.EVENT, ids)
    return {
        e.id: {
            "id": e.id,
            "title": e.title,
            "kind": e.kind.value,
            "status": e.status.value,
            "date": partial_date(e.date, e.date_precision),
            "location": e.location,
            "description": e.description,
            "participants": roles[e.id],
            "evidence": evidence[e.id],
        }
        for e in session.scalars(select(Event).where(Event.id.in_(ids)))
    }


def event_dependents(session: Session, event_id: str) -> dict[RecordKind, set[str]]:
    """The quotations said at it, and the issues on its agenda."""
    return {
        RecordKind.QUOTATION: set(
            session.scalars(select(Quotation.id).where(Quotation.event_id == event_id))
        ),
        RecordKind.ISSUE: set(
            session.scalars(select(AgendaItem.issue_id).where(AgendaItem.event_id == event_id))
        ),
    }


def event_page_facts(session: Session, ids: set[str]) -> dict[str, PageFact]:
    """Each event as the article page shows it (one query)."""
    return {
        e.id: PageFact(
            e.title,
            page_details(
                ("Kind", e.kind.value),
                ("Status", e.status.value),
                ("Date", format_optional_date(e.date, e.date_precision) or "undated"),
                ("Location", e.location),
            ),
        )
        for e in session.scalars(select(Event).where(Event.id.in_(ids)))
    }


def _role_items(links: list[dict[str, str]]) -> list[str]:
    """Participants as `participant_id:role` CSV list items."""
    return [f"{link['participant_id']}:{link['role']}" for link in links]


EVENT = KindSpec(
    kind=RecordKind.EVENT,
    model=Event,
    states=event_states,
    dependents=event_dependents,
    jsonld=event_node,
    writes=WriteSpec(
        kind=RecordKind.EVENT,
        create_model=EventCreate,
        update_model=EventUpdate,
        read_model=EventRead,
        create=service.create_event,
        update=service.update_event,
        delete=untracked(service.delete_event),
        read=service.get_event,
    ),
    csv_columns=(
        "id",
        "title",
        "kind",
        "status",
        "date",
        "location",
        "description",
        "participants",
        "evidence",
    ),
    csv_items={"participants": _role_items},
    bundle=EventSection(),
    page=PageView(title="Event", plural="Events", order=1, rank=1, facts=event_page_facts),
)
