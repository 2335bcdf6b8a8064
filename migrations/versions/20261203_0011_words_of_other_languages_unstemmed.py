"""Stemming chosen by the article's language: English stemmed, other languages word for word

0009 stemmed every quotation as English. Now only quotations of English articles (a language
tag whose primary subtag is `en`, in any case) are; a quotation of any other language (`und`
included) is found by its words as written, case and diacritics folded.

One index still holds both. A word of a quotation not in English is indexed with the suffix
`zq0`: the Porter stemmer (FTS5's and Snowball's) has no rule for a word ending in a digit, so it
leaves such a word alone, and no English stem ends so (unless the text itself holds such a
word). A search looks for its English form or its marked form (app/quotations/search.py); a
quotation holds one or the other, never both, so its rank is that of the form it holds.

SQLite: the FTS row of a quotation not in English holds its marked words instead of its text.
The words are FTS5's own: the text is written into `quotations_fts_plain_probe` (the tokenizer
without porter), whose instances, in order, each followed by the suffix, make the row's text;
that text goes through the probe of 0008 for its length and repeats, so a marked row has the
same token count as its text, and the rowids and repeats of 0008 hold. The triggers read the
article's language; a quotation moved to another article is indexed again, and so are an
article's quotations when its language changes between English and another
(`articles_fts_language`). Nothing in the app reads the FTS table's text (the benchmark's
Datasette queries do, on a corpus in English).

PostgreSQL: `text_fts` is no longer generated (a generated column cannot read the article):
triggers keep it, `newsfacts_text_fts(text, english)` computes it, the English vector as 0009's
and the other one over `newsfacts_marked_text(text)` (folded as FTS5's unicode61 folds Latin
letters: marks after a-z dropped; then each word suffixed). The GIN index stays.

Existing quotations of articles not in English are indexed again, both ways.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:00:00
"""

# The SQL below is assembled from this file's constants only, never from input.
# ruff: noqa: S608

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKER = "zq0"
UNSTEMMED = "tokenize = 'unicode61 remove_diacritics 2'"


def english(language: str) -> str:
    """SQL: whether a language tag's primary subtag is `en` (both databases)."""
    return f"upper(substr({language}, 1, 3)) IN ('EN', 'EN-')"


# --- SQLite ---------------------------------------------------------------------------------

# A quotation of an article that cannot be found (none, with foreign keys on) is English.
_NEW_ENGLISH = (
    f"coalesce((SELECT {english('language')} FROM articles WHERE id = new.article_id), 1)"
)
_MARKED_WORDS = (
    f"(SELECT coalesce(group_concat(term || '{MARKER}', ' '), '')"
    " FROM (SELECT term FROM quotations_fts_plain_probe_words ORDER BY offset))"
)
_INDEXED_TEXT = f"CASE WHEN {_NEW_ENGLISH} THEN new.text ELSE {_MARKED_WORDS} END"
# 0008's, but the text indexed is the marked words for a quotation not in English.
_ASSIGN_ROWID = (
    "INSERT INTO quotations_fts_rowids (fts_rowid, quotation_id)"
    " SELECT coalesce((SELECT max(fts_rowid) FROM quotations_fts_rowids"
    " WHERE fts_rowid BETWEEN base AND base + 4294967295) + 1, base), new.id"
    " FROM (SELECT coalesce(sum(cnt), 0) * 4294967296 AS base FROM quotations_fts_probe_terms);"
)
_PROBE_AND_INSERT = (
    "INSERT INTO quotations_fts_plain_probe (rowid, text)"
    f" SELECT 1, new.text WHERE NOT {_NEW_ENGLISH};"
    f" INSERT INTO quotations_fts_probe (rowid, text) VALUES (1, {_INDEXED_TEXT});"
    f" {_ASSIGN_ROWID}"
    " INSERT INTO quotations_fts_repeats (term, fts_rowid, count)"
    " SELECT term, last_insert_rowid(), cnt FROM quotations_fts_probe_terms WHERE cnt > 1;"
    " INSERT INTO quotations_fts (rowid, quotation_id, text)"
    f" VALUES (last_insert_rowid(), new.id, {_INDEXED_TEXT});"
    " INSERT INTO quotations_fts_probe (quotations_fts_probe) VALUES ('delete-all');"
    " INSERT INTO quotations_fts_plain_probe (quotations_fts_plain_probe)"
    f" SELECT 'delete-all' WHERE NOT {_NEW_ENGLISH};"
)
_DELETE = (
    " DELETE FROM quotations_fts_repeats WHERE fts_rowid ="
    " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
    " DELETE FROM quotations_fts WHERE rowid ="
    " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
    " DELETE FROM quotations_fts_rowids WHERE quotation_id = old.id;"
)
TRIGGERS = {
    "quotations_fts_insert": "CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations"
    f" BEGIN {_PROBE_AND_INSERT} END",
    "quotations_fts_update": "CREATE TRIGGER quotations_fts_update"
    f" AFTER UPDATE OF id, text, article_id ON quotations BEGIN{_DELETE} {_PROBE_AND_INSERT} END",
    # Setting a text indexes it again (the update trigger above).
    "articles_fts_language": "CREATE TRIGGER articles_fts_language"
    " AFTER UPDATE OF language ON articles"
    f" WHEN ({english('old.language')}) IS NOT ({english('new.language')})"
    " BEGIN UPDATE quotations SET text = text WHERE article_id = new.id; END",
}

