"""Full-text search over quotations: SQLite FTS5 or PostgreSQL tsvector, best match first.

`q` is web-search syntax (app/core/websearch.py: words, "phrases", OR, -exclusions), parsed
into a tree from which each backend's query is built; the user's string never reaches the search
syntax, so `*`, `NEAR`, `AND` or a stray parenthesis are just characters.

Stemming follows the article's language (migration 0011). The words of a quotation of an English
article (language `en`, `en-GB`, ...) are stemmed by the Porter stemmer on both backends
(migration 0009): `markets` finds `market`. Those of any other language are found as written,
case and diacritics folded: each is indexed with the suffix MARKER, which no stemmer touches
and no English stem has. So one index holds both, and a query is searched in both forms: its
English words, or its words each with the marker. A quotation holds one form only, so it
matches the query in the form it holds and is ranked as that form alone would rank it.

A query of one word is ranked without scoring every match: on PostgreSQL from each quotation's
rank for each of its lexemes, stored (migration 0012); on SQLite from FTS rowids ordered by
length (migration 0008; the last sections). Other queries are ranked by FTS5's bm25 over all
their matches, and on PostgreSQL by ts_rank.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Float,
    String,
    Subquery,
    Text,
    and_,
    bindparam,
    case,
    cast,
    column,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.core.pagination import SCORE_LIMIT, AnySelect, Ordering, SortKey
from app.core.porter import porter_stem
from app.core.websearch import SearchQuery, Term, fts5_expression, parse_search
from app.models.quotation import Quotation

# The FTS objects live outside the ORM metadata (see migrations/env.py: names containing "fts").
# Migration 0009: PostgreSQL's text search configuration (the Snowball `porter` stemmer, no stop
# words), and the function that prepares English text for it, on the quotations and on the
# query alike. Migration 0011: the function that prepares text of any other language (folded,
# each word followed by MARKER), and the marker: it ends in a digit, so neither Porter stemmer
# changes a word ending in it, and no English stem ends in it.
FTS_CONFIG = "newsfacts_porter"
FTS_TEXT_FUNCTION = "newsfacts_search_text"
FTS_MARKED_FUNCTION = "newsfacts_marked_text"
MARKER = "zq0"

quotations_fts = table("quotations_fts", column("quotation_id"), column("text"))
# Migration 0006: each quotation's stable FTS rowid. Its quotation ids are read from here rather
# than from the FTS table's own (unindexed) column, whose rows hold the whole text, so ordering
# many matches by rank and id reads far less (bench/README.md has the figures).
_fts_rowids = table("quotations_fts_rowids", column("fts_rowid"), column("quotation_id"))

# FTS5's hidden `rank` column is bm25(): lower is a better match. Ordering the matches by it
# (and the quotation id, which makes the order total and ties come in id order, as on
# PostgreSQL) ranks them without reading the quotations; only the page is joined to them.
_FTS_RANK: Any = literal_column("quotations_fts.rank", Float)
FTS_RANKED = Ordering(
    "quotations:relevance:fts",
    [SortKey(_FTS_RANK, kind=float, limit=SCORE_LIMIT), SortKey(_fts_rowids.c.quotation_id)],
)


def _fts5_match(words: list[str]) -> str:
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def marked(query: SearchQuery) -> SearchQuery:
    """The query as quotations not in English are indexed: each word followed by MARKER."""

    def mark(term: Term) -> Term:
        return replace(term, words=tuple(word + MARKER for word in term.words))

    return SearchQuery(
        required=tuple(tuple(mark(term) for term in clause) for clause in query.required),
        excluded=tuple(mark(term) for term in query.excluded),
    )


def fts5_match(query: SearchQuery) -> str | None:
    """The FTS5 expression of a query in both forms, English or marked; None if nothing can
    match. A row holds one form only, so it matches the query in that form, and its bm25 (a
    sum over the phrases, those it does not hold adding 0) is that of the form it holds."""
    english = fts5_expression(query)
    if english is None:
        return None
    return f"({english}) OR ({fts5_expression(marked(query))})"


def ranked_fts_matches(session: Session, query: str) -> AnySelect | None:
    """SQLite only: (quotation_id, rank) of the quotations matching the query, to be paged
    in FTS_RANKED order; None if nothing can match or the database is not SQLite."""
    expression = fts5_match(parse_search(query))
    if expression is None or session.get_bind().dialect.name != "sqlite":
        return None
    fts: Any = literal_column("quotations_fts")
    statement: AnySelect = (
        select(_fts_rowids.c.quotation_id.label("quotation_id"), _FTS_RANK.label("rank"))
        .select_from(quotations_fts)
        .join(_fts_rowids, _fts_rowids.c.fts_rowid == literal_column("quotations_fts.rowid"))
        .where(fts.op("MATCH")(literal(expression)))
    )
    return statement


_EMPTY: Any = literal_column("''::tsquery")
_NEVER: Any = literal_column("$$'never matched'$$::tsquery")


def _phrase_tsquery(words: Any, prepared: str) -> Any:
    """The tsquery of a term (its words, space-separated: a string or a bound parameter),
    its words prepared by the function named (English words, or marked ones)."""
    config: Any = literal_column(f"'{FTS_CONFIG}'::regconfig")
    text = getattr(func, prepared)(words)
    # A word PostgreSQL does not see as one (`²`) gives an empty tsquery, which `&&` would
    # drop; FTS5 finds it nowhere, so here it is a lexeme no text has (none holds a space).
    return func.coalesce(func.nullif(func.phraseto_tsquery(config, text), _EMPTY), _NEVER)


def _tsquery(query: SearchQuery, prepared: str) -> Any:
    """The tsquery of a query, built by functions from bound words (never parsed from text),
    each term's words prepared by the function named (English words, or marked ones)."""

    def term(found: Term) -> Any:
        return _phrase_tsquery(" ".join(found.words), prepared)

    def either(terms: Sequence[Term]) -> Any:
        result = term(terms[0])
        for alternative in terms[1:]:
            result = func.tsquery_or(result, term(alternative))
        return result

    result = either(query.required[0])
    for clause in query.required[1:]:
        result = func.tsquery_and(result, either(clause))
    for excluded in query.excluded:
        result = func.tsquery_and(result, func.tsquery_not(term(excluded)))
    return result


