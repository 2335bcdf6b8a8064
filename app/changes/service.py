"""Canonical record states, the change tracker that audits every write, and the feed query.

Each record's canonical state holds its own fields and the relations it owns, and names other
records by id only: a participant owns its aliases, external ids and evidence; an event its
participants-with-roles and evidence; an issue its agenda entries and evidence; a quotation its
issue ids and evidence. So a write changes exactly the canonical states of the records it
touches, and replaying the feed rebuilds the database's canonical states.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.schemas import ChangeQuery, ChangeRead
from app.core.dates import format_partial_date
from app.core.pagination import Ordering, Page, SortKey, encode_cursor, paginate, split_page
from app.models.article import Article
from app.models.change import ChangeRecord, Operation
from app.models.event import Event, EventParticipant
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind
from app.models.participant import Participant, ParticipantAlias, ParticipantExternalId
from app.models.quotation import Quotation, QuotationIssue

State = dict[str, Any]
__all__ = ["Change", "ChangeTracker", "Operation", "canonical_states", "dependents"]


@dataclass(frozen=True, order=True)
class Change:
    """One record a write created, updated or deleted."""

    kind: RecordKind
    id: str
    operation: Operation


def _date(value: Any, precision: Any) -> str | None:
    return format_partial_date(value, precision) if value is not None else None


def _evidence(
    session: Session, column: Any, ids: Collection[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = session.execute(
        select(column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end)
        .where(column.in_(list(ids)))
        .order_by(column, EvidenceSpan.article_id, EvidenceSpan.start, EvidenceSpan.end)
    )
    for fact_id, article_id, start, end in rows:
        found[fact_id].append({"article_id": article_id, "start": start, "end": end})
    return found


def canonical_states(session: Session, kind: RecordKind, ids: Collection[str]) -> dict[str, State]:
    """The canonical state of each existing record (a fixed number of queries per kind)."""
    if not ids:
        return {}
    wanted = list(ids)
    states: dict[str, State] = {}
    if kind is RecordKind.ARTICLE:
        for a in session.scalars(select(Article).where(Article.id.in_(wanted))):
            states[a.id] = {
                "id": a.id,
                "title": a.title,
                "language": a.language,
                "publisher": a.publisher,
                "url": a.url,
                "published_on": _date(a.published_on, a.published_precision),
                "content_sha256": a.content_sha256,
                "text": a.text,
            }
    elif kind is RecordKind.PARTICIPANT:
        aliases: dict[str, list[dict[str, str]]] = defaultdict(list)
        for alias in session.scalars(
            select(ParticipantAlias)
            .where(ParticipantAlias.participant_id.in_(wanted))
            .order_by(ParticipantAlias.language, ParticipantAlias.alias)
        ):
            aliases[alias.participant_id].append({"alias": alias.alias, "language": alias.language})
        external: dict[str, dict[str, str]] = defaultdict(dict)
        for row in session.scalars(
            select(ParticipantExternalId).where(ParticipantExternalId.participant_id.in_(wanted))
        ):
            external[row.participant_id][row.scheme] = row.value
        evidence = _evidence(session, EVIDENCE_COLUMNS[RecordKind.PARTICIPANT], wanted)
        for p in session.scalars(select(Participant).where(Participant.id.in_(wanted))):
            states[p.id] = {
                "id": p.id,
                "name": p.name,
                "kind": p.kind.value,
                "title": p.title,
                "description": p.description,
                "affiliation_id": p.affiliation_id,
                "aliases": aliases[p.id],
                "external_ids": dict(sorted(external[p.id].items())),
                "evidence": evidence[p.id],
            }
    elif kind is RecordKind.EVENT:
        roles: dict[str, list[dict[str, str]]] = defaultdict(list)
        for link in session.scalars(
            select(EventParticipant)
            .where(EventParticipant.event_id.in_(wanted))
            .order_by(EventParticipant.participant_id, EventParticipant.role)
        ):
            roles[link.event_id].append({"participant_id": link.participant_id, "role": link.role})
        evidence = _evidence(session, EVIDENCE_COLUMNS[RecordKind.EVENT], wanted)
        for e in session.scalars(select(Event).where(Event.id.in_(wanted))):
            states[e.id] = {
                "id": e.id,
                "title": e.title,
                "kind": e.kind.value,
                "status": e.status.value,
                "date": _date(e.date, e.date_precision),
                "location": e.location,
                "description": e.description,
                "participants": roles[e.id],
                "evidence": evidence[e.id],
            }
    elif kind is RecordKind.ISSUE:
        agenda: dict[str, list[dict[str, str]]] = defaultdict(list)
        for item in session.scalars(
            select(AgendaItem).where(AgendaItem.issue_id.in_(wanted)).order_by(AgendaItem.event_id)
        ):
            agenda[item.issue_id].append({"event_id": item.event_id, "status": item.status.value})
        evidence = _evidence(session, EVIDENCE_COLUMNS[RecordKind.ISSUE], wanted)
        for i in session.scalars(select(Issue).where(Issue.id.in_(wanted))):
            states[i.id] = {
                "id": i.id,
                "title": i.title,
                "summary": i.summary,
                "category": i.category.value,
                "agenda": agenda[i.id],
                "evidence": evidence[i.id],
            }
    else:
        issue_ids: dict[str, list[str]] = defaultdict(list)
        for quotation_id, issue_id in session.execute(
            select(QuotationIssue.quotation_id, QuotationIssue.issue_id)
            .where(QuotationIssue.quotation_id.in_(wanted))
            .order_by(QuotationIssue.issue_id)
        ):
            issue_ids[quotation_id].append(issue_id)
        evidence = _evidence(session, EVIDENCE_COLUMNS[RecordKind.QUOTATION], wanted)
        for q in session.scalars(select(Quotation).where(Quotation.id.in_(wanted))):
            states[q.id] = {
                "id": q.id,
                "article_id": q.article_id,
                "speaker_id": q.speaker_id,
                "text": q.text,
                "kind": q.kind.value,
                "said_on": _date(q.said_on, q.said_on_precision),
                "event_id": q.event_id,
                "audience_id": q.audience_id,
                "issue_ids": issue_ids[q.id],
                "evidence": evidence[q.id],
            }
    return states


def dependents(session: Session, kind: RecordKind, record_id: str) -> dict[RecordKind, set[str]]:
    """Records whose canonical state mentions this record, and so change when it goes."""
    found: dict[RecordKind, set[str]] = defaultdict(set)

    def add(target: RecordKind, statement: Any) -> None:
        found[target].update(session.scalars(statement))

    if kind is RecordKind.ARTICLE:
        add(RecordKind.QUOTATION, select(Quotation.id).where(Quotation.article_id == record_id))
        for target, column in EVIDENCE_COLUMNS.items():
            add(
                target,
                select(column).where(EvidenceSpan.article_id == record_id, column.is_not(None)),
            )
    elif kind is RecordKind.PARTICIPANT:
        add(RecordKind.QUOTATION, select(Quotation.id).where(Quotation.speaker_id == record_id))
        add(RecordKind.QUOTATION, select(Quotation.id).where(Quotation.audience_id == record_id))
        add(
            RecordKind.EVENT,
            select(EventParticipant.event_id).where(EventParticipant.participant_id == record_id),
        )
        add(
            RecordKind.PARTICIPANT,
            select(Participant.id).where(Participant.affiliation_id == record_id),
        )
    elif kind is RecordKind.EVENT:
        add(RecordKind.QUOTATION, select(Quotation.id).where(Quotation.event_id == record_id))
        add(RecordKind.ISSUE, select(AgendaItem.issue_id).where(AgendaItem.event_id == record_id))
    elif kind is RecordKind.ISSUE:
        add(
            RecordKind.QUOTATION,
            select(QuotationIssue.quotation_id).where(QuotationIssue.issue_id == record_id),
        )
    return {k: v for k, v in found.items() if v}


class ChangeTracker:
    """Snapshots records before a write and records, after it, every one that changed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._before: dict[RecordKind, dict[str, State | None]] = defaultdict(dict)

    def track(self, kind: RecordKind, ids: Iterable[str]) -> None:
        """Remember the current state of these records (once; later calls keep the first)."""
        new = [i for i in ids if i not in self._before[kind]]
        if not new:
            return
        self.session.flush()
        states = canonical_states(self.session, kind, new)
        for record_id in new:
            self._before[kind][record_id] = states.get(record_id)

    def track_dependents(self, kind: RecordKind, record_id: str) -> None:
        """Track the records that change when this one is deleted."""
        for target, ids in dependents(self.session, kind, record_id).items():
            self.track(target, ids)

    def changes(self) -> list[tuple[Change, State | None, State | None]]:
        """Every tracked record whose state differs now, with its before and after."""
        self.session.flush()
        found = []
        for kind, before_states in self._before.items():
            after_states = canonical_states(self.session, kind, list(before_states))
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
