"""One-word search on SQLite (app/quotations/search.py) finds exactly what FTS5's own ranking finds.

FTS5 ranks every match with bm25 and orders ties by quotation id; the one-word search reads
only the shortest matches and those holding the word more than once. Both are compared on
quotations written to cover what could tell them apart: repeated words, ties of equal length,
folded diacritics, other scripts, lengths whose varint takes two and three bytes, writes, and
articles in English and other languages (whose words are indexed unstemmed, marked: a word is
searched in both forms). These tests need SQLite whatever the run's backend: the path does not
exist on PostgreSQL.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.db import alembic_config, create_db_engine, migrate
from app.core.porter import porter_stem
from app.core.websearch import search_words
from app.kinds import KINDS
from app.quotations.schemas import QuotationQuery
from app.quotations.search import (
    MARKER,
    Bm25,
    best_single_term_matches,
    best_single_word_matches,
    bulk_quotation_index,
    single_search_term,
    sqlite_varints,
)
from app.quotations.service import list_quotations
from tests.databases import ScratchDatabases
from tests.quotations import languages
from tests.quotations.languages import GERMAN, SEED_ARTICLE, UNDETERMINED

ARTICLE = SEED_ARTICLE
VOCABULARY = ["gas", "oil", "price", "union", "the", "vote", "résumé", "Путин"]


@pytest.fixture(scope="module")
def sqlite_engine(scratch_databases: ScratchDatabases) -> Iterator[Engine]:
    url = scratch_databases.create("sqlite")
    migrate(url)
    engine = create_db_engine(url)
    with Session(engine) as session, session.begin():
        load_bundles(session, seed_bundle_paths(), kinds=KINDS)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_session(sqlite_engine: Engine) -> Iterator[Session]:
    connection: Connection = sqlite_engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    transaction.rollback()
    connection.close()


def add_quotation(session: Session, quotation_id: str, words: str, article: str = ARTICLE) -> None:
    languages.add_quotation(session, quotation_id, words, article)


def fts5_ranking(session: Session, word: str) -> list[tuple[float, str]]:
    """FTS5 scoring every match of the word in either form (English: FTS5 stems it; other
    languages: marked): the order the one-word search must reproduce."""
    rows = session.execute(
        text(
            "SELECT f.rank, r.quotation_id FROM quotations_fts AS f"
            " JOIN quotations_fts_rowids AS r ON r.fts_rowid = f.rowid"
            " WHERE quotations_fts MATCH :match ORDER BY f.rank, r.quotation_id"
        ),
        {"match": f'"{word}" OR "{word}{MARKER}"'},
    ).all()
    return [(rank, quotation_id) for rank, quotation_id in rows]


def walk(session: Session, word: str, page_size: int) -> list[tuple[float, str]]:
    """Every match, page by page, each page started after the last one's final key."""
    found: list[tuple[float, str]] = []
    after = None
    while True:
        page = best_single_word_matches(session, word, porter_stem(word), after, page_size)
        assert page is not None
        assert len(page) <= page_size
        found += page
        if len(page) < page_size:
            return found
        after = page[-1]


def random_quotations(seed: int, size: int) -> list[tuple[str, str, str]]:
    """(id, text, article) of quotations of random words, lengths (0 included) and repeats,
    of the seed's English article or of one in German or an undetermined language."""
    rng = random.Random(seed)
    quotations = []
    for number in range(size):
        length = rng.choice([0, 1, 2, 3, 5, 8, 8, 8, 13, 40, 150])
        words = rng.choices(VOCABULARY, weights=[8, 5, 4, 3, 9, 2, 1, 1], k=length)
        words += rng.choices(["Gas", "GAS", "résumé", "resume", "ГАЗ"], k=rng.randint(0, 1))
        article = rng.choice([ARTICLE, ARTICLE, GERMAN, UNDETERMINED])
        # Ids in an order unrelated to insertion, so ties cannot come out right by accident.
        quotation_id = f"q-{rng.randrange(10**9):09d}-{number}"
        quotations.append((quotation_id, ", ".join(words) + ".", article))
    return quotations


