"""The bundle loader: validate a whole bundle first, then sync the database to it.

`load_bundle(session, path)` is pure with respect to the transaction: it reads, validates and
writes through the given session, and leaves commit or rollback to its caller. Loading the
same bundle twice changes nothing; loading an edited bundle updates what changed and removes
the article's facts the bundle no longer has.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from app.bundles.format import BundleDocument, SpanIn
from app.changes.service import Change, ChangeTracker
from app.core.db import lock_for_writes
from app.core.spans import Span, SpanError, resolve_span
from app.core.strict_json import loads_json, loads_yaml
from app.core.sync import assign, sync_children, sync_rows
from app.core.text import search_key
from app.evidence.service import (
    SpeakerStillQuoted,
    delete_if_unsupported,
    facts_with_evidence_in,
)
from app.models.article import Article
from app.models.event import Event, EventParticipant
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind
from app.models.participant import Participant, ParticipantAlias, ParticipantExternalId
from app.models.quotation import Quotation, QuotationIssue

SEED_DIR = Path(__file__).resolve().parent / "seed"


def seed_bundle_paths() -> list[Path]:
    """The seed bundles shipped with the package, in load order."""
    return sorted(SEED_DIR.glob("*.yaml"))


# --- problems -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle: where it is, and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class BundleError(ValueError):
    """A bundle that cannot be loaded; nothing was written."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n{lines}")


# --- reading ------------------------------------------------------------------------------


def read_bundle(path: str | Path) -> BundleDocument:
    """Read and validate one bundle file (YAML or JSON); raise BundleError when invalid."""
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BundleError(str(path), [Problem("", f"cannot read the file: {exc}")]) from None
    return parse_bundle(raw_text, source=str(path), is_json=path.suffix.lower() == ".json")


def parse_bundle(raw_text: str, *, source: str, is_json: bool = False) -> BundleDocument:
    """Parse and validate bundle text; raise BundleError naming every problem."""
    try:
        data = loads_json(raw_text) if is_json else loads_yaml(raw_text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise BundleError(source, [Problem("", f"not valid {_syntax(is_json)}: {exc}")]) from None
    except RecursionError:
        raise BundleError(source, [Problem("", "nested too deeply")]) from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise BundleError(source, [Problem("", f"not valid {_syntax(is_json)}: {exc}")]) from None
    return validate_bundle(data, source=source)


def validate_bundle(data: Any, *, source: str) -> BundleDocument:
    """Validate parsed bundle data against the bundle schema."""
    if not isinstance(data, Mapping):
        raise BundleError(source, [Problem("", "the bundle must be a mapping with an 'article'")])
    try:
        return BundleDocument.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(_describe_location(data, error["loc"]), error["msg"]) for error in exc.errors()
        ]
        raise BundleError(source, problems) from None


def _syntax(is_json: bool) -> str:
    return "JSON" if is_json else "YAML"


