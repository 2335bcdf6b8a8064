"""Event endpoints, including the agenda: which issues will be raised."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import jsonld
from app.core.pagination import Page, set_link_header
from app.events import service
from app.events.kind import EVENT
from app.events.schemas import AgendaRead, EventQuery, EventRead
from app.http.dependencies import SessionDep
from app.http.routing import (
    DETAIL_RESPONSES,
    LINK_HEADER,
    LIST_RESPONSES,
    DatabaseRoute,
    id_path,
)
from app.quotations.related import add_related_quotations_route
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/events", tags=["events"], route_class=DatabaseRoute)
EventId = Annotated[str, id_path("event", "lukashenka-putin-meeting-2018")]


@router.get(
    "",
    operation_id="listEvents",
    summary="List events",
    description="Summits, meetings, visits, elections and other events with their status,"
    " date and precision, location, participants and agenda issue ids. Ordered by id, or by"
    " date with `sort`.",
    responses={**LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
)
def list_events(
    request: Request,
    response: Response,
    session: SessionDep,
    query: Annotated[EventQuery, Query()],
) -> Page[EventRead]:
    page = service.list_events(session, query)
    set_link_header(request, response, page.next_cursor)
    return page


@router.get(
    "/{event_id}",
    operation_id="getEvent",
    summary="Get an event",
    description="One event with its participants and roles, agenda issue ids and evidence.",
    response_model=EventRead,
    responses={**DETAIL_RESPONSES, **jsonld.responses("Event")},
)
def get_event(
    request: Request, session: SessionDep, event_id: EventId, representation: jsonld.Negotiated
) -> EventRead | Response:
    event = service.get_event(session, event_id)
    return jsonld.negotiated(request, session, representation, event, EVENT.jsonld)


@router.get(
    "/{event_id}/agenda",
    operation_id="getEventAgenda",
    summary="Get an event's agenda",
    description="Which issues were, or will be, raised at the event: each agenda issue with"
    " its status (`expected`, `raised`, `discussed`) and the quotations on it, with evidence.",
    response_model=AgendaRead,
    responses=DETAIL_RESPONSES,
)
def get_event_agenda(
    session: SessionDep,
    event_id: EventId,
    quotations_per_issue: Annotated[
        int,
        Query(ge=0, le=50, description="How many quotations to include per issue (0 to 50)."),
    ] = 10,
) -> Response:
    # Assembled from JSON the database rendered (app.core.sqljson): served as it is.
    return service.get_agenda(session, event_id, quotations_per_issue).response()


add_related_quotations_route(
    router,
    kind="event",
    example="lukashenka-putin-meeting-2018",
    fixed_filter="event",
    require=service.require_event,
    operation_id="listEventQuotations",
    summary="List quotations said at an event",
    description="The quotation list with `event` fixed; every other filter, sort and paging"
    " parameter of `listQuotations` applies.",
)


add_write_routes(router, EVENT.writes)
