"""PostgreSQL: each quotation's ts_rank for each of its lexemes, read by a one-word search

A search ranked every match with ts_rank to find the best: about 5 us a match, 50 ms for a
word in 1% of a million quotations. For a query of one lexeme, ts_rank (no weights set, no
normalization) depends only on that lexeme's positions in the row: it is the same number
whatever the query was built from. `quotations_fts_lexemes` holds it for every (lexeme,
quotation) of `quotations.text_fts`, negated, so that its primary key (lexeme, negated_rank,
quotation_id) lists a lexeme's matches best first, ties in quotation id order, and a page
cursor's `(negated_rank, quotation_id) > (...)` is a range of that index: a one-word search
reads only its page (app/quotations/search.py). The rank is computed by
`newsfacts_fts_lexeme_rank`: ts_rank of the row's vector and the lexeme as a query, as the
search computes it.

Statement triggers on quotations keep the table (transition tables: a bulk insert of a thousand
quotations is one statement): inserted rows add their lexemes; deleted rows (cascades from an
article included) take theirs away; an update whose vector or id changed (a new text, or the
article's language changed: 0011's triggers set `text_fts`) does both. A row's old entries are
found by the whole key, their ranks computed again from the old vector.

The quotation ids keep the collation of `quotations.id`, so they order as the search orders
them. SQLite is unchanged (its one-word search has its own tables: 0008).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00
"""

# The SQL below is assembled from this file's constants only, never from input.
# ruff: noqa: S608

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "quotations_fts_lexemes"

# The lexeme as a tsquery of one operand: quoted, its quotes and backslashes escaped, as
# tsquery's input reads them (no configuration: the lexeme is taken as it is).
_LEXEME_QUERY = r"('''' || replace(replace(lexeme, '\', '\\'), '''', '\''') || '''')::tsquery"
# What a statement's new rows add, and its old rows take away (found by the whole key, the rank
# computed again from the old vector); an update changes the rows whose vector or id changed.
_ADD = (
    f"INSERT INTO {TABLE} (lexeme, negated_rank, quotation_id)"
    " SELECT u.lexeme, -newsfacts_fts_lexeme_rank(n.text_fts, u.lexeme), n.id"
    " FROM new_quotations AS n, unnest(n.text_fts) AS u"
)
_REMOVE = (
    f"DELETE FROM {TABLE} AS l USING old_quotations AS o, unnest(o.text_fts) AS u"
    " WHERE l.lexeme = u.lexeme"
    " AND l.negated_rank = -newsfacts_fts_lexeme_rank(o.text_fts, u.lexeme)"
    " AND l.quotation_id = o.id"
)
_SAME = "SELECT FROM {other} WHERE o.id = n.id AND o.text_fts IS NOT DISTINCT FROM n.text_fts"
FUNCTIONS = {
    "newsfacts_fts_lexeme_rank(tsvector, text)": "CREATE FUNCTION newsfacts_fts_lexeme_rank("
    "vector tsvector, lexeme text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN"
    f" ts_rank(vector, {_LEXEME_QUERY})",
    "newsfacts_quotations_fts_lexemes()": "CREATE FUNCTION newsfacts_quotations_fts_lexemes()"
    " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF TG_OP = 'INSERT' THEN {_ADD}; ELSIF TG_OP = 'DELETE' THEN {_REMOVE};"
    f" ELSE {_REMOVE} AND NOT EXISTS ({_SAME.format(other='new_quotations AS n')});"
    f" {_ADD} WHERE NOT EXISTS ({_SAME.format(other='old_quotations AS o')}); END IF;"
    " RETURN NULL; END $$",
    # A TRUNCATE fires no row or DELETE trigger, and has no transition table.
    "newsfacts_quotations_fts_lexemes_truncated()": "CREATE FUNCTION"
    " newsfacts_quotations_fts_lexemes_truncated() RETURNS trigger LANGUAGE plpgsql AS $$"
    f" BEGIN TRUNCATE {TABLE}; RETURN NULL; END $$",
}
# A statement trigger with transition tables takes one event and no column list.
TRIGGERS = {
    f"{TABLE}_{event.lower()} ON quotations": f"CREATE TRIGGER {TABLE}_{event.lower()}"
    f" AFTER {event} ON quotations REFERENCING {tables} FOR EACH STATEMENT"
    " EXECUTE FUNCTION newsfacts_quotations_fts_lexemes()"
    for event, tables in (
        ("INSERT", "NEW TABLE AS new_quotations"),
        ("UPDATE", "OLD TABLE AS old_quotations NEW TABLE AS new_quotations"),
        ("DELETE", "OLD TABLE AS old_quotations"),
    )
}
TRIGGERS[f"{TABLE}_truncate ON quotations"] = (
    f"CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON quotations FOR EACH STATEMENT"
    " EXECUTE FUNCTION newsfacts_quotations_fts_lexemes_truncated()"
)


def _id_collation() -> str:
    """The collation of quotations.id, quoted for a COLLATE clause."""
    name = op.get_bind().exec_driver_sql(
        "SELECT quote_ident(c.collname) FROM pg_attribute AS a"
        " JOIN pg_collation AS c ON c.oid = a.attcollation"
        " WHERE a.attrelid = 'quotations'::regclass AND a.attname = 'id'"
    )
    return str(name.scalar_one())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f'CREATE TABLE {TABLE} (lexeme text COLLATE "C" NOT NULL, negated_rank real NOT NULL,'
        f" quotation_id varchar(100) COLLATE {_id_collation()} NOT NULL)"
    )
    for function in FUNCTIONS.values():
        op.execute(function)
    # The triggers first: they lock out writes to quotations until this transaction ends, so
    # the rows read below are all there will be.
    for trigger in TRIGGERS.values():
        op.execute(trigger)
    op.execute(
        f"INSERT INTO {TABLE} (lexeme, negated_rank, quotation_id)"
        " SELECT u.lexeme, -newsfacts_fts_lexeme_rank(q.text_fts, u.lexeme), q.id"
        " FROM quotations AS q, unnest(q.text_fts) AS u"
    )
    op.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT pk_{TABLE}"
        " PRIMARY KEY (lexeme, negated_rank, quotation_id)"
    )
    op.execute(f"ANALYZE {TABLE}")  # the planner's row counts, before autovacuum comes by


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute(f"DROP TABLE {TABLE}")
    for name in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {name}")
