"""Participant endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import jsonld
from app.core.pagination import Page, set_link_header
from app.http.dependencies import SessionDep
from app.http.routing import (
    DETAIL_RESPONSES,
    LINK_HEADER,
    LIST_RESPONSES,
    DatabaseRoute,
    id_path,
)
from app.participants import service
from app.participants.kind import PARTICIPANT
from app.participants.schemas import (
    ParticipantQuery,
    ParticipantRead,
)
from app.quotations.related import add_related_quotations_route
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/participants", tags=["participants"], route_class=DatabaseRoute)
ParticipantId = Annotated[str, id_path("participant", "alyaksandr-lukashenka")]


@router.get(
    "",
    operation_id="listParticipants",
    summary="List participants",
    description="People, organizations, countries and groups, in id order. `q` matches the"
    " name or any alias, in any script, ignoring case and diacritics.",
    responses={**LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
)
def list_participants(
    request: Request,
    response: Response,
    session: SessionDep,
    query: Annotated[ParticipantQuery, Query()],
) -> Page[ParticipantRead]:
    page = service.list_participants(session, query)
    set_link_header(request, response, page.next_cursor)
    return page


@router.get(
    "/{participant_id}",
    operation_id="getParticipant",
    summary="Get a participant",
    description="One participant with aliases, affiliation, external ids and evidence.",
    response_model=ParticipantRead,
    responses={**DETAIL_RESPONSES, **jsonld.responses("Person, Organization or Country")},
)
def get_participant(
    request: Request,
    session: SessionDep,
    participant_id: ParticipantId,
    representation: jsonld.Negotiated,
) -> ParticipantRead | Response:
    participant = service.get_participant(session, participant_id)
    return jsonld.negotiated(request, session, representation, participant, PARTICIPANT.jsonld)


add_related_quotations_route(
    router,
    kind="participant",
    example="alyaksandr-lukashenka",
    fixed_filter="speaker",
    require=service.require_participant,
    operation_id="listParticipantQuotations",
    summary="List a participant's quotations",
    description="What this participant said: the quotation list with `speaker` fixed; every"
    " other filter, sort and paging parameter of `listQuotations` applies.",
)


add_write_routes(router, PARTICIPANT.writes)
