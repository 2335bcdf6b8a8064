"""One-word search on PostgreSQL (migration 0012, app/quotations/search.py) serves exactly what the
search that ranks every match with ts_rank serves.

The one-word path reads a word's best matches from stored ranks, in its two forms (English
stems, other languages' marked words), and merges them; the general path ranks every match.
Both are walked page by page, cursor after cursor, on quotations written to tell them apart:
words repeated in a quotation (ranks other than the commonest), ties of equal rank (ordered by
id, across both forms), articles in English and other languages, long quotations; and again
after every kind of write and a bulk load. These tests need PostgreSQL: on SQLite they are
skipped (its one-word path is tests/quotations/test_search.py's).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.errors import InvalidCursor
from app.core.websearch import parse_search
from app.kinds import KINDS
from app.quotations.schemas import QuotationQuery
from app.quotations.search import (
    best_word_matches,
    bulk_quotation_index,
    quotation_matches,
    word_match_parameters,
)
from app.quotations.service import list_quotations
from tests.quotations.languages import GERMAN, SEED_ARTICLE, UNDETERMINED, add_quotation
from tests.quotations.test_search import LONG_QUOTATIONS, random_quotations
from tests.writes.test_flows import create_body, delete, patch, path

# Words of the random corpus (in every case and spelling it has), of the seed, and none.
WORDS = [
    "gas",
    "GAS",
    "oil",
    "price",
    "prices",
    "union",
    "the",
    "vote",
    "resume",
    "résumé",
    "Путин",
    "газ",
    "word",
    "issues",
    "markets",
    "missing",
]
Walk = list[tuple[list[str], str | None]]


@pytest.fixture
def pg_session(session: Session, backend: str) -> Session:
    if backend != "postgresql":
        pytest.skip("the stored lexeme ranks are PostgreSQL's (SQLite: test_search.py)")
    return session


def corpus(session: Session, seed: int, size: int) -> None:
    for quotation_id, words, article in random_quotations(seed, size):
        add_quotation(session, quotation_id, words, article)


def walk(session: Session, q: str, limit: int) -> Walk:
    """Every page of the search (its items, as served, and its next cursor)."""
    pages: Walk = []
    cursor = None
    while True:
        page = list_quotations(session, QuotationQuery(q=q, limit=limit, cursor=cursor))
        pages.append((page.items, page.next_cursor))
        cursor = page.next_cursor
        if cursor is None:
            return pages


def walk_from(session: Session, q: str, limit: int, cursor: str | None) -> Walk:
    pages: Walk = []
    while cursor is not None:
        page = list_quotations(session, QuotationQuery(q=q, limit=limit, cursor=cursor))
        pages.append((page.items, page.next_cursor))
        cursor = page.next_cursor
    return pages


@contextmanager
def general_search() -> Iterator[None]:
    """Within: every search ranks every match (the one-word path is never tried)."""
    with mock.patch("app.quotations.service._single_word_page", return_value=None):
        yield


@contextmanager
def one_word_path() -> Iterator[None]:
    """Within: a search that ranks every match fails the test."""
    failure = AssertionError("a search ranked every match")
    with mock.patch("app.quotations.service.quotation_matches", side_effect=failure):
        yield


def general_walk(session: Session, q: str, limit: int) -> Walk:
    with general_search():
        return walk(session, q, limit)


def ts_rank_ranking(session: Session, word: str) -> list[tuple[float, str]]:
    """(rank, id) of every match, as the general search ranks and orders them."""
    matches = quotation_matches(session, word)
    assert matches is not None
    statement = select(matches.c.rank, matches.c.quotation_id).order_by(
        matches.c.rank.desc(), matches.c.quotation_id
    )
    return [(rank, quotation_id) for rank, quotation_id in session.execute(statement)]


def stored_ranking(session: Session, word: str, page_size: int) -> list[tuple[float, str]]:
    """(rank, id) of every match as best_word_matches reads them, a page at a time, for the
    word as the search reads it (folded)."""
    found: list[tuple[float, str]] = []
    after = None
    folded = parse_search(word).single_word
    assert folded is not None
    while True:
        keys = best_word_matches(after is not None, page_size)
        parameters = word_match_parameters(folded, after)
        page = [
            (rank, quotation_id)
            for rank, quotation_id, _ in session.execute(select(keys), parameters)
        ]
        found += page
        if len(page) < page_size:
            return found
        after = page[-1]


def stale_lexemes(session: Session) -> int:
    """How many rows the lexeme table holds that are not, or lacks that are, a (lexeme, quotation)
    of text_fts with ts_rank of that lexeme as a query (built here by to_tsquery), negated."""
    expected = (
        'SELECT u.lexeme COLLATE "C", -ts_rank(q.text_fts,'
        " to_tsquery('simple', quote_literal(u.lexeme))), q.id"
        " FROM quotations AS q, unnest(q.text_fts) AS u"
    )
    stored = "SELECT lexeme, negated_rank, quotation_id FROM quotations_fts_lexemes"
    statement = (
        f"SELECT count(*) FROM (({stored} EXCEPT ALL {expected})"
        f" UNION ALL ({expected} EXCEPT ALL {stored})) AS differences"
    )
    return int(session.scalar(text(statement)) or 0)


def assert_exact(session: Session, words: list[str], limits: tuple[int, ...] = (2, 7)) -> None:
    """The lexeme table is text_fts's; each word's walk is the general search's, page for page
    and cursor for cursor, and the one-word path served it."""
    assert stale_lexemes(session) == 0
    for word in words:
        for limit in limits:
            expected = general_walk(session, word, limit)
            with one_word_path():
                assert walk(session, word, limit) == expected, (word, limit)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_page_of_a_one_word_search_is_the_general_searchs(
    pg_session: Session, seed: int
) -> None:
    corpus(pg_session, seed, size=150)
    for quotation_id, words in LONG_QUOTATIONS.items():
        add_quotation(pg_session, quotation_id, words, SEED_ARTICLE if seed != 2 else GERMAN)
    assert stale_lexemes(pg_session) == 0
    distinct_ranks = set()
    for word in WORDS:
        expected = ts_rank_ranking(pg_session, word)
        distinct_ranks |= {rank for rank, _ in expected}
        for page_size in (1, 3, 21):
            assert stored_ranking(pg_session, word, page_size) == expected, (word, page_size)
    # Repeated words rank apart from single ones, and most ranks are ties.
    assert len(distinct_ranks) >= 4
    for word in ("gas", "the", "resume", "Путин", "missing"):
        expected_walk = general_walk(pg_session, word, 3)
        with one_word_path():
            assert walk(pg_session, word, 3) == expected_walk, word


def test_the_walk_interleaves_both_languages_by_rank_and_id(pg_session: Session) -> None:
    """A word's English and other-language matches, of equal rank, come in id order across
    the two forms; the cursors are the general search's."""
    for number in range(6):
        article = (SEED_ARTICLE, GERMAN, UNDETERMINED)[number % 3]
        add_quotation(pg_session, f"tie-{5 - number}", "Gas, and more.", article)
        add_quotation(pg_session, f"twice-{number}", "gas gas", article)
    ranking = ts_rank_ranking(pg_session, "gas")
    tied = [quotation_id for _, quotation_id in ranking if quotation_id.startswith("tie-")]
    assert tied == [f"tie-{n}" for n in range(6)]
    assert_exact(pg_session, ["gas"], limits=(1, 4))