def quotation_matches(session: Session, query: str) -> Subquery | None:
    """A subquery of (quotation_id, rank) for quotations matching the query; None if nothing
    can match.

    Higher rank is a better match on both backends.
    """
    parsed = parse_search(query).words_only()
    expression = fts5_match(parsed)
    if expression is None:
        return None
    if session.get_bind().dialect.name == "sqlite":
        fts: Any = literal_column("quotations_fts")
        return (
            select(
                quotations_fts.c.quotation_id.label("quotation_id"),
                (-func.bm25(fts)).cast(Float).label("rank"),
            )
            .where(fts.op("MATCH")(literal(expression)))
            .subquery("matches")
        )
    # The stored tsvector of migrations 0007, 0009 and 0011, GIN-indexed; not in the ORM.
    # Either form matches; a row is ranked by the form it holds, as ts_rank ranks that form's
    # query (the query of both would rank by another formula: ts_rank's for an OR).
    vector: Any = literal_column("quotations.text_fts")
    english = _tsquery(parsed, FTS_TEXT_FUNCTION)
    other = _tsquery(parsed, FTS_MARKED_FUNCTION)
    rank: Any = case(
        (vector.op("@@")(english), func.ts_rank(vector, english)),
        else_=func.ts_rank(vector, other),
    ).cast(Float)
    return (
        select(Quotation.__table__.c.id.label("quotation_id"), rank.label("rank"))
        .where(vector.op("@@")(func.tsquery_or(english, other)))
        .subquery("matches")
    )


