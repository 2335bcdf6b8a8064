"""What every write shares: evidence input, reference checks, ETag preconditions, idempotent
creation, auditing through the change tracker, and the responses writes return."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, ClassVar

from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app.auth.service import Principal
from app.changes.service import ChangeTracker, Kinds, dependents
from app.core.db import begin_write
from app.core.errors import (
    Conflict,
    FieldError,
    PreconditionFailed,
    PreconditionRequired,
    UnsupportedMediaType,
    ValidationFailed,
)
from app.core.schemas import QuotedText
from app.core.spans import Span, SpanError, SpanJob, resolve_span, resolve_spans
from app.core.strict_json import DuplicateKeyError, loads_json
from app.core.text import SLUG_PATTERN
from app.core.workers import run_in_worker
from app.http.caching import etag_matches_strong, strong_etag
from app.idempotency import service as idempotency
from app.models.article import Article
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.kind import RecordKind

SlugRef = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]


class EvidenceIn(BaseModel):
    """A span given as verbatim text (plus occurrence if it repeats) or as offsets."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Exactly one of the two forms, as the validator below insists.
            "oneOf": [
                {
                    "required": ["text"],
                    "not": {"anyOf": [{"required": ["start"]}, {"required": ["end"]}]},
                },
                {
                    "required": ["start", "end"],
                    "not": {"anyOf": [{"required": ["text"]}, {"required": ["occurrence"]}]},
                },
            ]
        },
    )

    article_id: SlugRef
    text: QuotedText | None = Field(
        default=None, description="The span's verbatim text; the server finds the offsets."
    )
    occurrence: Annotated[int, Strict(), Field(ge=1, le=100_000)] | None = Field(
        default=None, description="Which occurrence of `text` (1-based), when it repeats."
    )
    # Strict: JSON true/false are not offsets (lax mode would read them as 1 and 0).
    start: Annotated[int, Strict(), Field(ge=0, le=10_000_000)] | None = None
    end: Annotated[int, Strict(), Field(ge=1, le=10_000_000)] | None = None

    @model_validator(mode="after")
    def _text_or_offsets(self) -> EvidenceIn:
        has_offsets = self.start is not None or self.end is not None
        if (self.text is None) == (not has_offsets):
            raise ValueError("give either `text` (and `occurrence`) or `start` and `end`")
        if has_offsets and (self.start is None or self.end is None):
            raise ValueError("`start` and `end` go together")
        if self.occurrence is not None and self.text is None:
            raise ValueError("`occurrence` goes with `text`")
        return self


EvidenceList = Annotated[list[EvidenceIn], Field(min_length=1, max_length=100)]
ResolvedSpan = tuple[str, int, int]


def invalid(name: str, message: str) -> ValidationFailed:
    """A 422 naming one body field."""
    return ValidationFailed(
        f"Invalid body field {name}: {message}",
        [FieldError(location="body", name=name, message=message)],
    )


def article_texts(session: Session, article_ids: set[str]) -> dict[str, str]:
    """The text of each existing article among article_ids."""
    found: dict[str, str] = {}
    for article_id in article_ids:
        article = session.get(Article, article_id)
        if article is not None:
            found[article_id] = article.text
    return found


_PRERESOLVED = "newsfacts_preresolved_spans"
SpanKey = tuple[str, str, int | None]


# Span finding beyond this many characters of text to search goes to a worker process.
WORKER_SEARCH_CHARS = 2_000_000


def preresolve_evidence(session: Session, payload: BaseModel) -> None:
    """Find the payload's text spans in their articles before the write lock is taken.

    Articles never change their text, so what is found here still holds under the lock;
    resolve_evidence then only looks the answers up (and still checks the articles exist).
    Many spans in long articles are found in a worker process (app.core.workers).
    """
    spans = getattr(payload, "evidence", None)
    if not spans:
        return
    texts = article_texts(session, {span.article_id for span in spans})
    jobs: list[SpanJob] = [
        (span.article_id, span.text, span.occurrence)
        for span in spans
        if span.text is not None and span.article_id in texts
    ]
    if not jobs:
        return
    if sum(len(texts[article_id]) for article_id, _, _ in jobs) > WORKER_SEARCH_CHARS:
        needed = {article_id: texts[article_id] for article_id, _, _ in jobs}
        results = run_in_worker(resolve_spans, needed, jobs)
    else:
        results = resolve_spans(texts, jobs)
    found: dict[SpanKey, Span | SpanError] = session.info.setdefault(_PRERESOLVED, {})
    for job, result in zip(jobs, results, strict=True):
        found[job] = SpanError(result) if isinstance(result, str) else result


