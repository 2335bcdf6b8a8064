"""Events in a bundle: checked, applied and exported (the loader loops over sections)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.format import BundleDocument, EventIn
from app.bundles.sections import (
    BundleSection,
    Checks,
    ExportContext,
    bundle_date,
    date_precision,
    date_value,
    optional,
    upsert_all,
    where,
)
from app.core.sync import sync_rows
from app.models.event import Event, EventParticipant
from app.models.kind import RecordKind


class EventSection(BundleSection):
    """A bundle's `events`, with their participants and roles."""

    kind = RecordKind.EVENT

    def check(self, items: Sequence[EventIn], checks: Checks) -> None:
        for index, event in enumerate(items):
            at = where(self.kind, index, event.id)
            for position, link in enumerate(event.participants):
                checks.ref(
                    f"{at}.participants[{position}]", RecordKind.PARTICIPANT, link.participant
                )
            checks.unique(
                f"{at}.participants",
                [(link.participant, link.role) for link in event.participants],
                "a participant-role pair repeats",
            )

    def apply(self, session: Session, document: BundleDocument) -> None:
        ids = upsert_all(session, Event, document.events, _values)
        sync_rows(
            session,
            EventParticipant,
            EventParticipant.event_id.in_(ids),
            {
                (event_in.id, link.participant, link.role)
                for event_in in document.events
                for link in event_in.participants
            },
            ("event_id", "participant_id", "role"),
        )

    def entries(self, context: ExportContext, ids: list[str]) -> list[dict[str, Any]]:
        roles = _roles(context, ids)
        result: list[dict[str, Any]] = []
        for e in context.sorted_rows(
            select(
                Event.id,
                Event.title,
                Event.kind,
                Event.status,
                Event.date,
                Event.date_precision,
                Event.location,
                Event.description,
            ).where(Event.id.in_(ids))
        ):
            entry: dict[str, Any] = {
                "id": e.id,
                "title": e.title,
                "kind": e.kind.value,
                "status": e.status.value,
            }
            optional(
                entry,
                date=bundle_date(e.date, e.date_precision),
                location=e.location,
                description=e.description,
                participants=roles[e.id],
            )
            result.append(entry)
        return result


def _values(event_in: EventIn) -> dict[str, Any]:
    return {
        "title": event_in.title,
        "kind": event_in.kind,
        "status": event_in.status,
        "date": date_value(event_in.date),
        "date_precision": date_precision(event_in.date),
        "location": event_in.location,
        "description": event_in.description,
    }


def _roles(context: ExportContext, ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """The participants of these events that the bundle declares, with their roles."""
    declared = context.declared[RecordKind.PARTICIPANT]
    roles: dict[str, list[dict[str, str]]] = defaultdict(list)
    for event_id, participant_id, role in context.sorted_rows(
        select(
            EventParticipant.event_id, EventParticipant.participant_id, EventParticipant.role
        ).where(EventParticipant.event_id.in_(ids))
    ):
        if participant_id not in declared:
            # A participant with no evidence in this article is not declared by its bundle, and
            # the loader refuses an unknown id; the bundle of an article evidencing both keeps it.
            context.omitted.append(
                f"event {event_id!r}: participant {participant_id!r} as {role}"
                " (not evidenced in the article)"
            )
            continue
        roles[event_id].append({"participant": participant_id, "role": role})
    return roles
