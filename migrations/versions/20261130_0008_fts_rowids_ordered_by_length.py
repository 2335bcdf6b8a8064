"""SQLite: FTS rowids ordered by the quotation's length, and the words each quotation repeats,
for a one-word search that ranks only the best matches

bm25 ranks a one-word match by its count of the word and its length in tokens. FTS5 scored every
match to find the best ones: about 1 us a match, 11 ms for a word in 1% of a million
quotations. A quotation's FTS rowid is now `length << 32 | n` (n numbers the quotations of that
length), so FTS5 lists a word's matches shortest first: for the matches holding the word once,
best first. `quotations_fts_repeats` lists the words a quotation holds more than once, with
their counts, so those few matches are found without reading every match
(app/quotations/search.py).

Both come from FTS5's own tokenizer: the insert trigger writes the text into
`quotations_fts_probe` (contentless), reads its terms and their counts from an fts5vocab table
(the length is their sum), then empties it. That costs about 44 us a quotation.
`quotations_fts_terms` (fts5vocab) gives a word's match and instance counts to the search.

PostgreSQL is unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:10:00
"""

# The SQL below is assembled from this file's constants only, never from input.
# ruff: noqa: S608

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"
_HEX = "'0123456789ABCDEF'"


def _byte(hex_text: str, number: int) -> str:
    """SQL for byte `number` (from 1) of a blob, given as `hex(blob)`."""
    high = f"instr({_HEX}, substr({hex_text}, {2 * number - 1}, 1)) - 1"
    low = f"instr({_HEX}, substr({hex_text}, {2 * number}, 1)) - 1"
    return f"(({high}) * 16 + {low})"


def varint_sql(hex_text: str, first: int) -> str:
    """SQL decoding the SQLite varint (big-endian, 7 bits a byte) at byte `first` of a blob,
    for values below 2**28: a token count of a quotation of up to a few hundred megabytes."""
    b = [_byte(hex_text, first + i) for i in range(4)]
    return (
        f"(CASE WHEN {b[0]} < 128 THEN {b[0]}"
        f" WHEN {b[1]} < 128 THEN ({b[0]} - 128) * 128 + {b[1]}"
        f" WHEN {b[2]} < 128 THEN (({b[0]} - 128) * 128 + {b[1]} - 128) * 128 + {b[2]}"
        f" ELSE ((({b[0]} - 128) * 128 + {b[1]} - 128) * 128 + {b[2]} - 128) * 128 + {b[3]}"
        " END)"
    )


# The next free rowid among the quotations of the probed length.
_ASSIGN_ROWID = (
    "INSERT INTO quotations_fts_rowids (fts_rowid, quotation_id)"
    " SELECT coalesce((SELECT max(fts_rowid) FROM quotations_fts_rowids"
    " WHERE fts_rowid BETWEEN base AND base + 4294967295) + 1, base), new.id"
    " FROM (SELECT coalesce(sum(cnt), 0) * 4294967296 AS base FROM quotations_fts_probe_terms);"
)
# Within the trigger, last_insert_rowid() is the rowid just assigned (inserts into the WITHOUT
# ROWID repeats table leave it alone), which saves looking it up by quotation id twice.
_PROBE_AND_INSERT = (
    "INSERT INTO quotations_fts_probe (rowid, text) VALUES (1, new.text);"
    f" {_ASSIGN_ROWID}"
    " INSERT INTO quotations_fts_repeats (term, fts_rowid, count)"
    " SELECT term, last_insert_rowid(), cnt FROM quotations_fts_probe_terms WHERE cnt > 1;"
    " INSERT INTO quotations_fts (rowid, quotation_id, text)"
    " VALUES (last_insert_rowid(), new.id, new.text);"
    " INSERT INTO quotations_fts_probe (quotations_fts_probe) VALUES ('delete-all');"
)
_INSERT_FTS = (
    " INSERT INTO quotations_fts (rowid, quotation_id, text) VALUES ("
    "(SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = new.id),"
    " new.id, new.text);"
)
_DELETE_FTS = (
    " DELETE FROM quotations_fts WHERE rowid ="
    " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
    " DELETE FROM quotations_fts_rowids WHERE quotation_id = old.id;"
)
_DELETE_REPEATS = (
    " DELETE FROM quotations_fts_repeats WHERE fts_rowid ="
    " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
)
TRIGGERS = {
    "insert": "CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN"
    f" {_PROBE_AND_INSERT} END",
    "delete": "CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN"
    f"{_DELETE_REPEATS}{_DELETE_FTS} END",
    # A new text may have a new length, hence a new rowid.
    "update": "CREATE TRIGGER quotations_fts_update AFTER UPDATE OF id, text ON quotations"
    f" BEGIN{_DELETE_REPEATS}{_DELETE_FTS} {_PROBE_AND_INSERT} END",
}

