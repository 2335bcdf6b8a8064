"""The annotated article page: an article's text with its evidence, its facts and their agenda.

Everything the page shows comes from a fixed number of queries (eight), whatever the number of
spans and facts: each fact kind's registry entry shows its facts (app.spec.PageView), and the
page loops over them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.dates import format_optional_date
from app.core.errors import NotFound
from app.core.text import is_slug
from app.models.article import Article
from app.models.event import Event, EventStatus
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind
from app.pages.highlight import Highlight, Piece, highlight_pieces
from app.spec import KindSpec, PageFact, PageView

# The registry as the page sees it (app.kinds.KINDS, on app.state.kinds).
Kinds = Mapping[RecordKind, KindSpec]

# Shaded facts (quotations, by speaker) are coloured from this many colours (classes q0, q1, ...).
SHADE_COLOURS = 6
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
    kind_title: str  # the kind, for people: `Quotation`, `Event`, ...
    id: str
    label: str
    classes: str
    details: list[tuple[str, str]]
    json_path: str
    spans: list[SpanRef] = field(default_factory=list)

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


def get_article_page(
    session: Session, kinds: Kinds, article_id: str, page: int = 1, max_spans: int | None = None
) -> ArticlePage:
    """The article with its evidence spans (at most max_spans of them, the page-th slice in
    text order), their facts and their events' agendas; or NotFound."""
    known = len(article_id) <= MAX_ID_LENGTH and is_slug(article_id)
    article = session.get(Article, article_id) if known else None
    if article is None:
        raise NotFound(f"No article with id {article_id!r}.")
    # The fact kinds' views, in the order of the legend and of the fact lists.
    views = sorted(
        ((kind, spec.page) for kind, spec in kinds.items() if spec.page is not None),
        key=lambda item: item[1].order,
    )
    by_kind = dict(views)
    statement = (
        select(EvidenceSpan)
        .where(EvidenceSpan.article_id == article.id)
        .order_by(EvidenceSpan.start, EvidenceSpan.end.desc(), EvidenceSpan.id)
    )
    if max_spans is not None:
        statement = statement.offset((page - 1) * max_spans).limit(max_spans + 1)
    found = session.scalars(statement).all()
    more = max_spans is not None and len(found) > max_spans
    found = found[:max_spans] if more else found
    if page > 1 and not found:
        raise NotFound(f"The article {article_id!r} has no page {page} of evidence.")
    spans = [span for span in found if span.fact[0] in by_kind]
    ids: dict[RecordKind, set[str]] = defaultdict(set)
    for span in spans:
        kind, fact_id = span.fact
        ids[kind].add(fact_id)
    shown = {kind: view.facts(session, ids[kind]) for kind, view in views if ids[kind]}
    shades = _shades(spans, shown)
    facts = _fact_views(by_kind, shown, shades)
    highlights = _highlights(article.text, spans, facts, by_kind)
    groups = _groups(views, facts)
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
        legend=_legend(views, ids, shades),
        groups=groups,
        facts=[f for group in groups for f in group.facts],
        agenda=_agenda(session, ids[RecordKind.EVENT], ids[RecordKind.ISSUE]),
        span_count=len(spans),
        page=page,
        next_page=page + 1 if more else None,
    )


Shown = dict[RecordKind, dict[str, PageFact]]
# Per kind: shade key -> (colour class, legend label).
Shades = dict[RecordKind, dict[str, tuple[str, str]]]


def _shades(spans: Sequence[EvidenceSpan], shown: Shown) -> Shades:
    """A colour for each shade, in order of its facts' first span in the text."""
    shades: Shades = defaultdict(dict)
    count = 0
    for span in spans:
        kind, fact_id = span.fact
        shade = shown[kind][fact_id].shade
        if shade is not None and shade[0] not in shades[kind]:
            shades[kind][shade[0]] = (f"q{count % SHADE_COLOURS}", shade[1])
            count += 1
    return shades


def _fact_views(
    views: dict[RecordKind, PageView], shown: Shown, shades: Shades
) -> dict[tuple[RecordKind, str], FactView]:
    facts: dict[tuple[RecordKind, str], FactView] = {}
    for kind, found in shown.items():
        for fact_id, fact in found.items():
            classes = f"ev ev-{kind.value}"
            if fact.shade is not None:
                classes += f" {shades[kind][fact.shade[0]][0]}"
            facts[kind, fact_id] = FactView(
                kind=kind,
                kind_title=views[kind].title,
                id=fact_id,
                label=fact.label,
                classes=classes,
                details=fact.details,
                json_path=f"/v1/{kind.collection}/{fact_id}",
            )
    return facts


def _highlights(
    text: str,
    spans: Sequence[EvidenceSpan],
    facts: dict[tuple[RecordKind, str], FactView],
    views: dict[RecordKind, PageView],
) -> list[Highlight]:
    """A highlight of each span; each fact learns its spans, in text order."""
    highlights = []
    for number, span in enumerate(spans, start=1):
        kind, fact_id = span.fact
        fact = facts[kind, fact_id]
        key = f"s{number}"
        fact.spans.append(SpanRef(key, span.start, span.end, _excerpt(text[span.start : span.end])))
        highlights.append(
            Highlight(
                key=key,
                start=span.start,
                end=span.end,
                classes=fact.classes,
                tip_id=fact.tip_id,
                rank=views[kind].rank,
            )
        )
    return highlights


def _groups(
    views: Sequence[tuple[RecordKind, PageView]], facts: dict[tuple[RecordKind, str], FactView]
) -> list[FactGroup]:
    """The facts of each kind, in the order they first appear in the text."""
    groups = []
    for kind, view in views:
        members = sorted(
            (f for (k, _), f in facts.items() if k is kind),
            key=lambda f: (f.spans[0].start, f.label, f.id),
        )
        if members:
            groups.append(FactGroup(kind, view.plural, members))
    return groups


def _legend(
    views: Sequence[tuple[RecordKind, PageView]],
    ids: dict[RecordKind, set[str]],
    shades: Shades,
) -> list[LegendEntry]:
    """A swatch per shade of a shaded kind, and one per other kind the article has."""
    legend = []
    for kind, view in views:
        if shades[kind]:
            legend += [
                LegendEntry(f"{colour} ev ev-{kind.value}", label)
                for colour, label in shades[kind].values()
            ]
        elif ids[kind]:
            legend.append(LegendEntry(f"ev ev-{kind.value}", view.title))
    return legend


def _agenda(session: Session, event_ids: set[str], article_issues: set[str]) -> list[AgendaEvent]:
    """The events that have an agenda, with their issues: events yet to happen first (what the
    agenda is most asked about), then held, then cancelled; each by date, undated last."""
    items: dict[str, list[AgendaEntry]] = defaultdict(list)
    events: dict[str, Event] = {}
    for event, status, issue_id, title in session.execute(
        select(Event, AgendaItem.status, Issue.id, Issue.title)
        .join(AgendaItem, AgendaItem.event_id == Event.id)
        .join(Issue, Issue.id == AgendaItem.issue_id)
        .where(Event.id.in_(event_ids))
        .order_by(AgendaItem.event_id, Issue.title, Issue.id)
    ):
        events[event.id] = event
        items[event.id].append(
            AgendaEntry(issue_id, title, status.value, issue_id in article_issues)
        )
    dated = sorted(
        events.values(),
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
