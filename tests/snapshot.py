"""Whole-database snapshots, to assert that a refused operation wrote nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.models import Base


def snapshot(bind: Session | Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, keyed by table name."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        result = bind.execute(select(table))
        rows[table.name] = sorted(
            (tuple(row) for row in result), key=lambda row: tuple(map(str, row))
        )
    return rows