# --- one-word search on PostgreSQL: the best matches read in rank order ---------------------
#
# ts_rank of a query of one lexeme (no weights set, no normalization) depends only on that
# lexeme's positions in the row. Migration 0012 stores it, negated, for every (lexeme,
# quotation) of `text_fts`; its primary key (lexeme, negated_rank, quotation_id) lists a
# lexeme's matches best first, ties in quotation id order (the collation of quotations.id), and
# the matches after a page cursor's key are a range of it. A word's two forms (migration 0011),
# each one lexeme, are read so and merged, as quotation_matches would rank them: a row is ranked
# by the English form when it holds it, else by the marked one.

_lexemes = table(
    "quotations_fts_lexemes",
    column("lexeme"),
    column("negated_rank", Float),
    column("quotation_id"),
)
RELEVANCE = "quotations:relevance"  # the ordering's name in a page cursor, on either path

# A word's two forms, as quotation_matches builds the tsqueries of a query of that one word,
# the word a bound parameter (`word`): statements are built once and run for every word.
_WORD: Any = bindparam("word", type_=String)
_ENGLISH_FORM = _phrase_tsquery(_WORD, FTS_TEXT_FUNCTION)
_MARKED_FORM = _phrase_tsquery(_WORD, FTS_MARKED_FUNCTION)
# Whether each form is one lexeme: not a phrase of several (`oil²gas` is one word to the
# query's parser, `oil <-> ga` to PostgreSQL's).
_SINGLE_LEXEME = and_(func.numnode(_ENGLISH_FORM) == 1, func.numnode(_MARKED_FORM) == 1)
SINGLE_LEXEME_FORMS: AnySelect = select(_SINGLE_LEXEME)
# Over quotations: whether the row holds the English form (computed once, not once a row).
HOLDS_ENGLISH_FORM: Any = literal_column("quotations.text_fts").op("@@")(
    select(_ENGLISH_FORM).scalar_subquery()
)


def _lexeme(query: Any) -> Any:
    """SQL: the lexeme of a tsquery of one operand (its text, read back as a tsvector)."""
    return func.tsvector_to_array(cast(cast(query, Text), TSVECTOR), type_=ARRAY(Text))[1]


def best_word_matches(after: bool, count: int) -> Subquery:
    """PostgreSQL only: a subquery of the first `count` (rank, quotation_id, english) of the
    quotations holding either form of `word`, best first (ties by id), strictly after the
    cursor's rank and id when `after` (see word_match_parameters); `english` tells which form's
    list a row came from. Empty unless each form is one lexeme.

    The statement's plan does not depend on its values, so that PostgreSQL plans it once when
    the driver has prepared it (a plan for all values is kept when it costs no more than those
    made for each): the count is written into it (a bound LIMIT is costed as a tenth of the
    rows), and the lexemes and the cursor's key are subqueries, computed once when it runs (the
    cursor's values made a page of the commonest rank look almost empty). Planned for each
    page, the statement took a millisecond more.

    A row holding both forms is in both lists, and quotation_matches ranks it by the English
    one: the caller must look for rows of the marked list that hold the English form
    (HOLDS_ENGLISH_FORM; only a text holding a word that ends in MARKER can)."""
    rows: Any = literal_column(str(int(count)))
    cursor = select(
        bindparam("after_negated_rank", type_=Float), bindparam("after_id", type_=String)
    )
    single = select(_SINGLE_LEXEME).scalar_subquery()

    def best(form: Any, english: bool) -> AnySelect:
        statement: AnySelect = select(
            _lexemes.c.negated_rank,
            _lexemes.c.quotation_id,
            (true() if english else false()).label("english"),
        ).where(_lexemes.c.lexeme == select(_lexeme(form)).scalar_subquery(), single)
        if after:
            key = tuple_(_lexemes.c.negated_rank, _lexemes.c.quotation_id)
            statement = statement.where(key > cursor.scalar_subquery())
        return statement.order_by(_lexemes.c.negated_rank, _lexemes.c.quotation_id).limit(rows)

    both = union_all(best(_ENGLISH_FORM, True), best(_MARKED_FORM, False)).subquery("best")
    # The stored rank is ts_rank's real; as a double, as quotation_matches gives it.
    rank: Any = (-both.c.negated_rank).cast(Float)
    return (
        select(rank.label("rank"), both.c.quotation_id, both.c.english)
        .order_by(both.c.negated_rank, both.c.quotation_id)
        .limit(rows)
        .subquery("page")
    )


