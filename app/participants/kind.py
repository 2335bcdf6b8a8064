"""The participant's registry entry (app.kinds): canonical state, dependents, bundle section,
article page view, CSV columns, JSON-LD node and write routes."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.service import State, evidence_states
from app.models.event import EventParticipant
from app.models.kind import RecordKind
from app.models.participant import Participant, ParticipantAlias, ParticipantExternalId
from app.models.quotation import Quotation
from app.participants import service
from app.participants.bundle import ParticipantSection
from app.participants.jsonld import participant_node
from app.participants.schemas import ParticipantCreate, ParticipantRead, ParticipantUpdate
from app.spec import KindSpec, PageFact, PageView, page_details
from app.writes.routes import WriteSpec, untracked


def participant_states(session: Session, ids: list[str]) -> dict[str, State]:
    """The canonical state of each participant, with its aliases, external ids and evidence."""
    aliases: dict[str, list[dict[str, str]]] = defaultdict(list)
    for alias in session.scalars(
        select(ParticipantAlias)
        .where(ParticipantAlias.participant_id.in_(ids))
        .order_by(ParticipantAlias.language, ParticipantAlias.alias)
    ):
        aliases[alias.participant_id].append({"alias": alias.alias, "language": alias.language})
    external: dict[str, dict[str, str]] = defaultdict(dict)
    for row in session.scalars(
        select(ParticipantExternalId).where(ParticipantExternalId.participant_id.in_(ids))
    ):
        external[row.participant_id][row.scheme] = row.value
    evidence = evidence_states(session, RecordKind.PARTICIPANT, ids)
    return {
        p.id: {
            "id": p.id,
            "name": p.name,
            "kind": p.kind.value,
            "title": p.title,
            "description": p.description,
            "affiliation_id": p.affiliation_id,
            "aliases": aliases[p.id],
            "external_ids": dict(sorted(external[p.id].items())),
            "evidence": evidence[p.id],
        }
        for p in session.scalars(select(Participant).where(Participant.id.in_(ids)))
    }


def participant_dependents(session: Session, participant_id: str) -> dict[RecordKind, set[str]]:
    """The quotations they speak or hear, the events they take part in, their affiliates."""
    found: dict[RecordKind, set[str]] = defaultdict(set)
    found[RecordKind.QUOTATION].update(
        session.scalars(select(Quotation.id).where(Quotation.speaker_id == participant_id))
    )
    found[RecordKind.QUOTATION].update(
        session.scalars(select(Quotation.id).where(Quotation.audience_id == participant_id))
    )
    found[RecordKind.EVENT].update(
        session.scalars(
            select(EventParticipant.event_id).where(
                EventParticipant.participant_id == participant_id
            )
        )
    )
    found[RecordKind.PARTICIPANT].update(
        session.scalars(select(Participant.id).where(Participant.affiliation_id == participant_id))
    )
    return found


def participant_page_facts(session: Session, ids: set[str]) -> dict[str, PageFact]:
    """Each participant as the article page shows it (one query)."""
    return {
        p.id: PageFact(p.name, page_details(("Kind", p.kind.value), ("Title", p.title)))
        for p in session.scalars(select(Participant).where(Participant.id.in_(ids)))
    }


def _external_ids(value: dict[str, Any]) -> list[str]:
    return [f"{scheme}:{v}" for scheme, v in value.items()]


def _alias_items(aliases: list[dict[str, str]]) -> list[str]:
    """Aliases as `language:alias` CSV list items."""
    return [f"{a['language']}:{a['alias']}" for a in aliases]


PARTICIPANT = KindSpec(
    kind=RecordKind.PARTICIPANT,
    model=Participant,
    states=participant_states,
    dependents=participant_dependents,
    jsonld=participant_node,
    writes=WriteSpec(
        kind=RecordKind.PARTICIPANT,
        create_model=ParticipantCreate,
        update_model=ParticipantUpdate,
        read_model=ParticipantRead,
        create=service.create_participant,
        update=service.update_participant,
        delete=untracked(service.delete_participant),
        read=service.get_participant,
    ),
    csv_columns=(
        "id",
        "name",
        "kind",
        "title",
        "description",
        "affiliation_id",
        "aliases",
        "external_ids",
        "evidence",
    ),
    csv_items={
        "aliases": _alias_items,
        "external_ids": _external_ids,
    },
    bundle=ParticipantSection(),
    page=PageView(
        title="Participant", plural="Participants", order=2, rank=3, facts=participant_page_facts
    ),
)
