"""Queries over articles."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, defer

from app.articles.models import Article
from app.articles.schemas import ArticleDetail, ArticleRead
from app.dates import format_partial_date
from app.errors import NotFound
from app.pagination import Ordering, Page, SortKey, paginate, split_page

ARTICLE_ORDER = Ordering("id", [SortKey(Article.id)])


def _read(article: Article) -> dict[str, object]:
    published = (
        format_partial_date(article.published_on, article.published_precision)
        if article.published_on is not None and article.published_precision is not None
        else None
    )
    return {
        "id": article.id,
        "title": article.title,
        "language": article.language,
        "publisher": article.publisher,
        "url": article.url,
        "published_on": published,
        "published_precision": article.published_precision,
        "content_sha256": article.content_sha256,
    }


def list_articles(
    session: Session, *, q: str | None, cursor: str | None, limit: int
) -> Page[ArticleRead]:
    """Articles in id order, optionally those whose title or text contains q."""
    statement = select(Article).options(defer(Article.text))
    if q:
        statement = statement.where(
            or_(
                Article.title.icontains(q, autoescape=True),
                Article.text.icontains(q, autoescape=True),
            )
        )
    rows = session.scalars(paginate(statement, ARTICLE_ORDER, cursor, limit)).all()
    page, next_cursor = split_page(rows, ARTICLE_ORDER, limit, lambda a: [a.id])
    return Page[ArticleRead](
        items=[ArticleRead.model_validate(_read(a)) for a in page], next_cursor=next_cursor
    )


def get_article(session: Session, article_id: str) -> ArticleDetail:
    """One article with its text; NotFound if there is none."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"No article with id {article_id!r}.")
    return ArticleDetail.model_validate({**_read(article), "text": article.text})
