"""Bundle imports: a whole article with its facts, validated first, applied in one transaction."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from app.auth.dependencies import WriterDep
from app.bundles.loader import BundleError, ResolvedBundle, apply_bundle
from app.bundles.sections import BundleKinds
from app.core.db import begin_write
from app.core.errors import FieldError, UnsupportedMediaType, ValidationFailed, problem_responses
from app.http.dependencies import SessionDep
from app.http.routing import DatabaseRoute
from app.idempotency import service as idempotency
from app.imports.parsing import resolve_in_worker
from app.models.change import Operation
from app.models.kind import RecordKind
from app.writes.flows import render

router = APIRouter(prefix="/v1/imports", tags=["imports"], route_class=DatabaseRoute)

JSON_TYPES = {"application/json"}
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml"}


class ChangeSummary(BaseModel):
    """One record the import created, updated or deleted (or would, in a dry run)."""

    kind: RecordKind
    id: str
    operation: Operation


class ImportResult(BaseModel):
    """What an import changed; with dry_run, what it would change (nothing was written)."""

    article_id: str
    dry_run: bool
    changes: list[ChangeSummary] = Field(description="Empty when the data already matched.")


async def raw_body(request: Request) -> bytes:
    """The request body as sent (the body size limit applies)."""
    return await request.body()


def _problems(exc: BundleError) -> ValidationFailed:
    errors = [
        FieldError(location="body", name=problem.where or "(bundle)", message=problem.message)
        for problem in exc.problems
    ]
    return ValidationFailed(f"The bundle was refused: {len(errors)} problem(s).", errors)


@router.post(
    "",
    operation_id="importBundle",
    response_model=ImportResult,
    summary="Import an article bundle",
    description="Takes one article with all its facts in the bundle format (JSON, or YAML"
    " with `Content-Type: application/yaml`), validates everything — spans against the text,"
    " ids, references — and then applies it in one transaction: afterwards the database holds"
    " exactly what the bundle says about its article. `dry_run=true` returns the changes it"
    " would make and writes nothing. The CLI's `newsfacts load` runs the same code.",
    responses=problem_responses(401, 403, 413, 415, 422, 500, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/BundleDocument"}},
                "application/yaml": {"schema": {"type": "string"}},
            },
        }
    },
)
def import_bundle(
    request: Request,
    session: SessionDep,
    principal: WriterDep,
    raw: Annotated[bytes, Depends(raw_body)],
    dry_run: Annotated[
        bool, Query(description="Validate and report the changes without writing them.")
    ] = False,
) -> ImportResult | Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES | YAML_TYPES:
        raise UnsupportedMediaType("Send the bundle as application/json or application/yaml.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "The body is not valid UTF-8.",
            [FieldError(location="body", name="(bundle)", message="not valid UTF-8")],
        ) from None
    # Parsed, validated and resolved before the write lock, in a worker process
    # (app.imports.parsing): however large or slow the bundle, other writers wait only for its
    # writes, and other requests do not share the interpreter with its parsing. A dry run
    # never takes the lock.
    kinds: BundleKinds = request.app.state.kinds
    bundle = _resolved(text, content_type in JSON_TYPES, kinds)
    if dry_run:
        return _import(session, kinds, bundle, principal.name, dry_run=True)
    key = request.headers.get("idempotency-key")
    fingerprint = hashlib.sha256(
        f"{request.scope['path']}?dry_run={dry_run}\n{content_type}\n".encode() + raw
    ).hexdigest()
    ttl_hours = request.app.state.settings.idempotency_ttl_h
    begin_write(session)
    if key is not None:
        replay = idempotency.replay(session, principal, key, fingerprint, ttl_hours)
        if replay is not None:
            return replay
    result = _import(session, kinds, bundle, principal.name, dry_run=False)
    if key is not None:
        idempotency.remember(
            session,
            principal,
            key,
            fingerprint,
            Response(render(result), status_code=200),
            ttl_hours,
        )
    return result


def _resolved(text: str, is_json: bool, kinds: BundleKinds) -> ResolvedBundle:
    try:
        return resolve_in_worker(text, is_json, kinds)
    except BundleError as exc:
        raise _problems(exc) from None


def _import(
    session: Session, kinds: BundleKinds, bundle: ResolvedBundle, actor: str, *, dry_run: bool
) -> ImportResult:
    try:
        loaded = apply_bundle(session, bundle, kinds=kinds, actor=actor, dry_run=dry_run)
    except BundleError as exc:
        raise _problems(exc) from None
    return ImportResult(
        article_id=bundle.document.article.id,
        dry_run=dry_run,
        changes=[
            ChangeSummary(kind=c.kind, id=c.id, operation=c.operation) for c in loaded.changes
        ],
    )
