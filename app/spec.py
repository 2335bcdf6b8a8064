"""A kind's registry entry: what every cross-cutting feature needs to know about one kind.

Each kind's package defines its entry (`app/<kind>/kind.py`) and the registry (app.kinds) maps
RecordKind to it. The features loop over the registry instead of branching per kind: the change
feed (canonical states, dependents), bundles (a fact kind's section), the bulk export (CSV
columns), the article page (a fact kind's view) and the write routes. Features on a lower floor
than the kinds (app.changes, app.bundles) are given the registry by their caller and type it
with a protocol of their own, which KindSpec satisfies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.bundles.sections import BundleSection
from app.changes.service import State
from app.jsonld import NodeBuilder
from app.models.kind import RecordKind
from app.writes.routes import WriteSpec

# A canonical state builder: the state of each existing record among ids, in a fixed number of
# queries however many ids (the change feed and the bulk export read batches of them).
StatesBuilder = Callable[[Session, list[str]], dict[str, State]]
# Records of other kinds whose canonical state names this record (and so change when it goes).
DependentsFinder = Callable[[Session, str], dict[RecordKind, set[str]]]
# The items of a CSV cell holding a list (or a mapping) of the canonical state.
CsvItems = Callable[[Any], list[str]]


@dataclass(frozen=True)
class PageFact:
    """A fact as the annotated article page shows it."""

    label: str
    details: list[tuple[str, str]]
    # Facts of one shade are coloured alike and share a legend entry: (key, legend label),
    # e.g. quotations by their speaker. None: the kind's own colour and legend entry.
    shade: tuple[str, str] | None = None


def page_details(*pairs: tuple[str, str | None]) -> list[tuple[str, str]]:
    """A fact's details for the page, leaving out those without a value."""
    return [(name, value) for name, value in pairs if value]


@dataclass(frozen=True)
class PageView:
    """How the article page shows a fact kind."""

    title: str  # "Event"
    plural: str  # "Events"
    # Where the kind stands in the legend and the fact lists (lowest first).
    order: int
    # Spans of the same range nest by rank (lowest outermost).
    rank: int
    # The page's view of each fact among ids (a fixed number of queries).
    facts: Callable[[Session, set[str]], dict[str, PageFact]]


@dataclass(frozen=True)
class KindSpec:
    """One kind of record, as the cross-cutting features see it."""

    kind: RecordKind
    model: type[Any]
    states: StatesBuilder
    dependents: DependentsFinder
    jsonld: NodeBuilder[Any]
    writes: WriteSpec
    # The bulk export's CSV columns (keys of the canonical state), and how each list or
    # mapping column other than `evidence` is written as items.
    csv_columns: tuple[str, ...]
    csv_items: Mapping[str, CsvItems]
    # Fact kinds only: the kind's section of a bundle, and its view on the article page.
    bundle: BundleSection | None = None
    page: PageView | None = None
