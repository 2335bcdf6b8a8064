"""The synthetic corpus: valid facts, reproducible, searchable, ready to be queried fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.core.db import create_db_engine, migrate
from app.core.websearch import search_words
from app.models.article import Article
from app.models.evidence import EvidenceSpan
from app.models.quotation import Quotation
from app.quotations.search import quotation_matches
from app.synth.service import synthesize
from tests.databases import ScratchDatabases
from tests.quotations.test_search import assert_index_is_fts5s, fts5_ranking, walk
from tests.quotations.test_search_postgresql import (
    assert_exact,
    insert_trigger_enabled,
    stale_lexemes,
)
from tests.search_reference import full_text_matches

ARTICLES = 40
OTHER_LANGUAGES = 0.3  # a share of the articles, whose quotations are indexed unstemmed


@pytest.fixture(scope="module")
def corpus(backend: str, scratch_databases: ScratchDatabases) -> Iterator[Engine]:
    """A migrated scratch database holding a small synthetic corpus."""
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    synthesize(engine, ARTICLES, seed=7, batch_size=16, other_languages=OTHER_LANGUAGES)
    yield engine
    engine.dispose()


def test_every_evidence_span_is_inside_its_article_and_a_quotation_is_its_span(
    corpus: Engine,
) -> None:
    with Session(corpus) as session:
        rows = session.execute(select(Article.id, Article.text))
        texts = {row.id: row.text for row in rows}
        quotations = {q.id: q for q in session.scalars(select(Quotation))}
        spans = session.scalars(select(EvidenceSpan)).all()
    assert len(quotations) >= 5 * ARTICLES
    assert spans
    quoted = set()
    for span in spans:
        assert 0 <= span.start < span.end <= len(texts[span.article_id]), span
        if span.quotation_id is not None:
            quotation = quotations[span.quotation_id]
            if texts[span.article_id][span.start : span.end] == quotation.text:
                quoted.add(quotation.id)
    assert quoted == set(quotations)  # each quotation has a span that is exactly its text


def test_the_same_seed_writes_the_same_corpus(
    corpus: Engine, backend: str, scratch_databases: ScratchDatabases
) -> None:
    url = scratch_databases.create(backend)
    migrate(url)
    again = create_db_engine(url)
    try:
        synthesize(again, ARTICLES, seed=7, batch_size=16, other_languages=OTHER_LANGUAGES)
        statement = select(Quotation.id, Quotation.text, Quotation.speaker_id).order_by(
            Quotation.id
        )
        with Session(corpus) as first, Session(again) as second:
            assert first.execute(statement).all() == second.execute(statement).all()
    finally:
        again.dispose()


def test_every_quotation_of_the_corpus_is_in_the_search_index(corpus: Engine) -> None:
    """In its article's language: the reference's matches of a word, in English quotations
    and in the others."""
    with Session(corpus) as session:
        quotations = session.execute(
            select(Quotation.id, Quotation.text, Article.language).join(
                Article, Article.id == Quotation.article_id
            )
        ).all()
        assert {language for _, _, language in quotations} == {"en", "de", "pl", "ru", "und"}
        some = min(quotations).text
        word = max(search_words(some), key=len)
        matches = quotation_matches(session, word)
        assert matches is not None
        found = set(session.scalars(select(matches.c.quotation_id)))
    with_word = {id_ for id_, body, lang in quotations if full_text_matches(word, body, lang)}
    languages = {lang for id_, _, lang in quotations if id_ in with_word}
    assert "en" in languages
    assert len(languages) > 1
    assert found == with_word


def test_the_planner_has_what_it_needs_after_the_bulk_load(corpus: Engine, backend: str) -> None:
    with corpus.connect() as connection:
        if backend == "postgresql":
            analyzed = connection.execute(
                text(
                    "SELECT last_analyze IS NOT NULL AND last_vacuum IS NOT NULL"
                    " FROM pg_stat_user_tables WHERE relname = 'quotations'"
                )
            ).scalar()
            assert analyzed is True
        else:
            # No ANALYZE on SQLite: the plans tests/test_query_plans.py checks are made without
            # statistics, and sqlite_stat1 would let the planner choose others.
            stat_tables = connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).scalar()
            assert stat_tables == 0


def test_synth_gives_sqlite_its_own_page_cache_size_back(
    scratch_databases: ScratchDatabases,
) -> None:
    """Synth writes with a large page cache; the pooled connection it used keeps the size it
    had, so a process that synthesizes and then serves does not hold 256 MiB a connection."""
    url = scratch_databases.create("sqlite")
    migrate(url)
    engine = create_db_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        synthesize(engine, 3, seed=1)
        with engine.connect() as connection:
            after = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        assert after == before != -262144
    finally:
        engine.dispose()


def indexed_rows(session: Session) -> tuple[set[tuple[str, int, str]], set[tuple[str, str, int]]]:
    """Each quotation's FTS row (id, length, text indexed) and its repeats (id, term, count)."""
    rows = session.execute(
        text(
            "SELECT r.quotation_id, r.fts_rowid >> 32, f.text FROM quotations_fts AS f"
            " JOIN quotations_fts_rowids AS r ON r.fts_rowid = f.rowid"
        )
    ).all()
    repeats = session.execute(
        text(
            "SELECT r.quotation_id, p.term, p.count FROM quotations_fts_repeats AS p"
            " JOIN quotations_fts_rowids AS r ON r.fts_rowid = p.fts_rowid"
        )
    ).all()
    return {tuple(row) for row in rows}, {tuple(row) for row in repeats}


