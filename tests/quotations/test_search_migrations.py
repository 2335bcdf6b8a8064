"""Migrations 0009 (stemmed index), 0010 (name keys), 0011 (stemming by the article's
language) and 0012 (PostgreSQL's lexeme ranks) on data already there, both ways."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.db import alembic_config, create_db_engine
from app.kinds import KINDS
from app.quotations.search import quotation_matches
from tests.databases import ScratchDatabases
from tests.quotations.languages import GERMAN, UNDETERMINED, add_quotation
from tests.quotations.test_search import assert_index_is_fts5s, random_quotations
from tests.quotations.test_search_postgresql import assert_exact

MARKETS = {"lukashenka-look-for-other-markets", "lukashenka-issues-competition-market-economy"}


def searched(session: Session, q: str) -> set[str]:
    matches = quotation_matches(session, q)
    assert matches is not None
    return set(session.scalars(select(matches.c.quotation_id)))


def unstemmed_markets(session: Session, backend: str) -> set[str]:
    """The quotations revision 0008's index finds for `markets`: the word as written."""
    if backend == "sqlite":
        statement = (
            "SELECT quotation_id FROM quotations_fts WHERE quotations_fts MATCH '\"markets\"'"
        )
    else:
        statement = (
            "SELECT id FROM quotations WHERE text_fts @@ plainto_tsquery('simple', 'markets')"
        )
    return set(session.scalars(text(statement)))


def test_the_stemmed_index_and_name_keys_go_up_and_down(
    scratch_databases: ScratchDatabases, backend: str
) -> None:
    url = scratch_databases.create(backend)
    config = alembic_config(url)
    command.upgrade(config, "0008")
    engine = create_db_engine(url)
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
        command.upgrade(config, "head")
        with Session(engine) as session:
            assert {q for q in MARKETS if q in searched(session, "markets")} == MARKETS
            keys = set(
                session.scalars(
                    text(
                        "SELECT alias_key FROM participant_aliases"
                        " WHERE participant_id = 'alyaksandr-lukashenka'"
                    )
                )
            )
            assert {"lukasenka", "alyaksandr lukasenka", "lukasenko"} <= keys
        command.downgrade(config, "0008")
        with Session(engine) as session:
            assert unstemmed_markets(session, backend) == {"lukashenka-look-for-other-markets"}
            keys = set(
                session.scalars(
                    text(
                        "SELECT alias_key FROM participant_aliases"
                        " WHERE participant_id = 'alyaksandr-lukashenka'"
                    )
                )
            )
            assert {"lukashenka", "аляксандр лукашэнка", "лукашенко"} <= keys
        command.upgrade(config, "head")
        with Session(engine) as session:
            assert {q for q in MARKETS if q in searched(session, "markets")} == MARKETS
    finally:
        engine.dispose()


def stemmed_everywhere(session: Session, backend: str, word: str) -> set[str]:
    """The quotations revision 0010's index finds for a word: every one holding its stem."""
    if backend == "sqlite":
        statement = (
            "SELECT quotation_id FROM quotations_fts WHERE quotations_fts MATCH '\"' || :word"
            " || '\"'"
        )
    else:
        statement = (
            "SELECT id FROM quotations"
            " WHERE text_fts @@ plainto_tsquery('newsfacts_porter', newsfacts_search_text(:word))"
        )
    return set(session.scalars(text(statement), {"word": word}))


def stale_vectors(session: Session) -> int:
    """PostgreSQL: quotations whose stored vector is not that of their text in their article's
    language."""
    return int(
        session.scalar(
            text(
                "SELECT count(*) FROM quotations AS q JOIN articles AS a ON a.id = q.article_id"
                " WHERE q.text_fts IS DISTINCT FROM"
                " newsfacts_text_fts(q.text, newsfacts_english(a.language))"
            )
        )
        or 0
    )


def test_quotations_of_other_languages_are_indexed_again_both_ways(
    scratch_databases: ScratchDatabases, backend: str
) -> None:
    url = scratch_databases.create(backend)
    config = alembic_config(url)
    command.upgrade(config, "0010")
    engine = create_db_engine(url)
    other = {"de-markets", "und-markets"}
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
            add_quotation(session, "de-markets", "Andere markets, sagte er.", GERMAN)
            add_quotation(session, "und-markets", "Other markets.", UNDETERMINED)
        with Session(engine) as session:
            assert other <= stemmed_everywhere(session, backend, "market")  # as 0009 did
        command.upgrade(config, "head")
        with Session(engine) as session, session.begin():
            assert searched(session, "market") & other == set()
            assert searched(session, "markets") >= other | MARKETS
            assert searched(session, "market") >= MARKETS
            if backend == "sqlite":
                assert_index_is_fts5s(session)
            else:
                assert stale_vectors(session) == 0
        command.downgrade(config, "0010")
        with Session(engine) as session:
            assert stemmed_everywhere(session, backend, "market") >= other | MARKETS
        command.upgrade(config, "head")
        with Session(engine) as session:
            assert searched(session, "market") & other == set()
            assert searched(session, "markets") >= other | MARKETS
    finally:
        engine.dispose()


def lexeme_objects(session: Session, backend: str) -> set[str]:
    """Migration 0012's table, functions and triggers (PostgreSQL; none on SQLite)."""
    if backend == "sqlite":
        statement = "SELECT name FROM sqlite_master WHERE name LIKE '%lexeme%'"
    else:
        statement = (
            "SELECT relname FROM pg_class WHERE relname LIKE '%fts_lexemes%'"
            " UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'newsfacts_%lexeme%'"
            " UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE '%fts_lexemes%'"
        )
    return set(session.scalars(text(statement)))


LEXEME_OBJECTS = {
    "quotations_fts_lexemes",
    "pk_quotations_fts_lexemes",
    "newsfacts_fts_lexeme_rank",
    "newsfacts_quotations_fts_lexemes",
    "quotations_fts_lexemes_insert",
    "quotations_fts_lexemes_update",
    "quotations_fts_lexemes_delete",
    "newsfacts_quotations_fts_lexemes_truncated",
    "quotations_fts_lexemes_truncate",
}


def test_the_lexeme_ranks_go_up_and_down(scratch_databases: ScratchDatabases, backend: str) -> None:
    """0012 fills the lexeme table from the quotations already there (PostgreSQL; nothing on
    SQLite), its downgrade takes it all away, and upgraded again its triggers keep it."""
    url = scratch_databases.create(backend)
    config = alembic_config(url)
    command.upgrade(config, "0011")
    engine = create_db_engine(url)
    words = ["gas", "oil", "the", "resume", "markets", "issues"]
    expected = LEXEME_OBJECTS if backend == "postgresql" else set()
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
            for quotation_id, words_of, article in random_quotations(12, 60):
                add_quotation(session, quotation_id, words_of, article)
        command.upgrade(config, "head")
        with Session(engine) as session, session.begin():
            assert lexeme_objects(session, backend) == expected
            if backend == "postgresql":
                assert_exact(session, words)
        command.downgrade(config, "0011")
        with Session(engine) as session:
            assert lexeme_objects(session, backend) == set()
            assert {q for q in MARKETS if q in searched(session, "markets")} == MARKETS
        command.upgrade(config, "head")
        with Session(engine) as session, session.begin():
            add_quotation(session, "after", "Oil, gas and gas.", GERMAN)
            session.execute(text("DELETE FROM quotations WHERE id LIKE 'q-1%'"))
            assert lexeme_objects(session, backend) == expected
            if backend == "postgresql":
                assert_exact(session, words)
    finally:
        engine.dispose()
