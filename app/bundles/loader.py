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
from sqlalchemy.orm import Session

from app.bundles.format import ArticleIn, BundleDocument, SpanIn
from app.bundles.sections import (
    BundleKinds,
    BundleSection,
    Checks,
    Problem,
    bundle_sections,
    date_precision,
    date_value,
    upsert,
    where,
)
from app.changes.service import Change, ChangeTracker
from app.core.db import lock_for_writes
from app.core.spans import Span, SpanError, resolve_span
from app.core.strict_json import loads_json, loads_yaml
from app.evidence.service import (
    SpeakerStillQuoted,
    delete_if_unsupported,
    facts_with_evidence_in,
)
from app.models.article import Article
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.kind import RecordKind

SEED_DIR = Path(__file__).resolve().parent / "seed"


def seed_bundle_paths() -> list[Path]:
    """The seed bundles shipped with the package, in load order."""
    return sorted(SEED_DIR.glob("*.yaml"))


# --- problems -----------------------------------------------------------------------------


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


def resolve_bundle(document: BundleDocument, *, source: str, kinds: BundleKinds) -> ResolvedBundle:
    """Check ids, references and spans of a schema-valid bundle; raise BundleError if any fail."""
    sections = bundle_sections(kinds)
    checks = Checks({section.kind: set() for section in sections})
    _check_digest(document.article, checks)
    for section in sections:
        for index, item in enumerate(section.items(document)):
            if item.id in checks.ids[section.kind]:
                checks.problem(where(section.kind, index, item.id), "duplicate id")
            checks.ids[section.kind].add(item.id)
    for section in sections:
        section.check(section.items(document), checks)
    for section in sections:
        section.check_whole(section.items(document), checks)
    spans = {
        (section.kind, item.id): _resolve_spans(document.article.text, section, index, item, checks)
        for section in sections
        for index, item in enumerate(section.items(document))
    }
    if checks.problems:
        raise BundleError(source, checks.problems)
    return ResolvedBundle(document=document, spans=spans, source=source)


def _resolve_spans(
    text: str, section: BundleSection, index: int, item: Any, checks: Checks
) -> list[Span]:
    """A fact's spans (its own, then its evidence) as offsets, in order, each once."""
    at = where(section.kind, index, item.id)
    resolved: list[Span] = []
    for name, own in section.own_spans(item):
        _resolve_into(text, own, f"{at}.{name}", resolved, checks)
    for position, span in enumerate(item.evidence):
        _resolve_into(text, span, f"{at}.evidence[{position}]", resolved, checks)
    return sorted(set(resolved))


def _check_digest(article: ArticleIn, checks: Checks) -> None:
    if article.content_sha256 is not None:
        actual = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        if actual != article.content_sha256:
            checks.problem(
                "article.content_sha256",
                f"declared {article.content_sha256} but the text's sha256 is {actual}",
            )


def _resolve_into(text: str, span: SpanIn, at: str, into: list[Span], checks: Checks) -> None:
    try:
        into.append(resolve_span(text, span.text, span.occurrence))
    except SpanError as exc:
        checks.problem(at, str(exc))


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


def apply_bundle(
    session: Session,
    bundle: ResolvedBundle,
    *,
    kinds: BundleKinds,
    actor: str = "cli",
    dry_run: bool = False,
) -> LoadResult:
    """Make the database hold exactly what the bundle says about its article.

    Every record that changes is written to the change feed as `actor`. With dry_run, nothing
    stays written: the result says what the load would change.
    """
    if dry_run:
        savepoint = session.begin_nested()
        try:
            return LoadResult(_apply(session, bundle, kinds, actor=None))
        finally:
            savepoint.rollback()
    return LoadResult(_apply(session, bundle, kinds, actor=actor))


def _apply(
    session: Session, bundle: ResolvedBundle, kinds: BundleKinds, *, actor: str | None
) -> list[Change]:
    document = bundle.document
    sections = bundle_sections(kinds)
    # Facts of this article before the load, to find the ones the bundle no longer has.
    previous_facts = facts_with_evidence_in(session, document.article.id)
    stale = {s.kind: _stale(session, bundle, s, kinds[s.kind].model) for s in sections}
    tracker = ChangeTracker(session, kinds)
    tracker.track(RecordKind.ARTICLE, [document.article.id])
    for section in sections:
        ids = [fact.id for fact in section.items(document)]
        tracker.track(section.kind, [*ids, *stale[section.kind]])
    for kind, fact_id in previous_facts:
        tracker.track(kind, [fact_id])

    _apply_article(session, document)
    for section in sections:
        model = kinds[section.kind].model
        if stale[section.kind]:
            session.execute(delete(model).where(model.id.in_(stale[section.kind])))
    for section in sections:
        section.apply(session, document)
    _apply_evidence(session, bundle)
    _delete_orphans(session, previous_facts - set(bundle.spans), tracker, bundle.source)
    if actor is None:
        return [change for change, _, _ in tracker.changes()]
    return tracker.record(actor)


def _stale(
    session: Session, bundle: ResolvedBundle, section: BundleSection, model: Any
) -> list[str]:
    """The facts of a kind owned by one article (quotations) that this article's bundle no
    longer has; BundleError when the bundle declares another article's."""
    column = section.article_column()
    if column is None:
        return []
    article_id = bundle.document.article.id
    ids = [item.id for item in section.items(bundle.document)]
    fact_id = model.id
    foreign = session.execute(
        select(fact_id, column).where(fact_id.in_(ids), column != article_id)
    ).all()
    if foreign:
        raise BundleError(
            bundle.source,
            [
                Problem(
                    f"{section.kind.collection} (id {other!r})",
                    f"id already belongs to article {owner!r}",
                )
                for other, owner in foreign
            ],
        )
    stale = select(fact_id).where(column == article_id, fact_id.not_in(ids))
    return list(session.scalars(stale))


def _apply_article(session: Session, document: BundleDocument) -> None:
    article_in = document.article
    article = session.get(Article, article_in.id)
    upsert(
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
            "published_on": date_value(article_in.published),
            "published_precision": date_precision(article_in.published),
            "content_sha256": hashlib.sha256(article_in.text.encode("utf-8")).hexdigest(),
        },
    )
    session.flush()


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


def load_bundle(
    session: Session, path: str | Path, *, kinds: BundleKinds, actor: str = "cli"
) -> LoadResult:
    """Validate one bundle file completely, then sync the database to it (no commit)."""
    return load_bundles(session, [path], kinds=kinds, actor=actor)


def validate_bundles(paths: Iterable[str | Path], *, kinds: BundleKinds) -> list[ResolvedBundle]:
    """Read and check every file; BundleError on the first file with problems."""
    return [resolve_bundle(read_bundle(path), source=str(path), kinds=kinds) for path in paths]


def apply_bundles(
    session: Session,
    bundles: Iterable[ResolvedBundle],
    *,
    kinds: BundleKinds,
    actor: str = "cli",
) -> LoadResult:
    """Apply validated bundles in order in the caller's transaction (writers serialized)."""
    lock_for_writes(session)
    result = LoadResult()
    for bundle in bundles:
        result.changes.extend(apply_bundle(session, bundle, kinds=kinds, actor=actor).changes)
    return result


def load_bundles(
    session: Session, paths: Iterable[str | Path], *, kinds: BundleKinds, actor: str = "cli"
) -> LoadResult:
    """Validate every file first, then apply them in order in the caller's transaction."""
    bundles = validate_bundles(paths, kinds=kinds)
    return apply_bundles(session, bundles, kinds=kinds, actor=actor)


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