def resolve_evidence(
    session: Session, spans: Sequence[EvidenceIn], field: str = "evidence"
) -> list[ResolvedSpan]:
    """Offsets of each span, checked against its article's text; 422 naming the bad span."""
    texts = article_texts(session, {span.article_id for span in spans})
    preresolved: dict[SpanKey, Span | SpanError] = session.info.pop(_PRERESOLVED, {})
    resolved: list[ResolvedSpan] = []
    for index, span in enumerate(spans):
        where = f"{field}.{index}"
        text = texts.get(span.article_id)
        if text is None:
            raise invalid(f"{where}.article_id", f"unknown article id {span.article_id!r}")
        if span.text is not None:
            found = preresolved.get((span.article_id, span.text, span.occurrence))
            try:
                if isinstance(found, SpanError):
                    raise found
                if found is None:
                    found = resolve_span(text, span.text, span.occurrence)
            except SpanError as exc:
                raise invalid(f"{where}.text", str(exc)) from None
            resolved.append((span.article_id, found.start, found.end))
            continue
        if span.start is None or span.end is None or not span.start < span.end <= len(text):
            raise invalid(
                f"{where}.end",
                f"offsets must satisfy 0 <= start < end <= {len(text)} (the article's length)",
            )
        resolved.append((span.article_id, span.start, span.end))
    return sorted(set(resolved))


def replace_evidence(
    session: Session, kind: RecordKind, fact_id: str, spans: Sequence[ResolvedSpan]
) -> None:
    """Make the fact's evidence exactly these spans."""
    column = EVIDENCE_COLUMNS[kind]
    session.execute(delete(EvidenceSpan).where(column == fact_id))
    if spans:
        session.execute(
            insert(EvidenceSpan),
            [{"article_id": a, "start": s, "end": e, column.key: fact_id} for a, s, e in spans],
        )


def require_ref(session: Session, model: type[Any], ref: str | None, field: str) -> None:
    """422 naming `field` unless the referenced record exists."""
    if ref is not None and session.get(model, ref) is None:
        kind = model.__tablename__.rstrip("s")
        raise invalid(field, f"unknown {kind} id {ref!r}")


def require_absent(session: Session, model: type[Any], record_id: str) -> None:
    """409 if a record with this id exists."""
    if session.get(model, record_id) is not None:
        kind = model.__tablename__.rstrip("s")
        raise Conflict(f"A {kind} with id {record_id!r} already exists.")


# --- representations and preconditions ----------------------------------------------------


def render(model: BaseModel) -> bytes:
    """The JSON body of a representation, exactly as responses carry it."""
    return bytes(JSONResponse(jsonable_encoder(model)).body)


def resource_etag(model: BaseModel) -> str:
    """The strong ETag of a representation (what GET returns in its ETag header)."""
    return strong_etag(render(model))


IfMatch = Annotated[
    str | None,
    Header(
        description="The ETag of the resource as you last read it; required.",
        max_length=200,
    ),
]


def check_if_match(if_match: str | None, current: BaseModel) -> None:
    """428 without If-Match; 412 when it is not the current representation's ETag (strong
    comparison, as RFC 9110 requires for If-Match: `W/"..."` never matches)."""
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag from your last GET of this resource."
        )
    if not etag_matches_strong(if_match, resource_etag(current)):
        raise PreconditionFailed(
            "The resource changed since you read it; GET it again and reapply your change."
        )


def representation_response(
    model: BaseModel, status_code: int = 200, location: str | None = None
) -> Response:
    """A JSON response carrying the representation's ETag (and Location on create)."""
    body = render(model)
    headers = {"ETag": strong_etag(body), "Cache-Control": "no-store"}
    if location is not None:
        headers["Location"] = location
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)


JSON_TYPES = ("application/json", "application/merge-patch+json")


