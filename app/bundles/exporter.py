"""Export: every article's bundle in the bundle format, the inverse of the loader.

`export_bundle(session, article_id)` reads one article and every fact with evidence in it and
returns plain data in the bundle format (app/bundles/README.md), ready for `yaml.safe_dump`.
`export_all(session, directory)` writes one `<article-id>.yaml` per article, querying article by
article so that the database is never held in memory at once. Loading the written files into an
empty database (`newsfacts load DIR/*.yaml`) reproduces the same API answers, and exporting an
unchanged database again gives byte-identical files (everything is ordered by id).

What a bundle cannot say is left out and reported (`ExportedFile.omitted`), never guessed: the
loader refuses a bundle naming an id it does not itself declare, and declares only the facts with
evidence in its article, so a link to a record with no evidence in this article cannot be written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVarTuple

import yaml
from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from app.bundles.loader import BundleError, resolve_bundle, validate_bundle
from app.core.dates import DatePrecision, format_partial_date
from app.core.spans import Span, occurrence_of
from app.models.article import Article
from app.models.event import Event, EventParticipant
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.participant import Participant, ParticipantAlias, ParticipantExternalId
from app.models.quotation import Quotation, QuotationIssue

__all__ = [
    "FACT_KINDS",
    "ExportError",
    "ExportedFile",
    "dump_bundle",
    "export_all",
    "export_bundle",
    "read_snapshot",
]

# The bundle's fact collections, in the order they are written.
FACT_KINDS = tuple(kind.collection for kind in EVIDENCE_COLUMNS)

_Columns = TypeVarTuple("_Columns")

_HEADER = "# Exported by `newsfacts export`. Format: app/bundles/README.md\n"


class ExportError(ValueError):
    """An article whose bundle would not load back as exported; its file is not written."""


@dataclass(frozen=True)
class ExportedFile:
    """One written bundle: its file, the ids of its facts per kind, and what it left out."""

    article_id: str
    path: Path
    facts: dict[str, list[str]]
    omitted: list[str] = field(default_factory=list)


# --- building one bundle ------------------------------------------------------------------


def _date(value: Any, precision: DatePrecision | None) -> str | None:
    if value is None:
        return None
    return format_partial_date(value, precision or DatePrecision.DAY)


def _span(text: str, span: Span) -> str | dict[str, Any]:
    """A span as the bundle writes it: its text, plus the occurrence only when it repeats."""
    snippet = text[span.start : span.end]
    occurrence = occurrence_of(text, span)
    return snippet if occurrence is None else {"text": snippet, "occurrence": occurrence}


def _optional(entry: dict[str, Any], **values: Any) -> None:
    """Add the values that are set (not None, not empty), in the order given."""
    for name, value in values.items():
        if value is not None and value != [] and value != {}:
            entry[name] = value


def export_bundle(session: Session, article_id: str) -> dict[str, Any]:
    """The article's bundle in the bundle format: plain data, ready for yaml.safe_dump."""
    return _build(session, article_id)[0]


def _build(session: Session, article_id: str) -> tuple[dict[str, Any], list[str]]:
    """The bundle, and a description of each link or span it had to leave out."""
    article = session.execute(
        select(
            Article.id,
            Article.title,
            Article.language,
            Article.publisher,
            Article.url,
            Article.published_on,
            Article.published_precision,
            Article.content_sha256,
            Article.text,
        ).where(Article.id == article_id)
    ).one_or_none()
    if article is None:
        raise LookupError(f"no article with id {article_id!r}")
    text: str = article.text
    omitted: list[str] = []

    # Every span in this article, by fact. Only spans in THIS article are written: each other
    # article's bundle carries the spans in it.
    spans: dict[str, dict[str, list[Span]]] = {kind: defaultdict(list) for kind in FACT_KINDS}
    rows = session.execute(
        select(*EVIDENCE_COLUMNS.values(), EvidenceSpan.start, EvidenceSpan.end)
        .where(EvidenceSpan.article_id == article_id)
        .order_by(EvidenceSpan.start, EvidenceSpan.end, EvidenceSpan.id)
    )
    for *fact_ids, start, end in rows:
        for kind, fact_id in zip(FACT_KINDS, fact_ids, strict=True):
            if fact_id is not None:
                spans[kind][fact_id].append(Span(start, end))

    participants = _participants(session, text, spans["participants"], omitted)
    participant_ids = {p["id"] for p in participants}
    events = _events(session, text, spans["events"], participant_ids, omitted)
    event_ids = {e["id"] for e in events}
    issues = _issues(session, text, spans["issues"], event_ids, omitted)
    issue_ids = {i["id"] for i in issues}
    quotations = _quotations(
        session,
        article_id,
        text,
        spans["quotations"],
        refs={"participant": participant_ids, "event": event_ids, "issue": issue_ids},
        omitted=omitted,
    )

    bundle: dict[str, Any] = {
        "version": 1,
        "article": {
            "id": article.id,
            "title": article.title,
            "language": article.language,
            "publisher": article.publisher,
            "url": article.url,
            "published": _date(article.published_on, article.published_precision),
            "content_sha256": article.content_sha256,
            "text": text,
        },
        "participants": participants,
        "events": events,
        "issues": issues,
        "quotations": quotations,
    }
    return bundle, omitted


