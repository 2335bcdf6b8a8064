"""The Porter stems: Python's (for the one-word search), FTS5's and PostgreSQL's index agree."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, text

from app.bundles.loader import seed_bundle_paths
from app.core.porter import porter_stem

# Words where Porter's rules bite (his paper's examples and the -bly, -logy and two-letter words
# on which Snowball's porter differs from FTS5's), digits, and every word of the seed article.
TRICKY = (  # split by vocabulary()
    "caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated"
    " troubled sized hopping tanned falling hissing fizzed failing filing happy sky relational"
    " conditional rational valency hesitancy digitizer conformably radically differently vilely"
    " analogously vietnamization predication operator feudalism decisiveness hopefulness"
    " callousness formality sensitivity sensibility triplicate formative formalize electricity"
    " electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable"
    " defensible irritant replacement adjustment dependent adoption communism activate"
    " angularity homologous effective bowdlerize probate rate cease roll generalization"
    " oscillators logically analogy analogies archaeology possibly terribly humbly doubly bly"
    " logy as is us a i ay 2018 10th a1b2 markets market marketing gas yes by"
)


def vocabulary() -> list[str]:
    words = set(TRICKY.split())
    for path in seed_bundle_paths():
        words.update(w.lower() for w in re.findall(r"[A-Za-z0-9]+", Path(path).read_text()))
    return sorted(words)


def test_python_stems_are_fts5s() -> None:
    words = vocabulary()
    database = sqlite3.connect(":memory:")
    database.execute(
        "CREATE VIRTUAL TABLE probe USING fts5(text,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    database.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(probe, instance)")
    database.executemany("INSERT INTO probe (rowid, text) VALUES (?, ?)", list(enumerate(words, 1)))
    stems = dict(database.execute("SELECT doc, term FROM terms"))
    assert {word: stems[number] for number, word in enumerate(words, 1)} == {
        word: porter_stem(word) for word in words
    }


def test_the_index_stems_every_word_as_fts5_does(engine: Engine, backend: str) -> None:
    """SQLite: the quotations' own FTS5 table; PostgreSQL: its configuration and text function
    (words of one or two characters carry a mark there, so that they are not stemmed)."""
    words = vocabulary()
    with engine.connect() as connection:
        if backend == "sqlite":
            tokenizer = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'quotations_fts'")
            ).scalar_one()
            assert "porter unicode61 remove_diacritics 2" in tokenizer
            return
        found = {
            word: connection.execute(
                text(
                    "SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector("
                    "'newsfacts_porter', newsfacts_search_text(:word)))"
                ),
                {"word": word},
            ).scalar_one()
            for word in words
        }
    expected = {word: porter_stem(word) + ("q0q" if len(word) <= 2 else "") for word in words}
    assert found == expected


# Words of other languages are indexed with a marker (migration 0011) that no stemmer touches.
MARKER = "zq0"
# Latin letters with marks (folded), letters of their own (ł, ß, æ, ø: kept), other scripts.
FOREIGN = (
    "Märkte Zölle Straße Żołnierze Łódź mówią façade naïve Ærøskøbing Ångström ÉCOLE čeština"
    " Ñandú şehir Đakovo Лукашэнка йогурт Ёлка ΆΘΗΝΑ ά"
)


def fts5_words(text: str, tokenizer: str) -> list[str]:
    database = sqlite3.connect(":memory:")
    database.execute(f"CREATE VIRTUAL TABLE probe USING fts5(text, tokenize = '{tokenizer}')")
    database.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(probe, instance)")
    database.execute("INSERT INTO probe (rowid, text) VALUES (1, ?)", (text,))
    return [term for (term,) in database.execute("SELECT term FROM terms ORDER BY offset")]


def test_no_stemmer_changes_a_marked_word(engine: Engine, backend: str) -> None:
    """FTS5's porter tokenizer, and PostgreSQL's configuration over newsfacts_marked_text,
    index every word with its marker as it is: none is stemmed, none cut in two."""
    words = vocabulary()
    expected = [word + MARKER for word in words]
    assert fts5_words(" ".join(expected), "porter unicode61 remove_diacritics 2") == expected
    if backend == "sqlite":
        return
    with engine.connect() as connection:
        found = {
            word: connection.execute(
                text(
                    "SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector("
                    "'newsfacts_porter', newsfacts_marked_text(:word)))"
                ),
                {"word": word},
            ).scalar_one()
            for word in words
        }
    assert found == {word: word + MARKER for word in words}


def test_words_of_other_languages_are_folded_as_fts5_folds_them(
    engine: Engine, backend: str
) -> None:
    """SQLite marks the words FTS5's unstemmed tokenizer gives (its triggers); PostgreSQL's
    newsfacts_marked_text folds case and the marks of Latin letters as it does."""
    expected = [word + MARKER for word in fts5_words(FOREIGN, "unicode61 remove_diacritics 2")]
    assert "zolnierzezq0" not in expected  # ł is a letter of its own
    assert {"marktezq0", "zołnierzezq0", "łodzzq0", "ecolezq0", "йогуртzq0"} <= set(expected)
    with engine.connect() as connection:
        if backend == "sqlite":
            tokenizer = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'quotations_fts_plain_probe'")
            ).scalar_one()
            assert "'unicode61 remove_diacritics 2'" in tokenizer
            return
        marked = connection.execute(
            text("SELECT newsfacts_marked_text(:text)"), {"text": FOREIGN}
        ).scalar_one()
    assert marked.split() == expected
