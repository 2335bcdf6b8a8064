"""Quotations of articles in other languages than the seed's English, for the search tests."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models.article import Article

SEED_ARTICLE = "lukashenka-putin-sochi-2018"
SPEAKER = "alyaksandr-lukashenka"
# Articles the tests add: their quotations are found word for word, never by stems.
GERMAN = "german-article"
POLISH = "polish-article"
UNDETERMINED = "undetermined-article"
LANGUAGES = {SEED_ARTICLE: "en", GERMAN: "de", POLISH: "pl", UNDETERMINED: "und"}


def add_article(session: Session, article_id: str, language: str | None = None) -> None:
    """An article (one of LANGUAGES unless `language` is given), unless it is there already."""
    if session.get(Article, article_id) is None:
        session.add(
            Article(
                id=article_id,
                title=f"An article in {language or LANGUAGES[article_id]}",
                text="Its text.",
                language=language or LANGUAGES[article_id],
                content_sha256="0" * 64,
            )
        )
        session.flush()


def add_quotation(session: Session, quotation_id: str, words: str, article: str) -> None:
    """A quotation of the article by the seed's Lukashenka, written past the ORM (as a client
    of the database would): the triggers index it."""
    add_article(session, article)
    session.execute(
        text(
            "INSERT INTO quotations (id, article_id, speaker_id, text, kind)"
            " VALUES (:id, :article, :speaker, :text, 'direct')"
        ),
        {"id": quotation_id, "article": article, "speaker": SPEAKER, "text": words},
    )
