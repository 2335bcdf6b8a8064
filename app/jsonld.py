"""schema.org JSON-LD for the detail GETs, chosen by content negotiation.

`Accept: application/ld+json` on an article's or a fact's detail GET returns JSON-LD; JSON stays
the default (no Accept, `*/*`, `application/*`, or JSON preferred), and an Accept that allows
neither is a 406. Both representations carry `Vary: Accept` and so have different ETags.

The mapping, with the choices schema.org leaves open:

- **Article** → `NewsArticle`: `headline`, `text`, `inLanguage`, `datePublished` (ISO 8601 at its
  precision: `2018-05-14`, `2018-05` or `2018`), `identifier` (a `PropertyValue` with
  `propertyID` `sha256`), `url` (where it was published), `publisher`.
- **Participant** → `Person`, `Organization`, `Country`; a **group** (e.g. "Belarusian
  producers") is an `Organization`, the closest schema.org type for people acting together.
  Aliases are `alternateName` (language-tagged unless `und`), a person's title is `jobTitle`
  (others': `disambiguatingDescription`), affiliation is `affiliation` for a person and
  `memberOf` otherwise; a `wikidata` external id becomes a `sameAs` Wikidata URL, and every
  external id is also an `identifier` `PropertyValue`.
- **Event** → `Event`: `name`, `description`, `startDate` at its precision, `location` (a
  `Place`), participants under a property chosen by role (ROLE_PROPERTIES: `attendee`,
  `organizer`, `performer`...; `subject` is `about`; an unknown role is `attendee`), and its
  agenda issues under `about` too. `eventStatus` (EVENT_STATUSES): scheduled and expected are
  `EventScheduled`, deferred `EventPostponed`, cancelled `EventCancelled`, and **held** is
  `EventScheduled` too — schema.org has no status for an event that took place, and defines
  EventScheduled as "taking place or has taken place on the startDate as scheduled"; the
  `startDate` says when. The JSON representation keeps the exact status and the event kind.
- **Issue** → `Thing` (`name`, `description`), `subjectOf` the events with it on their agenda.
  Its category is only in the JSON representation.
- **Quotation** → `Quotation`: `text`, `spokenByCharacter` (typed by the speaker's kind),
  `dateCreated` (when it was said, at its precision), `recordedAt` (the occasion, an `Event`),
  `audience` (an `Audience` naming the participant), `about` (its issues), `inLanguage`.

Evidence: each span is a node typed both `CreativeWork` and W3C Web Annotation's
`oa:SpecificResource`: `isPartOf` the `NewsArticle`, `text` the span's text, `oa:hasSource` the
article and `oa:hasSelector` an `oa:TextPositionSelector` whose `oa:start`/`oa:end` are the span
offsets (Unicode code points, as Web Annotation counts them). A quotation's spans are its
`isBasedOn`; every other fact's are in its `subjectOf`.

Every node's `@id` is the absolute URL of its JSON resource (NEWSFACTS_PUBLIC_BASE_URL, or the
request's own base URL).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.articles.models import Article
from app.articles.schemas import ArticleDetail
from app.errors import NotAcceptable, problem_responses
from app.events.models import Event
from app.events.schemas import EventRead
from app.evidence.schemas import EvidenceRead
from app.issues.models import Issue
from app.issues.schemas import IssueRead
from app.participants.models import Participant
from app.participants.schemas import ParticipantRead
from app.quotations.schemas import QuotationRead

JSON_MEDIA_TYPE = "application/json"
JSONLD_MEDIA_TYPE = "application/ld+json"

SCHEMA_ORG = "https://schema.org/"
CONTEXT: dict[str, Any] = {
    "@vocab": SCHEMA_ORG,
    "oa": "http://www.w3.org/ns/oa#",
    "eventStatus": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
    "url": {"@type": "@id"},
    "oa:hasSource": {"@type": "@id"},
}

PARTICIPANT_TYPES = {
    "person": "Person",
    "organization": "Organization",
    "country": "Country",
    "group": "Organization",
}
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
WIKIDATA_ENTITY = "https://www.wikidata.org/wiki/"

# The OpenAPI schema of a JSON-LD document (its shape is the mapping above).
JSONLD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A schema.org JSON-LD node; see app/jsonld.py for the mapping.",
    "required": ["@context", "@type", "@id"],
    "properties": {
        "@context": {"type": "object"},
        "@type": {"type": "string", "examples": ["Quotation"]},
        "@id": {"type": "string", "format": "uri"},
    },
    "additionalProperties": True,
}
VARY_HEADER = {
    "Vary": {
        "description": "`Accept`: the representation depends on it.",
        "schema": {"type": "string"},
    }
}


def responses(schema_type: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses of a negotiated detail GET: JSON-LD beside JSON, and 406."""
    return {
        200: {
            "description": f"The resource as JSON (default), or as a schema.org {schema_type}"
            " in JSON-LD with `Accept: application/ld+json`.",
            "headers": VARY_HEADER,
            "content": {JSONLD_MEDIA_TYPE: {"schema": JSONLD_SCHEMA}},
        },
        **problem_responses(406),
    }