def word_match_parameters(word: str, after: tuple[float, str] | None) -> dict[str, Any]:
    """The parameters of best_word_matches(after is not None, ...): the word, and the cursor's
    rank and id."""
    parameters: dict[str, Any] = {"word": word}
    if after is not None:
        parameters.update(after_negated_rank=-after[0], after_id=after[1])
    return parameters


# --- one-word search on SQLite: the best matches without scoring every match ----------------
#
# Migration 0008 gives each quotation the FTS rowid `length << 32 | n`, so FTS5 lists a word's
# matches shortest first. bm25 of one word depends only on the word's count in a row and the
# row's length, and it is better the shorter the row, so among the matches holding the word
# once, FTS5's own order is best first (ties, of equal length, are ordered by quotation id
# here). The few matches holding the word more than once are listed, with their counts, in
# `quotations_fts_repeats`, and scored apart. A page then costs its own length plus those few,
# not every match.
#
# A word is searched in its two forms (migration 0011), each one term: its stem, held by the
# English rows, and the word with MARKER, held by the others. No row holds both, so FTS5's bm25
# of the query of both forms, for a row, is the one-term bm25 of the form that row holds (the
# other adds 0): each form's best matches are found as above and the two lists merged.

_K1 = 1.2  # FTS5's bm25 constants (fts5_aux.c)
_B = 0.75
_LENGTH_SHIFT = 32
_LONGEST = 1 << 31  # a rowid's length part
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")  # folded by unicode61 as by str.lower()

# The terms' match and instance counts, and the table's row and token counts (the block
# FTS5_AVERAGES_ROWID), in one statement.
_TERM_STATS = text(
    "SELECT term, doc, cnt, (SELECT block FROM quotations_fts_data WHERE id = 1)"
    " FROM quotations_fts_terms WHERE term IN :terms"
).bindparams(bindparam("terms", expanding=True))
# Migration 0008: the words each quotation holds more than once, and how many times.
_REPEATED = text("SELECT fts_rowid, count FROM quotations_fts_repeats WHERE term = :term")
_SHORTEST_FIRST = text(
    "SELECT rowid FROM quotations_fts WHERE quotations_fts MATCH :match AND rowid >= :low"
    " ORDER BY rowid LIMIT :rows"
)
# One length's rows in quotation id order (they tie), after an id: a top-k that SQLite sorts,
# so a length holding thousands of matches costs no Python per match.
_OF_LENGTH = text(
    "SELECT f.rowid, r.quotation_id FROM quotations_fts AS f"
    " JOIN quotations_fts_rowids AS r ON r.fts_rowid = f.rowid"
    " WHERE quotations_fts MATCH :match AND f.rowid BETWEEN :low AND :high"
    " AND r.quotation_id > :after_id ORDER BY r.quotation_id LIMIT :rows"
)
# A word repeated this often (extra instances over its matching rows) is ranked by FTS5 over all
# its matches instead: scoring its repeating rows here would cost more.
MAX_EXTRA_INSTANCES = 5000


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


def single_search_term(query: str) -> tuple[str, str] | None:
    """The word of a query of one ASCII word and its English FTS5 term (its Porter stem), which
    best_single_word_matches can rank; None for any other query."""
    word = parse_search(query).single_word
    if word is None or not _ASCII_WORD.fullmatch(word):
        return None
    return word, porter_stem(word)


def best_single_term_matches(
    session: Session, word: str, term: str, after: tuple[float, str] | None, count: int
) -> list[tuple[float, str]] | None:
    """SQLite only: the first `count` (rank, quotation id) of the quotations holding `word`,
    indexed as `term`, in FTS_RANKED order, strictly after `after` (a page cursor's key) when
    given; None when the word repeats too often in its rows for this to beat FTS5's own
    ranking."""
    return _best_matches(session, [(word, term)], after, count)


