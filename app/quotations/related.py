"""The quotation list under another resource (`/participants/{id}/quotations`, ...).

(No `from __future__ import annotations`: FastAPI reads the endpoint's annotations, which
name this call's own path parameter, at runtime.)"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session

from app.core.pagination import Page
from app.core.text import SLUG_PATTERN
from app.http.dependencies import SessionDep
from app.http.routing import LINK_HEADER, RELATED_LIST_RESPONSES
from app.quotations import service
from app.quotations.schemas import QuotationQuery, QuotationRead


def add_related_quotations_route(
    router: APIRouter,
    *,
    kind: str,
    example: str,
    fixed_filter: str,
    require: Callable[[Session, str], None],
    operation_id: str,
    summary: str,
    description: str,
) -> None:
    """Add GET /{<kind>_id}/quotations: the quotation list with one filter fixed by the path."""
    parameter = f"{kind}_id"
    record_id_path = Annotated[
        str,
        Path(
            alias=parameter,
            description=f"The {kind}'s id (a lower-case slug).",
            pattern=SLUG_PATTERN,
            max_length=100,
            examples=[example],
        ),
    ]

    def list_related_quotations(
        request: Request,
        session: SessionDep,
        record_id: record_id_path,
        query: Annotated[QuotationQuery, Query()],
    ) -> Response:
        require(session, record_id)
        page = service.list_quotations(session, query, **{fixed_filter: record_id})
        return page.response(request)

    router.add_api_route(
        f"/{{{parameter}}}/quotations",
        list_related_quotations,
        methods=["GET"],
        operation_id=operation_id,
        summary=summary,
        description=description,
        response_model=Page[QuotationRead],
        responses={**RELATED_LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
    )