def test_a_word_of_several_lexemes_or_a_row_of_both_forms_is_ranked_by_ts_rank(
    pg_session: Session,
) -> None:
    """`oil²gas` is one word to the query's parser and two lexemes to PostgreSQL's: the general
    search ranks it. An English quotation holding `gas` and `gaszq0` holds both forms of `gas`
    (it ranks by the English one): a page it would be on is served by the general search."""
    for quotation_id, words, article in [
        ("en-once", "Gas prices.", SEED_ARTICLE),
        ("en-twice", "gas, gas", SEED_ARTICLE),
        ("de-once", "Gas und Öl.", GERMAN),
        ("de-twice", "Gas, Gas.", GERMAN),
        ("both-forms", "gas gaszq0 gaszq0 gaszq0", SEED_ARTICLE),
    ]:
        add_quotation(pg_session, quotation_id, words, article)
    add_quotation(pg_session, "oil-squared", "oil²gas", SEED_ARTICLE)
    for q in ("oil²gas", "gas"):
        for limit in (1, 5, 100):
            expected = general_walk(pg_session, q, limit)
            with mock.patch(
                "app.quotations.service.quotation_matches", side_effect=quotation_matches
            ) as general:
                assert walk(pg_session, q, limit) == expected, (q, limit)
            assert general.called, (q, limit)
    assert any(
        "oil-squared" in "".join(items) for items, _ in general_walk(pg_session, "oil²gas", 5)
    )
    # Its marked rank would place it first; its English rank is a single `gas`'s.
    stored = stored_ranking(pg_session, "gas", 100)
    assert stored[0][1] == "both-forms"
    assert stored != ts_rank_ranking(pg_session, "gas")


