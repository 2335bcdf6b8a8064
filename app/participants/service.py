"""Queries over participants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.evidence.models import FactKind
from app.evidence.service import evidence_for
from app.pagination import Ordering, Page, SortKey, paginate, split_page
from app.participants.models import Participant, ParticipantAlias, ParticipantExternalId
from app.participants.schemas import (
    AliasRead,
    ParticipantQuery,
    ParticipantRead,
    ParticipantRef,
)
from app.text import search_key

PARTICIPANT_ORDER = Ordering("id", [SortKey(Participant.id)])


def participant_refs(session: Session, ids: Sequence[str | None]) -> dict[str, ParticipantRef]:
    """Id-and-name references for the given participant ids (one query)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Participant.id, Participant.name).where(Participant.id.in_(wanted))
    )
    return {pid: ParticipantRef(id=pid, name=name) for pid, name in rows}


def _reads(session: Session, participants: Sequence[Participant]) -> list[ParticipantRead]:
    ids = [p.id for p in participants]
    aliases: dict[str, list[AliasRead]] = defaultdict(list)
    for alias in session.scalars(
        select(ParticipantAlias)
        .where(ParticipantAlias.participant_id.in_(ids))
        .order_by(
            ParticipantAlias.participant_id, ParticipantAlias.language, ParticipantAlias.alias
        )
    ):
        aliases[alias.participant_id].append(AliasRead(alias=alias.alias, language=alias.language))
    external: dict[str, dict[str, str]] = defaultdict(dict)
    for row in session.scalars(
        select(ParticipantExternalId).where(ParticipantExternalId.participant_id.in_(ids))
    ):
        external[row.participant_id][row.scheme] = row.value
    affiliations = participant_refs(session, [p.affiliation_id for p in participants])
    evidence = evidence_for(session, FactKind.PARTICIPANT, ids)
    return [
        ParticipantRead(
            id=p.id,
            name=p.name,
            kind=p.kind,
            title=p.title,
            description=p.description,
            affiliation=affiliations.get(p.affiliation_id) if p.affiliation_id else None,
            aliases=aliases[p.id],
            external_ids=external[p.id],
            evidence=evidence.get(p.id, []),
        )
        for p in participants
    ]


def list_participants(session: Session, query: ParticipantQuery) -> Page[ParticipantRead]:
    """Participants in id order, filtered by kind and by a name-or-alias search."""
    statement = select(Participant)
    if query.kind is not None:
        statement = statement.where(Participant.kind == query.kind)
    if query.q:
        key = search_key(query.q)
        statement = statement.where(
            or_(
                Participant.name_key.contains(key, autoescape=True),
                exists().where(
                    ParticipantAlias.participant_id == Participant.id,
                    ParticipantAlias.alias_key.contains(key, autoescape=True),
                ),
            )
        )
    rows = session.scalars(paginate(statement, PARTICIPANT_ORDER, query.cursor, query.limit)).all()
    page, next_cursor = split_page(rows, PARTICIPANT_ORDER, query.limit, lambda p: [p.id])
    return Page[ParticipantRead](items=_reads(session, page), next_cursor=next_cursor)


def get_participant(session: Session, participant_id: str) -> ParticipantRead:
    """One participant; NotFound if there is none."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"No participant with id {participant_id!r}.")
    return _reads(session, [participant])[0]


def require_participant(session: Session, participant_id: str) -> None:
    """NotFound unless the participant exists."""
    if session.get(Participant, participant_id) is None:
        raise NotFound(f"No participant with id {participant_id!r}.")
