"""Whole-database snapshots, to assert that a refused operation wrote nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.models import Base

# A counter of write transactions, not data: an attempted write may count even if it changes
# nothing (it is what lets read caches know a write happened).
NOT_DATA = {"data_generation"}


def snapshot(bind: Session | Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, sorted, keyed by table name."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_DATA:
            continue
        result = bind.execute(select(table))
        rows[table.name] = sorted(
            (tuple(row) for row in result), key=lambda row: tuple(map(str, row))
        )
    return rows