def best_single_word_matches(
    session: Session, word: str, term: str, after: tuple[float, str] | None, count: int
) -> list[tuple[float, str]] | None:
    """SQLite only: best_single_term_matches of `word` in either form (English rows: its stem
    `term`; the others: the word with MARKER), merged; None when either form repeats too
    often."""
    return _best_matches(session, [(word, term), (word + MARKER, word + MARKER)], after, count)


def _best_matches(
    session: Session,
    forms: list[tuple[str, str]],
    after: tuple[float, str] | None,
    count: int,
) -> list[tuple[float, str]] | None:
    """The best matches of each (word, term) of `forms`, merged; the terms' counts and the
    table's averages are read once for all."""
    found = {
        row.term: row
        for row in session.execute(_TERM_STATS, {"terms": [term for _, term in forms]})
        if row.doc
    }
    if any(row.cnt - row.doc > MAX_EXTRA_INSTANCES for row in found.values()):
        return None
    pages = [
        _best_term_matches(session, word, term, found[term], after, count)
        for word, term in forms
        if term in found
    ]
    return list(heapq.merge(*pages))[:count]


def _best_term_matches(
    session: Session,
    word: str,
    term: str,
    stats: Any,
    after: tuple[float, str] | None,
    count: int,
) -> list[tuple[float, str]]:
    """One form's best matches, given its row of _TERM_STATS (see best_single_term_matches)."""
    matching_rows, instances, averages = stats.doc, stats.cnt, stats[3]
    rows, *column_tokens = sqlite_varints(averages)
    bm25 = Bm25.of(rows, sum(column_tokens), matching_rows)
    floor = -math.inf if after is None else after[0]
    # FTS5 stems the word of a MATCH itself (a stem stemmed again may differ).
    match = _fts5_match([word])

    # Rows holding the word more than once, scored one by one. Of those ranked after the
    # cursor's rank only the best `count` (ties included) can be on the page; those at the
    # cursor's rank are kept until their ids say which side of it they are on.
    repeated: dict[int, int] = {}
    if instances > matching_rows:
        repeated = dict(session.execute(_REPEATED, {"term": term}).all())
    scored = sorted(
        (bm25.rank(times, rowid >> _LENGTH_SHIFT), rowid) for rowid, times in repeated.items()
    )
    at_floor = [(rank, rowid) for rank, rowid in scored if rank == floor]
    beyond = [(rank, rowid) for rank, rowid in scored if rank > floor]
    if len(beyond) > count:
        beyond = [(rank, rowid) for rank, rowid in beyond if rank <= beyond[count - 1][0]]
    scored = at_floor + beyond
    ids = _quotation_ids(session, [rowid for _, rowid in scored])
    candidates = [(rank, ids[rowid]) for rank, rowid in scored]

    # Rows holding it once, best (shortest) first, from the first length not before the cursor.
    # A chunk's lengths other than its last are whole; the last may go on past the chunk, and
    # its first ids (as many as the page still needs) are read by _OF_LENGTH.
    low = 0 if after is None else bm25.first_length_from(floor) << _LENGTH_SHIFT
    repeated_of_length = Counter(rowid >> _LENGTH_SHIFT for rowid in repeated)
    found = 0
    while found < count:
        chunk_size = count - found + 1
        chunk = session.scalars(
            _SHORTEST_FIRST, {"match": match, "low": low, "rows": chunk_size}
        ).all()
        cut = chunk[-1] >> _LENGTH_SHIFT if len(chunk) == chunk_size else None
        whole = [rowid for rowid in chunk if rowid >> _LENGTH_SHIFT != cut]
        ids = _quotation_ids(session, [rowid for rowid in whole if rowid not in repeated])
        for rowid, quotation_id in ids.items():
            key = (bm25.rank(1, rowid >> _LENGTH_SHIFT), quotation_id)
            if after is None or key > after:
                candidates.append(key)
                found += 1
        if cut is None:
            break
        rank = bm25.rank(1, cut)
        of_length = session.execute(
            _OF_LENGTH,
            {
                "match": match,
                "low": cut << _LENGTH_SHIFT,
                "high": ((cut + 1) << _LENGTH_SHIFT) - 1,
                "after_id": after[1] if after is not None and rank == floor else "",
                "rows": count - found + repeated_of_length[cut],
            },
        ).all()
        for rowid, quotation_id in of_length:
            if rowid not in repeated:
                candidates.append((rank, quotation_id))
                found += 1
        low = (cut + 1) << _LENGTH_SHIFT

    candidates.sort()
    if after is not None:
        candidates = [key for key in candidates if key > after]
    return candidates[:count]