# --- content negotiation ------------------------------------------------------------------


class Representation(enum.Enum):
    """The representations a detail GET offers, in the server's order of preference."""

    JSON = JSON_MEDIA_TYPE
    JSONLD = JSONLD_MEDIA_TYPE


def _media_ranges(accept: str) -> list[tuple[str, str, float]]:
    """(type, subtype, q) of each media range of an Accept header (parameters but q ignored)."""
    ranges = []
    for part in accept.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        media_type, _, subtype = pieces[0].lower().partition("/")
        if not media_type or not subtype:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = math.nan
                # A malformed weight (not a number, nan) is ignored, as if absent.
                q = min(max(weight, 0.0), 1.0) if not math.isnan(weight) else 1.0
        ranges.append((media_type, subtype, q))
    return ranges


def choose_representation(accept: str | None) -> Representation | None:
    """The representation an Accept header prefers (RFC 9110 §12.5.1), or None if neither.

    Each offered type takes the q of the most specific range matching it; the highest q wins,
    and on a tie the server's order (JSON first). No Accept (or an empty one) means JSON.
    """
    if accept is None or not accept.strip():
        return Representation.JSON
    ranges = _media_ranges(accept)
    if not ranges:
        return Representation.JSON
    best: tuple[float, Representation] | None = None
    for representation in Representation:
        offered_type, _, offered_subtype = representation.value.partition("/")
        found: tuple[int, float] | None = None  # (specificity, q)
        for media_type, subtype, q in ranges:
            if media_type == offered_type and subtype == offered_subtype:
                specificity = 2
            elif media_type == offered_type and subtype == "*":
                specificity = 1
            elif media_type == "*" and subtype == "*":
                specificity = 0
            else:
                continue
            if found is None or specificity > found[0]:
                found = (specificity, q)
        if found is not None and found[1] > 0 and (best is None or found[1] > best[0]):
            best = (found[1], representation)
    return best[1] if best is not None else None


def negotiate(request: Request, response: Response) -> Representation:
    """The representation to answer with; 406 when Accept allows neither."""
    response.headers["Vary"] = "Accept"
    chosen = choose_representation(request.headers.get("accept"))
    if chosen is None:
        raise NotAcceptable(
            f"This resource is served as {JSON_MEDIA_TYPE} or {JSONLD_MEDIA_TYPE}.",
            headers={"Vary": "Accept"},
        )
    return chosen


Negotiated = Annotated[Representation, Depends(negotiate)]
Model = TypeVar("Model", bound=BaseModel)


def negotiated(
    request: Request, session: Session, representation: Representation, model: Model
) -> Model | Response:
    """The model itself for JSON, or its JSON-LD document as a response."""
    if representation is Representation.JSON:
        return model
    return JSONResponse(
        document(session, model, base_url(request)),
        media_type=JSONLD_MEDIA_TYPE,
        headers={"Vary": "Accept"},
    )


def base_url(request: Request) -> str:
    """The absolute base of resource URLs: the configured public base, or the request's."""
    configured: str | None = request.app.state.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


# --- the mapping --------------------------------------------------------------------------


def document(session: Session, model: BaseModel, base: str) -> dict[str, Any]:
    """The JSON-LD document (with its @context) of an article or a fact."""
    mapper = _Mapper(session, base)
    if isinstance(model, ArticleDetail):
        node = mapper.article(model)
    elif isinstance(model, ParticipantRead):
        node = mapper.participant(model)
    elif isinstance(model, EventRead):
        node = mapper.event(model)
    elif isinstance(model, IssueRead):
        node = mapper.issue(model)
    elif isinstance(model, QuotationRead):
        node = mapper.quotation(model)
    else:
        raise TypeError(f"no JSON-LD mapping for {type(model).__name__}")
    return {"@context": CONTEXT, **node}


def _lookup(
    session: Session,
    key: InstrumentedAttribute[str],
    value: InstrumentedAttribute[Any],
    ids: Iterable[str | None],
) -> dict[str, Any]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return dict(session.execute(select(key, value).where(key.in_(wanted))).all())


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    """The node without empty values (None, empty lists)."""
    return {key: value for key, value in node.items() if value is not None and value != []}


