"""Queries over articles."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, defer

from app.articles.schemas import (
    ArticleCreate,
    ArticleDetail,
    ArticleQuery,
    ArticleRead,
    ArticleUpdate,
)
from app.changes.service import ChangeTracker
from app.core import websearch
from app.core.dates import format_optional_date
from app.core.errors import NotFound
from app.core.pagination import Ordering, Page, SortKey, filter_scope, paginate, split_page
from app.evidence.service import delete_if_unsupported, facts_with_evidence_in
from app.models.article import Article
from app.writes.flows import invalid, require_absent

ARTICLE_ORDER = Ordering("articles:id", [SortKey(Article.id)])


def _read(article: Article) -> dict[str, object]:
    published = format_optional_date(article.published_on, article.published_precision)
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


def list_articles(session: Session, query: ArticleQuery) -> Page[ArticleRead]:
    """Articles in id order, optionally those whose title or text contains q."""
    q = query.q
    statement = select(Article).options(defer(Article.text))
    if q:
        searched = websearch.condition(
            q,
            lambda term: or_(
                Article.title.icontains(term.text, autoescape=True),
                Article.text.icontains(term.text, autoescape=True),
            ),
        )
        statement = statement.where(searched)
    scope = filter_scope(query)
    rows = session.scalars(
        paginate(statement, ARTICLE_ORDER, query.cursor, query.limit, scope)
    ).all()
    page, next_cursor = split_page(rows, ARTICLE_ORDER, query.limit, lambda a: [a.id], scope)
    return Page[ArticleRead](
        items=[ArticleRead.model_validate(_read(a)) for a in page], next_cursor=next_cursor
    )


def get_article(session: Session, article_id: str) -> ArticleDetail:
    """One article with its text; NotFound if there is none."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"No article with id {article_id!r}.")
    return ArticleDetail.model_validate({**_read(article), "text": article.text})


# --- writes --------------------------------------------------------------------------------


def _metadata(values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {
        k: values[k] for k in ("title", "language", "publisher", "url") if k in values
    }
    if "published" in values:
        published = values["published"]
        found["published_on"] = published.value if published else None
        found["published_precision"] = published.precision if published else None
    return found


def create_article(session: Session, data: ArticleCreate) -> None:
    """Insert an article, its text verbatim."""
    require_absent(session, Article, data.id)
    digest = hashlib.sha256(data.text.encode("utf-8")).hexdigest()
    if data.content_sha256 is not None and data.content_sha256 != digest:
        raise invalid("content_sha256", f"the text's sha256 is {digest}")
    values = _metadata({name: getattr(data, name) for name in type(data).model_fields})
    session.add(Article(id=data.id, text=data.text, content_sha256=digest, **values))
    session.flush()


def update_article(session: Session, article_id: str, data: ArticleUpdate) -> None:
    """Change the metadata the client sent."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"No article with id {article_id!r}.")
    for name, value in _metadata(data.changes()).items():
        setattr(article, name, value)
    session.flush()


def delete_article(session: Session, article_id: str, tracker: ChangeTracker) -> None:
    """Delete an article, its quotations and evidence, and facts left with no evidence."""
    supported = facts_with_evidence_in(session, article_id)
    session.execute(delete(Article).where(Article.id == article_id))
    session.flush()
    for kind, fact_id in sorted(supported):
        delete_if_unsupported(session, kind, fact_id, tracker)
