"""Full-text search over quotations: SQLite FTS5 or PostgreSQL tsvector, best match first.

User input is never passed to the search syntax: it is cut into words, and each word is
searched literally (all words must match), so `"`, `*`, `NEAR`, `AND` or a stray parenthesis
are just characters.

On SQLite a query of one word is ranked without scoring every match (the last section); other
queries are ranked by FTS5's bm25 over all their matches, and on PostgreSQL by ts_rank.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
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
    text,
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


# --- one-word search on SQLite: the best matches without scoring every match ----------------
#
# Migration 0008 gives each quotation the FTS rowid `length << 32 | n`, so FTS5 lists a word's
# matches shortest first. bm25 of one word depends only on the word's count in a row and the
# row's length, and it is better the shorter the row, so among the matches holding the word
# once, FTS5's own order is best first (ties, of equal length, are ordered by quotation id
# here). The few matches holding the word more than once are read from the fts5vocab
# `instance` table and scored apart. A page then costs its own length plus those few, not
# every match: 11,000 matches were ranked in 11 ms, the best 21 are now found in about 3.

_K1 = 1.2  # FTS5's bm25 constants (fts5_aux.c)
_B = 0.75
_LENGTH_SHIFT = 32
_LONGEST = 1 << 28  # lengths are below this (migration 0008 decodes four-byte varints)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")  # folded by unicode61 as by str.lower()

_TERM_STATS = text("SELECT doc, cnt FROM quotations_fts_terms WHERE term = :term")
_AVERAGES = text("SELECT block FROM quotations_fts_data WHERE id = 1")  # FTS5_AVERAGES_ROWID
_REPEATED = text(
    "SELECT doc, count(*) FROM quotations_fts_instances WHERE term = :term"
    " GROUP BY doc HAVING count(*) > 1"
)
_SHORTEST_FIRST = text(
    "SELECT f.rowid, r.quotation_id FROM quotations_fts AS f"
    " JOIN quotations_fts_rowids AS r ON r.fts_rowid = f.rowid"
    " WHERE quotations_fts MATCH :match AND f.rowid >= :low ORDER BY f.rowid LIMIT :chunk"
)


def sqlite_varints(blob: bytes) -> list[int]:
    """The SQLite varints (big-endian, seven bits a byte, the ninth byte whole) in a blob."""
    values: list[int] = []
    position = 0
    while position < len(blob):
        value = 0
        for index in range(9):
            byte = blob[position]
            position += 1
            if index == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        values.append(value)
    return values


@dataclass(frozen=True)
class Bm25:
    """FTS5's bm25() of a one-word query, computed as fts5_aux.c computes it."""

    idf: float
    average_length: float

    @classmethod
    def of(cls, rows: int, tokens: int, matching_rows: int) -> Bm25:
        """The scorer for a word found in `matching_rows` of `rows` rows of `tokens` tokens."""
        idf = math.log((rows - matching_rows + 0.5) / (matching_rows + 0.5))
        return cls(idf=idf if idf > 0.0 else 1e-6, average_length=tokens / rows)

    def rank(self, count: int, length: int) -> float:
        """FTS5's `rank` of a row holding the word `count` times in `length` tokens (lower is
        better)."""
        norm = _K1 * (1 - _B + _B * length / self.average_length)
        score = 0.0 + self.idf * ((count * (_K1 + 1.0)) / (count + norm))
        return -1.0 * score

    def first_length_from(self, rank: float) -> int:
        """The shortest length whose rows holding the word once rank at `rank` or worse."""
        lengths = range(_LONGEST)
        return bisect.bisect_left(lengths, rank, key=lambda length: self.rank(1, length))


def single_search_term(query: str) -> str | None:
    """The FTS5 term of a query of one ASCII word, which best_single_term_matches can rank;
    None for any other query."""
    words = search_words(query)
    if len(words) != 1 or not _ASCII_WORD.fullmatch(words[0]):
        return None
    return words[0].lower()


def _shortest_first(session: Session, term: str, low: int, chunk: int) -> Iterator[Any]:
    """(FTS rowid, quotation id) of the rows holding `term` from rowid `low`, in rowid order:
    read `chunk` at a time, twice as many each time."""
    match = _fts5_match([term])
    while True:
        rows = session.execute(_SHORTEST_FIRST, {"match": match, "low": low, "chunk": chunk})
        read = rows.all()
        yield from read
        if len(read) < chunk:
            return
        low = read[-1][0] + 1
        chunk *= 2


def best_single_term_matches(
    session: Session, term: str, after: tuple[float, str] | None, count: int
) -> list[tuple[float, str]]:
    """SQLite only: the first `count` (rank, quotation id) of the quotations holding `term`,
    in FTS_RANKED order, strictly after `after` (a page cursor's key) when given."""
    stats = session.execute(_TERM_STATS, {"term": term}).first()
    if stats is None or not stats.doc:
        return []
    matching_rows, instances = stats
    rows, *column_tokens = sqlite_varints(session.execute(_AVERAGES).scalar_one())
    bm25 = Bm25.of(rows, sum(column_tokens), matching_rows)
    floor = -math.inf if after is None else after[0]

    candidates: list[tuple[float, str]] = []  # (rank, quotation id), none before the cursor
    repeated: dict[int, int] = {}
    if instances > matching_rows:
        repeated = dict(session.execute(_REPEATED, {"term": term}).all())
        ids = _quotation_ids(session, list(repeated))
        for rowid, times in repeated.items():
            rank = bm25.rank(times, rowid >> _LENGTH_SHIFT)
            if rank >= floor:
                candidates.append((rank, ids[rowid]))

    # The rows holding the word once, best first, from the first length not before the
    # cursor, up to the end of the length that completes the page (its rows tie).
    low = 0 if after is None else bm25.first_length_from(floor) << _LENGTH_SHIFT
    beyond_cursor = 0
    last_rank = None
    for rowid, quotation_id in _shortest_first(session, term, low, chunk=4 * count):
        if rowid in repeated:
            continue
        rank = bm25.rank(1, rowid >> _LENGTH_SHIFT)
        if beyond_cursor >= count and rank != last_rank:
            break
        candidates.append((rank, quotation_id))
        last_rank = rank
        if rank > floor:
            beyond_cursor += 1

    candidates.sort()
    if after is not None:
        candidates = [match for match in candidates if match > after]
    return candidates[:count]


def _quotation_ids(session: Session, rowids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(rowids), 10_000):  # well under SQLite's 32,766 variables
        chunk = rowids[start : start + 10_000]
        statement = select(_fts_rowids.c.fts_rowid, _fts_rowids.c.quotation_id).where(
            _fts_rowids.c.fts_rowid.in_(chunk)
        )
        found.update(session.execute(statement).all())
    return found
