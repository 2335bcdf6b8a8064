"""HTML pages: GET /articles/{id}, an article with its evidence highlighted (not in the API)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

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
def article_page(request: Request, session: SessionDep, article_id: str) -> Response:
    """The article's text with every evidence span highlighted, its facts and its agenda."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    try:
        page = service.get_article_page(session, request.app.state.kinds, article_id)
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
    return templates.TemplateResponse(
        request, "article.html", {"root": root, "page": page}, headers={"Vary": "Accept"}
    )
