"""Quotation representations and list parameters."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from app.core.dates import DatePrecision, PartialDateQuery
from app.core.schemas import (
    DateText,
    IdParam,
    ListQuery,
    ParticipantRef,
    QuotedText,
    SearchText,
    Slug,
)
from app.evidence.schemas import EvidenceRead
from app.models.quotation import QuotationKind
from app.writes.flows import EvidenceIn, PatchModel


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
        description="Full-text search over the quotation text, in web-search syntax: plain"
        " words are all required, in any form of the word in quotations of English articles"
        " (`markets` finds `market`), as written in those of other languages (case and"
        " diacritics aside);"
        ' `"main outpost"` is a phrase; `gas OR oil` either; `-Russia` excludes; anything else'
        " is text. Results come best match first unless another sort is asked for.",
    )
    sort: QuotationSort | None = Field(
        default=None,
        description="`id` (default without q), `said_on`, `-said_on` (undated last), or"
        " `relevance` (default with q; without q all rank alike, so it is `id`).",
    )


IssueIds = Annotated[list[Slug], Field(max_length=100)]
ExtraEvidence = Annotated[list[EvidenceIn], Field(max_length=100)]
Occurrence = Annotated[int, Strict(), Field(ge=1, le=100_000)]


class QuotationCreate(BaseModel):
    """A new quotation; its text must occur verbatim in its article."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    article_id: Slug
    speaker_id: Slug
    text: QuotedText = Field(description="The quoted words, verbatim from the article.")
    occurrence: Occurrence | None = Field(
        default=None, description="Which occurrence of `text` (1-based), when it repeats."
    )
    kind: QuotationKind
    said_on: DateText | None = None
    event_id: Slug | None = None
    audience_id: Slug | None = None
    issue_ids: IssueIds = []
    evidence: ExtraEvidence = Field(
        default=[], description="More spans (e.g. the attribution); the text is always one."
    )


class QuotationUpdate(PatchModel):
    """Fields to change; `issue_ids` and `evidence` replace the whole list."""

    not_nullable = ("speaker_id", "text", "kind", "issue_ids", "evidence")

    speaker_id: Slug | None = None
    text: QuotedText | None = None
    occurrence: Occurrence | None = None
    kind: QuotationKind | None = None
    said_on: DateText | None = None
    event_id: Slug | None = None
    audience_id: Slug | None = None
    issue_ids: IssueIds | None = None
    evidence: ExtraEvidence | None = None
