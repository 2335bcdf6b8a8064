"""schema.org JSON-LD for the detail GETs, chosen by content negotiation.

`Accept: application/ld+json` on an article's or a fact's detail GET returns JSON-LD; JSON stays
the default (no Accept, `*/*`, `application/*`, or JSON preferred), and an Accept that allows
neither is a 406. Both representations carry `Vary: Accept` and so have different ETags.

Each kind maps its own resource to a node (`app/<kind>/jsonld.py`, named in the kind's
registry entry); this module holds what they share: negotiation, the @context, references to
other records and evidence spans.

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
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.errors import NotAcceptable, problem_responses
from app.evidence.schemas import EvidenceRead
from app.http.negotiation import choose_media_type
from app.models.article import Article
from app.models.event import Event
from app.models.issue import Issue
from app.models.participant import Participant

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


# What each representation satisfies: the JSON-LD is compacted (it has an @context), so an
# Accept asking for that profile matches it, and one asking for another profile does not.
_OFFERED = {
    Representation.JSON: JSON_MEDIA_TYPE,
    Representation.JSONLD: f'{JSONLD_MEDIA_TYPE}; profile="http://www.w3.org/ns/json-ld#compacted"',
}


def choose_representation(accept: str | None) -> Representation | None:
    """The representation an Accept header prefers (app.http.negotiation, RFC 9110 §12.5.1),
    or None if neither; on a tie the server's order (JSON first). No Accept means JSON."""
    chosen = choose_media_type(accept, list(_OFFERED.values()))
    return next((r for r, media_type in _OFFERED.items() if media_type == chosen), None)


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
# How a kind maps its resource to a node: (the shared builders, the resource) -> node.
NodeBuilder = Callable[["Nodes", Model], dict[str, Any]]


def negotiated(
    request: Request,
    session: Session,
    representation: Representation,
    model: Model,
    node: NodeBuilder[Model],
) -> Model | Response:
    """The model itself for JSON, or its JSON-LD document (built by `node`) as a response."""
    if representation is Representation.JSON:
        return model
    return JSONResponse(
        document(session, model, base_url(request), node),
        media_type=JSONLD_MEDIA_TYPE,
        headers={"Vary": "Accept"},
    )


def base_url(request: Request) -> str:
    """The absolute base of resource URLs: the configured public base, or the request's."""
    configured: str | None = request.app.state.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


# --- the mapping --------------------------------------------------------------------------


def document(session: Session, model: Model, base: str, node: NodeBuilder[Model]) -> dict[str, Any]:
    """The JSON-LD document (with its @context) of an article or a fact."""
    return {"@context": CONTEXT, **node(Nodes(session, base), model)}


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


def compact(node: dict[str, Any]) -> dict[str, Any]:
    """The node without empty values (None, empty lists)."""
    return {key: value for key, value in node.items() if value is not None and value != []}


class Nodes:
    """What every kind's node is built from: resource URLs, and references to other records
    and evidence spans, looking up what the JSON representation names only by id (one query
    per kind of reference)."""

    def __init__(self, session: Session, base: str) -> None:
        self.session = session
        self.base = base

    def url(self, collection: str, record_id: str) -> str:
        """The absolute URL of a record's JSON resource."""
        return f"{self.base}/v1/{collection}/{record_id}"

    def participant_refs(self, refs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """Typed nodes of participants given as (id, name)."""
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
        """Nodes of issues, named by their titles."""
        titles = _lookup(self.session, Issue.id, Issue.title, ids)
        return [
            compact({"@type": "Thing", "@id": self.url("issues", i), "name": titles.get(i)})
            for i in ids
        ]

    def event_refs(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Nodes of events, named by their titles."""
        titles = _lookup(self.session, Event.id, Event.title, ids)
        return [
            compact({"@type": "Event", "@id": self.url("events", i), "name": titles.get(i)})
            for i in ids
        ]

    def spans(self, evidence: Sequence[EvidenceRead]) -> list[dict[str, Any]]:
        """Evidence spans as Web Annotation selectors on their articles."""
        titles = _lookup(self.session, Article.id, Article.title, [s.article_id for s in evidence])
        nodes = []
        for span in evidence:
            article = self.url("articles", span.article_id)
            nodes.append(
                {
                    "@type": ["CreativeWork", "oa:SpecificResource"],
                    "isPartOf": compact(
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

    def lookup(
        self,
        key: InstrumentedAttribute[str],
        value: InstrumentedAttribute[Any],
        ids: Iterable[str | None],
    ) -> dict[str, Any]:
        """`value` of each record whose `key` is among ids (one query)."""
        return _lookup(self.session, key, value, ids)
