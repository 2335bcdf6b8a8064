"""Quotation endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import jsonld
from app.core.pagination import Page
from app.http.dependencies import SessionDep
from app.http.routing import DETAIL_RESPONSES, LINK_HEADER, LIST_RESPONSES, DatabaseRoute, id_path
from app.quotations import service
from app.quotations.kind import QUOTATION
from app.quotations.schemas import (
    QuotationQuery,
    QuotationRead,
)
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/quotations", tags=["quotations"], route_class=DatabaseRoute)
QuotationId = Annotated[str, id_path("quotation", "lukashenka-good-relations-with-putin")]

QUOTATION_LIST_DESCRIPTION = (
    "Quotations with their speaker, date, occasion, audience, issues and evidence. Filters"
    " combine; a filter naming an id that does not exist gives an empty list. Ordered by id,"
    " by `said_on` with `sort`, or best match first with `q`."
)


@router.get(
    "",
    operation_id="listQuotations",
    summary="List quotations",
    description=QUOTATION_LIST_DESCRIPTION,
    response_model=Page[QuotationRead],
    responses={**LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
)
def list_quotations(
    request: Request,
    session: SessionDep,
    query: Annotated[QuotationQuery, Query()],
) -> Response:
    # The items come rendered as JSON by the database (app.core.sqljson): served as they are.
    return service.list_quotations(session, query).response(request)


@router.get(
    "/{quotation_id}",
    operation_id="getQuotation",
    summary="Get a quotation",
    description="One quotation with its evidence: one span is exactly its text.",
    response_model=QuotationRead,
    responses={**DETAIL_RESPONSES, **jsonld.responses("Quotation")},
)
def get_quotation(
    request: Request,
    session: SessionDep,
    quotation_id: QuotationId,
    representation: jsonld.Negotiated,
) -> QuotationRead | Response:
    quotation = service.get_quotation(session, quotation_id)
    return jsonld.negotiated(request, session, representation, quotation, QUOTATION.jsonld)


add_write_routes(router, QUOTATION.writes)