# 0006's triggers, restored by downgrade (they work with any rowids).
_PREVIOUS_TRIGGERS = {
    "insert": (
        "CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN"
        " INSERT INTO quotations_fts_rowids (quotation_id) VALUES (new.id);"
        f"{_INSERT_FTS} END"
    ),
    "delete": "CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN"
    f"{_DELETE_FTS} END",
    "update": (
        "CREATE TRIGGER quotations_fts_update AFTER UPDATE OF id, text ON quotations BEGIN"
        " DELETE FROM quotations_fts WHERE rowid ="
        " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
        " UPDATE quotations_fts_rowids SET quotation_id = new.id WHERE quotation_id = old.id;"
        f"{_INSERT_FTS} END"
    ),
}


def _drop_triggers() -> None:
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS quotations_fts_{trigger}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_triggers()
    # Existing rows: their length is in the FTS table's _docsize blob, after the one-byte 0 of
    # the UNINDEXED quotation_id column.
    op.execute(
        "CREATE TABLE quotations_fts_rowids_new ("
        "fts_rowid INTEGER PRIMARY KEY, quotation_id TEXT NOT NULL UNIQUE)"
    )
    op.execute(
        "INSERT INTO quotations_fts_rowids_new (fts_rowid, quotation_id)"
        " SELECT length * 4294967296"
        " + row_number() OVER (PARTITION BY length ORDER BY quotation_id) - 1, quotation_id"
        f" FROM (SELECT r.quotation_id, {varint_sql('hex(d.sz)', 2)} AS length"
        " FROM quotations_fts_rowids AS r JOIN quotations_fts_docsize AS d"
        " ON d.id = r.fts_rowid)"
    )
    op.execute("DROP TABLE quotations_fts")
    op.execute("DROP TABLE quotations_fts_rowids")
    op.execute("ALTER TABLE quotations_fts_rowids_new RENAME TO quotations_fts_rowids")
    op.execute(
        f"CREATE VIRTUAL TABLE quotations_fts USING fts5(quotation_id UNINDEXED, text, {TOKENIZER})"
    )
    op.execute(
        "INSERT INTO quotations_fts (rowid, quotation_id, text)"
        " SELECT r.fts_rowid, q.id, q.text FROM quotations_fts_rowids AS r"
        " JOIN quotations AS q ON q.id = r.quotation_id ORDER BY r.fts_rowid"
    )
    op.execute(
        "CREATE TABLE quotations_fts_repeats (term TEXT NOT NULL, fts_rowid INTEGER NOT NULL,"
        " count INTEGER NOT NULL, PRIMARY KEY (term, fts_rowid)) WITHOUT ROWID"
    )
    op.execute(
        "CREATE INDEX ix_quotations_fts_repeats_fts_rowid ON quotations_fts_repeats (fts_rowid)"
    )
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
        f"text, content = '', columnsize = 0, {TOKENIZER})"
    )
    op.execute(
        "CREATE VIRTUAL TABLE quotations_fts_probe_terms USING fts5vocab(quotations_fts_probe, row)"
    )
    op.execute("CREATE VIRTUAL TABLE quotations_fts_terms USING fts5vocab(quotations_fts, row)")
    for trigger in TRIGGERS.values():
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_triggers()
    for name in (
        "quotations_fts_terms",
        "quotations_fts_probe_terms",
        "quotations_fts_probe",
        "quotations_fts_repeats",
    ):
        op.execute(f"DROP TABLE IF EXISTS {name}")
    for trigger in _PREVIOUS_TRIGGERS.values():
        op.execute(trigger)