def random_corpus(session: Session, seed: int, size: int) -> None:
    for quotation_id, words, article in random_quotations(seed, size):
        add_quotation(session, quotation_id, words, article)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_page_of_a_one_word_search_is_fts5_ranking_page(
    sqlite_session: Session, seed: int
) -> None:
    random_corpus(sqlite_session, seed, size=150)
    for term in ["gas", "oil", "price", "union", "the", "vote", "resume", "missing"]:
        expected = fts5_ranking(sqlite_session, term)
        for page_size in (1, 3, 21):
            assert walk(sqlite_session, term, page_size) == expected, (term, page_size)


def test_the_apis_cursor_walk_of_a_word_in_both_languages_is_fts5s_ranking(
    sqlite_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list's pages, cursor after cursor, take the one-word path (the whole ranking, with
    FTS5 scoring every match, is never asked for) and give FTS5's order, English and German
    matches interleaved by rank."""
    random_corpus(sqlite_session, 10, size=150)
    monkeypatch.setattr(
        "app.quotations.service.ranked_fts_matches",
        lambda *_: pytest.fail("FTS5 ranked every match"),
    )
    for word in ("gas", "the", "resume"):
        expected = [quotation_id for _, quotation_id in fts5_ranking(sqlite_session, word)]
        languages = {
            language
            for (language,) in sqlite_session.execute(
                text(
                    "SELECT a.language FROM quotations AS q JOIN articles AS a"
                    " ON a.id = q.article_id WHERE q.id IN (SELECT value FROM json_each(:ids))"
                ),
                {"ids": json.dumps(expected)},
            )
        }
        assert languages == {"en", "de", "und"}, word
        served: list[str] = []
        cursor = None
        while True:
            page = list_quotations(sqlite_session, QuotationQuery(q=word, limit=7, cursor=cursor))
            served += [json.loads(item)["id"] for item in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert served == expected, word


def test_a_word_found_nowhere_reads_no_quotation(sqlite_session: Session) -> None:
    """The one-word path finds no match in the terms' counts, and stops there: the page is
    empty, and no statement reads the quotations."""
    random_corpus(sqlite_session, 5, size=20)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    connection = sqlite_session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        page = list_quotations(sqlite_session, QuotationQuery(q="nowhere", limit=5))
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert page.items == []
    assert page.next_cursor is None
    assert len(statements) == 1
    assert "quotations_fts_terms" in statements[0]


def test_it_stays_exact_through_changes_and_deletes(sqlite_session: Session) -> None:
    random_corpus(sqlite_session, 4, size=80)
    sqlite_session.execute(
        text(
            "UPDATE quotations SET text = 'gas gas gas' WHERE id = (SELECT max(id) FROM quotations)"
        )
    )
    sqlite_session.execute(
        text("UPDATE quotations SET text = text || ' gas and more words' WHERE id LIKE 'q-1%'")
    )
    sqlite_session.execute(text("DELETE FROM quotations WHERE id LIKE 'q-2%'"))
    for term in ("gas", "the"):
        assert walk(sqlite_session, term, 4) == fts5_ranking(sqlite_session, term)


def assert_index_is_fts5s(session: Session) -> None:
    """Every FTS row holds its quotation's text (English) or its words each with the marker
    (any other language); its rowid starts with FTS5's own length of that, and the repeats
    table holds exactly the words FTS5 indexed more than once in a row, with their counts."""
    rows = session.execute(
        text(
            "SELECT f.text, q.text, a.language FROM quotations_fts AS f"
            " JOIN quotations_fts_rowids AS r ON r.fts_rowid = f.rowid"
            " JOIN quotations AS q ON q.id = r.quotation_id"
            " JOIN articles AS a ON a.id = q.article_id"
        )
    ).all()
    assert rows
    for indexed, body, language in rows:
        if language.split("-")[0].lower() == "en":
            assert indexed == body
        else:
            assert indexed == " ".join(word + MARKER for word in search_words(body)), language
    session.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.instances"
            " USING fts5vocab(main, quotations_fts, instance)"
        )
    )
    lengths = session.execute(
        text(
            "SELECT r.fts_rowid >> 32, (SELECT count(*) FROM temp.instances AS i"
            " WHERE i.doc = r.fts_rowid) FROM quotations_fts_rowids AS r"
        )
    ).all()
    assert lengths
    assert all(length == tokens for length, tokens in lengths)
    assert sorted(
        session.execute(text("SELECT term, fts_rowid, count FROM quotations_fts_repeats")).all()
    ) == sorted(
        session.execute(
            text(
                "SELECT term, doc, count(*) FROM temp.instances"
                " GROUP BY term, doc HAVING count(*) > 1"
            )
        ).all()
    )


LONG_QUOTATIONS = {
    "long-1": " ".join(["oil"] + ["word"] * 199),
    "long-2": " ".join(["oil", "oil"] + ["word"] * 19_998),
    "short": "oil",
}


def test_long_quotations_are_placed_by_their_length(sqlite_session: Session) -> None:
    for quotation_id, words in LONG_QUOTATIONS.items():
        add_quotation(sqlite_session, quotation_id, words)
    lengths = dict(
        sqlite_session.execute(
            text("SELECT quotation_id, fts_rowid >> 32 FROM quotations_fts_rowids")
        ).all()
    )
    assert (lengths["short"], lengths["long-1"], lengths["long-2"]) == (1, 200, 20_000)
    assert walk(sqlite_session, "oil", 1) == fts5_ranking(sqlite_session, "oil")


def test_every_rowid_holds_fts5s_length_and_repeats_fts5s_counts(sqlite_session: Session) -> None:
    random_corpus(sqlite_session, 5, size=60)
    add_quotation(sqlite_session, "diacritics", "Résumé: naïve café — resume, déjà vu, ГАЗ газ.")
    assert_index_is_fts5s(sqlite_session)
    diacritics = sqlite_session.execute(
        text(
            "SELECT term, count FROM quotations_fts_repeats WHERE fts_rowid ="
            " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = 'diacritics')"
        )
    ).all()
    assert sorted(diacritics) == [("resum", 2), ("газ", 2)]  # stems: résumé, resume
    assert (
        sqlite_session.execute(text("SELECT count(*) FROM quotations_fts_probe_terms")).scalar()
        == 0
    )


def test_migration_0008_indexes_the_quotations_already_there(
    scratch_databases: ScratchDatabases,
) -> None:
    """The upgrade reads existing lengths from FTS5's _docsize varints (one to three bytes
    here) and the repeats from its instances; the triggers it installs take over after."""
    url = scratch_databases.create("sqlite")
    command.upgrade(alembic_config(url), "0007")
    engine = create_db_engine(url)
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
            random_corpus(session, 6, size=80)
            for quotation_id, words in LONG_QUOTATIONS.items():
                add_quotation(session, quotation_id, words)
        command.upgrade(alembic_config(url), "head")
        with Session(engine) as session, session.begin():
            add_quotation(session, "after", "oil, gas and gas.")
            assert_index_is_fts5s(session)
            for term in ("oil", "gas", "the", "price"):
                assert walk(session, term, 3) == fts5_ranking(session, term), term
    finally:
        engine.dispose()


def test_a_bulk_load_indexes_quotations_as_the_insert_trigger_does(
    sqlite_session: Session,
) -> None:
    """Synth's path: quotations indexed a batch at a time, with trigger-indexed ones of the
    same lengths before and after, give FTS5's lengths and repeats, and FTS5's ranking."""
    random_corpus(sqlite_session, 7, size=60)
    batches = [
        random_quotations(8, 70),
        random_quotations(9, 70)
        + [(quotation_id, words, GERMAN) for quotation_id, words in LONG_QUOTATIONS.items()],
    ]
    with bulk_quotation_index(sqlite_session.connection()) as index_quotations:
        for batch in batches:
            for quotation_id, words, article in batch:
                add_quotation(sqlite_session, quotation_id, words, article)
            index_quotations([(quotation_id, words) for quotation_id, words, _ in batch])
    add_quotation(sqlite_session, "after", "oil, gas and gas.")  # the trigger's again
    assert_index_is_fts5s(sqlite_session)
    quotations, indexed, probed = sqlite_session.execute(
        text(
            "SELECT (SELECT count(*) FROM quotations), (SELECT count(*) FROM quotations_fts),"
            " (SELECT count(*) FROM quotations_fts_probe_terms)"
        )
    ).one()
    assert indexed == quotations
    assert probed == 0
    for term in ("gas", "oil", "the", "resume", "price"):
        assert walk(sqlite_session, term, 4) == fts5_ranking(sqlite_session, term), term


def test_a_failed_bulk_load_leaves_the_trigger_to_the_rollback(sqlite_session: Session) -> None:
    def load_then_fail() -> None:
        with sqlite_session.begin_nested(), bulk_quotation_index(sqlite_session.connection()):
            add_quotation(sqlite_session, "unindexed", "gas")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        load_then_fail()
    add_quotation(sqlite_session, "indexed", "gas")
    assert [quotation_id for _, quotation_id in fts5_ranking(sqlite_session, "gas")] == ["indexed"]


def test_a_word_repeated_too_often_in_either_form_is_left_to_fts5(
    sqlite_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_quotation(sqlite_session, "twice", "gas and gas")
    add_quotation(sqlite_session, "once", "gas")
    add_quotation(sqlite_session, "dreimal", "gas, gas und gas", GERMAN)
    add_quotation(sqlite_session, "einmal", "Gas", GERMAN)

    def served() -> list[str]:
        page = list_quotations(sqlite_session, QuotationQuery(q="gas", limit=5))
        return [json.loads(item)["id"] for item in page.items]

    expected = fts5_ranking(sqlite_session, "gas")
    assert len(expected) == 4
    for most, english, other in ((0, False, False), (1, True, False), (2, True, True)):
        monkeypatch.setattr("app.quotations.search.MAX_EXTRA_INSTANCES", most)
        english_page = best_single_term_matches(sqlite_session, "gas", "ga", None, 5)
        other_page = best_single_term_matches(sqlite_session, "gaszq0", "gaszq0", None, 5)
        assert (english_page is not None, other_page is not None) == (english, other)
        both = best_single_word_matches(sqlite_session, "gas", "ga", None, 5)
        assert both == (expected if english and other else None)
        assert served() == [quotation_id for _, quotation_id in expected]


def test_only_a_query_of_one_ascii_word_takes_the_path() -> None:
    assert single_search_term("  Gas! ") == ("gas", "ga")  # Porter stems gas as ga
    assert single_search_term("G7") == ("g7", "g7")
    assert single_search_term("Markets") == ("markets", "market")  # the term FTS5 indexes
    assert single_search_term("gas prices") is None
    assert single_search_term("résumé") == ("resume", "resum")  # folded as unicode61 folds
    assert single_search_term("Łukašenka") is None  # ł is not a letter with a mark to FTS5
    assert single_search_term("snake_case") is None  # two tokens to FTS5: a phrase
    assert single_search_term('"gas"') == ("gas", "ga")  # a phrase of one word is the word
    assert single_search_term('"gas prices"') is None
    assert single_search_term("gas -oil") is None
    assert single_search_term("gas OR oil") is None
    assert single_search_term("") is None


def test_varints_are_read_as_sqlite_writes_them() -> None:
    assert sqlite_varints(b"\x00\x7f\x81\x00") == [0, 127, 128]
    assert sqlite_varints(b"\xbd\x84\x40") == [1_000_000]  # the row count FTS5 stored for 1M rows
    assert sqlite_varints(b"\xff" * 9) == [2**64 - 1]  # the ninth byte holds eight bits


def test_the_first_length_from_a_rank_is_where_that_rank_begins() -> None:
    bm25 = Bm25.of(rows=1000, tokens=12_000, matching_rows=40)
    for length in (0, 1, 7, 12, 500, 70_000):
        rank = bm25.rank(1, length)
        assert bm25.first_length_from(rank) == length
        assert bm25.first_length_from(rank + 1e-9) == length + 1
    assert bm25.rank(2, 12) < bm25.rank(1, 12) < bm25.rank(1, 13)
