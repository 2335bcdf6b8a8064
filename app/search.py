"""Full-text search over quotations: SQLite FTS5 or PostgreSQL tsvector, best match first.

User input is never passed to the search syntax: it is cut into words, and each word is
searched literally (all words must match), so `"`, `*`, `NEAR`, `AND` or a stray parenthesis
are just characters.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Float, Subquery, column, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from app.quotations.models import Quotation

# The FTS objects live outside the ORM metadata (see migrations/env.py: names containing "fts").
FTS_CONFIG = "simple"  # PostgreSQL text search configuration: no stemming, as FTS5 unicode61
_WORD = re.compile(r"\w+", re.UNICODE)

quotations_fts = table("quotations_fts", column("quotation_id"), column("text"))


def search_words(query: str) -> list[str]:
    """The words of a user's query, as searched (q is at most 200 characters)."""
    return _WORD.findall(query)


def quotation_matches(session: Session, query: str) -> Subquery | None:
    """A subquery of (quotation_id, rank) for quotations matching every word; None if no words.

    Higher rank is a better match on both backends.
    """
    words = search_words(query)
    if not words:
        return None
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        fts: Any = literal_column("quotations_fts")
        return (
            select(
                quotations_fts.c.quotation_id.label("quotation_id"),
                (-func.bm25(fts)).cast(Float).label("rank"),
            )
            .where(fts.op("MATCH")(literal(match)))
            .subquery("matches")
        )
    vector = func.to_tsvector(literal_column(f"'{FTS_CONFIG}'"), Quotation.text)
    tsquery = func.plainto_tsquery(literal_column(f"'{FTS_CONFIG}'"), " ".join(words))
    rank: Any = func.ts_rank(vector, tsquery).cast(Float)
    return (
        select(Quotation.id.label("quotation_id"), rank.label("rank"))
        .where(vector.op("@@")(tsquery))
        .subquery("matches")
    )
