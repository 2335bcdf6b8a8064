"""quotation full-text search

SQLite: an FTS5 table kept in step by triggers. PostgreSQL: a GIN index on the tsvector of
the quotation text. Neither is in the ORM metadata; migrations/env.py leaves names containing
"fts" out of autogenerate.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE quotations_fts USING fts5("
            "quotation_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "INSERT INTO quotations_fts (quotation_id, text) SELECT id, text FROM quotations"
        )
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
    else:
        op.execute(
            "CREATE INDEX ix_quotations_text_fts ON quotations"
            " USING gin (to_tsvector('simple', text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS quotations_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS quotations_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_quotations_text_fts")