def test_a_word_found_nowhere_is_an_empty_page(pg_session: Session) -> None:
    with one_word_path():
        assert walk(pg_session, "nowhere", 5) == [([], None)]
        assert walk(pg_session, "²", 5) == [([], None)]  # no lexeme at all: found nowhere


def test_the_lexeme_ranks_follow_writes(
    client: TestClient, writer: dict[str, str], pg_session: Session
) -> None:
    """Inserts, updates of one row and of many (text, id), the API's creates, text changes and
    deletes, an article's language changed (its quotations' vectors are set by a trigger) and
    its deletion (cascading to its quotations)."""
    session = pg_session
    words = ["gas", "oil", "the", "resume", "markets", "hunt", "clarify", "issues"]
    corpus(session, 5, size=60)
    assert_exact(session, words)

    session.execute(text("UPDATE quotations SET text = 'gas gas gas' WHERE id LIKE 'q-3%'"))
    session.execute(
        text("UPDATE quotations SET text = text || ' gas and oil' WHERE id LIKE 'q-1%'")
    )
    session.execute(text("UPDATE quotations SET id = id || '-moved' WHERE id LIKE 'q-5%'"))
    session.execute(text("UPDATE quotations SET kind = 'partial' WHERE id LIKE 'q-6%'"))
    session.execute(text("DELETE FROM quotations WHERE id LIKE 'q-2%'"))
    assert_exact(session, words)

    created = client.post(path("quotation"), json=create_body("quotation"), headers=writer)
    assert created.status_code == 201, created.text
    changed = patch(
        client, writer, "quotation", "lukashenka-may-backfire", {"text": "hunt for other markets"}
    )
    assert changed.status_code == 200, changed.text
    assert delete(client, writer, "quotation", "new-quotation").status_code == 204
    assert_exact(session, words)

    for language in ("de", "EN-gb", "und"):
        response = patch(client, writer, "article", SEED_ARTICLE, {"language": language})
        assert response.status_code == 200, response.text
        assert_exact(session, words)
    response = delete(client, writer, "article", GERMAN, cascade=True)
    assert response.status_code == 204, response.text
    assert_exact(session, words)


def test_a_truncate_of_the_quotations_empties_the_lexeme_ranks(pg_session: Session) -> None:
    """TRUNCATE fires no DELETE trigger: without its own, the ranks of the quotations it
    removed would stay, and the same quotations written again would collide with them."""
    session = pg_session
    words = ["gas", "oil", "the", "resume", "markets"]
    corpus(session, 7, size=40)
    session.execute(text("TRUNCATE quotations CASCADE"))
    assert session.scalar(text("SELECT count(*) FROM quotations_fts_lexemes")) == 0
    corpus(session, 7, size=40)  # the same ids and words again
    assert_exact(session, words)