def _quotation_ids(session: Session, rowids: list[int]) -> dict[int, str]:
    # At most a page and the repeating rows kept for it: well under SQLite's 32,766 variables
    # (MAX_EXTRA_INSTANCES bounds the repeating rows).
    if not rowids:
        return {}
    statement = select(_fts_rowids.c.fts_rowid, _fts_rowids.c.quotation_id).where(
        _fts_rowids.c.fts_rowid.in_(rowids)
    )
    return dict(session.execute(statement).all())


# --- Bulk indexing (SQLite) --------------------------------------------------------------------
# Migration 0008's insert trigger indexes one quotation at a time: it tokenizes the text into
# the probe, reads its length and repeats, and writes the index row. FTS5 writes its pending
# data out before every read of the probe, so that is a small segment a quotation (most of a
# quotation's cost: bench/README.md). For a bulk load the trigger is suspended, and a batch
# is probed at once: its lengths and repeats come from one scan of the probe's instances, and
# the index is written in rowid order. The rows are the trigger's: the same tokenizer, the
# same rowid layout, and (migration 0011) for quotations of articles not in English, the same
# marked words, read in order from the unstemmed probe.

_INSERT_TRIGGER = "quotations_fts_insert"
_PROBED = "INSERT INTO quotations_fts_probe (rowid, text) VALUES (?, ?)"
_PROBED_LENGTHS = "SELECT doc, count(*) FROM temp.quotations_fts_probe_instances GROUP BY doc"
_PROBED_REPEATS = (
    "SELECT term, doc, count(*) FROM temp.quotations_fts_probe_instances"
    " GROUP BY term, doc HAVING count(*) > 1"
)
_PROBE_EMPTIED = "INSERT INTO quotations_fts_probe (quotations_fts_probe) VALUES ('delete-all')"
_LAST_OF_LENGTH = "SELECT max(fts_rowid) FROM quotations_fts_rowids WHERE fts_rowid BETWEEN ? AND ?"
_ROWID_ASSIGNED = "INSERT INTO quotations_fts_rowids (fts_rowid, quotation_id) VALUES (?, ?)"
_INDEXED = "INSERT INTO quotations_fts (rowid, quotation_id, text) VALUES (?, ?, ?)"
_REPEATS_LISTED = "INSERT INTO quotations_fts_repeats (term, fts_rowid, count) VALUES (?, ?, ?)"
# Migration 0011: which quotations are not in English (asked as its triggers ask), and the
# unstemmed probe and its instances (a persistent fts5vocab table), for their words.
_NOT_ENGLISH = (
    "SELECT q.id FROM quotations AS q JOIN articles AS a ON a.id = q.article_id"
    " WHERE q.id IN ({ids}) AND NOT (upper(substr(a.language, 1, 3)) IN ('EN', 'EN-'))"
)
_IDS_A_STATEMENT = 500
_PLAIN_PROBED = "INSERT INTO quotations_fts_plain_probe (rowid, text) VALUES (?, ?)"
_PLAIN_WORDS = "SELECT doc, term FROM quotations_fts_plain_probe_words ORDER BY doc, offset"
_PLAIN_PROBE_EMPTIED = (
    "INSERT INTO quotations_fts_plain_probe (quotations_fts_plain_probe) VALUES ('delete-all')"
)

QuotationIndexer = Callable[[Sequence[tuple[str, str]]], None]