# 0008's triggers (unchanged by 0009), restored by downgrade.
_PREVIOUS_PROBE_AND_INSERT = (
    "INSERT INTO quotations_fts_probe (rowid, text) VALUES (1, new.text);"
    f" {_ASSIGN_ROWID}"
    " INSERT INTO quotations_fts_repeats (term, fts_rowid, count)"
    " SELECT term, last_insert_rowid(), cnt FROM quotations_fts_probe_terms WHERE cnt > 1;"
    " INSERT INTO quotations_fts (rowid, quotation_id, text)"
    " VALUES (last_insert_rowid(), new.id, new.text);"
    " INSERT INTO quotations_fts_probe (quotations_fts_probe) VALUES ('delete-all');"
)
_PREVIOUS_TRIGGERS = {
    "quotations_fts_insert": "CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations"
    f" BEGIN {_PREVIOUS_PROBE_AND_INSERT} END",
    "quotations_fts_update": "CREATE TRIGGER quotations_fts_update AFTER UPDATE OF id, text"
    f" ON quotations BEGIN{_DELETE} {_PREVIOUS_PROBE_AND_INSERT} END",
}

# Quotations of articles not in English: indexed again by setting their text.
_REINDEX_OTHER_LANGUAGES = (
    "UPDATE quotations SET text = text WHERE article_id IN"
    f" (SELECT id FROM articles WHERE NOT ({english('language')}))"
)


def _sqlite_upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE quotations_fts_plain_probe USING fts5("
        f"text, content = '', columnsize = 0, {UNSTEMMED})"
    )
    op.execute(
        "CREATE VIRTUAL TABLE quotations_fts_plain_probe_words"
        " USING fts5vocab(quotations_fts_plain_probe, instance)"
    )
    for name, trigger in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(trigger)
    op.execute(_REINDEX_OTHER_LANGUAGES)


def _sqlite_downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for trigger in _PREVIOUS_TRIGGERS.values():
        op.execute(trigger)
    op.execute(_REINDEX_OTHER_LANGUAGES)
    op.execute("DROP TABLE quotations_fts_plain_probe_words")
    op.execute("DROP TABLE quotations_fts_plain_probe")


# --- PostgreSQL -----------------------------------------------------------------------------

FUNCTIONS = {
    "newsfacts_english(text)": "CREATE FUNCTION newsfacts_english(language text)"
    f" RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN {english('language')}",
    # Lower case; a-z without the marks that follow them (é, ü, ż: as unicode61 with
    # remove_diacritics folds Latin letters; ł, ß, й stay); runs of letters and digits as
    # words (0009's), each followed by the marker.
    "newsfacts_marked_text(text)": "CREATE FUNCTION newsfacts_marked_text(body text)"
    " RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN"
    " regexp_replace(regexp_replace(normalize(regexp_replace(normalize(lower(body), NFD),"
    r" '([a-z])[\u0300-\u036f]+', '\1', 'g'), NFC),"
    " '[^[:alnum:]]+', ' ', 'g'),"
    rf" '([[:alnum:]]+)', '\1{MARKER}', 'g')",
    "newsfacts_text_fts(text, boolean)": "CREATE FUNCTION newsfacts_text_fts("
    "body text, english boolean) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN"
    " CASE WHEN english"
    " THEN to_tsvector('newsfacts_porter'::regconfig, newsfacts_search_text(body))"
    " ELSE to_tsvector('newsfacts_porter'::regconfig, newsfacts_marked_text(body)) END",
    "newsfacts_quotations_fts()": "CREATE FUNCTION newsfacts_quotations_fts()"
    " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " NEW.text_fts := newsfacts_text_fts(NEW.text, coalesce("
    "(SELECT newsfacts_english(language) FROM articles WHERE id = NEW.article_id), true));"
    " RETURN NEW; END $$",
    "newsfacts_articles_fts()": "CREATE FUNCTION newsfacts_articles_fts()"
    " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " UPDATE quotations SET text_fts = newsfacts_text_fts(text, newsfacts_english(NEW.language))"
    " WHERE article_id = NEW.id; RETURN NULL; END $$",
}
PG_TRIGGERS = {
    "quotations_fts ON quotations": "CREATE TRIGGER quotations_fts"
    " BEFORE INSERT OR UPDATE OF text, article_id ON quotations"
    " FOR EACH ROW EXECUTE FUNCTION newsfacts_quotations_fts()",
    "articles_fts_language ON articles": "CREATE TRIGGER articles_fts_language"
    " AFTER UPDATE OF language ON articles FOR EACH ROW"
    " WHEN (newsfacts_english(OLD.language) IS DISTINCT FROM newsfacts_english(NEW.language))"
    " EXECUTE FUNCTION newsfacts_articles_fts()",
}


def _postgresql_upgrade() -> None:
    for function in FUNCTIONS.values():
        op.execute(function)
    # The stored vectors stay; only those of other languages are computed again.
    op.execute("ALTER TABLE quotations ALTER COLUMN text_fts DROP EXPRESSION")
    op.execute(
        "UPDATE quotations AS q SET text_fts = newsfacts_text_fts(q.text, false)"
        " FROM articles AS a WHERE a.id = q.article_id AND NOT newsfacts_english(a.language)"
    )
    for trigger in PG_TRIGGERS.values():
        op.execute(trigger)


def _postgresql_downgrade() -> None:
    for name in PG_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    # 0009's generated column.
    op.execute("DROP INDEX ix_quotations_text_fts")
    op.execute("ALTER TABLE quotations DROP COLUMN text_fts")
    op.execute(
        "ALTER TABLE quotations ADD COLUMN text_fts tsvector GENERATED ALWAYS AS"
        " (to_tsvector('newsfacts_porter'::regconfig, newsfacts_search_text(text))) STORED"
    )
    op.execute("CREATE INDEX ix_quotations_text_fts ON quotations USING gin (text_fts)")
    for name in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {name}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_downgrade()
    else:
        _postgresql_downgrade()
