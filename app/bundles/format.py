"""The bundle format: one article with every fact it supports.

The same models validate YAML bundles on disk and bundles posted to the API.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from app.core.schemas import (
    ArticleText,
    DateText,
    LanguageTag,
    LongText,
    QuotedText,
    Role,
    ShortText,
    Slug,
    Title,
    Url,
)
from app.models.event import EventKind, EventStatus
from app.models.issue import AgendaStatus, IssueCategory
from app.models.participant import ParticipantKind
from app.models.quotation import QuotationKind


def _span_shorthand(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpanIn(_Strict):
    """A span written as its verbatim text, with an occurrence when the text repeats."""

    text: QuotedText
    occurrence: Annotated[int, Strict(), Field(ge=1)] | None = None


SpanRef = Annotated[SpanIn, BeforeValidator(_span_shorthand)]
Evidence = Annotated[list[SpanRef], Field(min_length=1, max_length=100)]


class ArticleIn(_Strict):
    """The article: metadata and its verbatim text."""

    id: Slug
    title: Title
    language: LanguageTag
    publisher: ShortText | None = None
    url: Url | None = None
    published: DateText | None = None
    content_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    text: ArticleText


class AliasIn(_Strict):
    """Another name of a participant."""

    alias: ShortText
    language: LanguageTag = "und"


class ParticipantIn(_Strict):
    """A person, organisation, country or group named by the article."""

    id: Slug
    name: ShortText
    kind: ParticipantKind
    title: ShortText | None = None
    description: LongText | None = None
    affiliation: Slug | None = None
    aliases: Annotated[list[AliasIn], Field(max_length=100)] = []
    external_ids: Annotated[dict[Slug, ShortText], Field(max_length=20)] = {}
    evidence: Evidence


class EventParticipantIn(_Strict):
    """A participant's role in an event."""

    participant: Slug
    role: Role


class EventIn(_Strict):
    """An event the article reports or implies."""

    id: Slug
    title: Title
    kind: EventKind
    status: EventStatus
    date: DateText | None = None
    location: ShortText | None = None
    description: LongText | None = None
    participants: Annotated[list[EventParticipantIn], Field(max_length=500)] = []
    evidence: Evidence


class AgendaItemIn(_Strict):
    """An event on whose agenda the issue stands."""

    event: Slug
    status: AgendaStatus


class IssueIn(_Strict):
    """An agenda issue."""

    id: Slug
    title: Title
    summary: LongText | None = None
    category: IssueCategory
    agenda: Annotated[list[AgendaItemIn], Field(max_length=500)] = []
    evidence: Evidence


class QuotationIn(_Strict):
    """What a participant said; `text` is verbatim from the article."""

    id: Slug
    speaker: Slug
    kind: QuotationKind
    text: QuotedText
    occurrence: Annotated[int, Strict(), Field(ge=1)] | None = None
    said_on: DateText | None = None
    event: Slug | None = None
    audience: Slug | None = None
    issues: Annotated[list[Slug], Field(max_length=100)] = []
    evidence: Annotated[list[SpanRef], Field(max_length=100)] = []


class BundleDocument(_Strict):
    """One article and all of its facts."""

    version: Literal[1] = 1
    article: ArticleIn
    participants: Annotated[list[ParticipantIn], Field(max_length=10_000)] = []
    events: Annotated[list[EventIn], Field(max_length=10_000)] = []
    issues: Annotated[list[IssueIn], Field(max_length=10_000)] = []
    quotations: Annotated[list[QuotationIn], Field(max_length=10_000)] = []