def _describe_location(data: Any, loc: Sequence[int | str]) -> str:
    """Render a validation location, naming the fact by its id where it has one."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{step}]"]
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, Mapping) and isinstance(node.get("id"), str):
                parts[-1] += f" (id {node['id']!r})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, Mapping) else None
    return ".".join(parts)


# --- resolving ----------------------------------------------------------------------------


FactKey = tuple[RecordKind, str]


@dataclass(frozen=True)
class ResolvedBundle:
    """A validated bundle with every span resolved to offsets."""

    document: BundleDocument
    spans: dict[FactKey, list[Span]]
    source: str


def resolve_bundle(document: BundleDocument, *, source: str) -> ResolvedBundle:
    """Check ids, references and spans of a schema-valid bundle; raise BundleError if any fail."""
    problems: list[Problem] = []
    article = document.article
    text = article.text

    if article.content_sha256 is not None:
        actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if actual != article.content_sha256:
            problems.append(
                Problem(
                    "article.content_sha256",
                    f"declared {article.content_sha256} but the text's sha256 is {actual}",
                )
            )

    collections: dict[RecordKind, Sequence[Any]] = {
        RecordKind.PARTICIPANT: document.participants,
        RecordKind.EVENT: document.events,
        RecordKind.ISSUE: document.issues,
        RecordKind.QUOTATION: document.quotations,
    }
    ids: dict[RecordKind, set[str]] = {}
    for kind, items in collections.items():
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                problems.append(Problem(_where(kind, index, item.id), "duplicate id"))
            seen.add(item.id)
        ids[kind] = seen

    def check_ref(where: str, kind: RecordKind, ref: str | None) -> None:
        if ref is not None and ref not in ids[kind]:
            problems.append(Problem(where, f"unknown {kind.value} id {ref!r}"))

    for index, participant in enumerate(document.participants):
        where = _where(RecordKind.PARTICIPANT, index, participant.id)
        check_ref(f"{where}.affiliation", RecordKind.PARTICIPANT, participant.affiliation)
        if participant.affiliation == participant.id:
            problems.append(Problem(f"{where}.affiliation", "a participant cannot be its own"))
        aliases = [(alias.alias, alias.language) for alias in participant.aliases]
        for alias, language in sorted({a for a in aliases if aliases.count(a) > 1}):
            problems.append(
                Problem(f"{where}.aliases", f"alias {alias!r} ({language}) is listed twice")
            )
    for index, event in enumerate(document.events):
        where = _where(RecordKind.EVENT, index, event.id)
        for position, link in enumerate(event.participants):
            check_ref(f"{where}.participants[{position}]", RecordKind.PARTICIPANT, link.participant)
        links = [(link.participant, link.role) for link in event.participants]
        if len(set(links)) != len(links):
            problems.append(Problem(f"{where}.participants", "a participant-role pair repeats"))
    for index, issue in enumerate(document.issues):
        where = _where(RecordKind.ISSUE, index, issue.id)
        for position, item in enumerate(issue.agenda):
            check_ref(f"{where}.agenda[{position}]", RecordKind.EVENT, item.event)
        events = [item.event for item in issue.agenda]
        if len(set(events)) != len(events):
            problems.append(Problem(f"{where}.agenda", "an event is listed twice"))
    for index, quotation in enumerate(document.quotations):
        where = _where(RecordKind.QUOTATION, index, quotation.id)
        check_ref(f"{where}.speaker", RecordKind.PARTICIPANT, quotation.speaker)
        check_ref(f"{where}.audience", RecordKind.PARTICIPANT, quotation.audience)
        check_ref(f"{where}.event", RecordKind.EVENT, quotation.event)
        for position, issue_id in enumerate(quotation.issues):
            check_ref(f"{where}.issues[{position}]", RecordKind.ISSUE, issue_id)
        if len(set(quotation.issues)) != len(quotation.issues):
            problems.append(Problem(f"{where}.issues", "an issue is listed twice"))
    problems.extend(_affiliation_cycles(document))

    spans: dict[FactKey, list[Span]] = {}
    for kind, items in collections.items():
        for index, item in enumerate(items):
            where = _where(kind, index, item.id)
            resolved: list[Span] = []
            if kind is RecordKind.QUOTATION:
                own = SpanIn(text=item.text, occurrence=item.occurrence)
                _resolve_into(text, own, f"{where}.text", resolved, problems)
            for position, span in enumerate(item.evidence):
                _resolve_into(text, span, f"{where}.evidence[{position}]", resolved, problems)
            spans[(kind, item.id)] = sorted(set(resolved))

    if problems:
        raise BundleError(source, problems)
    return ResolvedBundle(document=document, spans=spans, source=source)


def _resolve_into(
    text: str, span: SpanIn, where: str, into: list[Span], problems: list[Problem]
) -> None:
    try:
        into.append(resolve_span(text, span.text, span.occurrence))
    except SpanError as exc:
        problems.append(Problem(where, str(exc)))


_COLLECTION_NAMES = {
    RecordKind.PARTICIPANT: "participants",
    RecordKind.EVENT: "events",
    RecordKind.ISSUE: "issues",
    RecordKind.QUOTATION: "quotations",
}


def _where(kind: RecordKind, index: int, fact_id: str) -> str:
    return f"{_COLLECTION_NAMES[kind]}[{index}] (id {fact_id!r})"


def _affiliation_cycles(document: BundleDocument) -> list[Problem]:
    parent = {p.id: p.affiliation for p in document.participants}
    found: set[frozenset[str]] = set()
    problems: list[Problem] = []
    for start in parent:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in chain:
            chain.append(node)
            node = parent[node]
        if node is None or node not in chain:
            continue
        cycle = chain[chain.index(node) :]
        if len(cycle) > 1 and frozenset(cycle) not in found:
            found.add(frozenset(cycle))
            path = " -> ".join([*cycle, node])
            problems.append(Problem("participants", f"affiliations form a cycle: {path}"))
    return problems


def _affiliation_order(document: BundleDocument) -> list[Any]:
    """Participants ordered so that each one's affiliation comes before it."""
    by_id = {p.id: p for p in document.participants}
    ordered: list[Any] = []
    placed: set[str] = set()

    def place(participant_id: str) -> None:
        if participant_id in placed:
            return
        placed.add(participant_id)
        affiliation = by_id[participant_id].affiliation
        if affiliation is not None and affiliation in by_id:
            place(affiliation)
        ordered.append(by_id[participant_id])

    for participant_id in by_id:
        place(participant_id)
    return ordered


