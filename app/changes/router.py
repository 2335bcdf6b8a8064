"""The change feed: every write, in commit order, to mirror the data incrementally."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.auth.service import Scope, authenticate, key_actor_ids
from app.changes import service
from app.changes.schemas import ChangeQuery, ChangeRead
from app.core.pagination import Page, set_link_header
from app.http.dependencies import SessionDep
from app.http.routing import LINK_HEADER, LIST_RESPONSES, DatabaseRoute

router = APIRouter(prefix="/v1/changes", tags=["changes"], route_class=DatabaseRoute)


@router.get(
    "",
    operation_id="listChanges",
    summary="Follow the change feed",
    description="Records created, updated and deleted (tombstones: `after` is null), in commit"
    " order, with their canonical state before and after. Start without `since`, then pass the"
    " last change's `cursor` (or `next_cursor`) as `since` to read only what is new.",
    responses={**LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
)
def list_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    query: Annotated[ChangeQuery, Query()],
) -> Page[ChangeRead]:
    page = service.list_changes(session, query)
    if not _reader_is_admin(request, session):
        # Curators' key names are for administrators; others see each key's id instead.
        ids = key_actor_ids(session, {change.actor for change in page.items})
        for change in page.items:
            change.actor = ids.get(change.actor, change.actor)
    set_link_header(request, response, page.next_cursor, parameter="since")
    response.headers["Cache-Control"] = "no-cache"
    return page


def _reader_is_admin(request: Request, session: SessionDep) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    principal = authenticate(session, token.strip())
    return principal is not None and principal.allows(Scope.ADMIN)
