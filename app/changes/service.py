"""Canonical record states, the change tracker that audits every write, and the feed query.

Each record's canonical state holds its own fields and the relations it owns, and names other
records by id only: a participant owns its aliases, external ids and evidence; an event its
participants-with-roles and evidence; an issue its agenda entries and evidence; a quotation its
issue ids and evidence. So a write changes exactly the canonical states of the records it
touches, and replaying the feed rebuilds the database's canonical states.

Each kind builds its own canonical states and finds its dependents (its registry entry,
`app/<kind>/kind.py`); the tracker is given the registry (app.kinds.KINDS) by its caller, as
this floor stands below the kinds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.schemas import ChangeQuery, ChangeRead
from app.core.dates import format_partial_date
from app.core.pagination import Ordering, Page, SortKey, encode_cursor, paginate, split_page
from app.models.change import ChangeRecord, Operation
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.kind import RecordKind

State = dict[str, Any]
__all__ = [
    "Change",
    "ChangeTracker",
    "Kinds",
    "Operation",
    "RecordStates",
    "canonical_states",
    "dependents",
    "evidence_states",
    "partial_date",
]


@dataclass(frozen=True, order=True)
class Change:
    """One record a write created, updated or deleted."""

    kind: RecordKind
    id: str
    operation: Operation


def partial_date(value: Any, precision: Any) -> str | None:
    """A stored partial date as canonical states write it (None stays None)."""
    return format_partial_date(value, precision) if value is not None else None


def evidence_states(
    session: Session, kind: RecordKind, ids: Collection[str]
) -> dict[str, list[dict[str, Any]]]:
    """The evidence of each fact, as its canonical state lists it (one query)."""
    column: Any = EVIDENCE_COLUMNS[kind]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = session.execute(
        select(column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end)
        .where(column.in_(list(ids)))
        .order_by(column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end)
    )
    for fact_id, article_id, start, end in rows:
        found[fact_id].append({"article_id": article_id, "start": start, "end": end})
    return found


class RecordStates(Protocol):
    """What the change tracker needs of a kind; each kind's registry entry provides it."""

    def states(self, session: Session, ids: list[str]) -> dict[str, State]:
        """The canonical state of each existing record (a fixed number of queries)."""

    def dependents(self, session: Session, record_id: str) -> dict[RecordKind, set[str]]:
        """Records of other kinds whose canonical state names this record."""


# The registry as the change tracker sees it (app.kinds.KINDS, passed in by the caller).
Kinds = Mapping[RecordKind, RecordStates]


def canonical_states(
    session: Session, kinds: Kinds, kind: RecordKind, ids: Collection[str]
) -> dict[str, State]:
    """The canonical state of each existing record of this kind."""
    return kinds[kind].states(session, list(ids)) if ids else {}


def dependents(
    session: Session, kinds: Kinds, kind: RecordKind, record_id: str
) -> dict[RecordKind, set[str]]:
    """Records whose canonical state mentions this record, and so change when it goes."""
    found = kinds[kind].dependents(session, record_id)
    return {target: ids for target, ids in found.items() if ids}


class ChangeTracker:
    """Snapshots records before a write and records, after it, every one that changed."""

    def __init__(self, session: Session, kinds: Kinds) -> None:
        self.session = session
        self.kinds = kinds
        self._before: dict[RecordKind, dict[str, State | None]] = defaultdict(dict)

    def track(self, kind: RecordKind, ids: Iterable[str]) -> None:
        """Remember the current state of these records (once; later calls keep the first)."""
        new = [i for i in ids if i not in self._before[kind]]
        if not new:
            return
        self.session.flush()
        states = canonical_states(self.session, self.kinds, kind, new)
        for record_id in new:
            self._before[kind][record_id] = states.get(record_id)

    def track_dependents(self, kind: RecordKind, record_id: str) -> None:
        """Track the records that change when this one is deleted."""
        for target, ids in dependents(self.session, self.kinds, kind, record_id).items():
            self.track(target, ids)

    def changes(self) -> list[tuple[Change, State | None, State | None]]:
        """Every tracked record whose state differs now, with its before and after."""
        self.session.flush()
        found = []
        for kind, before_states in self._before.items():
            after_states = canonical_states(self.session, self.kinds, kind, list(before_states))
            for record_id, before in before_states.items():
                after = after_states.get(record_id)
                if before == after:
                    continue
                if before is None:
                    operation = Operation.CREATED
                elif after is None:
                    operation = Operation.DELETED
                else:
                    operation = Operation.UPDATED
                found.append((Change(kind, record_id, operation), before, after))
        return sorted(found, key=lambda item: item[0])

    def record(self, actor: str) -> list[Change]:
        """Write an audit row for every change, in a stable order, and return the changes."""
        found = self.changes()
        for change, before, after in found:
            self.session.add(
                ChangeRecord(
                    actor=actor,
                    operation=change.operation.value,
                    kind=change.kind.value,
                    record_id=change.id,
                    before=before,
                    after=after,
                )
            )
        self.session.flush()
        return [change for change, _, _ in found]


FEED_ORDER = Ordering("changes:seq", [SortKey(ChangeRecord.seq, kind=int)])


def list_changes(session: Session, query: ChangeQuery) -> Page[ChangeRead]:
    """Changes after `since`, in commit order."""
    statement = select(ChangeRecord)
    scope = query.kind.value if query.kind else ""
    if query.kind is not None:
        statement = statement.where(ChangeRecord.kind == query.kind.value)
    rows = session.scalars(paginate(statement, FEED_ORDER, query.since, query.limit, scope)).all()
    page, next_cursor = split_page(rows, FEED_ORDER, query.limit, lambda r: [r.seq], scope)
    return Page[ChangeRead](
        items=[
            ChangeRead(
                cursor=encode_cursor(FEED_ORDER, [row.seq], scope),
                seq=row.seq,
                occurred_at=(
                    row.occurred_at
                    if row.occurred_at.tzinfo
                    else row.occurred_at.replace(tzinfo=dt.UTC)
                ),
                actor=row.actor,
                operation=Operation(row.operation),
                kind=RecordKind(row.kind),
                id=row.record_id,
                before=row.before,
                after=row.after,
            )
            for row in page
        ],
        next_cursor=next_cursor,
    )
