"""Issue representations and list parameters."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import IdParam, ListQuery, LongText, SearchText, Slug, Title
from app.evidence.schemas import EvidenceRead
from app.models.issue import AgendaStatus, IssueCategory
from app.writes.flows import EvidenceList, PatchModel


class AgendaEntryRead(BaseModel):
    """An event whose agenda holds the issue, and how far the issue got there."""

    event_id: str
    status: AgendaStatus


class IssueRef(BaseModel):
    """An issue without its agenda and evidence lists; its whole record is at /v1/issues/{id}."""

    id: str
    title: str
    summary: str | None
    category: IssueCategory


class IssueRead(BaseModel):
    """An agenda issue: a topic that was, or will be, raised."""

    id: str
    title: str
    summary: str | None
    category: IssueCategory
    agenda: list[AgendaEntryRead] = Field(description="Events with this issue on their agenda.")
    evidence: list[EvidenceRead]


class IssueQuery(ListQuery):
    """Filters of the issue list (ordered by id)."""

    event: IdParam | None = Field(default=None, description="Only issues on this event's agenda.")
    participant: IdParam | None = Field(
        default=None,
        description="Only issues this participant was quoted on, or raised at an event"
        " they took part in (agenda status `raised` or `discussed`).",
    )
    category: IssueCategory | None = Field(default=None, description="Only this category.")
    q: SearchText | None = Field(
        default=None,
        description="Case-insensitive text in the title or summary, in web-search syntax:"
        ' each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b` either,'
        " `-word` excludes.",
    )


class AgendaEntryIn(BaseModel):
    """An event whose agenda holds the issue, and how far the issue got there."""

    model_config = ConfigDict(extra="forbid")

    event_id: Slug
    status: AgendaStatus


AgendaEntries = Annotated[list[AgendaEntryIn], Field(max_length=500)]


class IssueCreate(BaseModel):
    """A new agenda issue, with at least one evidence span."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Title
    summary: LongText | None = None
    category: IssueCategory
    agenda: AgendaEntries = []
    evidence: EvidenceList


class IssueUpdate(PatchModel):
    """Fields to change; `agenda` and `evidence` replace the whole list."""

    not_nullable = ("title", "category", "agenda", "evidence")

    title: Title | None = None
    summary: LongText | None = None
    category: IssueCategory | None = None
    agenda: AgendaEntries | None = None
    evidence: EvidenceList | None = None
