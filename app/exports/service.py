"""Bulk exports: every record of one kind, as NDJSON or CSV, produced batch by batch.

`export_batch(session, kinds, kind, format, after)` reads one batch of ids after `after`, so that
memory holds one batch at a time whatever the size of the table:

- The ids are read in batches of BATCH_SIZE (ARTICLE_BATCH_SIZE for articles, whose texts may
  each be up to a million characters) by keyset on the primary key (`id > last ORDER BY id
  LIMIT n`, an index range scan), then each batch's canonical states are read with
  app.changes.service.canonical_states (a fixed number of queries per batch). The API reads
  each batch in a short transaction of its own and sends it after the connection is back in
  the pool (app.exports.router), so a slow client holds nothing; a record written during a
  long export appears if its id comes after the batches already sent.
- NDJSON: one canonical state per line — exactly the `after` of the change feed — in id order.
- CSV (RFC 4180: comma-separated, `"`-quoted when needed, CRLF line ends, UTF-8, a header row;
  a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, as
  OWASP recommends against formula injection):
  the columns of the kind's registry entry (its canonical state's keys); null is an empty cell;
  a list is one cell, its items joined by `|` (a `|` or `\\` inside an item is escaped with
  `\\`), each item formatted as the entry's `csv_items` say:
  evidence `article_id:start:end`, event participants `participant_id:role`, issue agenda
  `event_id:status`, aliases `language:alias`, external ids `scheme:value`.

Ids sort in the database's collation (code points on SQLite; PostgreSQL's may differ).
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.service import State, canonical_states
from app.models.kind import RecordKind
from app.spec import KindSpec

# The registry as the export sees it (app.kinds.KINDS, passed in by the router's factory).
Kinds = Mapping[RecordKind, KindSpec]

BATCH_SIZE = 500
ARTICLE_BATCH_SIZE = 50


class ExportKind(enum.StrEnum):
    """The kinds of record that can be exported."""

    QUOTATIONS = "quotations"
    EVENTS = "events"
    PARTICIPANTS = "participants"
    ISSUES = "issues"
    ARTICLES = "articles"


class ExportFormat(enum.StrEnum):
    """Export formats."""

    NDJSON = "ndjson"
    CSV = "csv"


MEDIA_TYPES = {ExportFormat.NDJSON: "application/x-ndjson", ExportFormat.CSV: "text/csv"}


def record_kind(kind: ExportKind) -> RecordKind:
    """The kind of record an export kind names (`events` -> event)."""
    return next(record for record in RecordKind if record.collection == kind.value)


def csv_columns(kinds: Kinds, kind: ExportKind) -> tuple[str, ...]:
    """The CSV columns of an export kind: its canonical state's keys, in their order."""
    return kinds[record_kind(kind)].csv_columns


LIST_SEPARATOR = "|"


def _escape(item: str) -> str:
    return item.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR)


def _join(items: list[str]) -> str:
    return LIST_SEPARATOR.join(_escape(item) for item in items)


def _evidence(spans: list[dict[str, Any]]) -> list[str]:
    return [f"{span['article_id']}:{span['start']}:{span['end']}" for span in spans]


# OWASP's CSV injection advice: a cell a spreadsheet would read as a formula starts with one
# of these; such a cell gets a leading `'`, which spreadsheets show as text and do not keep.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell, made inert for spreadsheets if it could start a formula."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def csv_row(spec: KindSpec, state: State) -> list[str]:
    """The CSV cells of one canonical state (formula prefixes neutralised)."""
    return [neutralise(cell) for cell in _csv_cells(spec, state)]


def _csv_cells(spec: KindSpec, state: State) -> list[str]:
    """The cells before neutralising; the kind's entry says how a list is written."""
    row = []
    for column in spec.csv_columns:
        value = state.get(column)
        if value is None:
            row.append("")
        elif column == "evidence":
            row.append(_join(_evidence(value)))
        elif column in spec.csv_items:
            row.append(_join(spec.csv_items[column](value)))
        else:
            row.append(str(value))
    return row


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def export_batch(
    session: Session,
    kinds: Kinds,
    kind: ExportKind,
    export_format: ExportFormat,
    after: str | None,
) -> tuple[bytes, str | None]:
    """One batch of the export: the records after id `after` (all from the first when None)
    as bytes, the CSV header first when `after` is None; and the id to continue after, None
    when this was the last batch.

    The API streams an export this way, a short transaction a batch, so that a client that
    reads slowly holds no connection and no transaction while the batch is being sent.
    """
    spec = kinds[record_kind(kind)]
    column = spec.model.id
    size = ARTICLE_BATCH_SIZE if kind is ExportKind.ARTICLES else BATCH_SIZE
    statement = select(column).order_by(column).limit(size)
    if after is not None:
        statement = statement.where(column > after)
    ids = list(session.scalars(statement))
    states = canonical_states(session, kinds, spec.kind, ids) if ids else {}
    found = [states[record_id] for record_id in ids if record_id in states]
    header = ""
    if export_format is ExportFormat.CSV:
        header = _csv_text([list(spec.csv_columns)]) if after is None else ""
        text = _csv_text([csv_row(spec, state) for state in found])
    else:
        text = "".join(
            json.dumps(state, ensure_ascii=False, separators=(",", ":")) + "\n" for state in found
        )
    return (header + text).encode("utf-8"), ids[-1] if len(ids) == size else None
