"""Migrations 0009 (stemmed index) and 0010 (name keys) on data already there, both ways."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.db import alembic_config, create_db_engine
from app.kinds import KINDS
from app.quotations.search import quotation_matches
from tests.databases import ScratchDatabases

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
