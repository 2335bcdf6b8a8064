"""Event representations and list parameters."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.dates import DatePrecision, PartialDateQuery
from app.core.schemas import (
    DateText,
    IdParam,
    ListQuery,
    LongText,
    ParticipantRef,
    Role,
    SearchText,
    ShortText,
    Slug,
    Title,
)
from app.evidence.schemas import EvidenceRead
from app.issues.schemas import IssueRef
from app.models.event import EventKind, EventStatus
from app.models.issue import AgendaStatus
from app.quotations.schemas import QuotationRead
from app.writes.flows import EvidenceList, PatchModel


class EventParticipantRead(BaseModel):
    """A participant of the event and the role they play in it."""

    participant: ParticipantRef
    role: str = Field(examples=["attendee"])


class EventRead(BaseModel):
    """An event, with its participants, its agenda issue ids and its evidence."""

    id: str
    title: str
    kind: EventKind
    status: EventStatus = Field(description="Where the event stood as of the article.")
    date: str | None = Field(
        description="ISO 8601 date at its precision: `2018-05-14`, `2018-05` or `2018`."
    )
    date_precision: DatePrecision | None
    location: str | None
    description: str | None
    participants: list[EventParticipantRead]
    issue_ids: list[str] = Field(description="Issues on the event's agenda.")
    evidence: list[EvidenceRead]


class AgendaItemRead(BaseModel):
    """One issue on an event's agenda, how far it got, and what in the event's articles
    supports it: the issue's evidence spans and the quotations on it."""

    issue: IssueRef
    status: AgendaStatus
    evidence: list[EvidenceRead] = Field(
        description="The issue's evidence spans in the articles reporting the event."
    )
    quotations: list[QuotationRead] = Field(
        description="Quotations on the issue said at the event or in the articles reporting"
        " it, oldest first (undated last): what supports its place on the agenda. At most"
        " `quotations_per_issue` of them."
    )
    all_quotations: str = Field(
        description="Where to page through every quotation on the issue, in any article."
    )


class AgendaRead(BaseModel):
    """The agenda of an event: which issues were, or will be, raised there.

    Its evidence and quotations come from the articles reporting the event (those holding the
    event's own evidence) and from quotations said at it, so its size does not grow with the
    corpus; an issue's whole record is at `/v1/issues/{id}`.
    """

    event_id: str
    article_ids: list[str] = Field(description="The articles reporting the event.")
    items: list[AgendaItemRead]


class EventSort(enum.StrEnum):
    """Orders of the event list; every order ends with the id, so it is total."""

    ID = "id"
    DATE = "date"
    DATE_DESC = "-date"


class EventQuery(ListQuery):
    """Filters of the event list. All filters combine (AND)."""

    participant: IdParam | None = Field(default=None, description="Only events with them.")
    issue: IdParam | None = Field(default=None, description="Only events with this issue.")
    status: EventStatus | None = Field(default=None, description="Only this status.")
    kind: EventKind | None = Field(default=None, description="Only this kind.")
    date_from: PartialDateQuery | None = Field(
        default=None,
        description="Only events on or after this date (`2018`, `2018-05`, `2018-05-14`);"
        " an event's whole dated period must lie in the range.",
    )
    date_to: PartialDateQuery | None = Field(
        default=None,
        description="Only events on or before the end of this date's period"
        " (`date_to=2018-05` includes all of May).",
    )
    location: SearchText | None = Field(
        default=None, description="Case-insensitive text in the location."
    )
    q: SearchText | None = Field(
        default=None,
        description="Case-insensitive text in the title or description, in web-search"
        ' syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b`'
        " either, `-word` excludes.",
    )
    sort: EventSort = Field(
        default=EventSort.ID, description="`id` (default), `date` or `-date` (undated last)."
    )


class EventParticipantIn(BaseModel):
    """A participant and their role in the event."""

    model_config = ConfigDict(extra="forbid")

    participant_id: Slug
    role: Role = Field(examples=["attendee"])


EventParticipants = Annotated[list[EventParticipantIn], Field(max_length=500)]


class EventCreate(BaseModel):
    """A new event, with at least one evidence span."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Title
    kind: EventKind
    status: EventStatus
    date: DateText | None = Field(default=None, description="`2018-05-14`, `2018-05` or `2018`.")
    location: ShortText | None = None
    description: LongText | None = None
    participants: EventParticipants = []
    evidence: EvidenceList


class EventUpdate(PatchModel):
    """Fields to change; `participants` and `evidence` replace the whole list."""

    not_nullable = ("title", "kind", "status", "participants", "evidence")

    title: Title | None = None
    kind: EventKind | None = None
    status: EventStatus | None = None
    date: DateText | None = None
    location: ShortText | None = None
    description: LongText | None = None
    participants: EventParticipants | None = None
    evidence: EvidenceList | None = None