# --- applying -----------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What a load changed, record by record (empty when the database already matched)."""

    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Changes counted per kind and operation."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for change in self.changes:
            totals[change.kind.value][change.operation.value] += 1
        return {kind: dict(ops) for kind, ops in sorted(totals.items())}


def _upsert(
    session: Session,
    existing: Mapping[str, Any],
    model: type[Any],
    key: str,
    values: Mapping[str, Any],
) -> Any:
    record = existing.get(key)
    if record is None:
        record = model(id=key, **values)
        session.add(record)
        return record
    assign(record, values)
    return record


def apply_bundle(
    session: Session, bundle: ResolvedBundle, *, actor: str = "cli", dry_run: bool = False
) -> LoadResult:
    """Make the database hold exactly what the bundle says about its article.

    Every record that changes is written to the change feed as `actor`. With dry_run, nothing
    stays written: the result says what the load would change.
    """
    if dry_run:
        savepoint = session.begin_nested()
        try:
            return LoadResult(_apply(session, bundle, actor=None))
        finally:
            savepoint.rollback()
    return LoadResult(_apply(session, bundle, actor=actor))


def _apply(session: Session, bundle: ResolvedBundle, *, actor: str | None) -> list[Change]:
    document = bundle.document
    article_in = document.article
    quotation_ids = [q.id for q in document.quotations]
    foreign = session.execute(
        select(Quotation.id, Quotation.article_id).where(
            Quotation.id.in_(quotation_ids), Quotation.article_id != article_in.id
        )
    ).all()
    if foreign:
        raise BundleError(
            bundle.source,
            [
                Problem(f"quotations (id {qid!r})", f"id already belongs to article {aid!r}")
                for qid, aid in foreign
            ],
        )

    # Facts of this article before the load, to find the ones the bundle no longer has.
    previous_facts = facts_with_evidence_in(session, article_in.id)
    stale_quotations = session.scalars(
        select(Quotation.id).where(
            Quotation.article_id == article_in.id, Quotation.id.not_in(quotation_ids)
        )
    ).all()
    tracker = ChangeTracker(session)
    tracker.track(RecordKind.ARTICLE, [article_in.id])
    tracker.track(RecordKind.PARTICIPANT, [p.id for p in document.participants])
    tracker.track(RecordKind.EVENT, [e.id for e in document.events])
    tracker.track(RecordKind.ISSUE, [i.id for i in document.issues])
    tracker.track(RecordKind.QUOTATION, [*quotation_ids, *stale_quotations])
    for kind, fact_id in previous_facts:
        tracker.track(kind, [fact_id])

    _apply_article(session, document)
    if stale_quotations:
        session.execute(delete(Quotation).where(Quotation.id.in_(stale_quotations)))
    _apply_participants(session, document)
    _apply_events(session, document)
    _apply_issues(session, document)
    _apply_quotations(session, document)
    _apply_evidence(session, bundle)
    _delete_orphans(session, previous_facts - set(bundle.spans), tracker, bundle.source)
    if actor is None:
        return [change for change, _, _ in tracker.changes()]
    return tracker.record(actor)


