"""The article's registry entry (app.kinds): its canonical state, dependents, CSV columns,
JSON-LD node and write routes. An article is what evidence points into, not a fact: it has no
bundle section (it heads every bundle) and no view on its own page."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.articles import service
from app.articles.jsonld import article_node
from app.articles.schemas import ArticleCreate, ArticleDetail, ArticleUpdate
from app.changes.service import State, partial_date
from app.models.article import Article
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.kind import RecordKind
from app.models.quotation import Quotation
from app.spec import KindSpec
from app.writes.routes import WriteSpec


def article_states(session: Session, ids: list[str]) -> dict[str, State]:
    """The canonical state of each article: its metadata and verbatim text (one query)."""
    return {
        a.id: {
            "id": a.id,
            "title": a.title,
            "language": a.language,
            "publisher": a.publisher,
            "url": a.url,
            "published_on": partial_date(a.published_on, a.published_precision),
            "content_sha256": a.content_sha256,
            "text": a.text,
        }
        for a in session.scalars(select(Article).where(Article.id.in_(ids)))
    }


def article_dependents(session: Session, article_id: str) -> dict[RecordKind, set[str]]:
    """Its quotations, and every fact with evidence in it."""
    found: dict[RecordKind, set[str]] = defaultdict(set)
    found[RecordKind.QUOTATION].update(
        session.scalars(select(Quotation.id).where(Quotation.article_id == article_id))
    )
    for target, column in EVIDENCE_COLUMNS.items():
        found[target].update(
            session.scalars(
                select(column).where(EvidenceSpan.article_id == article_id, column.is_not(None))
            )
        )
    return found


ARTICLE = KindSpec(
    kind=RecordKind.ARTICLE,
    model=Article,
    states=article_states,
    dependents=article_dependents,
    jsonld=article_node,
    writes=WriteSpec(
        kind=RecordKind.ARTICLE,
        create_model=ArticleCreate,
        update_model=ArticleUpdate,
        read_model=ArticleDetail,
        create=service.create_article,
        update=service.update_article,
        delete=service.delete_article,
        read=service.get_article,
    ),
    csv_columns=(
        "id",
        "title",
        "language",
        "publisher",
        "url",
        "published_on",
        "content_sha256",
        "text",
    ),
    csv_items={},
)
