"""Participants in a bundle: checked, applied and exported (the loader loops over sections)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.bundles.format import BundleDocument, ParticipantIn
from app.bundles.sections import BundleSection, Checks, ExportContext, optional, upsert, where
from app.core.sync import sync_children
from app.core.text import search_key
from app.models.kind import RecordKind
from app.models.participant import Participant, ParticipantAlias, ParticipantExternalId
from app.participants.service import participant_names, participant_records


class ParticipantSection(BundleSection):
    """A bundle's `participants`: aliases, external ids and affiliations, ordered so that an
    affiliation's target is written first."""

    kind = RecordKind.PARTICIPANT

    def check(self, items: Sequence[ParticipantIn], checks: Checks) -> None:
        for index, participant in enumerate(items):
            at = where(self.kind, index, participant.id)
            checks.ref(f"{at}.affiliation", RecordKind.PARTICIPANT, participant.affiliation)
            if participant.affiliation == participant.id:
                checks.problem(f"{at}.affiliation", "a participant cannot be its own")
            aliases = [(alias.alias, alias.language) for alias in participant.aliases]
            for alias, language in sorted({a for a in aliases if aliases.count(a) > 1}):
                checks.problem(f"{at}.aliases", f"alias {alias!r} ({language}) is listed twice")

    def check_whole(self, items: Sequence[ParticipantIn], checks: Checks) -> None:
        """Affiliations that form a cycle, each cycle once."""
        parent = {p.id: p.affiliation for p in items}
        found: set[frozenset[str]] = set()
        for start in parent:
            chain: list[str] = []
            node: str | None = start
            while node is not None and node in parent and node not in chain:
                chain.append(node)
                node = parent[node]
            if node is None or node not in chain:
                continue
            cycle = chain[chain.index(node) :]
            if len(cycle) > 1 and frozenset(cycle) not in found:
                found.add(frozenset(cycle))
                path = " -> ".join([*cycle, node])
                checks.problem("participants", f"affiliations form a cycle: {path}")

    def apply(self, session: Session, document: BundleDocument) -> None:
        ids = [p.id for p in document.participants]
        existing = {
            p.id: p
            for p in session.scalars(
                select(Participant)
                .where(Participant.id.in_(ids))
                .options(selectinload(Participant.aliases), selectinload(Participant.external_ids))
            )
        }
        for participant_in in _affiliation_order(document.participants):
            created = participant_in.id not in existing
            record = upsert(
                session,
                existing,
                Participant,
                participant_in.id,
                {
                    "name": participant_in.name,
                    "kind": participant_in.kind,
                    "title": participant_in.title,
                    "description": participant_in.description,
                    "affiliation_id": participant_in.affiliation,
                    "name_key": search_key(participant_in.name),
                },
            )
            if created:
                record.aliases = []
                record.external_ids = []
            _sync_names(record, participant_in)
            # Flush in dependency order so an affiliation's target exists before it is named.
            session.flush()

    def entries(self, context: ExportContext, ids: list[str]) -> list[dict[str, Any]]:
        aliases, external = _names(context, ids)
        present = set(ids)
        result: list[dict[str, Any]] = []
        for p in participant_records(context.session, ids):
            affiliation = p.affiliation_id
            if affiliation is not None and affiliation not in present:
                # The affiliated participant has no evidence here, so this bundle cannot
                # declare it.
                context.omitted.append(
                    f"participant {p.id!r}: affiliation {affiliation!r}"
                    " (not evidenced in the article)"
                )
                affiliation = None
            entry: dict[str, Any] = {"id": p.id, "name": p.name, "kind": p.kind.value}
            optional(
                entry,
                title=p.title,
                description=p.description,
                affiliation=affiliation,
                aliases=aliases.get(p.id, []),
                external_ids=external.get(p.id, {}),
            )
            result.append(entry)
        return result


def _affiliation_order(participants: Sequence[ParticipantIn]) -> list[ParticipantIn]:
    """Participants ordered so that each one's affiliation comes before it."""
    by_id = {p.id: p for p in participants}
    ordered: list[ParticipantIn] = []
    placed: set[str] = set()

    def place(participant_id: str) -> None:
        if participant_id in placed:
            return
        placed.add(participant_id)
        affiliation = by_id[participant_id].affiliation
        if affiliation is not None and affiliation in by_id:
            place(affiliation)
        ordered.append(by_id[participant_id])

    for participant_id in by_id:
        place(participant_id)
    return ordered


def _sync_names(record: Participant, participant_in: ParticipantIn) -> None:
    """Make the participant's aliases and external ids those of the bundle."""
    aliases: dict[tuple[str, ...], dict[str, Any]] = {
        (a.alias, a.language): {"alias_key": search_key(a.alias)} for a in participant_in.aliases
    }
    sync_children(
        record.aliases,
        ("alias", "language"),
        aliases,
        lambda k, v: ParticipantAlias(alias=k[0], language=k[1], **v),
    )
    external: dict[tuple[str, ...], dict[str, Any]] = {
        (scheme,): {"value": value} for scheme, value in participant_in.external_ids.items()
    }
    sync_children(
        record.external_ids,
        ("scheme",),
        external,
        lambda k, v: ParticipantExternalId(scheme=k[0], **v),
    )


def _names(
    context: ExportContext, ids: list[str]
) -> tuple[dict[str, list[dict[str, str]]], dict[str, dict[str, str]]]:
    """The aliases and external ids of these participants, in id order."""
    aliases, external = participant_names(context.session, ids)
    return {
        participant_id: [{"alias": alias, "language": language} for language, alias in names]
        for participant_id, names in aliases.items()
    }, external
