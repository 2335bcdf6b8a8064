"""The fixture loader: validation, atomicity, idempotency, edit-and-reload."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bundles.loader import (
    BundleError,
    load_bundle,
    load_bundles,
    parse_bundle,
    resolve_bundle,
    seed_bundle_paths,
)
from app.changes.service import Operation
from app.kinds import KINDS
from app.models.article import Article
from app.models.event import Event, EventStatus
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, Issue
from app.models.participant import Participant, ParticipantAlias
from app.models.quotation import Quotation
from tests.snapshot import snapshot

SEED_PATH = seed_bundle_paths()[0]


@pytest.fixture
def seed_data() -> dict[str, Any]:
    """The seed fixture as plain data, ready to be edited by a test."""
    data: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    return data


def write_bundle(directory: Path, data: dict[str, Any], name: str = "edited.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def find(items: list[dict[str, Any]], fact_id: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == fact_id)


def test_reloading_the_seed_changes_nothing(session: Session) -> None:
    before = snapshot(session)
    result = load_bundle(session, SEED_PATH, kinds=KINDS)
    assert result.changes == []
    assert snapshot(session) == before


def test_loading_into_an_empty_database_creates_every_fact(
    session: Session, seed_data: dict[str, Any]
) -> None:
    session.execute(Article.__table__.delete())
    for model in (Participant, Event, Issue):
        session.execute(model.__table__.delete())
    result = load_bundle(session, SEED_PATH, kinds=KINDS)
    counts = result.counts()
    assert counts["article"] == {"created": 1}
    for kind, key in [
        ("participant", "participants"),
        ("event", "events"),
        ("issue", "issues"),
        ("quotation", "quotations"),
    ]:
        assert counts[kind] == {"created": len(seed_data[key])}
    assert session.scalar(select(func.count()).select_from(Quotation)) == len(
        seed_data["quotations"]
    )
    # Loading the same file again right after changes nothing.
    assert load_bundle(session, SEED_PATH, kinds=KINDS).changes == []


def test_edit_and_reload_updates_what_changed_and_removes_what_is_gone(
    session: Session, seed_data: dict[str, Any], tmp_path: Path
) -> None:
    edited = copy.deepcopy(seed_data)
    meeting = find(edited["events"], "lukashenka-putin-meeting-2018")
    meeting["status"] = "held"
    removed_quotation = edited["quotations"].pop()["id"]
    removed_issue = edited["issues"].pop()
    for quotation in edited["quotations"]:
        quotation["issues"] = [i for i in quotation.get("issues", []) if i != removed_issue["id"]]
    lukashenka = find(edited["participants"], "alyaksandr-lukashenka")
    lukashenka["aliases"].append({"alias": "A. Lukashenko", "language": "en"})

    result = load_bundle(session, write_bundle(tmp_path, edited), kinds=KINDS)

    changes = {(c.kind, c.id): c.operation for c in result.changes}
    assert changes[("event", "lukashenka-putin-meeting-2018")] is Operation.UPDATED
    assert changes[("quotation", removed_quotation)] is Operation.DELETED
    assert changes[("issue", removed_issue["id"])] is Operation.DELETED
    assert changes[("participant", "alyaksandr-lukashenka")] is Operation.UPDATED
    session.expire_all()
    assert session.get(Event, "lukashenka-putin-meeting-2018").status is EventStatus.HELD  # type: ignore[union-attr]
    assert session.get(Quotation, removed_quotation) is None
    assert session.get(Issue, removed_issue["id"]) is None
    assert (
        session.scalar(
            select(func.count())
            .select_from(AgendaItem)
            .where(AgendaItem.issue_id == removed_issue["id"])
        )
        == 0
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(EvidenceSpan)
            .where(EvidenceSpan.quotation_id == removed_quotation)
        )
        == 0
    )
    assert session.get(ParticipantAlias, ("alyaksandr-lukashenka", "A. Lukashenko", "en"))
    # Reloading the edited file is a no-op; reloading the original restores everything.
    assert load_bundle(session, write_bundle(tmp_path, edited), kinds=KINDS).changes == []
    restored = load_bundle(session, SEED_PATH, kinds=KINDS).counts()
    assert restored["quotation"]["created"] == 1
    assert restored["issue"]["created"] == 1


def test_a_moved_span_is_updated_in_place(
    session: Session, seed_data: dict[str, Any], tmp_path: Path
) -> None:
    edited = copy.deepcopy(seed_data)
    putin = find(edited["participants"], "vladimir-putin")
    putin["evidence"] = ["his Russian counterpart Vladimir Putin"]
    load_bundle(session, write_bundle(tmp_path, edited), kinds=KINDS)
    text = edited["article"]["text"]
    spans = session.execute(
        select(EvidenceSpan.start, EvidenceSpan.end).where(
            EvidenceSpan.participant_id == "vladimir-putin"
        )
    ).all()
    assert [text[start:end] for start, end in spans] == ["his Russian counterpart Vladimir Putin"]


Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for step in path[:-1]:
            node = (
                find(node, step) if isinstance(step, str) and isinstance(node, list) else node[step]
            )
        node[path[-1]] = value

    return mutate


def _duplicate_participant(data: dict[str, Any]) -> None:
    data["participants"].append(copy.deepcopy(data["participants"][0]))


def _change_text(data: dict[str, Any]) -> None:
    data["article"]["text"] = data["article"]["text"].replace("forthe", "for the")


REJECTIONS: list[tuple[str, Mutation, list[str]]] = [
    (
        "span-not-found",
        _set(["participants", "vladimir-putin", "evidence"], ["Putin met Trump"]),
        ["vladimir-putin", "evidence[0]", "not found verbatim"],
    ),
    (
        "ambiguous-span",
        _set(["participants", "vladimir-putin", "evidence"], ["Putin"]),
        ["vladimir-putin", "occurs", "occurrence number"],
    ),
    (
        "occurrence-past-the-last",
        _set(
            ["participants", "vladimir-putin", "evidence"],
            [{"text": "Vladimir Putin", "occurrence": 9}],
        ),
        ["vladimir-putin", "occurrence 9"],
    ),
    (
        "quotation-text-not-in-article",
        _set(["quotations", 0, "text"], "We will never meet again"),
        ["quotations[0]", ".text", "not found verbatim"],
    ),
    (
        "unknown-speaker",
        _set(["quotations", 0, "speaker"], "donald-trump"),
        ["quotations[0]", "speaker", "unknown participant id 'donald-trump'"],
    ),
    (
        "unknown-agenda-event",
        _set(["issues", 0, "agenda"], [{"event": "no-such-event", "status": "expected"}]),
        ["issues[0]", "agenda[0]", "unknown event id 'no-such-event'"],
    ),
    ("duplicate-id", _duplicate_participant, ["participants[", "duplicate id"]),
    (
        "bad-enum",
        _set(["events", "lukashenka-putin-meeting-2018", "status"], "postponed"),
        ["events[", "lukashenka-putin-meeting-2018", "status"],
    ),
    (
        "bad-date",
        _set(["quotations", 0, "said_on"], "2018-13"),
        ["quotations[0]", "said_on", "not a valid date"],
    ),
    (
        "bad-date-form",
        _set(["events", "lukashenka-putin-meeting-2018", "date"], "May 2018"),
        ["events[", "date", "YYYY"],
    ),
    ("sha256-mismatch", _change_text, ["article.content_sha256", "sha256"]),
    ("bad-slug", _set(["issues", 0, "id"], "Food_Supplies"), ["issues[0]", "id"]),
    (
        "unknown-field",
        _set(["participants", "vladimir-putin", "nickname"], "VVP"),
        ["vladimir-putin", "nickname", "Extra inputs are not permitted"],
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(m, e, id=name) for name, m, e in REJECTIONS],
)
def test_an_invalid_fixture_is_refused_naming_the_problem_and_writes_nothing(
    session: Session,
    seed_data: dict[str, Any],
    tmp_path: Path,
    mutate: Mutation,
    expected: list[str],
) -> None:
    edited = copy.deepcopy(seed_data)
    mutate(edited)
    path = write_bundle(tmp_path, edited, name="broken.yaml")
    before = snapshot(session)
    with pytest.raises(BundleError) as raised:
        load_bundle(session, path, kinds=KINDS)
    message = str(raised.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message
    assert snapshot(session) == before


def test_every_problem_is_reported_at_once(seed_data: dict[str, Any]) -> None:
    edited = copy.deepcopy(seed_data)
    _set(["quotations", 0, "speaker"], "nobody")(edited)
    _set(["quotations", 1, "event"], "nothing")(edited)
    _set(["participants", "vladimir-putin", "evidence"], ["Putin"])(edited)
    document = parse_bundle(yaml.safe_dump(edited, allow_unicode=True), source="memory")
    with pytest.raises(BundleError) as raised:
        resolve_bundle(document, source="memory", kinds=KINDS)
    assert len(raised.value.problems) == 3


def test_a_batch_with_one_bad_file_writes_none_of_them(
    session: Session, seed_data: dict[str, Any], tmp_path: Path
) -> None:
    good = copy.deepcopy(seed_data)
    find(good["events"], "lukashenka-putin-meeting-2018")["status"] = "held"
    bad = copy.deepcopy(seed_data)
    _set(["quotations", 0, "speaker"], "nobody")(bad)
    before = snapshot(session)
    with pytest.raises(BundleError):
        load_bundles(
            session,
            [write_bundle(tmp_path, good, "good.yaml"), write_bundle(tmp_path, bad, "bad.yaml")],
            kinds=KINDS,
        )
    assert snapshot(session) == before


def test_a_quotation_id_of_another_article_is_refused(
    session: Session, seed_data: dict[str, Any], tmp_path: Path
) -> None:
    other = copy.deepcopy(seed_data)
    other["article"]["id"] = "another-article"
    other["article"]["content_sha256"] = hashlib.sha256(
        other["article"]["text"].encode()
    ).hexdigest()
    before = snapshot(session)
    with pytest.raises(BundleError, match="already belongs to article"):
        load_bundle(session, write_bundle(tmp_path, other), kinds=KINDS)
    assert snapshot(session) == before


def test_unreadable_and_malformed_files_are_refused(tmp_path: Path, session: Session) -> None:
    with pytest.raises(BundleError, match="cannot read"):
        load_bundle(session, tmp_path / "missing.yaml", kinds=KINDS)
    broken = tmp_path / "broken.yaml"
    broken.write_text("article: [unclosed", encoding="utf-8")
    with pytest.raises(BundleError, match="not valid YAML"):
        load_bundle(session, broken, kinds=KINDS)
    as_list = tmp_path / "list.json"
    as_list.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(BundleError, match="must be a mapping"):
        load_bundle(session, as_list, kinds=KINDS)


def test_unquoted_yaml_dates_are_read_at_their_precision(seed_data: dict[str, Any]) -> None:
    edited = copy.deepcopy(seed_data)
    text = yaml.safe_dump(edited, allow_unicode=True).replace(
        "said_on: '2018-03-19'", "said_on: 2018-03-19"
    )
    assert "said_on: 2018-03-19" in text
    document = parse_bundle(text, source="memory")
    dates = {str(q.said_on) for q in document.quotations if q.said_on}
    assert "2018-03-19" in dates
