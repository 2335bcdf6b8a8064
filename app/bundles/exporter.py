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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.loader import BundleError, resolve_bundle, validate_bundle
from app.bundles.sections import BundleKinds, ExportContext, bundle_date, bundle_sections
from app.core.spans import Span
from app.models.article import Article
from app.models.evidence import EVIDENCE_COLUMNS, EvidenceSpan
from app.models.kind import RecordKind

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


def export_bundle(session: Session, article_id: str, *, kinds: BundleKinds) -> dict[str, Any]:
    """The article's bundle in the bundle format: plain data, ready for yaml.safe_dump."""
    return _build(session, article_id, kinds)[0]


def _build(
    session: Session, article_id: str, kinds: BundleKinds
) -> tuple[dict[str, Any], list[str]]:
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
    context = ExportContext(session, article_id, article.text)
    spans = _spans(session, article_id)
    bundle: dict[str, Any] = {
        "version": 1,
        "article": {
            "id": article.id,
            "title": article.title,
            "language": article.language,
            "publisher": article.publisher,
            "url": article.url,
            "published": bundle_date(article.published_on, article.published_precision),
            "content_sha256": article.content_sha256,
            "text": article.text,
        },
    }
    for section in bundle_sections(kinds):
        entries = section.export(context, spans[section.kind])
        context.declared[section.kind] = {entry["id"] for entry in entries}
        bundle[section.kind.collection] = entries
    return bundle, context.omitted


def _spans(session: Session, article_id: str) -> dict[RecordKind, dict[str, list[Span]]]:
    """Every span in this article, by fact. Only spans in THIS article are written: each other
    article's bundle carries the spans in it."""
    spans: dict[RecordKind, dict[str, list[Span]]] = {
        kind: defaultdict(list) for kind in EVIDENCE_COLUMNS
    }
    rows = session.execute(
        select(*EVIDENCE_COLUMNS.values(), EvidenceSpan.start, EvidenceSpan.end)
        .where(EvidenceSpan.article_id == article_id)
        .order_by(EvidenceSpan.start, EvidenceSpan.end, EvidenceSpan.id)
    )
    for *fact_ids, start, end in rows:
        for kind, fact_id in zip(EVIDENCE_COLUMNS, fact_ids, strict=True):
            if fact_id is not None:
                spans[kind][fact_id].append(Span(start, end))
    return spans


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


def dump_bundle(bundle: Mapping[str, Any], *, header: str = _HEADER) -> str:
    """The bundle as YAML text under its header comment (the export's by default); raise
    ExportError unless it reads back as exactly the same data."""
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
    return header + rendered


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
    kinds: BundleKinds,
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
        bundle, omitted = _build(session, article_id, kinds)
        path = directory / f"{article_id}.yaml"
        try:
            document = validate_bundle(bundle, source=str(path))
            resolve_bundle(document, source=str(path), kinds=kinds)
        except BundleError as exc:
            raise ExportError(f"{exc}\nthe file was not written") from None
        path.write_text(dump_bundle(bundle), encoding="utf-8", newline="\n")
        written.append(path)
        if on_file is not None:
            facts = {kind: [fact["id"] for fact in bundle[kind]] for kind in FACT_KINDS}
            on_file(ExportedFile(article_id, path, facts, omitted))
    return written
