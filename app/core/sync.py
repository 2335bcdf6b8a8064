"""Syncing rows to a desired set: what a bundle load and a write both do to child records."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session


def assign(record: Any, values: Mapping[str, Any]) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    return changed


def sync_children(
    children: list[Any],
    key_names: tuple[str, ...],
    desired: Mapping[tuple[str, ...], Mapping[str, Any]],
    make: Callable[[tuple[str, ...], Mapping[str, Any]], Any],
) -> None:
    """Make a one-to-many collection hold exactly `desired`, keyed by the key_names columns."""
    current = {tuple(getattr(child, name) for name in key_names): child for child in children}
    for key, child in list(current.items()):
        if key not in desired:
            children.remove(child)
    for key, values in desired.items():
        if key in current:
            assign(current[key], values)
        else:
            children.append(make(key, values))


def sync_rows(
    session: Session,
    model: type[Any],
    scope: Any,
    desired: set[tuple[Any, ...]],
    columns: Sequence[str],
) -> None:
    """Make the rows of a link table selected by `scope` be exactly `desired` (column tuples)."""
    selected = [getattr(model, name) for name in columns]
    current = {tuple(row) for row in session.execute(select(*selected).where(scope))}
    for row in current - desired:
        session.execute(
            delete(model).where(
                *(column == value for column, value in zip(selected, row, strict=True))
            )
        )
    missing = desired - current
    if missing:
        session.execute(
            insert(model), [dict(zip(columns, row, strict=True)) for row in sorted(missing)]
        )
