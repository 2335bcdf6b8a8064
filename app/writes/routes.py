"""POST, PATCH and DELETE for each kind of record, built the same way for every kind.

(No `from __future__ import annotations` here: FastAPI reads the endpoint annotations, which
name each kind's own schemas, at runtime.)"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.auth.dependencies import WriterDep
from app.changes.service import ChangeTracker
from app.core.errors import problem_responses
from app.core.text import SLUG_PATTERN
from app.http.dependencies import SessionDep
from app.models.kind import RecordKind
from app.writes import flows

CREATE_RESPONSES = problem_responses(400, 401, 403, 409, 413, 415, 422, 500, 503)
UPDATE_RESPONSES = problem_responses(400, 401, 403, 404, 412, 413, 415, 422, 428, 500, 503)
DELETE_RESPONSES = problem_responses(401, 403, 404, 409, 412, 422, 428, 500, 503)
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes a retried POST safe: a retry with the same key and body returns the"
    " first response and creates nothing twice; the same key with another body is a 422.",
    "schema": {"type": "string", "maxLength": 200},
}


@dataclass(frozen=True)
class WriteSpec:
    """What the write routes of one kind need to know (part of the kind's registry entry)."""

    kind: RecordKind
    create_model: type[BaseModel]
    update_model: type[BaseModel]
    read_model: type[BaseModel]
    create: Callable[[Session, Any], None]
    update: Callable[[Session, str, Any], None]
    delete: Callable[[Session, str, ChangeTracker], None]
    read: Callable[[Session, str], BaseModel]

    @property
    def title(self) -> str:
        """The kind, for people: e.g. `participant`."""
        return self.kind.value

    @property
    def operation(self) -> str:
        """The operationId suffix, e.g. `Participant`."""
        return self.title.title().replace(" ", "")

    @property
    def id_param(self) -> str:
        """The path parameter naming the record, as in the kind's GET route."""
        return f"{self.kind.value}_id"


def untracked(
    delete: Callable[[Session, str], None],
) -> Callable[[Session, str, ChangeTracker], None]:
    """A kind's delete that needs no change tracker: what it takes with it is what the kind's
    dependents say, tracked before it runs."""
    # A partial of a module-level function, not a closure: the registry pickles (a bundle is
    # checked in a worker process, app.imports.parsing).
    deleter: Callable[[Session, str, ChangeTracker], None] = functools.partial(
        _without_tracker, delete
    )
    return deleter


def _without_tracker(
    delete: Callable[[Session, str], None],
    session: Session,
    record_id: str,
    _tracker: ChangeTracker,
) -> None:
    delete(session, record_id)


def _links(spec: WriteSpec) -> dict[str, Any]:
    """OpenAPI links from a created record to reading, changing and deleting it."""
    by_id = {spec.id_param: "$response.body#/id"}
    with_etag = {**by_id, "header.If-Match": "$response.header.ETag"}
    return {
        f"Get{spec.operation}": {"operationId": f"get{spec.operation}", "parameters": by_id},
        f"Update{spec.operation}": {
            "operationId": f"update{spec.operation}",
            "parameters": with_etag,
        },
        f"Delete{spec.operation}": {
            "operationId": f"delete{spec.operation}",
            "parameters": with_etag,
        },
    }


def _record_id_path(spec: WriteSpec) -> Any:
    """The path parameter naming the record, as in the kind's GET route."""
    return Annotated[
        str,
        Path(
            alias=spec.id_param,
            description=f"The {spec.title}'s id.",
            pattern=SLUG_PATTERN,
            max_length=100,
        ),
    ]


def _create_endpoint(spec: WriteSpec, prefix: str) -> Callable[..., Response]:
    create_model: Any = spec.create_model

    def create_record(
        request: Request,
        session: SessionDep,
        principal: WriterDep,
        _json: Annotated[None, Depends(flows.require_json)],
        payload: create_model,
    ) -> Response:
        record_id = payload.id
        return flows.create(
            request,
            session,
            request.app.state.kinds,
            principal,
            payload,
            spec.kind,
            record_id,
            apply=lambda: spec.create(session, payload),
            read=lambda: spec.read(session, record_id),
            location=f"{prefix}/{record_id}",
        )

    return create_record


def _update_endpoint(spec: WriteSpec) -> Callable[..., Response]:
    record_id_path: Any = _record_id_path(spec)
    update_model: Any = spec.update_model

    def update_record(
        request: Request,
        session: SessionDep,
        principal: WriterDep,
        _json: Annotated[None, Depends(flows.require_json)],
        record_id: record_id_path,
        payload: update_model,
        if_match: flows.IfMatch = None,
    ) -> Response:
        return flows.update(
            session,
            request.app.state.kinds,
            principal,
            spec.kind,
            record_id,
            if_match,
            read=lambda: spec.read(session, record_id),
            apply=lambda: spec.update(session, record_id, payload),
            payload=payload,
        )

    return update_record


def _delete_endpoint(spec: WriteSpec) -> Callable[..., Response]:
    record_id_path: Any = _record_id_path(spec)

    def delete_record(
        request: Request,
        session: SessionDep,
        principal: WriterDep,
        record_id: record_id_path,
        if_match: flows.IfMatch = None,
        cascade: Annotated[
            bool,
            Query(
                description="Also delete what depends on it (e.g. a participant's quotations)"
                " and detach what merely refers to it; without it, a referenced record is a 409."
            ),
        ] = False,
    ) -> Response:
        return flows.remove(
            session,
            request.app.state.kinds,
            principal,
            spec.kind,
            record_id,
            if_match,
            cascade,
            read=lambda: spec.read(session, record_id),
            apply=lambda tracker: spec.delete(session, record_id, tracker),
        )

    return delete_record


def add_write_routes(router: APIRouter, spec: WriteSpec) -> None:
    """Add POST (create), PATCH /{id} (update) and DELETE /{id} to a kind's router."""
    name = spec.operation
    router.add_api_route(
        "",
        _create_endpoint(spec, router.prefix),
        methods=["POST"],
        status_code=201,
        response_model=spec.read_model,
        operation_id=f"create{name}",
        summary=f"Create a {spec.title}",
        description=f"Create a {spec.title} (write scope). Evidence spans are given as verbatim"
        " text (plus `occurrence` when it repeats) or as offsets, and must match the article."
        " Answers 201 with the new representation, its ETag and Location.",
        responses={
            **CREATE_RESPONSES,
            201: {
                "headers": {"Location": {"schema": {"type": "string"}}},
                "links": _links(spec),
            },
        },
        openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
    )
    router.add_api_route(
        f"/{{{spec.id_param}}}",
        _update_endpoint(spec),
        methods=["PATCH"],
        response_model=spec.read_model,
        operation_id=f"update{name}",
        summary=f"Update a {spec.title}",
        description=f"Change some fields of a {spec.title} (write scope). Needs If-Match with"
        " the ETag of your last read: 428 without it, 412 if someone changed it since. Lists"
        " in the body replace the stored list; `null` clears an optional field.",
        responses=UPDATE_RESPONSES,
    )
    router.add_api_route(
        f"/{{{spec.id_param}}}",
        _delete_endpoint(spec),
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        operation_id=f"delete{name}",
        summary=f"Delete a {spec.title}",
        description=f"Delete a {spec.title} (write scope), with If-Match like PATCH. A"
        " record others still refer to is a 409 unless `cascade=true`.",
        responses={**DELETE_RESPONSES, 204: {"description": "Deleted."}},
    )