def _apply_article(session: Session, document: BundleDocument) -> None:
    article_in = document.article
    article = session.get(Article, article_in.id)
    _upsert(
        session,
        {article.id: article} if article else {},
        Article,
        article_in.id,
        {
            "title": article_in.title,
            "text": article_in.text,
            "language": article_in.language,
            "publisher": article_in.publisher,
            "url": article_in.url,
            "published_on": article_in.published.value if article_in.published else None,
            "published_precision": (
                article_in.published.precision if article_in.published else None
            ),
            "content_sha256": hashlib.sha256(article_in.text.encode("utf-8")).hexdigest(),
        },
    )
    session.flush()


def _apply_participants(session: Session, document: BundleDocument) -> None:
    ids = [p.id for p in document.participants]
    existing = {
        p.id: p
        for p in session.scalars(
            select(Participant)
            .where(Participant.id.in_(ids))
            .options(selectinload(Participant.aliases), selectinload(Participant.external_ids))
        )
    }
    for participant_in in _affiliation_order(document):
        created = participant_in.id not in existing
        record = _upsert(
            session,
            existing,
            Participant,
            participant_in.id,
            {
                "name": participant_in.name,
                "kind": participant_in.kind,
                "title": participant_in.title,
                "description": participant_in.description,
                "affiliation_id": participant_in.affiliation,
                "name_key": search_key(participant_in.name),
            },
        )
        if created:
            record.aliases = []
            record.external_ids = []
        aliases: dict[tuple[str, ...], dict[str, Any]] = {
            (a.alias, a.language): {"alias_key": search_key(a.alias)}
            for a in participant_in.aliases
        }
        sync_children(
            record.aliases,
            ("alias", "language"),
            aliases,
            lambda k, v: ParticipantAlias(alias=k[0], language=k[1], **v),
        )
        external: dict[tuple[str, ...], dict[str, Any]] = {
            (scheme,): {"value": value} for scheme, value in participant_in.external_ids.items()
        }
        sync_children(
            record.external_ids,
            ("scheme",),
            external,
            lambda k, v: ParticipantExternalId(scheme=k[0], **v),
        )
        # Flush in dependency order so an affiliation's target exists before it is referenced.
        session.flush()


def _apply_events(session: Session, document: BundleDocument) -> None:
    ids = [e.id for e in document.events]
    existing = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(ids)))}
    for event_in in document.events:
        _upsert(
            session,
            existing,
            Event,
            event_in.id,
            {
                "title": event_in.title,
                "kind": event_in.kind,
                "status": event_in.status,
                "date": event_in.date.value if event_in.date else None,
                "date_precision": event_in.date.precision if event_in.date else None,
                "location": event_in.location,
                "description": event_in.description,
            },
        )
    session.flush()
    sync_rows(
        session,
        EventParticipant,
        EventParticipant.event_id.in_(ids),
        {
            (event_in.id, link.participant, link.role)
            for event_in in document.events
            for link in event_in.participants
        },
        ("event_id", "participant_id", "role"),
    )


def _apply_issues(session: Session, document: BundleDocument) -> None:
    ids = [i.id for i in document.issues]
    existing = {i.id: i for i in session.scalars(select(Issue).where(Issue.id.in_(ids)))}
    for issue_in in document.issues:
        _upsert(
            session,
            existing,
            Issue,
            issue_in.id,
            {"title": issue_in.title, "summary": issue_in.summary, "category": issue_in.category},
        )
    session.flush()
    sync_rows(
        session,
        AgendaItem,
        AgendaItem.issue_id.in_(ids),
        {
            (item.event, issue_in.id, item.status)
            for issue_in in document.issues
            for item in issue_in.agenda
        },
        ("event_id", "issue_id", "status"),
    )


