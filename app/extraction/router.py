"""`POST /v1/extractions`: draft the quotations of an article; nothing is written."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from app.core.errors import problem_responses
from app.extraction import service
from app.extraction.schemas import ExtractionRequest, ExtractionResult
from app.http.dependencies import SessionDep
from app.http.routing import ReadOnlyRoute
from app.writes.flows import require_json

router = APIRouter(prefix="/v1/extractions", tags=["extractions"], route_class=ReadOnlyRoute)

REQUEST_EXAMPLES: dict[str, Any] = {
    "text": {
        "summary": "A text",
        "description": "Any English article's text, with its publication date if known.",
        "value": {
            "text": "“We will build it,” Ann Marsh said. “And they will pay for it.”"
            "\nShe told reporters the wall would be finished in March.",
            "language": "en",
            "published": "2016-10-12",
        },
    },
    "article": {
        "summary": "A stored article",
        "description": "Its text, language and publication date are the stored ones.",
        "value": {"article_id": "lukashenka-putin-sochi-2018"},
    },
}


@router.post(
    "",
    operation_id="extractQuotations",
    response_model=ExtractionResult,
    summary="Draft the quotations of an article",
    description="Proposes every quotation of an article (direct, partial and reported speech)"
    " with exact code-point spans (`text == article[start:end]`), its speaker (resolved through"
    " the text and the stored participants' names, aliases and titles), its cue, and when it"
    " was said, for a curator to review and load as a bundle (`newsfacts extract` writes one)."
    " Send a text or a stored article's id. English only. Nothing is written: the answer is a"
    " draft. A text over 200,000 characters, a language other than `en`, or control characters"
    " other than line breaks and tabs are refused with 422.",
    responses=problem_responses(400, 404, 413, 415, 422, 500, 503),
)
async def extract_quotations(
    request: Request,
    session: SessionDep,
    _json: Annotated[None, Depends(require_json)],
    body: Annotated[ExtractionRequest, Body(openapi_examples=REQUEST_EXAMPLES)],
) -> ExtractionResult:
    timeout_s: float = request.app.state.settings.extraction_timeout_s
    return await service.extract_quotations(session, body, timeout_s=timeout_s)
