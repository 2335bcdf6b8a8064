"""HTML pages: GET /articles/{id}, an article with its evidence highlighted (not in the API)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.errors import PROBLEM_MEDIA_TYPE, NotFound
from app.http.dependencies import SessionDep
from app.http.negotiation import choose_media_type
from app.http.routing import DatabaseRoute
from app.pages import service

PAGES_STATIC = "/static/pages"
_HERE = Path(__file__).parent
templates = Jinja2Templates(directory=_HERE / "templates")
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

router = APIRouter(include_in_schema=False, route_class=DatabaseRoute)

_JSON_TYPES = ("application/json", PROBLEM_MEDIA_TYPE)
_OFFERED = ("text/html", *_JSON_TYPES)  # in the server's order: HTML first


def mount_page_assets(app: FastAPI) -> None:
    """Serve the pages' stylesheet and script under /static/pages/."""
    app.mount(PAGES_STATIC, StaticFiles(directory=_HERE / "static"), name="pages-static")


def prefers_json(accept: str | None) -> bool:
    """Whether the client asks for JSON rather than HTML (no Accept header, a tie, or neither
    acceptable: HTML)."""
    return choose_media_type(accept, _OFFERED) in _JSON_TYPES


@router.get("/articles/{article_id}")
async def article_page(
    request: Request,
    session: SessionDep,
    article_id: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The article's text with its evidence spans highlighted (at most NEWSFACTS_PAGE_MAX_SPANS
    of them: `?page=N` shows the next ones), their facts and the agenda; built and rendered in a
    worker thread, never on the event loop, however large the article."""
    return await run_in_threadpool(_article_page, request, session, article_id, page)


def _article_page(request: Request, session: Session, article_id: str, page: int) -> Response:
    root = str(request.scope.get("root_path", "")).rstrip("/")
    max_spans = request.app.state.settings.page_max_spans
    try:
        view = service.get_article_page(
            session, request.app.state.kinds, article_id, page, max_spans
        )
    except NotFound as error:
        if prefers_json(request.headers.get("accept")):
            raise  # rendered as problem+json, like every API error
        return templates.TemplateResponse(
            request,
            "not_found.html",
            {"root": root, "article_id": article_id, "detail": error.detail},
            status_code=404,
            headers={"Cache-Control": "no-store", "Vary": "Accept"},
        )
    # The template renders as the response is made: here, in the worker thread.
    return templates.TemplateResponse(
        request, "article.html", {"root": root, "page": view}, headers={"Vary": "Accept"}
    )
