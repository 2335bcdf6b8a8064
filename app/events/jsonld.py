"""schema.org JSON-LD of an event; app.jsonld holds what every kind shares.

**Event** → `Event`: `name`, `description`, `startDate` at its precision, `location` (a
`Place`), participants under a property chosen by role (ROLE_PROPERTIES: `attendee`,
`organizer`, `performer`...; `subject` is `about`; an unknown role is `attendee`), and its
agenda issues under `about` too. `eventStatus` (EVENT_STATUSES): scheduled and expected are
`EventScheduled`, deferred `EventPostponed`, cancelled `EventCancelled`, and **held** is
`EventScheduled` too — schema.org has no status for an event that took place, and defines
EventScheduled as "taking place or has taken place on the startDate as scheduled"; the
`startDate` says when. The JSON representation keeps the exact status and the event kind.
"""

from __future__ import annotations

from typing import Any

from app.events.schemas import EventRead
from app.jsonld import SCHEMA_ORG, Nodes, compact

EVENT_STATUSES = {
    "scheduled": "EventScheduled",
    "expected": "EventScheduled",
    "deferred": "EventPostponed",
    "held": "EventScheduled",
    "cancelled": "EventCancelled",
}
ROLE_PROPERTIES = {
    "attendee": "attendee",
    "participant": "attendee",
    "visitor": "attendee",
    "guest": "attendee",
    "organizer": "organizer",
    "host": "organizer",
    "speaker": "performer",
    "performer": "performer",
    "sponsor": "sponsor",
    "funder": "funder",
    "subject": "about",
}
DEFAULT_ROLE_PROPERTY = "attendee"


def event_node(nodes: Nodes, event: EventRead) -> dict[str, Any]:
    """The schema.org node of an event."""
    people = nodes.participant_refs(
        [(p.participant.id, p.participant.name) for p in event.participants]
    )
    by_property: dict[str, list[dict[str, Any]]] = {}
    for link, node in zip(event.participants, people, strict=True):
        name = ROLE_PROPERTIES.get(link.role, DEFAULT_ROLE_PROPERTY)
        by_property.setdefault(name, []).append(node)
    by_property["about"] = [*by_property.get("about", []), *nodes.issue_refs(event.issue_ids)]
    return compact(
        {
            "@type": "Event",
            "@id": nodes.url("events", event.id),
            "name": event.title,
            "description": event.description,
            "eventStatus": SCHEMA_ORG + EVENT_STATUSES[event.status.value],
            "startDate": event.date,
            "location": ({"@type": "Place", "name": event.location} if event.location else None),
            **by_property,
            "subjectOf": nodes.spans(event.evidence),
        }
    )
