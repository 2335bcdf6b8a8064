"""Health endpoints for load balancers and orchestrators, and problem type documentation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel

from app.core.errors import PROBLEM_TYPES, NotFound, problem_responses
from app.health import service
from app.http.routing import DatabaseRoute

router = APIRouter(tags=["health"], route_class=DatabaseRoute)


class Health(BaseModel):
    """The service is alive."""

    status: str = "ok"


class Readiness(BaseModel):
    """The service can serve: the database answers and is at this code's migration."""

    status: str = "ready"
    database_revision: str


class ProblemType(BaseModel):
    """What a problem `type` means."""

    type: str
    title: str
    description: str


NO_STORE = {"Cache-Control": "no-store"}


@router.get(
    "/healthz",
    operation_id="getHealth",
    summary="Liveness",
    description="200 while the process is up; does not touch the database.",
    responses=problem_responses(500),
)
def healthz(response: Response) -> Health:
    response.headers.update(NO_STORE)
    return Health()


@router.get(
    "/readyz",
    operation_id="getReadiness",
    summary="Readiness",
    description="200 when the database is reachable and migrated to head (and, on SQLite, its"
    " file is the one opened and writable); 503 otherwise.",
    responses=problem_responses(500, 503),
)
def readyz(request: Request, response: Response) -> Readiness:
    revision = service.check_ready(request.app.state.engine)
    response.headers.update(NO_STORE)
    return Readiness(database_revision=revision)


@router.get(
    "/problems/{slug}",
    operation_id="getProblemType",
    summary="Describe a problem type",
    description="Documentation of a problem `type` URI returned in error responses.",
    responses=problem_responses(404, 422, 500),
)
def problem_type(
    slug: Annotated[
        str,
        Path(
            description="The last segment of a problem `type`.",
            pattern=r"^[a-z-]{1,50}$",
            examples=["invalid-cursor"],
        ),
    ],
) -> ProblemType:
    if slug not in PROBLEM_TYPES:
        raise NotFound(f"No problem type {slug!r}.")
    title, description = PROBLEM_TYPES[slug]
    return ProblemType(type=f"/problems/{slug}", title=title, description=description)
