"""Stemmed full-text search: the Porter stemmer on both databases

`markets` did not find `market`: both indexes held words as written. SQLite's FTS5 table and its
probe now tokenize with `porter unicode61 remove_diacritics 2`. A stem has as many tokens as its
text, so the FTS rowids of 0008 (length << 32 | n) stay as they are; the table is filled again in
rowid order, and the repeats are recounted over stems (`market ... markets` repeats `market`).
The triggers of 0008 name the tables, not the tokenizer, and are kept.

PostgreSQL gets a text search configuration `newsfacts_porter` (Snowball's `porter`: the same
algorithm, no stop words) and the function `newsfacts_search_text`, applied to the quotations and
to every query word alike, which makes its words FTS5's: every run of letters and digits is a
word; words of one or two characters are marked so that they are not stemmed (FTS5 stems tokens
of three bytes or more); and words ending in `bly` or `logy`/`logies`, where FTS5's stemmer (that
of Porter's own C code) differs from Snowball's, are rewritten to the form both stem alike.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STEMMED = "tokenize = 'porter unicode61 remove_diacritics 2'"
UNSTEMMED = "tokenize = 'unicode61 remove_diacritics 2'"

# A stem before `bli`/`logi` with a vowel followed by a consonant (Porter's m > 0).
_STEM = "[[:alnum:]]*[aeiouy][^aeiouy ][[:alnum:]]*"
SEARCH_TEXT_FUNCTION = (
    "CREATE FUNCTION newsfacts_search_text(body text) RETURNS text"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN"
    " regexp_replace(regexp_replace(regexp_replace("
    "lower(regexp_replace(body, '[^[:alnum:]]+', ' ', 'g')),"
    f" '\\m({_STEM})bly\\M', '\\1ble', 'g'),"
    f" '\\m({_STEM})log(y|ies)\\M', '\\1log', 'g'),"
    " '\\m([[:alnum:]]{1,2})\\M', '\\1q0q', 'g')"
)


def _sqlite_index(tokenizer: str) -> None:
    for name in (
        "quotations_fts_terms",
        "quotations_fts_probe_terms",
        "quotations_fts_probe",
        "quotations_fts",
    ):
        op.execute(f"DROP TABLE IF EXISTS {name}")
    op.execute(
        f"CREATE VIRTUAL TABLE quotations_fts USING fts5(quotation_id UNINDEXED, text, {tokenizer})"
    )
    op.execute(
        "INSERT INTO quotations_fts (rowid, quotation_id, text)"
        " SELECT r.fts_rowid, q.id, q.text FROM quotations_fts_rowids AS r"
        " JOIN quotations AS q ON q.id = r.quotation_id ORDER BY r.fts_rowid"
    )
    op.execute("DELETE FROM quotations_fts_repeats")
    op.execute(
        "CREATE VIRTUAL TABLE temp.quotations_fts_instances"
        " USING fts5vocab(main, quotations_fts, instance)"
    )
    op.execute(
        "INSERT INTO quotations_fts_repeats (term, fts_rowid, count)"
        " SELECT term, doc, count(*) FROM temp.quotations_fts_instances"
        " GROUP BY term, doc HAVING count(*) > 1"
    )
    op.execute("DROP TABLE temp.quotations_fts_instances")
    op.execute(
        "CREATE VIRTUAL TABLE quotations_fts_probe USING fts5("
        f"text, content = '', columnsize = 0, {tokenizer})"
    )
    op.execute(
        "CREATE VIRTUAL TABLE quotations_fts_probe_terms USING fts5vocab(quotations_fts_probe, row)"
    )
    op.execute("CREATE VIRTUAL TABLE quotations_fts_terms USING fts5vocab(quotations_fts, row)")


def _postgresql_vector(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_quotations_text_fts")
    op.execute("ALTER TABLE quotations DROP COLUMN text_fts")
    op.execute(
        f"ALTER TABLE quotations ADD COLUMN text_fts tsvector GENERATED ALWAYS AS ({expression})"
        " STORED"
    )
    op.execute("CREATE INDEX ix_quotations_text_fts ON quotations USING gin (text_fts)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_index(STEMMED)
        return
    op.execute(SEARCH_TEXT_FUNCTION)
    op.execute(
        "CREATE TEXT SEARCH DICTIONARY newsfacts_porter (TEMPLATE = snowball, Language = porter)"
    )
    op.execute("CREATE TEXT SEARCH CONFIGURATION newsfacts_porter (COPY = simple)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION newsfacts_porter ALTER MAPPING REPLACE simple"
        " WITH newsfacts_porter"
    )
    _postgresql_vector("to_tsvector('newsfacts_porter'::regconfig, newsfacts_search_text(text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_index(UNSTEMMED)
        return
    _postgresql_vector("to_tsvector('simple'::regconfig, text)")
    op.execute("DROP TEXT SEARCH CONFIGURATION newsfacts_porter")
    op.execute("DROP TEXT SEARCH DICTIONARY newsfacts_porter")
    op.execute("DROP FUNCTION newsfacts_search_text(text)")