def _sorted(session: Session, statement: Select[*_Columns]) -> list[Row[*_Columns]]:
    """The rows, sorted in Python by their leading columns (the record's key).

    Not ORDER BY: PostgreSQL's collation orders text by locale (it may skip hyphens), SQLite's
    by code point, and the export must be the same bytes on both.
    """

    def key(row: Sequence[Any]) -> tuple[str, ...]:
        return tuple(str(value) for value in row[:3])

    return sorted(session.execute(statement), key=key)


def _participants(
    session: Session, text: str, spans: Mapping[str, list[Span]], omitted: list[str]
) -> list[dict[str, Any]]:
    ids = sorted(spans)
    if not ids:
        return []
    aliases: dict[str, list[dict[str, str]]] = defaultdict(list)
    for participant_id, language, alias in _sorted(
        session,
        select(
            ParticipantAlias.participant_id, ParticipantAlias.language, ParticipantAlias.alias
        ).where(ParticipantAlias.participant_id.in_(ids)),
    ):
        aliases[participant_id].append({"alias": alias, "language": language})
    external: dict[str, dict[str, str]] = defaultdict(dict)
    for participant_id, scheme, value in _sorted(
        session,
        select(
            ParticipantExternalId.participant_id,
            ParticipantExternalId.scheme,
            ParticipantExternalId.value,
        ).where(ParticipantExternalId.participant_id.in_(ids)),
    ):
        external[participant_id][scheme] = value
    present = set(ids)
    result: list[dict[str, Any]] = []
    for p in _sorted(
        session,
        select(
            Participant.id,
            Participant.name,
            Participant.kind,
            Participant.title,
            Participant.description,
            Participant.affiliation_id,
        ).where(Participant.id.in_(ids)),
    ):
        affiliation = p.affiliation_id
        if affiliation is not None and affiliation not in present:
            # The affiliated participant has no evidence here, so this bundle cannot declare it.
            omitted.append(
                f"participant {p.id!r}: affiliation {affiliation!r} (not evidenced in the article)"
            )
            affiliation = None
        entry: dict[str, Any] = {"id": p.id, "name": p.name, "kind": p.kind.value}
        _optional(
            entry,
            title=p.title,
            description=p.description,
            affiliation=affiliation,
            aliases=aliases[p.id],
            external_ids=external[p.id],
        )
        entry["evidence"] = [_span(text, span) for span in spans[p.id]]
        result.append(entry)
    return result


def _events(
    session: Session,
    text: str,
    spans: Mapping[str, list[Span]],
    participant_ids: set[str],
    omitted: list[str],
) -> list[dict[str, Any]]:
    ids = sorted(spans)
    if not ids:
        return []
    roles: dict[str, list[dict[str, str]]] = defaultdict(list)
    for event_id, participant_id, role in _sorted(
        session,
        select(
            EventParticipant.event_id, EventParticipant.participant_id, EventParticipant.role
        ).where(EventParticipant.event_id.in_(ids)),
    ):
        if participant_id not in participant_ids:
            # A participant with no evidence in this article is not declared by its bundle, and
            # the loader refuses an unknown id; the bundle of an article evidencing both keeps it.
            omitted.append(
                f"event {event_id!r}: participant {participant_id!r} as {role}"
                " (not evidenced in the article)"
            )
            continue
        roles[event_id].append({"participant": participant_id, "role": role})
    result: list[dict[str, Any]] = []
    for e in _sorted(
        session,
        select(
            Event.id,
            Event.title,
            Event.kind,
            Event.status,
            Event.date,
            Event.date_precision,
            Event.location,
            Event.description,
        ).where(Event.id.in_(ids)),
    ):
        entry: dict[str, Any] = {
            "id": e.id,
            "title": e.title,
            "kind": e.kind.value,
            "status": e.status.value,
        }
        _optional(
            entry,
            date=_date(e.date, e.date_precision),
            location=e.location,
            description=e.description,
            participants=roles[e.id],
        )
        entry["evidence"] = [_span(text, span) for span in spans[e.id]]
        result.append(entry)
    return result