@contextmanager
def bulk_quotation_index(connection: Connection) -> Iterator[QuotationIndexer]:
    """Within the caller's transaction: quotations inserted meanwhile are left out of the search
    index by its insert trigger, and are indexed, a batch of (id, text) at a time, by the
    function yielded, as the trigger would have indexed them (their articles, whose language
    decides how, are read from the database).

    On SQLite the trigger is dropped and created again on exit. If the block fails, it is not:
    the caller's rollback brings the trigger back with everything else. On PostgreSQL (a
    tsvector column its own trigger keeps) the lexeme ranks of migration 0012 are written on
    exit instead, all at once (see _bulk_lexeme_ranks).
    """
    if connection.dialect.name == "postgresql":
        with _bulk_lexeme_ranks(connection) as index_quotations:
            yield index_quotations
        return
    trigger = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_INSERT_TRIGGER,)
    ).scalar_one()
    connection.exec_driver_sql(f"DROP TRIGGER {_INSERT_TRIGGER}")
    connection.exec_driver_sql(
        "CREATE VIRTUAL TABLE temp.quotations_fts_probe_instances"
        " USING fts5vocab(main, quotations_fts_probe, instance)"
    )
    yield lambda quotations: _index_quotations(connection, quotations)
    connection.exec_driver_sql("DROP TABLE temp.quotations_fts_probe_instances")
    connection.exec_driver_sql(trigger)


# PostgreSQL: migration 0012's insert trigger writes a statement's lexeme ranks into the index
# where their keys fall, all over it: a bulk load so wrote each index page many times, and left
# the index half as large again as one written in key order. In bulk, the trigger is disabled
# for the caller's transaction, the quotations' ids are noted, and their ranks are written on
# exit in one statement: in key order into the index as it is; or, when the load holds at least
# as many quotations as were there before it, with the index dropped and built again after,
# which PostgreSQL does several times faster than it inserts as many rows one by one (a
# million quotations: 42 s against 138 s), and which holds one-word searches until the load
# commits. Rows written by the update trigger meanwhile are the same rows: skipped, or taken
# away before the index is dropped.
_LEXEME_TRIGGER_DISABLED = "ALTER TABLE quotations DISABLE TRIGGER quotations_fts_lexemes_insert"
_LEXEME_TRIGGER_ENABLED = "ALTER TABLE quotations ENABLE TRIGGER quotations_fts_lexemes_insert"
_LOADED_CREATED = (
    "CREATE TEMPORARY TABLE quotations_fts_loaded (id varchar(100) NOT NULL) ON COMMIT DROP"
)
_LOADED_NOTED = "INSERT INTO quotations_fts_loaded (id) SELECT unnest(%s::varchar[])"
_LOADED_COUNTS = (
    "SELECT (SELECT count(DISTINCT id) FROM quotations_fts_loaded),"
    " (SELECT count(*) FROM quotations)"
)
_LOADED_RANKS = (
    "INSERT INTO quotations_fts_lexemes (lexeme, negated_rank, quotation_id)"
    " SELECT u.lexeme, -newsfacts_fts_lexeme_rank(q.text_fts, u.lexeme), q.id"
    " FROM quotations AS q, unnest(q.text_fts) AS u"
    " WHERE q.id IN (SELECT id FROM quotations_fts_loaded)"
)
_LOADED_RANKS_IN_ORDER = f"{_LOADED_RANKS} ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING"
_LOADED_RANKS_REMOVED = (
    "DELETE FROM quotations_fts_lexemes"
    " WHERE quotation_id IN (SELECT id FROM quotations_fts_loaded)"
)
_LEXEME_INDEX_DROPPED = (
    "ALTER TABLE quotations_fts_lexemes DROP CONSTRAINT pk_quotations_fts_lexemes"
)
_LEXEME_INDEX_BUILT = (
    "ALTER TABLE quotations_fts_lexemes ADD CONSTRAINT pk_quotations_fts_lexemes"
    " PRIMARY KEY (lexeme, negated_rank, quotation_id)"
)
_LOADED_DROPPED = "DROP TABLE quotations_fts_loaded"


