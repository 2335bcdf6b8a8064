"""Issue representations and list parameters."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.evidence.schemas import EvidenceRead
from app.issues.models import AgendaStatus, IssueCategory
from app.schemas import IdParam, ListQuery, SearchText


class AgendaEntryRead(BaseModel):
    """An event whose agenda holds the issue, and how far the issue got there."""

    event_id: str
    status: AgendaStatus


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
        default=None, description="Case-insensitive text in the title or summary."
    )
