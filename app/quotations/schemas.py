"""Quotation representations and list parameters."""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field

from app.dates import DatePrecision, PartialDateQuery
from app.evidence.schemas import EvidenceRead
from app.participants.schemas import ParticipantRef
from app.quotations.models import QuotationKind
from app.schemas import IdParam, ListQuery, SearchText


class QuotationRead(BaseModel):
    """What a participant said, when, to whom, on which issues, with its evidence."""

    id: str
    text: str = Field(description="The quoted (or reported) words, verbatim from the article.")
    kind: QuotationKind = Field(
        description="`direct`: a full quoted utterance; `partial`: a short quoted phrase inside"
        " reported speech; `indirect`: reported speech without quote marks."
    )
    speaker: ParticipantRef
    said_on: str | None = Field(
        description="ISO 8601 date at its precision: `2018-03-19`, `2018-03` or `2018`."
    )
    said_on_precision: DatePrecision | None
    event_id: str | None = Field(description="The occasion on which it was said.")
    audience: ParticipantRef | None = Field(description="Whom it was said to.")
    issue_ids: list[str] = Field(description="The agenda issues it concerns.")
    article_id: str
    evidence: list[EvidenceRead] = Field(
        description="Spans supporting the quotation; one of them is exactly its text."
    )


class QuotationSort(enum.StrEnum):
    """Orders of the quotation list; every order ends with the id, so it is total."""

    ID = "id"
    SAID_ON = "said_on"
    SAID_ON_DESC = "-said_on"
    RELEVANCE = "relevance"


class QuotationQuery(ListQuery):
    """Filters of quotation lists. All filters combine (AND)."""

    speaker: IdParam | None = Field(default=None, description="Only quotations of this speaker.")
    issue: IdParam | None = Field(default=None, description="Only quotations on this issue.")
    event: IdParam | None = Field(default=None, description="Only quotations said at this event.")
    article: IdParam | None = Field(default=None, description="Only quotations in this article.")
    audience: IdParam | None = Field(default=None, description="Only quotations said to them.")
    kind: QuotationKind | None = Field(default=None, description="Only this kind.")
    said_from: PartialDateQuery | None = Field(
        default=None,
        description="Only quotations said on or after this date (`2018`, `2018-03` or"
        " `2018-03-19`); a quotation's whole dated period must lie in the range.",
    )
    said_to: PartialDateQuery | None = Field(
        default=None,
        description="Only quotations said on or before the end of this date's period"
        " (`said_to=2018-03` includes all of March).",
    )
    q: SearchText | None = Field(
        default=None,
        description="Full-text search: every word must occur in the quotation text. Results"
        " come best match first unless another sort is asked for.",
    )
    sort: QuotationSort | None = Field(
        default=None,
        description="`id` (default without q), `said_on`, `-said_on` (undated last), or"
        " `relevance` (default with q; needs q).",
    )