def _apply_quotations(session: Session, document: BundleDocument) -> None:
    ids = [q.id for q in document.quotations]
    existing = {q.id: q for q in session.scalars(select(Quotation).where(Quotation.id.in_(ids)))}
    for quotation_in in document.quotations:
        _upsert(
            session,
            existing,
            Quotation,
            quotation_in.id,
            {
                "article_id": document.article.id,
                "speaker_id": quotation_in.speaker,
                "text": quotation_in.text,
                "kind": quotation_in.kind,
                "said_on": quotation_in.said_on.value if quotation_in.said_on else None,
                "said_on_precision": (
                    quotation_in.said_on.precision if quotation_in.said_on else None
                ),
                "event_id": quotation_in.event,
                "audience_id": quotation_in.audience,
            },
        )
    session.flush()
    sync_rows(
        session,
        QuotationIssue,
        QuotationIssue.quotation_id.in_(ids),
        {(q.id, issue_id) for q in document.quotations for issue_id in q.issues},
        ("quotation_id", "issue_id"),
    )


def _apply_evidence(session: Session, bundle: ResolvedBundle) -> None:
    article_id = bundle.document.article.id
    current: dict[tuple[RecordKind, str, int, int], int] = {}
    for span in session.scalars(select(EvidenceSpan).where(EvidenceSpan.article_id == article_id)):
        kind, fact_id = span.fact
        current[(kind, fact_id, span.start, span.end)] = span.id
    desired = {
        (kind, fact_id, span.start, span.end)
        for (kind, fact_id), spans in bundle.spans.items()
        for span in spans
    }
    stale = [span_id for key, span_id in current.items() if key not in desired]
    if stale:
        session.execute(delete(EvidenceSpan).where(EvidenceSpan.id.in_(stale)))
    missing = sorted(desired - current.keys())
    if missing:
        session.execute(
            insert(EvidenceSpan),
            [
                {
                    "article_id": article_id,
                    "start": start,
                    "end": end,
                    **{
                        column.key: (fact_id if kind is fact_kind else None)
                        for fact_kind, column in EVIDENCE_COLUMNS.items()
                    },
                }
                for kind, fact_id, start, end in missing
            ],
        )


def _delete_orphans(
    session: Session, dropped: Iterable[FactKey], tracker: ChangeTracker, source: str
) -> None:
    """Delete facts this article no longer supports and no other article does either.

    Links to them from other articles' facts are detached, but a participant who still speaks
    a quotation elsewhere cannot go: the bundle is refused rather than lose that quotation.
    """
    for kind, fact_id in sorted(dropped):
        try:
            delete_if_unsupported(session, kind, fact_id, tracker)
        except SpeakerStillQuoted as exc:
            raise BundleError(
                source,
                [
                    Problem(
                        f"participants (id {fact_id!r})",
                        "the bundle drops this participant's last evidence, but they still"
                        f" speak quotations of other articles ({', '.join(exc.quotation_ids)});"
                        " keep their evidence, or delete those quotations first",
                    )
                ],
            ) from None


# --- entry points -------------------------------------------------------------------------


def load_bundle(session: Session, path: str | Path, *, actor: str = "cli") -> LoadResult:
    """Validate one bundle file completely, then sync the database to it (no commit)."""
    return load_bundles(session, [path], actor=actor)


def validate_bundles(paths: Iterable[str | Path]) -> list[ResolvedBundle]:
    """Read and check every file; BundleError on the first file with problems."""
    return [resolve_bundle(read_bundle(path), source=str(path)) for path in paths]


def apply_bundles(
    session: Session, bundles: Iterable[ResolvedBundle], *, actor: str = "cli"
) -> LoadResult:
    """Apply validated bundles in order in the caller's transaction (writers serialized)."""
    lock_for_writes(session)
    result = LoadResult()
    for bundle in bundles:
        result.changes.extend(apply_bundle(session, bundle, actor=actor).changes)
    return result


def load_bundles(
    session: Session, paths: Iterable[str | Path], *, actor: str = "cli"
) -> LoadResult:
    """Validate every file first, then apply them in order in the caller's transaction."""
    return apply_bundles(session, validate_bundles(paths), actor=actor)


__all__ = [
    "BundleError",
    "Change",
    "LoadResult",
    "Problem",
    "ResolvedBundle",
    "apply_bundle",
    "apply_bundles",
    "load_bundle",
    "load_bundles",
    "parse_bundle",
    "read_bundle",
    "resolve_bundle",
    "seed_bundle_paths",
    "validate_bundle",
    "validate_bundles",
]
