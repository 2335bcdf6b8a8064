"""The registry of kinds: an entry for every kind, each with every part, and the cross-cutting
features (change feed, bundles, export, article page, write routes) driven by it."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.exporter import export_bundle
from app.bundles.format import BundleDocument
from app.changes.service import ChangeTracker, canonical_states
from app.exports.service import ExportKind, csv_columns, csv_row
from app.kinds import KINDS
from app.models.kind import FACT_KINDS, RecordKind
from app.pages.service import get_article_page
from app.spec import KindSpec

ARTICLE_ID = "lukashenka-putin-sochi-2018"

# Where a bundle and a canonical state rightly differ: a bundle names a reference without
# `_id` (`speaker`, `issues`), says which occurrence of a quotation's text it means, and a
# quotation's article is the bundle's own.
BUNDLE_ONLY = {RecordKind.QUOTATION: {"occurrence"}}
STATE_ONLY = {RecordKind.QUOTATION: {"article_id"}}


def bundle_name(state_key: str) -> str:
    """The bundle's name of a canonical state key: `speaker_id` -> `speaker`, `issue_ids` ->
    `issues` (ids of a kind), `external_ids` stays (not references)."""
    kinds = {kind.value for kind in RecordKind}
    if state_key.endswith("_ids") and state_key.removesuffix("_ids") in kinds:
        return state_key.removesuffix("_ids") + "s"
    return state_key.removesuffix("_id")


def states_of(session: Session, spec: KindSpec) -> list[dict[str, Any]]:
    ids = list(session.scalars(select(spec.model.id)))
    return list(canonical_states(session, KINDS, spec.kind, ids).values())


def test_every_record_kind_has_one_entry_in_bundle_order() -> None:
    assert list(KINDS) == list(RecordKind)
    for kind, spec in KINDS.items():
        assert spec.kind is kind
        assert spec.writes.kind is kind
        assert spec.model.__tablename__ == kind.collection


def test_fact_kinds_have_a_bundle_section_and_a_page_view_and_the_article_neither() -> None:
    for kind, spec in KINDS.items():
        if kind in FACT_KINDS:
            assert spec.bundle is not None
            assert spec.bundle.kind is kind
            assert spec.page is not None
        else:
            assert spec.bundle is None
            assert spec.page is None
    views = [spec.page for spec in KINDS.values() if spec.page is not None]
    assert sorted(view.order for view in views) == list(range(len(views)))
    assert len({view.rank for view in views}) == len(views)


def test_an_entry_s_canonical_states_have_its_csv_columns(session: Session) -> None:
    for spec in KINDS.values():
        states = states_of(session, spec)
        assert states, spec.kind
        for state in states:
            assert tuple(state) == spec.csv_columns
            cells = csv_row(spec, state)
            assert len(cells) == len(spec.csv_columns)
        # Each list or mapping column is written by the entry (evidence by the export itself).
        structured = {
            column
            for state in states
            for column, value in state.items()
            if isinstance(value, list | dict) and column != "evidence"
        }
        assert structured <= set(spec.csv_items), spec.kind
    for export_kind in ExportKind:
        assert (
            csv_columns(KINDS, export_kind) == KINDS[RecordKind(export_kind.value[:-1])].csv_columns
        )


@pytest.mark.parametrize("kind", FACT_KINDS)
def test_a_fact_s_bundle_fields_are_its_canonical_state_s(
    session: Session, kind: RecordKind
) -> None:
    """Adding a field to a fact's canonical state and not to its bundle (or back) fails here."""
    annotation = BundleDocument.model_fields[kind.collection].annotation
    (item_model,) = typing.get_args(annotation)
    bundle_fields = set(item_model.model_fields) - BUNDLE_ONLY.get(kind, set())
    state_keys = set(KINDS[kind].csv_columns) - STATE_ONLY.get(kind, set())
    assert bundle_fields == {bundle_name(key) for key in state_keys}
    # And an exported entry carries no field its canonical state lacks.
    bundle = export_bundle(session, ARTICLE_ID, kinds=KINDS)
    for entry in bundle[kind.collection]:
        assert set(entry) <= bundle_fields | BUNDLE_ONLY.get(kind, set())


def without_issue_parts(**parts: Any) -> dict[RecordKind, KindSpec]:
    """The registry with the issue entry's given parts replaced."""
    kinds = dict(KINDS)
    kinds[RecordKind.ISSUE] = dataclasses.replace(KINDS[RecordKind.ISSUE], **parts)
    return kinds


def test_the_bundle_has_the_sections_of_the_registry(session: Session) -> None:
    full = export_bundle(session, ARTICLE_ID, kinds=KINDS)
    assert list(full) == ["version", "article", *(kind.collection for kind in FACT_KINDS)]
    assert full["issues"]
    partial = export_bundle(session, ARTICLE_ID, kinds=without_issue_parts(bundle=None))
    assert "issues" not in partial
    assert partial["events"] == full["events"]


def test_the_article_page_shows_the_kinds_of_the_registry(session: Session) -> None:
    full = get_article_page(session, KINDS, ARTICLE_ID)
    assert [group.kind for group in full.groups] == [
        RecordKind.QUOTATION,
        RecordKind.EVENT,
        RecordKind.PARTICIPANT,
        RecordKind.ISSUE,
    ]
    partial = get_article_page(session, without_issue_parts(page=None), ARTICLE_ID)
    assert RecordKind.ISSUE not in {group.kind for group in partial.groups}
    highlighted = {piece.highlight.classes for piece in partial.pieces if piece.highlight}
    assert "ev ev-issue" in {p.highlight.classes for p in full.pieces if p.highlight}
    assert "ev ev-issue" not in highlighted


def test_the_change_tracker_asks_the_registry_for_states(session: Session) -> None:
    asked: list[list[str]] = []
    states = KINDS[RecordKind.ISSUE].states

    def spy(session: Session, ids: list[str]) -> dict[str, Any]:
        asked.append(sorted(ids))
        return states(session, ids)

    issue_ids = sorted(session.scalars(select(KINDS[RecordKind.ISSUE].model.id)))[:2]
    tracker = ChangeTracker(session, without_issue_parts(states=spy))
    tracker.track(RecordKind.ISSUE, issue_ids)
    assert tracker.changes() == []
    assert asked == [issue_ids, issue_ids]  # before, and after


def test_the_app_serves_the_registry(app: FastAPI) -> None:
    assert app.state.kinds is KINDS