def _issues(
    session: Session,
    text: str,
    spans: Mapping[str, list[Span]],
    event_ids: set[str],
    omitted: list[str],
) -> list[dict[str, Any]]:
    ids = sorted(spans)
    if not ids:
        return []
    agenda: dict[str, list[dict[str, str]]] = defaultdict(list)
    for issue_id, event_id, status in _sorted(
        session,
        select(AgendaItem.issue_id, AgendaItem.event_id, AgendaItem.status).where(
            AgendaItem.issue_id.in_(ids)
        ),
    ):
        if event_id not in event_ids:
            # As for event participants: an event not evidenced here is unknown to this bundle.
            omitted.append(
                f"issue {issue_id!r}: agenda of event {event_id!r} (not evidenced in the article)"
            )
            continue
        agenda[issue_id].append({"event": event_id, "status": status.value})
    result: list[dict[str, Any]] = []
    for i in _sorted(
        session,
        select(Issue.id, Issue.title, Issue.summary, Issue.category).where(Issue.id.in_(ids)),
    ):
        entry: dict[str, Any] = {"id": i.id, "title": i.title}
        _optional(entry, summary=i.summary)
        entry["category"] = i.category.value
        _optional(entry, agenda=agenda[i.id])
        entry["evidence"] = [_span(text, span) for span in spans[i.id]]
        result.append(entry)
    return result


def _quotations(
    session: Session,
    article_id: str,
    text: str,
    spans: Mapping[str, list[Span]],
    *,
    refs: Mapping[str, set[str]],
    omitted: list[str],
) -> list[dict[str, Any]]:
    participant_ids, event_ids, issue_ids = refs["participant"], refs["event"], refs["issue"]
    rows = _sorted(
        session,
        select(
            Quotation.id,
            Quotation.speaker_id,
            Quotation.kind,
            Quotation.text,
            Quotation.said_on,
            Quotation.said_on_precision,
            Quotation.event_id,
            Quotation.audience_id,
        ).where(Quotation.article_id == article_id),
    )
    ids = [q.id for q in rows]
    # Spans here of another article's quotation: a bundle declares only its own article's
    # quotations, so it cannot carry them.
    for quotation_id in sorted(set(spans) - set(ids)):
        for span in spans[quotation_id]:
            omitted.append(
                f"quotation {quotation_id!r} (of another article): evidence [{span.start}:"
                f"{span.end}] in this article"
            )
    if not ids:
        return []
    linked: dict[str, list[str]] = defaultdict(list)
    for quotation_id, issue_id in _sorted(
        session,
        select(QuotationIssue.quotation_id, QuotationIssue.issue_id).where(
            QuotationIssue.quotation_id.in_(ids)
        ),
    ):
        linked[quotation_id].append(issue_id)
    result: list[dict[str, Any]] = []
    for q in rows:
        if q.speaker_id not in participant_ids:
            # The speaker is required, and a speaker with no evidence here cannot be declared.
            omitted.append(
                f"quotation {q.id!r}: the whole quotation, as its speaker {q.speaker_id!r}"
                " is not evidenced in the article"
            )
            continue
        own_spans = spans.get(q.id, [])
        own = next((s for s in own_spans if text[s.start : s.end] == q.text), None)
        if own is None:
            # Every write stores the quotation's own text as a span; should one be missing, the
            # loader finds the text again (and fails, naming it, if that is ambiguous).
            omitted.append(f"quotation {q.id!r}: no evidence span covers its text")
        entry: dict[str, Any] = {
            "id": q.id,
            "speaker": q.speaker_id,
            "kind": q.kind.value,
            "text": q.text,
        }
        _optional(entry, occurrence=occurrence_of(text, own) if own is not None else None)
        # Links to records this bundle does not declare are left out, as for events and issues.
        event = q.event_id if q.event_id in event_ids else None
        audience = q.audience_id if q.audience_id in participant_ids else None
        issues = [issue_id for issue_id in linked[q.id] if issue_id in issue_ids]
        for name, dropped in (
            ("event", [q.event_id] if q.event_id is not None and event is None else []),
            ("audience", [q.audience_id] if q.audience_id is not None and audience is None else []),
            ("issue", [issue_id for issue_id in linked[q.id] if issue_id not in issue_ids]),
        ):
            for ref in dropped:
                omitted.append(f"quotation {q.id!r}: {name} {ref!r} (not evidenced in the article)")
        _optional(
            entry,
            said_on=_date(q.said_on, q.said_on_precision),
            event=event,
            audience=audience,
            issues=issues,
            evidence=[_span(text, span) for span in own_spans if span != own],
        )
        result.append(entry)
    return result


