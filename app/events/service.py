"""Queries over events and their agendas."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, bindparam, delete, exists, or_, select
from sqlalchemy.orm import Session

from app.core import websearch
from app.core.dates import format_optional_date, within_clause
from app.core.errors import NotFound
from app.core.pagination import (
    AnySelect,
    Ordering,
    Page,
    SortKey,
    filter_scope,
    paginate,
    split_page,
)
from app.core.schemas import ParticipantRef
from app.core.sqljson import (
    SUPPORTED,
    RenderedJson,
    json_object,
    json_text,
)
from app.core.sync import sync_rows
from app.events.schemas import (
    EventCreate,
    EventParticipantRead,
    EventQuery,
    EventRead,
    EventSort,
    EventUpdate,
)
from app.evidence.service import evidence_for, evidence_json
from app.models.event import Event, EventParticipant
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind
from app.models.participant import Participant
from app.quotations.service import quotations_reporting_event
from app.writes.flows import (
    invalid,
    replace_evidence,
    require_absent,
    require_ref,
    resolve_evidence,
)

ORDERINGS = {
    EventSort.ID: Ordering("events:id", [SortKey(Event.id)]),
    EventSort.DATE: Ordering(
        "events:date", [SortKey(Event.date, nullable=True, kind=dt.date), SortKey(Event.id)]
    ),
    EventSort.DATE_DESC: Ordering(
        "events:-date",
        [
            SortKey(Event.date, descending=True, nullable=True, kind=dt.date),
            SortKey(Event.id, descending=True),
        ],
    ),
}


def event_reads(session: Session, events: Sequence[Event]) -> list[EventRead]:
    """Full representations of events (three more queries, whatever their number)."""
    ids = [e.id for e in events]
    participants: dict[str, list[EventParticipantRead]] = defaultdict(list)
    issues: dict[str, list[str]] = defaultdict(list)
    if ids:
        for event_id, participant_id, name, role in session.execute(
            select(
                EventParticipant.event_id,
                EventParticipant.participant_id,
                Participant.name,
                EventParticipant.role,
            )
            .join(Participant, Participant.id == EventParticipant.participant_id)
            .where(EventParticipant.event_id.in_(ids))
            .order_by(
                EventParticipant.event_id, EventParticipant.participant_id, EventParticipant.role
            )
        ):
            participants[event_id].append(
                EventParticipantRead(
                    participant=ParticipantRef(id=participant_id, name=name), role=role
                )
            )
        for event_id, issue_id in session.execute(
            select(AgendaItem.event_id, AgendaItem.issue_id)
            .where(AgendaItem.event_id.in_(ids))
            .order_by(AgendaItem.event_id, AgendaItem.issue_id)
        ):
            issues[event_id].append(issue_id)
    evidence = evidence_for(session, RecordKind.EVENT, ids)
    return [
        EventRead(
            id=e.id,
            title=e.title,
            kind=e.kind,
            status=e.status,
            date=format_optional_date(e.date, e.date_precision),
            date_precision=e.date_precision,
            location=e.location,
            description=e.description,
            participants=participants[e.id],
            issue_ids=issues[e.id],
            evidence=evidence.get(e.id, []),
        )
        for e in events
    ]


def list_events(session: Session, query: EventQuery) -> Page[EventRead]:
    """Events matching the query, in the requested order."""
    statement = select(Event)
    if query.participant is not None:
        statement = statement.where(
            exists().where(
                EventParticipant.event_id == Event.id,
                EventParticipant.participant_id == query.participant,
            )
        )
    if query.issue is not None:
        statement = statement.where(
            exists().where(AgendaItem.event_id == Event.id, AgendaItem.issue_id == query.issue)
        )
    if query.status is not None:
        statement = statement.where(Event.status == query.status)
    if query.kind is not None:
        statement = statement.where(Event.kind == query.kind)
    dated = within_clause(Event.date, Event.date_precision, query.date_from, query.date_to)
    if dated is not None:
        statement = statement.where(dated)
    if query.location:
        statement = statement.where(Event.location.icontains(query.location, autoescape=True))
    if query.q:
        searched = websearch.condition(
            query.q,
            lambda term: or_(
                Event.title.icontains(term.text, autoescape=True),
                Event.description.icontains(term.text, autoescape=True),
            ),
        )
        statement = statement.where(searched)
    ordering = ORDERINGS[query.sort]
    scope = filter_scope(query)
    rows = session.scalars(paginate(statement, ordering, query.cursor, query.limit, scope)).all()
    page, next_cursor = split_page(rows, ordering, query.limit, _sort_values(query.sort), scope)
    return Page[EventRead](items=event_reads(session, page), next_cursor=next_cursor)


def _sort_values(sort: EventSort) -> Any:
    if sort is EventSort.ID:
        return lambda e: [e.id]
    return lambda e: [e.date, e.id]


def _require(session: Session, event_id: str) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"No event with id {event_id!r}.")
    return event


def get_event(session: Session, event_id: str) -> EventRead:
    """One event; NotFound if there is none."""
    return event_reads(session, [_require(session, event_id)])[0]


def require_event(session: Session, event_id: str) -> None:
    """NotFound unless the event exists."""
    _require(session, event_id)


def _build_agenda_items_select(dialect: str) -> AnySelect:
    # Bound to the event and to its articles, which get_agenda has read already.
    evidence = evidence_json(
        dialect,
        EvidenceSpan.issue_id == Issue.id,
        EvidenceSpan.article_id.in_(bindparam("article_ids", expanding=True)),
    )
    item = json_object(
        dialect,
        {
            "issue": json_object(
                dialect,
                {
                    "id": Issue.id,
                    "title": Issue.title,
                    "summary": Issue.summary,
                    "category": Issue.category,
                },
            ),
            "status": AgendaItem.status,
            "evidence": evidence,
        },
    )
    statement: AnySelect = (
        select(Issue.id, json_text(dialect, item).label("item"))
        .select_from(AgendaItem)
        .join(Issue, Issue.id == AgendaItem.issue_id)
        .where(AgendaItem.event_id == bindparam("event_id", type_=String))
        .order_by(Issue.id)
    )
    return statement


# Built once per dialect, bound to an event id per request (see app.core.sqljson).
_AGENDA_ITEMS = {dialect: _build_agenda_items_select(dialect) for dialect in SUPPORTED}
_EVENT_ARTICLES = (
    select(EvidenceSpan.article_id)
    .where(EvidenceSpan.event_id == bindparam("event_id"))
    .distinct()
    .order_by(EvidenceSpan.article_id)
)
_EVENT_EXISTS = select(Event.id).where(Event.id == bindparam("event_id"))


def get_agenda(session: Session, event_id: str, quotations_per_issue: int) -> RenderedJson:
    """The event's agenda (an AgendaRead, as JSON): each issue with its status, and what the
    articles reporting the event say of it: the issue's spans there, the first quotations on it.
    """
    bound = {"event_id": event_id}
    article_ids = list(session.scalars(_EVENT_ARTICLES, bound))
    dialect = session.get_bind().dialect.name
    rows = session.execute(_AGENDA_ITEMS[dialect], {**bound, "article_ids": article_ids}).all()
    if not article_ids and not rows and session.scalar(_EVENT_EXISTS, bound) is None:
        raise NotFound(f"No event with id {event_id!r}.")
    issue_ids = {row.id for row in rows}
    quotations = quotations_reporting_event(
        session, event_id, article_ids, issue_ids, quotations_per_issue
    )
    items = []
    for row in rows:
        item = json.loads(row.item)
        item["quotations"] = quotations.get(row.id, [])
        item["all_quotations"] = f"/v1/issues/{row.id}/quotations?sort=said_on"
        items.append(item)
    agenda = {"event_id": event_id, "article_ids": article_ids, "items": items}
    return RenderedJson(json.dumps(agenda, ensure_ascii=False, separators=(",", ":")).encode())


# --- writes --------------------------------------------------------------------------------


def _apply(session: Session, event: Event, values: dict[str, Any]) -> None:
    for name in ("title", "kind", "status", "location", "description"):
        if name in values:
            setattr(event, name, values[name])
    if "date" in values:
        event.date = values["date"].value if values["date"] else None
        event.date_precision = values["date"].precision if values["date"] else None
    session.flush()
    if "participants" in values:
        links = values["participants"]
        for index, link in enumerate(links):
            require_ref(session, Participant, link.participant_id, f"participants.{index}")
        pairs = {(link.participant_id, link.role) for link in links}
        if len(pairs) != len(links):
            raise invalid("participants", "a participant-role pair is listed twice")
        sync_rows(
            session,
            EventParticipant,
            EventParticipant.event_id == event.id,
            {(event.id, p, r) for p, r in pairs},
            ("event_id", "participant_id", "role"),
        )
    if "evidence" in values:
        spans = resolve_evidence(session, values["evidence"])
        replace_evidence(session, RecordKind.EVENT, event.id, spans)


def create_event(session: Session, data: EventCreate) -> None:
    """Insert an event with its participants and evidence."""
    require_absent(session, Event, data.id)
    event = Event(id=data.id, title=data.title, kind=data.kind, status=data.status)
    session.add(event)
    _apply(session, event, {name: getattr(data, name) for name in type(data).model_fields})


def update_event(session: Session, event_id: str, data: EventUpdate) -> None:
    """Change the fields the client sent."""
    _apply(session, _require(session, event_id), data.changes())


def delete_event(session: Session, event_id: str) -> None:
    """Delete an event; its agenda entries and roles go, quotations said there are detached."""
    session.execute(delete(Event).where(Event.id == event_id))
