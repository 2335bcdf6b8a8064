"""Article endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import jsonld
from app.articles import service
from app.articles.kind import ARTICLE
from app.articles.schemas import (
    ArticleDetail,
    ArticleQuery,
    ArticleRead,
)
from app.core.pagination import Page, set_link_header
from app.http.dependencies import SessionDep
from app.http.routing import DETAIL_RESPONSES, LINK_HEADER, LIST_RESPONSES, DatabaseRoute, id_path
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/articles", tags=["articles"], route_class=DatabaseRoute)
ArticleId = Annotated[str, id_path("article", "lukashenka-putin-sochi-2018")]


@router.get(
    "",
    operation_id="listArticles",
    summary="List articles",
    description="Articles in id order, without their text. `q` keeps those whose title or text"
    " contains it, ignoring case.",
    responses={**LIST_RESPONSES, 200: {"headers": LINK_HEADER}},
)
def list_articles(
    request: Request,
    response: Response,
    session: SessionDep,
    query: Annotated[ArticleQuery, Query()],
) -> Page[ArticleRead]:
    page = service.list_articles(session, query)
    set_link_header(request, response, page.next_cursor)
    return page


@router.get(
    "/{article_id}",
    operation_id="getArticle",
    summary="Get an article with its text",
    description="The article's metadata and verbatim `text`; every evidence span's `start` and"
    " `end` index this text (Unicode code points).",
    response_model=ArticleDetail,
    responses={**DETAIL_RESPONSES, **jsonld.responses("NewsArticle")},
)
def get_article(
    request: Request, session: SessionDep, article_id: ArticleId, representation: jsonld.Negotiated
) -> ArticleDetail | Response:
    article = service.get_article(session, article_id)
    return jsonld.negotiated(request, session, representation, article, ARTICLE.jsonld)


add_write_routes(router, ARTICLE.writes)