def test_a_bundle_load_fills_the_lexeme_ranks(pg_session: Session, tmp_path: Path) -> None:
    """The loader's inserts, its language change and its deletes keep the table as the triggers
    keep it for any other write."""
    session = pg_session
    words = ["issues", "relations", "markets", "the", "belarus"]
    seed = seed_bundle_paths()[0]
    edited: dict[str, Any] = copy.deepcopy(yaml.safe_load(seed.read_text(encoding="utf-8")))
    edited["article"]["language"] = "de"
    edited["quotations"].pop()
    bundle = tmp_path / "edited.yaml"
    bundle.write_text(yaml.safe_dump(edited, allow_unicode=True, sort_keys=False), "utf-8")
    load_bundles(session, [bundle], kinds=KINDS)
    assert_exact(session, words)
    session.execute(text("DELETE FROM articles"))
    assert session.scalar(text("SELECT count(*) FROM quotations_fts_lexemes")) == 0
    load_bundles(session, [seed], kinds=KINDS)
    assert session.scalar(text("SELECT count(*) FROM quotations_fts_lexemes"))
    assert_exact(session, words)


def test_a_cursor_of_either_path_serves_the_other(pg_session: Session) -> None:
    """The cursors are one format: a page cursor from the general search continues on the
    one-word path, and the other way round; one from another search or order is a 400."""
    corpus(pg_session, 6, size=60)
    general = general_walk(pg_session, "the", 4)
    assert len(general) > 3
    with one_word_path():
        continued = walk_from(pg_session, "the", 4, general[0][1])
    assert continued == general[1:]
    fast = walk(pg_session, "the", 4)
    with general_search():
        assert walk_from(pg_session, "the", 4, fast[1][1]) == general[2:]
    by_id = list_quotations(pg_session, QuotationQuery(limit=2)).next_cursor
    for cursor in (by_id, general_walk(pg_session, "gas", 2)[0][1]):
        with pytest.raises(InvalidCursor), one_word_path():
            list_quotations(pg_session, QuotationQuery(q="the", limit=4, cursor=cursor))


def insert_trigger_enabled(session: Session) -> bool:
    state = session.scalar(
        text("SELECT tgenabled FROM pg_trigger WHERE tgname = 'quotations_fts_lexemes_insert'")
    )
    return bool(state == "O")


@pytest.mark.parametrize(("there", "loaded", "rebuilt"), [(30, 40, True), (150, 20, False)])
def test_a_bulk_load_writes_the_lexeme_ranks_as_the_insert_trigger_does(
    pg_session: Session, there: int, loaded: int, rebuilt: bool
) -> None:
    """Synth's path: the insert trigger is off in the load's transaction, and the loaded
    quotations' ranks are written on exit, with the index built again (a load at least as large
    as what was there) or into it; one changed meanwhile (its ranks written by the update
    trigger), and one noted twice, are written once; the trigger is on again after."""
    session = pg_session
    corpus(session, 7, size=there)
    batches = [random_quotations(8, loaded), random_quotations(9, loaded)]
    statements: list[str] = []
    connection = session.connection()
    event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with bulk_quotation_index(connection) as index_quotations:
        assert not insert_trigger_enabled(session)
        for batch in batches:
            for quotation_id, words, article in batch:
                add_quotation(session, quotation_id, words, article)
            index_quotations([(quotation_id, words) for quotation_id, words, _ in batch])
        assert stale_lexemes(session) > 0  # not yet
        changed = batches[0][0][0]
        session.execute(
            text("UPDATE quotations SET text = 'gas gas' WHERE id = :id"), {"id": changed}
        )
        index_quotations([(changed, "gas gas")])
    assert any("DROP CONSTRAINT" in statement for statement in statements) == rebuilt
    assert insert_trigger_enabled(session)
    add_quotation(session, "after", "Oil, gas and gas.", GERMAN)
    assert_exact(session, ["gas", "oil", "the", "resume", "price"])


def test_a_failed_bulk_load_leaves_the_insert_trigger_to_the_rollback(
    pg_session: Session,
) -> None:
    session = pg_session

    def load_then_fail() -> None:
        with session.begin_nested(), bulk_quotation_index(session.connection()):
            add_quotation(session, "unindexed", "gas", SEED_ARTICLE)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        load_then_fail()
    assert insert_trigger_enabled(session)
    add_quotation(session, "indexed", "gas", SEED_ARTICLE)
    assert_exact(session, ["gas"])