# --- YAML ---------------------------------------------------------------------------------


# Line breaks YAML would read back differently from a block scalar (\r\n and NEL become \n).
_UNSAFE_BREAKS = re.compile("[\r\x85\u2028\u2029]")
# Dates are written quoted, as in the hand-written bundles, so that no parser reads one as a
# date or a number.
_DATE_LIKE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")


class _BundleDumper(yaml.SafeDumper):
    """SafeDumper with block style for multi-line strings and indented sequences."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _UNSAFE_BREAKS.search(value) or _DATE_LIKE.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        # PyYAML still falls back to a quoted style when a literal block cannot hold the value
        # exactly (e.g. trailing spaces on a line, tabs); dump_bundle checks the round trip.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_dict(dumper: yaml.SafeDumper, value: dict[Any, Any]) -> yaml.MappingNode:
    # Small mappings of short scalars ({alias: ..., language: ...}, {text: ..., occurrence: 2})
    # are written on one line, as the hand-written bundles do.
    small = (
        0 < len(value) <= 3
        and all(
            isinstance(item, str | int) and not isinstance(item, bool) for item in value.values()
        )
        and all("\n" not in str(item) for item in value.values())
        and sum(len(str(key)) + len(str(item)) for key, item in value.items()) <= 80
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=small)


_BundleDumper.add_representer(str, _represent_str)
_BundleDumper.add_representer(dict, _represent_dict)


def dump_bundle(bundle: Mapping[str, Any]) -> str:
    """The bundle as YAML text; raise ExportError unless it reads back as exactly the same data."""
    rendered = yaml.dump(
        dict(bundle),
        Dumper=_BundleDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # never fold a line: spans and quotations stay greppable
    )
    if yaml.safe_load(rendered) != dict(bundle):
        article_id = bundle.get("article", {}).get("id")
        raise ExportError(f"article {article_id!r}: the YAML does not read back as written")
    return _HEADER + rendered


# --- writing every article ----------------------------------------------------------------


def read_snapshot(session: Session) -> None:
    """Make the session's transaction read one consistent snapshot; call before any query.

    On PostgreSQL this asks for REPEATABLE READ, so that articles exported while others write
    agree with each other; a SQLite read transaction already sees one snapshot.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _article_ids(session: Session) -> list[str]:
    # Ids only (small), fetched first so that the per-article queries run one after another.
    return sorted(session.scalars(select(Article.id)))


def export_all(
    session: Session,
    directory: str | Path,
    *,
    on_file: Callable[[ExportedFile], None] | None = None,
) -> list[Path]:
    """Write `<article-id>.yaml` for every article into directory (created if missing).

    Articles are read one at a time. Each bundle is checked the way the loader checks it
    before its file is written; one that would not load raises ExportError (files written
    before it stay). on_file is called after each file is written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for article_id in _article_ids(session):
        bundle, omitted = _build(session, article_id)
        path = directory / f"{article_id}.yaml"
        try:
            resolve_bundle(validate_bundle(bundle, source=str(path)), source=str(path))
        except BundleError as exc:
            raise ExportError(f"{exc}\nthe file was not written") from None
        path.write_text(dump_bundle(bundle), encoding="utf-8", newline="\n")
        written.append(path)
        if on_file is not None:
            facts = {kind: [fact["id"] for fact in bundle[kind]] for kind in FACT_KINDS}
            on_file(ExportedFile(article_id, path, facts, omitted))
    return written
