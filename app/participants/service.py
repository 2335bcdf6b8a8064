"""Queries over participants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from app.core import websearch
from app.core.errors import NotFound
from app.core.pagination import Ordering, Page, SortKey, filter_scope, paginate, split_page
from app.core.schemas import ParticipantRef
from app.core.sync import sync_children
from app.core.text import search_key
from app.evidence.service import evidence_for
from app.models.kind import RecordKind
from app.models.participant import Participant, ParticipantAlias, ParticipantExternalId
from app.models.quotation import Quotation
from app.participants.schemas import (
    AliasIn,
    AliasRead,
    ParticipantCreate,
    ParticipantQuery,
    ParticipantRead,
    ParticipantUpdate,
)
from app.writes.flows import (
    invalid,
    replace_evidence,
    require_absent,
    require_ref,
    resolve_evidence,
)

PARTICIPANT_ORDER = Ordering("participants:id", [SortKey(Participant.id)])


def participant_refs(session: Session, ids: Sequence[str | None]) -> dict[str, ParticipantRef]:
    """Id-and-name references for the given participant ids (one query)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Participant.id, Participant.name).where(Participant.id.in_(wanted))
    )
    return {pid: ParticipantRef(id=pid, name=name) for pid, name in rows}


def participant_records(session: Session, ids: Sequence[str] | None = None) -> list[Any]:
    """The rows (id, name, kind, title, description, affiliation_id) of these participants (of
    all when ids is None), in id order, sorted as participant_names sorts."""
    statement = select(
        Participant.id,
        Participant.name,
        Participant.kind,
        Participant.title,
        Participant.description,
        Participant.affiliation_id,
    )
    if ids is not None:
        statement = statement.where(Participant.id.in_(ids))
    return sorted(session.execute(statement), key=lambda row: row.id)


ParticipantNames = tuple[dict[str, list[tuple[str, str]]], dict[str, dict[str, str]]]


def participant_names(session: Session, ids: Sequence[str] | None = None) -> ParticipantNames:
    """The aliases, as (language, alias), and external ids of these participants (of all when
    ids is None), each participant's in that order.

    Sorted here, not by ORDER BY: PostgreSQL's collation orders text by locale (it may skip
    hyphens), SQLite's by code point, and bundles and drafts must be the same on both."""
    alias_rows = select(
        ParticipantAlias.participant_id, ParticipantAlias.language, ParticipantAlias.alias
    )
    external_rows = select(
        ParticipantExternalId.participant_id,
        ParticipantExternalId.scheme,
        ParticipantExternalId.value,
    )
    if ids is not None:
        alias_rows = alias_rows.where(ParticipantAlias.participant_id.in_(ids))
        external_rows = external_rows.where(ParticipantExternalId.participant_id.in_(ids))
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for participant_id, language, alias in sorted(session.execute(alias_rows)):
        aliases[participant_id].append((language, alias))
    external: dict[str, dict[str, str]] = defaultdict(dict)
    for participant_id, scheme, value in sorted(session.execute(external_rows)):
        external[participant_id][scheme] = value
    return aliases, external


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
    evidence = evidence_for(session, RecordKind.PARTICIPANT, ids)
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


def _name_matches(term: websearch.Term) -> ColumnElement[bool]:
    key = search_key(term.text)
    return or_(
        Participant.name_key.contains(key, autoescape=True),
        # IN, not a correlated EXISTS: one scan of the aliases, not one per participant.
        Participant.id.in_(
            select(ParticipantAlias.participant_id).where(
                ParticipantAlias.alias_key.contains(key, autoescape=True)
            )
        ),
    )


def list_participants(session: Session, query: ParticipantQuery) -> Page[ParticipantRead]:
    """Participants in id order, filtered by kind and by a name-or-alias search."""
    statement = select(Participant)
    if query.kind is not None:
        statement = statement.where(Participant.kind == query.kind)
    if query.q:
        statement = statement.where(websearch.condition(query.q, _name_matches))
    scope = filter_scope(query)
    rows = session.scalars(
        paginate(statement, PARTICIPANT_ORDER, query.cursor, query.limit, scope)
    ).all()
    page, next_cursor = split_page(rows, PARTICIPANT_ORDER, query.limit, lambda p: [p.id], scope)
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


# --- writes --------------------------------------------------------------------------------


def _check_aliases(aliases: Sequence[AliasIn]) -> None:
    pairs = [(a.alias, a.language) for a in aliases]
    for index, pair in enumerate(pairs):
        if pair in pairs[:index]:
            raise invalid(f"aliases.{index}", f"alias {pair[0]!r} ({pair[1]}) is listed twice")


def _refuse_affiliation_cycle(session: Session, participant_id: str, target: str | None) -> None:
    """422 if following affiliations from target leads back to the participant."""
    seen: set[str] = set()
    while target is not None and target not in seen:
        if target == participant_id:
            raise invalid("affiliation_id", "affiliations would form a cycle")
        seen.add(target)
        target = session.scalar(select(Participant.affiliation_id).where(Participant.id == target))


def _apply(session: Session, participant: Participant, values: dict[str, Any]) -> None:
    if "affiliation_id" in values:
        if values["affiliation_id"] == participant.id:
            raise invalid("affiliation_id", "a participant cannot be its own affiliation")
        require_ref(session, Participant, values["affiliation_id"], "affiliation_id")
        _refuse_affiliation_cycle(session, participant.id, values["affiliation_id"])
    for name in ("name", "kind", "title", "description", "affiliation_id"):
        if name in values:
            setattr(participant, name, values[name])
    if "name" in values:
        participant.name_key = search_key(values["name"])
    if "aliases" in values:
        _check_aliases(values["aliases"])
        sync_children(
            participant.aliases,
            ("alias", "language"),
            {(a.alias, a.language): {"alias_key": search_key(a.alias)} for a in values["aliases"]},
            lambda k, v: ParticipantAlias(alias=k[0], language=k[1], **v),
        )
    if "external_ids" in values:
        sync_children(
            participant.external_ids,
            ("scheme",),
            {(scheme,): {"value": value} for scheme, value in values["external_ids"].items()},
            lambda k, v: ParticipantExternalId(scheme=k[0], **v),
        )
    session.flush()
    if "evidence" in values:
        spans = resolve_evidence(session, values["evidence"])
        replace_evidence(session, RecordKind.PARTICIPANT, participant.id, spans)


def create_participant(session: Session, data: ParticipantCreate) -> None:
    """Insert a participant with its aliases, external ids and evidence."""
    require_absent(session, Participant, data.id)
    participant = Participant(id=data.id, name=data.name, kind=data.kind, name_key="")
    participant.aliases = []
    participant.external_ids = []
    session.add(participant)
    values = {name: getattr(data, name) for name in type(data).model_fields if name != "id"}
    values["affiliation_id"] = data.affiliation_id
    _apply(session, participant, values)


def update_participant(session: Session, participant_id: str, data: ParticipantUpdate) -> None:
    """Change the fields the client sent."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"No participant with id {participant_id!r}.")
    _apply(session, participant, data.changes())


def delete_participant(session: Session, participant_id: str) -> None:
    """Delete a participant and the quotations they spoke (other references are detached)."""
    session.execute(delete(Quotation).where(Quotation.speaker_id == participant_id))
    session.execute(delete(Participant).where(Participant.id == participant_id))
