"""The synthetic corpus: valid facts, reproducible, searchable, ready to be queried fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.core.db import create_db_engine, migrate
from app.core.porter import porter_stem
from app.models.article import Article
from app.models.evidence import EvidenceSpan
from app.models.quotation import Quotation
from app.quotations.search import quotation_matches, search_words
from app.synth.service import synthesize
from tests.databases import ScratchDatabases
from tests.quotations.test_search import assert_index_is_fts5s, fts5_ranking, walk

ARTICLES = 40


@pytest.fixture(scope="module")
def corpus(backend: str, scratch_databases: ScratchDatabases) -> Iterator[Engine]:
    """A migrated scratch database holding a small synthetic corpus."""
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    synthesize(engine, ARTICLES, seed=7, batch_size=16)
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
        synthesize(again, ARTICLES, seed=7, batch_size=16)
        statement = select(Quotation.id, Quotation.text, Quotation.speaker_id).order_by(
            Quotation.id
        )
        with Session(corpus) as first, Session(again) as second:
            assert first.execute(statement).all() == second.execute(statement).all()
    finally:
        again.dispose()


def test_every_quotation_of_the_corpus_is_in_the_search_index(corpus: Engine) -> None:
    with Session(corpus) as session:
        some = session.scalars(select(Quotation.text).order_by(Quotation.id).limit(1)).one()
        word = max(search_words(some), key=len)
        matches = quotation_matches(session, word)
        assert matches is not None
        found = set(session.scalars(select(matches.c.quotation_id)))
        with_word = {
            id_
            for id_, body in session.execute(select(Quotation.id, Quotation.text))
            if porter_stem(word) in {porter_stem(w) for w in search_words(body)}
        }
    assert len(with_word) > 1
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


def test_the_corpus_is_indexed_as_the_insert_trigger_indexes_a_quotation(
    scratch_databases: ScratchDatabases,
) -> None:
    """Synth indexes its quotations in bulk (app.quotations.search.bulk_quotation_index): the
    index holds FTS5's lengths and repeats, a one-word search ranks as FTS5 does, and the trigger
    is back."""
    url = scratch_databases.create("sqlite")
    migrate(url)
    engine = create_db_engine(url)
    try:
        synthesize(engine, ARTICLES, seed=3, batch_size=16)
        with Session(engine) as session, session.begin():
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