@contextmanager
def _bulk_lexeme_ranks(connection: Connection) -> Iterator[QuotationIndexer]:
    """PostgreSQL: bulk_quotation_index's lexeme ranks, written on exit. If the block fails, the
    caller's rollback enables the trigger again (and drops the table of ids)."""
    connection.exec_driver_sql(_LEXEME_TRIGGER_DISABLED)
    connection.exec_driver_sql(_LOADED_CREATED)

    def note(quotations: Sequence[tuple[str, str]]) -> None:
        ids = [quotation_id for quotation_id, _ in quotations]
        connection.exec_driver_sql(_LOADED_NOTED, (ids,))

    yield note
    loaded, quotations = connection.exec_driver_sql(_LOADED_COUNTS).one()
    if 2 * loaded >= quotations:
        connection.exec_driver_sql(_LOADED_RANKS_REMOVED)
        connection.exec_driver_sql(_LEXEME_INDEX_DROPPED)
        connection.exec_driver_sql(_LOADED_RANKS)
        connection.exec_driver_sql(_LEXEME_INDEX_BUILT)
    else:
        connection.exec_driver_sql(_LOADED_RANKS_IN_ORDER)
    connection.exec_driver_sql(_LOADED_DROPPED)
    connection.exec_driver_sql(_LEXEME_TRIGGER_ENABLED)


def _marked_texts(connection: Connection, quotations: Sequence[tuple[str, str]]) -> list[str]:
    """The text each quotation is indexed by: its own, or for a quotation not in English its
    words as FTS5 cuts and folds them, each followed by MARKER (as the triggers write it)."""
    texts = [body for _, body in quotations]
    ids = [quotation_id for quotation_id, _ in quotations]
    others: set[str] = set()
    for start in range(0, len(ids), _IDS_A_STATEMENT):
        chunk = ids[start : start + _IDS_A_STATEMENT]
        statement = _NOT_ENGLISH.format(ids=", ".join("?" for _ in chunk))
        others.update(connection.exec_driver_sql(statement, tuple(chunk)).scalars())
    if not others:
        return texts
    numbered = [
        (number, body)
        for number, (quotation_id, body) in enumerate(quotations, 1)
        if quotation_id in others
    ]
    connection.exec_driver_sql(_PLAIN_PROBED, numbered)
    words: defaultdict[int, list[str]] = defaultdict(list)
    for number, term in connection.exec_driver_sql(_PLAIN_WORDS):
        words[number].append(term + MARKER)
    connection.exec_driver_sql(_PLAIN_PROBE_EMPTIED)
    for number, _ in numbered:
        texts[number - 1] = " ".join(words[number])
    return texts


def _index_quotations(connection: Connection, quotations: Sequence[tuple[str, str]]) -> None:
    if not quotations:
        return
    texts = _marked_texts(connection, quotations)
    connection.exec_driver_sql(_PROBED, list(enumerate(texts, 1)))
    lengths = [0] * (len(quotations) + 1)  # a text with no word has no instance: length 0
    for number, tokens in connection.exec_driver_sql(_PROBED_LENGTHS):
        lengths[number] = tokens
    repeats = connection.exec_driver_sql(_PROBED_REPEATS).all()
    connection.exec_driver_sql(_PROBE_EMPTIED)

    # Each length's next rowid follows the last one given to that length, as in the trigger.
    next_rowid: dict[int, int] = {}
    rowids = []
    for length in lengths[1:]:
        if length not in next_rowid:
            low = length << _LENGTH_SHIFT
            last = connection.exec_driver_sql(
                _LAST_OF_LENGTH, (low, low + (1 << _LENGTH_SHIFT) - 1)
            ).scalar()
            next_rowid[length] = low if last is None else last + 1
        rowids.append(next_rowid[length])
        next_rowid[length] += 1
    in_rowid_order = sorted(range(len(quotations)), key=rowids.__getitem__)
    connection.exec_driver_sql(
        _ROWID_ASSIGNED, [(rowids[index], quotations[index][0]) for index in in_rowid_order]
    )
    connection.exec_driver_sql(
        _INDEXED,
        [(rowids[index], quotations[index][0], texts[index]) for index in in_rowid_order],
    )
    if repeats:
        connection.exec_driver_sql(
            _REPEATS_LISTED,
            [(term, rowids[number - 1], times) for term, number, times in repeats],
        )
