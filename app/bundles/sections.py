"""A fact kind's section of a bundle: how it is checked, applied and exported.

Each fact kind's package writes its section (`app/<kind>/bundle.py`, a BundleSection) and names
it in its registry entry; the loader and the exporter loop over the sections in bundle order
(participants, events, issues, quotations), so neither branches on a kind. This module also
holds what the sections share: problems and where they are, reference checks, the export's
context and its formatting helpers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVarTuple

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.bundles.format import BundleDocument, SpanIn
from app.changes.service import RecordStates
from app.core.dates import DatePrecision, format_partial_date
from app.core.spans import Span, occurrence_of
from app.core.sync import assign
from app.models.kind import RecordKind

_Columns = TypeVarTuple("_Columns")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle: where it is, and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def where(kind: RecordKind, index: int, fact_id: str) -> str:
    """Where a fact stands in its bundle, e.g. `events[0] (id 'summit')`."""
    return f"{kind.collection}[{index}] (id {fact_id!r})"


@dataclass
class Checks:
    """The problems found so far, and the ids each collection of the bundle declares."""

    ids: Mapping[RecordKind, set[str]]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, at: str, message: str) -> None:
        """Report a problem."""
        self.problems.append(Problem(at, message))

    def ref(self, at: str, kind: RecordKind, ref: str | None) -> None:
        """A problem unless the bundle declares the record a fact refers to."""
        if ref is not None and ref not in self.ids[kind]:
            self.problem(at, f"unknown {kind.value} id {ref!r}")

    def unique(self, at: str, values: Sequence[Any], message: str) -> None:
        """A problem when a value of a fact's list repeats."""
        if len(set(values)) != len(values):
            self.problem(at, message)


@dataclass
class ExportContext:
    """What a section's export sees: the article, and what the sections before it declared."""

    session: Session
    article_id: str
    text: str
    # The ids each section written so far declares (none for a kind without a section): a
    # link to any other record is left out.
    declared: defaultdict[RecordKind, set[str]] = field(default_factory=lambda: defaultdict(set))
    # A description of each link or span the bundle had to leave out.
    omitted: list[str] = field(default_factory=list)

    def span(self, span: Span) -> str | dict[str, Any]:
        """A span as the bundle writes it: its text, plus the occurrence only when it repeats."""
        return bundle_span(self.text, span)

    def spans(self, spans: Sequence[Span]) -> list[str | dict[str, Any]]:
        """Spans as the bundle writes them."""
        return [self.span(span) for span in spans]

    def sorted_rows(self, statement: Select[*_Columns]) -> list[Row[*_Columns]]:
        """The rows, sorted in Python by their leading columns (the record's key).

        Not ORDER BY: PostgreSQL's collation orders text by locale (it may skip hyphens),
        SQLite's by code point, and the export must be the same bytes on both.
        """

        def key(row: Sequence[Any]) -> tuple[str, ...]:
            return tuple(str(value) for value in row[:3])

        return sorted(self.session.execute(statement), key=key)


class BundleSection:
    """A fact kind's collection in a bundle; each fact kind's package subclasses it."""

    kind: ClassVar[RecordKind]

    def article_column(self) -> InstrumentedAttribute[str] | None:
        """The column tying each fact to one article, for kinds whose facts belong to an
        article (quotations): a bundle declares its own article's only, and a load deletes
        those its article's bundle no longer has. None for facts any article may support."""
        return None

    def items(self, document: BundleDocument) -> Sequence[Any]:
        """The section's facts in a bundle."""
        items: Sequence[Any] = getattr(document, self.kind.collection)
        return items

    def check(self, items: Sequence[Any], checks: Checks) -> None:
        """Report the section's own problems: references, repeats (each fact in turn)."""

    def check_whole(self, items: Sequence[Any], checks: Checks) -> None:
        """Report problems spanning the whole section; runs after every section's check."""

    def own_spans(self, item: Any) -> list[tuple[str, SpanIn]]:
        """Spans a fact states besides its evidence, with the field naming each."""
        return []

    def apply(self, session: Session, document: BundleDocument) -> None:
        """Write the section's facts and the rows they own (evidence aside)."""
        raise NotImplementedError

    def export(self, context: ExportContext, spans: Mapping[str, list[Span]]) -> list[Any]:
        """The section's entries: the facts with spans in the article, ordered by id, each
        with its spans here as its evidence."""
        ids = sorted(spans)
        if not ids:
            return []
        entries = self.entries(context, ids)
        for entry in entries:
            entry["evidence"] = context.spans(spans[entry["id"]])
        return entries

    def entries(self, context: ExportContext, ids: list[str]) -> list[dict[str, Any]]:
        """The entries of these facts, in id order, but for their evidence."""
        raise NotImplementedError


def bundle_span(text: str, span: Span) -> str | dict[str, Any]:
    """A span of text as a bundle writes it: its text, plus the occurrence only when it repeats."""
    snippet = text[span.start : span.end]
    occurrence = occurrence_of(text, span)
    return snippet if occurrence is None else {"text": snippet, "occurrence": occurrence}


def optional(entry: dict[str, Any], **values: Any) -> None:
    """Add the values that are set (not None, not empty), in the order given."""
    for name, value in values.items():
        if value is not None and value != [] and value != {}:
            entry[name] = value


def bundle_date(value: Any, precision: DatePrecision | None) -> str | None:
    """A stored partial date as a bundle writes it."""
    if value is None:
        return None
    return format_partial_date(value, precision or DatePrecision.DAY)


def date_value(text: Any) -> Any:
    """The stored value of a bundle's date (None when it has none)."""
    return text.value if text else None


def date_precision(text: Any) -> Any:
    """The stored precision of a bundle's date (None when it has none)."""
    return text.precision if text else None


def upsert_all(
    session: Session,
    model: type[Any],
    facts: Sequence[Any],
    values: Callable[[Any], Mapping[str, Any]],
) -> list[str]:
    """Create or update the record of each fact to hold `values(fact)`, then flush; the ids."""
    ids = [fact.id for fact in facts]
    existing = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))}
    for fact in facts:
        upsert(session, existing, model, fact.id, values(fact))
    session.flush()
    return ids


def upsert(
    session: Session,
    existing: Mapping[str, Any],
    model: type[Any],
    key: str,
    values: Mapping[str, Any],
) -> Any:
    """The record with this id, created or updated to hold `values`."""
    record = existing.get(key)
    if record is None:
        record = model(id=key, **values)
        session.add(record)
        return record
    assign(record, values)
    return record


class BundleKind(RecordStates, Protocol):
    """What the loader needs of a kind's registry entry: its states (for the change feed),
    its model, and its section (None for the article, which every bundle has one of)."""

    @property
    def model(self) -> type[Any]:
        """The kind's SQLAlchemy model."""

    @property
    def bundle(self) -> BundleSection | None:
        """The kind's section of a bundle."""


# The registry as the loader and exporter see it (app.kinds.KINDS, passed in by the caller).
BundleKinds = Mapping[RecordKind, BundleKind]


def bundle_sections(kinds: BundleKinds) -> list[BundleSection]:
    """The fact sections of a bundle, in the registry's order (the order they are written)."""
    return [spec.bundle for spec in kinds.values() if spec.bundle is not None]
