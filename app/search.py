"""Full-text search over quotations: SQLite FTS5 or PostgreSQL tsvector, best match first.

User input is never passed to the search syntax: it is cut into words, and each word is
searched literally (all words must match), so `"`, `*`, `NEAR`, `AND` or a stray parenthesis
are just characters.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    Float,
    Subquery,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session

from app.pagination import AnySelect, Ordering, SortKey
from app.quotations.models import Quotation

# The FTS objects live outside the ORM metadata (see migrations/env.py: names containing "fts").
FTS_CONFIG = "simple"  # PostgreSQL text search configuration: no stemming, as FTS5 unicode61
_WORD = re.compile(r"\w+", re.UNICODE)

quotations_fts = table("quotations_fts", column("quotation_id"), column("text"))
# Migration 0006: each quotation's stable FTS rowid. Its quotation ids are read from here rather
# than from the FTS table's own (unindexed) column, whose rows hold the whole text: ordering
# 11,000 matches by rank and id took 36 ms that way, 23 ms this way.
_fts_rowids = table("quotations_fts_rowids", column("fts_rowid"), column("quotation_id"))

# FTS5's hidden `rank` column is bm25(): lower is a better match. Ordering the matches by it
# (and the quotation id, which makes the order total and ties come in id order, as on
# PostgreSQL) ranks them without reading the quotations; only the page is joined to them.
_FTS_RANK: Any = literal_column("quotations_fts.rank", Float)
FTS_RANKED = Ordering(
    "quotations:relevance:fts",
    [SortKey(_FTS_RANK, kind=float), SortKey(_fts_rowids.c.quotation_id)],
)


def search_words(query: str) -> list[str]:
    """The words of a user's query, as searched (q is at most 200 characters)."""
    return _WORD.findall(query)


def _fts5_match(words: list[str]) -> str:
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def ranked_fts_matches(session: Session, query: str) -> AnySelect | None:
    """SQLite only: (quotation_id, rank) of the quotations matching every word, to be paged
    in FTS_RANKED order; None if the query has no words or the database is not SQLite."""
    words = search_words(query)
    if not words or session.get_bind().dialect.name != "sqlite":
        return None
    fts: Any = literal_column("quotations_fts")
    statement: AnySelect = (
        select(_fts_rowids.c.quotation_id.label("quotation_id"), _FTS_RANK.label("rank"))
        .select_from(quotations_fts)
        .join(_fts_rowids, _fts_rowids.c.fts_rowid == literal_column("quotations_fts.rowid"))
        .where(fts.op("MATCH")(literal(_fts5_match(words))))
    )
    return statement


def quotation_matches(session: Session, query: str) -> Subquery | None:
    """A subquery of (quotation_id, rank) for quotations matching every word; None if no words.

    Higher rank is a better match on both backends.
    """
    words = search_words(query)
    if not words:
        return None
    if session.get_bind().dialect.name == "sqlite":
        fts: Any = literal_column("quotations_fts")
        return (
            select(
                quotations_fts.c.quotation_id.label("quotation_id"),
                (-func.bm25(fts)).cast(Float).label("rank"),
            )
            .where(fts.op("MATCH")(literal(_fts5_match(words))))
            .subquery("matches")
        )
    # The stored to_tsvector(FTS_CONFIG, text) of migration 0007, GIN-indexed; not in the ORM.
    vector: Any = literal_column("quotations.text_fts")
    tsquery = func.plainto_tsquery(literal_column(f"'{FTS_CONFIG}'"), " ".join(words))
    rank: Any = func.ts_rank(vector, tsquery).cast(Float)
    return (
        select(Quotation.__table__.c.id.label("quotation_id"), rank.label("rank"))
        .where(vector.op("@@")(tsquery))
        .subquery("matches")
    )