def test_the_corpus_is_indexed_as_the_insert_trigger_indexes_a_quotation(
    scratch_databases: ScratchDatabases,
) -> None:
    """Synth indexes its quotations in bulk (app.quotations.search.bulk_quotation_index): the
    index holds FTS5's lengths and repeats, the marked words of quotations not in English, the
    trigger's own rows (all indexed again by it, they are the same), a one-word search ranks as
    FTS5 does, and the trigger is back."""
    url = scratch_databases.create("sqlite")
    migrate(url)
    engine = create_db_engine(url)
    try:
        synthesize(engine, ARTICLES, seed=3, batch_size=16, other_languages=OTHER_LANGUAGES)
        with Session(engine) as session, session.begin():
            bulk = indexed_rows(session)
            assert any(body.endswith("zq0") for _, _, body in bulk[0])
            session.execute(text("UPDATE quotations SET text = text"))
            assert indexed_rows(session) == bulk

            session.execute(
                text(
                    "INSERT INTO quotations (id, article_id, speaker_id, text, kind)"
                    " SELECT 'after-synth', article_id, speaker_id, 'Gavo gavo.', 'direct'"
                    " FROM quotations LIMIT 1"
                )
            )
            assert_index_is_fts5s(session)
            texts = session.scalars(select(Quotation.text).order_by(Quotation.id).limit(3))
            for term in {word for body in texts for word in search_words(body)}:
                assert walk(session, term, 5) == fts5_ranking(session, term), term
    finally:
        engine.dispose()


def test_the_corpus_has_its_lexeme_ranks_on_postgresql(corpus: Engine, backend: str) -> None:
    """Synth's bulk load writes migration 0012's lexeme ranks on exit (its insert trigger off
    meanwhile): they are the quotations' own, one-word searches walk as ranking every match
    does, and the trigger is back for the next write."""
    if backend != "postgresql":
        pytest.skip("the lexeme ranks are PostgreSQL's")
    with Session(corpus) as session:  # closed uncommitted: the shared corpus is left alone
        assert session.scalar(text("SELECT count(*) FROM quotations_fts_lexemes"))
        texts = session.scalars(select(Quotation.text).order_by(Quotation.id).limit(2))
        words = sorted({word for body in texts for word in search_words(body)})
        assert_exact(session, words, limits=(5,))
        assert insert_trigger_enabled(session)
        session.execute(
            text(
                "INSERT INTO quotations (id, article_id, speaker_id, text, kind)"
                " SELECT 'after-synth', article_id, speaker_id, 'Gavo gavo.', 'direct'"
                " FROM quotations LIMIT 1"
            )
        )
        assert stale_lexemes(session) == 0
