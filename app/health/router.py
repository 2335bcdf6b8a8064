"""Health endpoints for load balancers and orchestrators, and problem type documentation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from app.core.errors import PROBLEM_TYPES, NotFound, problem_responses
from app.health import service
from app.http.routing import DatabaseRoute

router = APIRouter(tags=["health"], route_class=DatabaseRoute)


class Health(BaseModel):
    """The service is alive."""

    status: str = "ok"


class ReplicaReadiness(BaseModel):
    """A read replica as just checked; only `ok` ones serve reads."""

    name: str = Field(description="`replica-N`: the Nth of NEWSFACTS_DATABASE_REPLICA_URLS.")
    status: Literal["ok", "lagging", "down", "promoted"] = Field(
        description="ok; lagging: replay further behind than NEWSFACTS_REPLICA_MAX_LAG_S;"
        " down: does not answer (or has no newsfacts schema); promoted: no longer a replica."
    )
    lag_s: float | None = Field(description="Seconds its replay is behind; null when down.")
    generation: int | None = Field(
        description="The write generation it has replayed; null when down."
    )


class Readiness(BaseModel):
    """The service can serve: the database answers and is at this code's migration."""

    status: str = "ready"
    database_revision: str
    replicas: list[ReplicaReadiness] = Field(
        default=[], description="Each configured read replica (none: reads use the primary)."
    )


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
    " file is the one opened and writable); 503 otherwise. Each read replica is checked too"
    " and reported; one that is down or lagging is skipped by reads, and the service stays"
    " ready on its primary.",
    responses=problem_responses(500, 503),
)
def readyz(request: Request, response: Response) -> Readiness:
    revision = service.check_ready(request.app.state.engine)
    response.headers.update(NO_STORE)
    replicas = [
        ReplicaReadiness(
            name=replica.name,
            status=state.status,
            lag_s=state.lag_s,
            generation=state.generation,
        )
        for replica, state in zip(
            request.app.state.replicas.replicas, request.app.state.replicas.check(), strict=True
        )
    ]
    return Readiness(database_revision=revision, replicas=replicas)


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
