"""SQLite full-text rows found by rowid

The triggers of 0002 found a quotation's FTS5 row by its UNINDEXED quotation_id column, which
reads the whole index: changing or deleting one quotation of a million took over a second.
Each quotation now gets a stable FTS rowid in quotations_fts_rowids (an INTEGER PRIMARY KEY, so
VACUUM keeps it), and the triggers delete FTS rows by that rowid. PostgreSQL is unchanged: its
GIN index is on an expression of the quotation row itself.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 04:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLE = (
    "CREATE VIRTUAL TABLE quotations_fts USING fts5("
    "quotation_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')"
)
TRIGGERS = {
    "insert": (
        "CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN"
        " INSERT INTO quotations_fts_rowids (quotation_id) VALUES (new.id);"
        " INSERT INTO quotations_fts (rowid, quotation_id, text) VALUES ("
        "(SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = new.id),"
        " new.id, new.text); END"
    ),
    "delete": (
        "CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN"
        " DELETE FROM quotations_fts WHERE rowid ="
        " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
        " DELETE FROM quotations_fts_rowids WHERE quotation_id = old.id; END"
    ),
    "update": (
        "CREATE TRIGGER quotations_fts_update AFTER UPDATE OF id, text ON quotations BEGIN"
        " DELETE FROM quotations_fts WHERE rowid ="
        " (SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = old.id);"
        " UPDATE quotations_fts_rowids SET quotation_id = new.id WHERE quotation_id = old.id;"
        " INSERT INTO quotations_fts (rowid, quotation_id, text) VALUES ("
        "(SELECT fts_rowid FROM quotations_fts_rowids WHERE quotation_id = new.id),"
        " new.id, new.text); END"
    ),
}


def _drop_fts() -> None:
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS quotations_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS quotations_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_fts()
    op.execute(
        "CREATE TABLE quotations_fts_rowids ("
        "fts_rowid INTEGER PRIMARY KEY, quotation_id TEXT NOT NULL UNIQUE)"
    )
    op.execute("INSERT INTO quotations_fts_rowids (quotation_id) SELECT id FROM quotations")
    op.execute(FTS_TABLE)
    op.execute(
        "INSERT INTO quotations_fts (rowid, quotation_id, text)"
        " SELECT r.fts_rowid, q.id, q.text FROM quotations_fts_rowids AS r"
        " JOIN quotations AS q ON q.id = r.quotation_id"
    )
    for trigger in TRIGGERS.values():
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_fts()
    op.execute("DROP TABLE IF EXISTS quotations_fts_rowids")
    op.execute(FTS_TABLE)
    op.execute("INSERT INTO quotations_fts (quotation_id, text) SELECT id, text FROM quotations")
    op.execute(
        "CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN"
        " INSERT INTO quotations_fts (quotation_id, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN"
        " DELETE FROM quotations_fts WHERE quotation_id = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER quotations_fts_update AFTER UPDATE OF id, text ON quotations BEGIN"
        " DELETE FROM quotations_fts WHERE quotation_id = old.id;"
        " INSERT INTO quotations_fts (quotation_id, text) VALUES (new.id, new.text); END"
    )
