"""The annotated article page: an article's text with its evidence, its facts and their agenda.

Everything the page shows comes from a fixed number of queries (eight), whatever the number of
spans and facts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.core.dates import format_optional_date
from app.core.errors import NotFound
from app.core.text import is_slug
from app.models.article import Article
from app.models.event import Event, EventStatus
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind
from app.models.participant import Participant
from app.models.quotation import Quotation, QuotationIssue
from app.pages.highlight import Highlight, Piece, highlight_pieces

# Quotations are coloured by speaker, from this many colours (classes q0, q1, ...).
SPEAKER_COLOURS = 6
# Same-range spans nest in this order (quotations outermost).
KIND_RANK = {
    RecordKind.QUOTATION: 0,
    RecordKind.EVENT: 1,
    RecordKind.ISSUE: 2,
    RecordKind.PARTICIPANT: 3,
}
KIND_TITLES = {
    RecordKind.QUOTATION: ("Quotation", "Quotations"),
    RecordKind.EVENT: ("Event", "Events"),
    RecordKind.PARTICIPANT: ("Participant", "Participants"),
    RecordKind.ISSUE: ("Issue", "Issues"),
}
KIND_PATHS = {
    RecordKind.QUOTATION: "quotations",
    RecordKind.EVENT: "events",
    RecordKind.PARTICIPANT: "participants",
    RecordKind.ISSUE: "issues",
}
# The order of the legend and of the fact lists.
KIND_ORDER = (RecordKind.QUOTATION, RecordKind.EVENT, RecordKind.PARTICIPANT, RecordKind.ISSUE)
EXCERPT_LENGTH = 48
STATUS_ORDER = {
    EventStatus.SCHEDULED: 0,
    EventStatus.EXPECTED: 0,
    EventStatus.DEFERRED: 0,
    EventStatus.HELD: 1,
    EventStatus.CANCELLED: 2,
}
MAX_ID_LENGTH = 100


@dataclass
class SpanRef:
    """One evidence span of a fact, as the fact list links to it."""

    key: str
    start: int
    end: int
    excerpt: str


@dataclass
class FactView:
    """A fact with evidence in the article, as its tooltip and list entry show it."""

    kind: RecordKind
    id: str
    label: str
    classes: str
    details: list[tuple[str, str]]
    json_path: str
    spans: list[SpanRef] = field(default_factory=list)

    @property
    def kind_title(self) -> str:
        """The kind, for people: `Quotation`, `Event`, ..."""
        return KIND_TITLES[self.kind][0]

    @property
    def anchor(self) -> str:
        """The element id of the fact's entry in the fact list."""
        return f"fact-{self.kind.value}-{self.id}"

    @property
    def tip_id(self) -> str:
        """The element id of the fact's tooltip."""
        return f"tip-{self.kind.value}-{self.id}"


@dataclass
class FactGroup:
    """The facts of one kind."""

    kind: RecordKind
    title: str
    facts: list[FactView]


@dataclass
class LegendEntry:
    """A swatch of the legend and what it stands for."""

    classes: str
    label: str


@dataclass
class AgendaEntry:
    """An issue on an event's agenda, and how far it got."""

    issue_id: str
    title: str
    status: str
    in_article: bool


@dataclass
class AgendaEvent:
    """One of the article's events with its agenda."""

    id: str
    title: str
    status: str
    date: str | None
    location: str | None
    items: list[AgendaEntry]