async def require_json(request: Request) -> None:
    """415 unless the body is JSON; 422 if an object in it names a key twice."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise UnsupportedMediaType(
            f"Send the body as application/json (got {content_type or 'no Content-Type'})."
        )
    body = await request.body()  # already read (and size-limited) by FastAPI: cached
    try:
        loads_json(body)
    except DuplicateKeyError as exc:
        raise invalid(str(exc.key), str(exc)) from None
    except (ValueError, RecursionError):
        pass  # not JSON: FastAPI's own validation names the problem


# --- the write flows ----------------------------------------------------------------------


def create(
    request: Request,
    session: Session,
    kinds: Kinds,
    principal: Principal,
    payload: BaseModel,
    kind: RecordKind,
    record_id: str,
    apply: Callable[[], None],
    read: Callable[[], BaseModel],
    location: str,
) -> Response:
    """Create a record once per Idempotency-Key, audited, answering 201 with its ETag."""
    key = request.headers.get("idempotency-key")
    fingerprint = hashlib.sha256(
        json.dumps(
            [request.method, request.scope["path"], payload.model_dump(mode="json")], sort_keys=True
        ).encode("utf-8")
    ).hexdigest()
    ttl_hours = request.app.state.settings.idempotency_ttl_h
    preresolve_evidence(session, payload)
    begin_write(session)
    if key is not None:
        replay = idempotency.replay(session, principal, key, fingerprint, ttl_hours)
        if replay is not None:
            return replay
    tracker = ChangeTracker(session, kinds)
    tracker.track(kind, [record_id])
    apply()
    tracker.record(principal.name)
    response = representation_response(read(), 201, location)
    if key is not None:
        idempotency.remember(session, principal, key, fingerprint, response, ttl_hours)
    return response


def update(
    session: Session,
    kinds: Kinds,
    principal: Principal,
    kind: RecordKind,
    record_id: str,
    if_match: str | None,
    read: Callable[[], BaseModel],
    apply: Callable[[], None],
    payload: BaseModel | None = None,
) -> Response:
    """Apply a change if If-Match is current, audited; answers the new representation."""
    if payload is not None:
        preresolve_evidence(session, payload)
    begin_write(session)
    check_if_match(if_match, read())
    tracker = ChangeTracker(session, kinds)
    tracker.track(kind, [record_id])
    apply()
    tracker.record(principal.name)
    return representation_response(read())


def remove(
    session: Session,
    kinds: Kinds,
    principal: Principal,
    kind: RecordKind,
    record_id: str,
    if_match: str | None,
    cascade: bool,
    read: Callable[[], BaseModel],
    apply: Callable[[ChangeTracker], None],
) -> Response:
    """Delete a record if If-Match is current; 409 while others refer to it, unless cascade."""
    begin_write(session)
    check_if_match(if_match, read())
    referring = dependents(session, kinds, kind, record_id)
    if referring and not cascade:
        listed = "; ".join(
            f"{target.value}s: {', '.join(sorted(ids)[:10])}" for target, ids in referring.items()
        )
        raise Conflict(
            f"The {kind.value} is still referred to ({listed}). Remove those references first,"
            " or delete with cascade=true."
        )
    tracker = ChangeTracker(session, kinds)
    tracker.track(kind, [record_id])
    tracker.track_dependents(kind, record_id)
    apply(tracker)
    tracker.record(principal.name)
    return Response(status_code=204)


def _patch_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Say in the schema what the validator insists on: one field at least, and no null for
    the fields that cannot be cleared."""
    schema["minProperties"] = 1
    not_nullable = getattr(model, "not_nullable", ())
    for name, field_schema in schema.get("properties", {}).items():
        options = field_schema.get("anyOf")
        if name in not_nullable and options:
            kept = [option for option in options if option.get("type") != "null"]
            field_schema.pop("anyOf")
            field_schema.pop("default", None)
            if len(kept) == 1:
                field_schema.update(kept[0])
            else:
                field_schema["anyOf"] = kept


class PatchModel(BaseModel):
    """A partial update: fields left out stay as they are; `null` clears an optional field."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_patch_schema)
    # Fields that may be left out but not cleared; each subclass names its own.
    not_nullable: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="after")
    @classmethod
    def _not_cleared(cls, value: Any, info: ValidationInfo) -> Any:
        # Runs only for fields the client sent, so the error names the field.
        if value is None and info.field_name in cls.not_nullable:
            raise ValueError(f"`{info.field_name}` cannot be null")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> PatchModel:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent."""
        return {name: getattr(self, name) for name in self.model_fields_set}