class _Mapper:
    """Builds nodes, looking up what the JSON representation names only by id (one query per
    kind of reference)."""

    def __init__(self, session: Session, base: str) -> None:
        self.session = session
        self.base = base

    def url(self, collection: str, record_id: str) -> str:
        return f"{self.base}/v1/{collection}/{record_id}"

    # references

    def participant_refs(self, refs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        kinds = _lookup(self.session, Participant.id, Participant.kind, [i for i, _ in refs])
        return [
            {
                "@type": PARTICIPANT_TYPES[str(kinds.get(record_id, "organization"))],
                "@id": self.url("participants", record_id),
                "name": name,
            }
            for record_id, name in refs
        ]

    def issue_refs(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        titles = _lookup(self.session, Issue.id, Issue.title, ids)
        return [
            _compact({"@type": "Thing", "@id": self.url("issues", i), "name": titles.get(i)})
            for i in ids
        ]

    def event_refs(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        titles = _lookup(self.session, Event.id, Event.title, ids)
        return [
            _compact({"@type": "Event", "@id": self.url("events", i), "name": titles.get(i)})
            for i in ids
        ]

    def spans(self, evidence: Sequence[EvidenceRead]) -> list[dict[str, Any]]:
        titles = _lookup(self.session, Article.id, Article.title, [s.article_id for s in evidence])
        nodes = []
        for span in evidence:
            article = self.url("articles", span.article_id)
            nodes.append(
                {
                    "@type": ["CreativeWork", "oa:SpecificResource"],
                    "isPartOf": _compact(
                        {
                            "@type": "NewsArticle",
                            "@id": article,
                            "headline": titles.get(span.article_id),
                        }
                    ),
                    "text": span.text,
                    "oa:hasSource": article,
                    "oa:hasSelector": {
                        "@type": "oa:TextPositionSelector",
                        "oa:start": span.start,
                        "oa:end": span.end,
                    },
                }
            )
        return nodes

    # resources

    def article(self, article: ArticleDetail) -> dict[str, Any]:
        return _compact(
            {
                "@type": "NewsArticle",
                "@id": self.url("articles", article.id),
                "headline": article.title,
                "inLanguage": article.language,
                "datePublished": article.published_on,
                "publisher": (
                    {"@type": "Organization", "name": article.publisher}
                    if article.publisher
                    else None
                ),
                "url": article.url,
                "identifier": {
                    "@type": "PropertyValue",
                    "propertyID": "sha256",
                    "value": article.content_sha256,
                },
                "text": article.text,
            }
        )

    def participant(self, participant: ParticipantRead) -> dict[str, Any]:
        kind = participant.kind.value
        is_person = kind == "person"
        affiliation = (
            self.participant_refs([(participant.affiliation.id, participant.affiliation.name)])[0]
            if participant.affiliation is not None
            else None
        )
        return _compact(
            {
                "@type": PARTICIPANT_TYPES[kind],
                "@id": self.url("participants", participant.id),
                "name": participant.name,
                "alternateName": [
                    alias.alias
                    if alias.language == "und"
                    else {"@value": alias.alias, "@language": alias.language}
                    for alias in participant.aliases
                ],
                "jobTitle" if is_person else "disambiguatingDescription": participant.title,
                "description": participant.description,
                "affiliation" if is_person else "memberOf": affiliation,
                "sameAs": [
                    WIKIDATA_ENTITY + value
                    for scheme, value in sorted(participant.external_ids.items())
                    if scheme == "wikidata"
                ],
                "identifier": [
                    {"@type": "PropertyValue", "propertyID": scheme, "value": value}
                    for scheme, value in sorted(participant.external_ids.items())
                ],
                "subjectOf": self.spans(participant.evidence),
            }
        )

    def event(self, event: EventRead) -> dict[str, Any]:
        people = self.participant_refs(
            [(p.participant.id, p.participant.name) for p in event.participants]
        )
        by_property: dict[str, list[dict[str, Any]]] = {}
        for link, node in zip(event.participants, people, strict=True):
            name = ROLE_PROPERTIES.get(link.role, DEFAULT_ROLE_PROPERTY)
            by_property.setdefault(name, []).append(node)
        by_property["about"] = [*by_property.get("about", []), *self.issue_refs(event.issue_ids)]
        return _compact(
            {
                "@type": "Event",
                "@id": self.url("events", event.id),
                "name": event.title,
                "description": event.description,
                "eventStatus": SCHEMA_ORG + EVENT_STATUSES[event.status.value],
                "startDate": event.date,
                "location": (
                    {"@type": "Place", "name": event.location} if event.location else None
                ),
                **by_property,
                "subjectOf": self.spans(event.evidence),
            }
        )

    def issue(self, issue: IssueRead) -> dict[str, Any]:
        return _compact(
            {
                "@type": "Thing",
                "@id": self.url("issues", issue.id),
                "name": issue.title,
                "description": issue.summary,
                "subjectOf": [
                    *self.event_refs([entry.event_id for entry in issue.agenda]),
                    *self.spans(issue.evidence),
                ],
            }
        )

    def quotation(self, quotation: QuotationRead) -> dict[str, Any]:
        speaker = self.participant_refs([(quotation.speaker.id, quotation.speaker.name)])[0]
        audience = quotation.audience
        language = _lookup(self.session, Article.id, Article.language, [quotation.article_id])
        return _compact(
            {
                "@type": "Quotation",
                "@id": self.url("quotations", quotation.id),
                "text": quotation.text,
                "spokenByCharacter": speaker,
                "dateCreated": quotation.said_on,
                "recordedAt": (
                    self.event_refs([quotation.event_id])[0] if quotation.event_id else None
                ),
                "audience": (
                    {
                        "@type": "Audience",
                        "name": audience.name,
                        "url": self.url("participants", audience.id),
                    }
                    if audience is not None
                    else None
                ),
                "about": self.issue_refs(quotation.issue_ids),
                "inLanguage": language.get(quotation.article_id),
                "isBasedOn": self.spans(quotation.evidence),
            }
        )