@dataclass
class ArticlePage:
    """Everything the annotated article page shows."""

    id: str
    title: str
    language: str
    publisher: str | None
    url: str | None
    published: str | None
    content_sha256: str
    text: str
    pieces: list[Piece]
    legend: list[LegendEntry]
    groups: list[FactGroup]
    facts: list[FactView]
    agenda: list[AgendaEvent]
    span_count: int
    page: int = 1  # which slice of max_spans spans, in text order, is highlighted
    next_page: int | None = None  # the next slice, when the article has more spans


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_LENGTH:
        return flat
    return flat[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _details(*pairs: tuple[str, str | None]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in pairs if value]


def get_article_page(
    session: Session, article_id: str, page: int = 1, max_spans: int | None = None
) -> ArticlePage:
    """The article with its evidence spans (at most max_spans of them, the page-th slice in
    text order), their facts and their events' agendas; or NotFound."""
    known = len(article_id) <= MAX_ID_LENGTH and is_slug(article_id)
    article = session.get(Article, article_id) if known else None
    if article is None:
        raise NotFound(f"No article with id {article_id!r}.")
    statement = (
        select(EvidenceSpan)
        .where(EvidenceSpan.article_id == article.id)
        .order_by(EvidenceSpan.start, EvidenceSpan.end.desc(), EvidenceSpan.id)
    )
    if max_spans is not None:
        statement = statement.offset((page - 1) * max_spans).limit(max_spans + 1)
    spans = session.scalars(statement).all()
    more = max_spans is not None and len(spans) > max_spans
    spans = spans[:max_spans] if more else spans
    if page > 1 and not spans:
        raise NotFound(f"The article {article_id!r} has no page {page} of evidence.")
    ids: dict[RecordKind, set[str]] = defaultdict(set)
    for span in spans:
        kind, fact_id = span.fact
        ids[kind].add(fact_id)

    facts: dict[tuple[RecordKind, str], FactView] = {}
    legend_speakers: dict[str, tuple[str, str]] = {}  # speaker id -> (class, name)

    # Quotations, coloured by speaker in order of the speakers' first span in the text.
    speaker, audience = aliased(Participant), aliased(Participant)
    quotations = {
        q.id: (q, speaker_name, audience_name)
        for q, speaker_name, audience_name in session.execute(
            select(Quotation, speaker.name, audience.name)
            .join(speaker, speaker.id == Quotation.speaker_id)
            .outerjoin(audience, audience.id == Quotation.audience_id)
            .where(Quotation.id.in_(ids[RecordKind.QUOTATION]))
        )
    }
    quotation_issues: dict[str, list[str]] = defaultdict(list)
    for quotation_id, title in session.execute(
        select(QuotationIssue.quotation_id, Issue.title)
        .join(Issue, Issue.id == QuotationIssue.issue_id)
        .where(QuotationIssue.quotation_id.in_(ids[RecordKind.QUOTATION]))
        .order_by(Issue.title)
    ):
        quotation_issues[quotation_id].append(title)
    occasion_ids = {q.event_id for q, _, _ in quotations.values() if q.event_id}
    events = {
        e.id: e
        for e in session.scalars(
            select(Event).where(Event.id.in_(ids[RecordKind.EVENT] | occasion_ids))
        )
    }
    for span in spans:
        kind, fact_id = span.fact
        if kind is RecordKind.QUOTATION and (kind, fact_id) not in facts:
            q, speaker_name, audience_name = quotations[fact_id]
            if q.speaker_id not in legend_speakers:
                colour = f"q{len(legend_speakers) % SPEAKER_COLOURS}"
                legend_speakers[q.speaker_id] = (colour, speaker_name)
            occasion = events.get(q.event_id) if q.event_id else None
            facts[kind, fact_id] = FactView(
                kind=kind,
                id=fact_id,
                label=f"Quotation by {speaker_name}",
                classes=f"ev ev-quotation {legend_speakers[q.speaker_id][0]}",
                details=_details(
                    ("Speaker", speaker_name),
                    ("Kind", q.kind.value),
                    ("Said", format_optional_date(q.said_on, q.said_on_precision) or "undated"),
                    ("To", audience_name),
                    ("At", occasion.title if occasion else None),
                    ("On", "; ".join(quotation_issues[fact_id])),
                ),
                json_path=f"/v1/quotations/{fact_id}",
            )

    for event_id in ids[RecordKind.EVENT]:
        e = events[event_id]
        facts[RecordKind.EVENT, event_id] = FactView(
            kind=RecordKind.EVENT,
            id=event_id,
            label=e.title,
            classes="ev ev-event",
            details=_details(
                ("Kind", e.kind.value),
                ("Status", e.status.value),
                ("Date", format_optional_date(e.date, e.date_precision) or "undated"),
                ("Location", e.location),
            ),
            json_path=f"/v1/events/{event_id}",
        )
    for p in session.scalars(
        select(Participant).where(Participant.id.in_(ids[RecordKind.PARTICIPANT]))
    ):
        facts[RecordKind.PARTICIPANT, p.id] = FactView(
            kind=RecordKind.PARTICIPANT,
            id=p.id,
            label=p.name,
            classes="ev ev-participant",
            details=_details(("Kind", p.kind.value), ("Title", p.title)),
            json_path=f"/v1/participants/{p.id}",
        )
    issues = {
        i.id: i for i in session.scalars(select(Issue).where(Issue.id.in_(ids[RecordKind.ISSUE])))
    }
    for issue in issues.values():
        facts[RecordKind.ISSUE, issue.id] = FactView(
            kind=RecordKind.ISSUE,
            id=issue.id,
            label=issue.title,
            classes="ev ev-issue",
            details=_details(("Category", issue.category.value), ("Summary", issue.summary)),
            json_path=f"/v1/issues/{issue.id}",
        )

    highlights = []
    for number, span in enumerate(spans, start=1):
        kind, fact_id = span.fact
        fact = facts[kind, fact_id]
        key = f"s{number}"
        fact.spans.append(
            SpanRef(key, span.start, span.end, _excerpt(article.text[span.start : span.end]))
        )
        highlights.append(
            Highlight(
                key=key,
                start=span.start,
                end=span.end,
                classes=fact.classes,
                tip_id=fact.tip_id,
                rank=KIND_RANK[kind],
            )
        )

    groups = []
    for kind in KIND_ORDER:
        members = sorted(
            (f for (k, _), f in facts.items() if k is kind),
            key=lambda f: (f.spans[0].start, f.label, f.id),
        )
        if members:
            groups.append(FactGroup(kind, KIND_TITLES[kind][1], members))

    legend = [
        LegendEntry(colour + " ev ev-quotation", f"Quotation by {name}")
        for colour, name in legend_speakers.values()
    ]
    legend += [
        LegendEntry(f"ev ev-{kind.value}", KIND_TITLES[kind][0])
        for kind in KIND_ORDER[1:]
        if ids[kind]
    ]

    return ArticlePage(
        id=article.id,
        title=article.title,
        language=article.language,
        publisher=article.publisher,
        url=article.url,
        published=format_optional_date(article.published_on, article.published_precision),
        content_sha256=article.content_sha256,
        text=article.text,
        pieces=highlight_pieces(article.text, highlights),
        legend=legend,
        groups=groups,
        facts=[f for group in groups for f in group.facts],
        agenda=_agenda(session, [events[i] for i in ids[RecordKind.EVENT]], ids[RecordKind.ISSUE]),
        span_count=len(spans),
        page=page,
        next_page=page + 1 if more else None,
    )


def _agenda(session: Session, events: list[Event], article_issues: set[str]) -> list[AgendaEvent]:
    """The events that have an agenda, with their issues: events yet to happen first (what the
    agenda is most asked about), then held, then cancelled; each by date, undated last."""
    items: dict[str, list[AgendaEntry]] = defaultdict(list)
    for event_id, status, issue_id, title in session.execute(
        select(AgendaItem.event_id, AgendaItem.status, Issue.id, Issue.title)
        .join(Issue, Issue.id == AgendaItem.issue_id)
        .where(AgendaItem.event_id.in_([e.id for e in events]))
        .order_by(AgendaItem.event_id, Issue.title, Issue.id)
    ):
        items[event_id].append(
            AgendaEntry(issue_id, title, status.value, issue_id in article_issues)
        )
    dated = sorted(
        (e for e in events if items[e.id]),
        key=lambda e: (
            STATUS_ORDER[e.status],
            e.date is None,
            e.date or dt.date.min,
            e.title,
            e.id,
        ),
    )
    return [
        AgendaEvent(
            id=e.id,
            title=e.title,
            status=e.status.value,
            date=format_optional_date(e.date, e.date_precision),
            location=e.location,
            items=items[e.id],
        )
        for e in dated
    ]
