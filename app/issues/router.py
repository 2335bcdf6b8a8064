"""Agenda issue endpoints."""

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
from app.issues import service
from app.issues.kind import ISSUE
from app.issues.schemas import IssueQuery, IssueRead
from app.quotations.related import add_related_quotations_route
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/issues", tags=["issues"], route_class=DatabaseRoute)
IssueId = Annotated[str, id_path("issue", "food-supplies-to-russia")]


@router.get(
    "",
    operation_id="listIssues",
    summary="List agenda issues",
    description="Topics that were, or will be, raised at events, in id order, each with the"
    " events whose agenda holds it.",
    responses={**LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
)
def list_issues(
    request: Request,
    response: Response,
    session: SessionDep,
    query: Annotated[IssueQuery, Query()],
) -> Page[IssueRead]:
    page = service.list_issues(session, query)
    set_link_header(request, response, page.next_cursor)
    return page


@router.get(
    "/{issue_id}",
    operation_id="getIssue",
    summary="Get an agenda issue",
    description="One issue with its agenda entries and evidence.",
    response_model=IssueRead,
    responses={**DETAIL_RESPONSES, **jsonld.responses("Thing")},
)
def get_issue(
    request: Request, session: SessionDep, issue_id: IssueId, representation: jsonld.Negotiated
) -> IssueRead | Response:
    issue = service.get_issue(session, issue_id)
    return jsonld.negotiated(request, session, representation, issue, ISSUE.jsonld)


add_related_quotations_route(
    router,
    kind="issue",
    example="food-supplies-to-russia",
    fixed_filter="issue",
    require=service.require_issue,
    operation_id="listIssueQuotations",
    summary="List quotations on an issue",
    description="What was said on this issue: the quotation list with `issue` fixed; every"
    " other filter, sort and paging parameter of `listQuotations` applies.",
)


add_write_routes(router, ISSUE.writes)
