"""The curator write API across kinds: create, update, delete, validation, limits, preconditions."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.core.config import Settings
from app.http.dependencies import get_session
from app.main import create_app
from app.models.change import ChangeRecord
from app.models.event import EventParticipant
from app.models.issue import AgendaItem
from app.models.participant import Participant
from app.models.quotation import Quotation, QuotationIssue
from tests.api import assert_evidence_true, assert_problem, request_transaction
from tests.quotations.test_search import assert_index_is_fts5s

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
TEXT: str = SEED["article"]["text"]
PLURAL = {
    "article": "articles",
    "participant": "participants",
    "event": "events",
    "issue": "issues",
    "quotation": "quotations",
}
KINDS = list(PLURAL)
FACT_KINDS = ["participant", "event", "issue", "quotation"]


# --- helpers ------------------------------------------------------------------------------------


def unique(snippet: str) -> dict[str, Any]:
    """A text span of the seed article that occurs exactly once."""
    assert TEXT.count(snippet) == 1, snippet
    return {"article_id": ARTICLE_ID, "text": snippet}


def offsets(snippet: str, occurrence: int = 1) -> tuple[int, int]:
    """Where the n-th occurrence of snippet is in the seed text (computed here, not by the app)."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.find(snippet, start + 1)
        assert start >= 0
    return start, start + len(snippet)


def create_body(kind: str) -> dict[str, Any]:
    """A valid create body for each kind, referring to seed records."""
    bodies: dict[str, dict[str, Any]] = {
        "article": {
            "id": "new-article",
            "title": "A new article",
            "language": "en",
            "publisher": "Example News",
            "url": "https://example.org/a",
            "published": "2018-05-15",
            "text": "Alpha met Beta in Gamma.\nAlpha said: “hello”.",
        },
        "participant": {
            "id": "new-participant",
            "name": "New Participant",
            "kind": "person",
            "title": "Observer",
            "affiliation_id": "belarus",
            "aliases": [
                {"alias": "Newbie", "language": "en"},
                {"alias": "Новичок", "language": "ru"},
            ],
            "external_ids": {"wikidata": "Q1"},
            "evidence": [unique("Sochi")],
        },
        "event": {
            "id": "new-event",
            "title": "A new event",
            "kind": "meeting",
            "status": "expected",
            "date": "2018-05-14",
            "location": "Sochi, Russia",
            "participants": [
                {"participant_id": "vladimir-putin", "role": "attendee"},
                {"participant_id": "belarus", "role": "subject"},
            ],
            "evidence": [unique("the first meeting of the two leaders")],
        },
        "issue": {
            "id": "new-issue",
            "title": "A new issue",
            "summary": "Something to talk about.",
            "category": "economy",
            "agenda": [{"event_id": "lukashenka-putin-meeting-2018", "status": "expected"}],
            "evidence": [unique("hunt for other markets")],
        },
        "quotation": {
            "id": "new-quotation",
            "article_id": ARTICLE_ID,
            "speaker_id": "alyaksandr-lukashenka",
            "text": "We need to clarify things",
            "kind": "partial",
            "said_on": "2018-03",
            "event_id": "lukashenka-remarks-to-producers-2018-03",
            "audience_id": "belarusian-producers",
            "issue_ids": ["food-supplies-to-russia", "issues-of-concern"],
            "evidence": [{"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 2}],
        },
    }
    return copy.deepcopy(bodies[kind])


# A seed record of each kind, and a small change to make to it.
EXISTING = {
    "article": (ARTICLE_ID, {"title": "Renamed article"}),
    "participant": ("georgia", {"name": "Sakartvelo"}),
    "event": ("putin-inauguration-2018", {"status": "held"}),
    "issue": ("issues-of-concern", {"summary": "Changed summary."}),
    "quotation": ("lukashenka-may-backfire", {"kind": "direct"}),
}


def path(kind: str, record_id: str | None = None) -> str:
    base = f"/v1/{PLURAL[kind]}"
    return base if record_id is None else f"{base}/{record_id}"


def change_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ChangeRecord)) or 0)


def error_names(response: Any) -> list[str]:
    body = assert_problem(response, 422)
    return [error["name"] for error in body["errors"]]


def patch(
    client: TestClient, writer: dict[str, str], kind: str, record_id: str, body: dict[str, Any]
) -> Any:
    etag = client.get(path(kind, record_id)).headers["etag"]
    return client.patch(path(kind, record_id), json=body, headers={**writer, "If-Match": etag})


def delete(
    client: TestClient, writer: dict[str, str], kind: str, record_id: str, cascade: bool = False
) -> Any:
    etag = client.get(path(kind, record_id)).headers["etag"]
    params = {"cascade": "true"} if cascade else {}
    return client.delete(path(kind, record_id), params=params, headers={**writer, "If-Match": etag})


# --- create -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_create_answers_201_with_location_etag_and_the_stored_representation(
    client: TestClient, writer: dict[str, str], session: Session, kind: str
) -> None:
    body = create_body(kind)
    before = change_count(session)
    response = client.post(path(kind), json=body, headers=writer)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == path(kind, body["id"])
    fetched = client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert response.json() == fetched.json()
    assert response.headers["etag"] == fetched.headers["etag"]
    assert change_count(session) == before + 1
    created = fetched.json()
    assert created["id"] == body["id"]
    if kind != "article":
        assert_evidence_true(client, created["evidence"])


def test_created_participant_has_its_aliases_affiliation_and_evidence(
    client: TestClient, writer: dict[str, str]
) -> None:
    body = create_body("participant")
    assert client.post(path("participant"), json=body, headers=writer).status_code == 201
    got = client.get(path("participant", body["id"])).json()
    assert got["name"] == "New Participant"
    assert got["title"] == "Observer"
    assert got["affiliation"] == {"id": "belarus", "name": "Belarus"}
    assert sorted((a["alias"], a["language"]) for a in got["aliases"]) == [
        ("Newbie", "en"),
        ("Новичок", "ru"),
    ]
    assert got["external_ids"] == {"wikidata": "Q1"}
    start, end = offsets("Sochi")
    assert got["evidence"] == [
        {"article_id": ARTICLE_ID, "start": start, "end": end, "text": "Sochi"}
    ]
    # Aliases are searchable right away.
    found = client.get("/v1/participants", params={"q": "новичок"}).json()["items"]
    assert [p["id"] for p in found] == ["new-participant"]


def test_created_event_and_issue_link_to_participants_and_agenda(
    client: TestClient, writer: dict[str, str]
) -> None:
    event = create_body("event")
    issue = create_body("issue")
    issue["agenda"].append({"event_id": "new-event", "status": "raised"})
    assert client.post(path("event"), json=event, headers=writer).status_code == 201
    assert client.post(path("issue"), json=issue, headers=writer).status_code == 201
    got_event = client.get(path("event", "new-event")).json()
    assert got_event["date"] == "2018-05-14"
    assert got_event["date_precision"] == "day"
    assert sorted((p["participant"]["id"], p["role"]) for p in got_event["participants"]) == [
        ("belarus", "subject"),
        ("vladimir-putin", "attendee"),
    ]
    assert got_event["issue_ids"] == ["new-issue"]
    got_issue = client.get(path("issue", "new-issue")).json()
    assert sorted((a["event_id"], a["status"]) for a in got_issue["agenda"]) == [
        ("lukashenka-putin-meeting-2018", "expected"),
        ("new-event", "raised"),
    ]
    agenda = client.get("/v1/events/lukashenka-putin-meeting-2018/agenda").json()
    assert "new-issue" in [item["issue"]["id"] for item in agenda["items"]]


def test_created_quotation_cites_its_own_text_and_the_extra_evidence(
    client: TestClient, writer: dict[str, str]
) -> None:
    body = create_body("quotation")
    assert client.post(path("quotation"), json=body, headers=writer).status_code == 201
    got = client.get(path("quotation", body["id"])).json()
    own = offsets("We need to clarify things")
    extra = offsets("he stressed", occurrence=2)
    assert [(s["start"], s["end"]) for s in got["evidence"]] == sorted([own, extra])
    assert got["speaker"] == {"id": "alyaksandr-lukashenka", "name": "Alyaksandr Lukashenka"}
    assert got["audience"] == {"id": "belarusian-producers", "name": "Belarusian producers"}
    assert got["issue_ids"] == ["food-supplies-to-russia", "issues-of-concern"]
    assert (got["said_on"], got["said_on_precision"]) == ("2018-03", "month")
    listed = client.get("/v1/issues/issues-of-concern/quotations").json()["items"]
    assert "new-quotation" in [q["id"] for q in listed]


def test_article_text_is_stored_verbatim_and_offsets_count_code_points(
    client: TestClient, writer: dict[str, str]
) -> None:
    text = "  Leading spaces,\r\nCRLF, tab\there, emoji 😀 and e\u0301 (combining).\nAlpha!  \n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    body = {"id": "verbatim", "title": "Verbatim", "language": "en", "text": text}
    response = client.post(path("article"), json={**body, "content_sha256": digest}, headers=writer)
    assert response.status_code == 201, response.text
    got = client.get(path("article", "verbatim")).json()
    assert got["text"] == text
    assert got["content_sha256"] == digest
    participant = {
        "id": "alpha",
        "name": "Alpha",
        "kind": "person",
        "evidence": [{"article_id": "verbatim", "text": "Alpha"}],
    }
    assert client.post(path("participant"), json=participant, headers=writer).status_code == 201
    span = client.get(path("participant", "alpha")).json()["evidence"][0]
    assert (span["start"], span["end"]) == (text.index("Alpha"), text.index("Alpha") + 5)
    assert_evidence_true(client, [span])


def test_article_content_sha256_must_match_the_text(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    body = create_body("article")
    wrong = hashlib.sha256(b"something else").hexdigest()
    before = change_count(session)
    response = client.post(path("article"), json={**body, "content_sha256": wrong}, headers=writer)
    assert error_names(response) == ["content_sha256"]
    assert client.get(path("article", body["id"])).status_code == 404
    assert change_count(session) == before


def test_article_text_cannot_be_changed(client: TestClient, writer: dict[str, str]) -> None:
    response = patch(client, writer, "article", ARTICLE_ID, {"text": "rewritten"})
    assert "text" in error_names(response)
    assert client.get(path("article", ARTICLE_ID)).json()["text"] == TEXT


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_fields_are_refused_on_create_and_update(
    client: TestClient, writer: dict[str, str], kind: str
) -> None:
    body = {**create_body(kind), "colour": "blue"}
    assert error_names(client.post(path(kind), json=body, headers=writer)) == ["colour"]
    assert client.get(path(kind, body["id"])).status_code == 404
    record_id, change = EXISTING[kind]
    response = patch(client, writer, kind, record_id, {**change, "colour": "blue"})
    assert error_names(response) == ["colour"]


@pytest.mark.parametrize(
    ("kind", "mutate", "field"),
    [
        ("participant", lambda b: b["aliases"][0].update(script="latn"), "aliases.0.script"),
        ("participant", lambda b: b["evidence"][0].update(page=1), "evidence.0.page"),
        ("event", lambda b: b["participants"][0].update(since="2018"), "participants.0.since"),
        ("issue", lambda b: b["agenda"][0].update(note="x"), "agenda.0.note"),
    ],
)
def test_unknown_nested_fields_are_refused(
    client: TestClient,
    writer: dict[str, str],
    kind: str,
    mutate: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    body = create_body(kind)
    mutate(body)
    assert error_names(client.post(path(kind), json=body, headers=writer)) == [field]


@pytest.mark.parametrize(
    ("kind", "mutate", "field"),
    [
        (
            "participant",
            lambda b: b.update(evidence=[unique("Sochi") | {"text": "Soch1"}]),
            "evidence.0.text",
        ),
        (
            "event",
            lambda b: b["evidence"].append({"article_id": ARTICLE_ID, "text": "nope!"}),
            "evidence.1.text",
        ),
        (
            "issue",
            lambda b: b.update(evidence=[{"article_id": ARTICLE_ID, "text": "Putin"}]),
            "evidence.0.text",
        ),
        (
            "issue",
            lambda b: b.update(
                evidence=[{"article_id": ARTICLE_ID, "text": "Putin", "occurrence": 7}]
            ),
            "evidence.0.text",
        ),
        ("quotation", lambda b: b.update(text="words nobody said"), "text"),
        (
            "quotation",
            lambda b: b.update(evidence=[{"article_id": ARTICLE_ID, "start": 10, "end": 999_999}]),
            "evidence.0.end",
        ),
        (
            "participant",
            lambda b: b.update(evidence=[{"article_id": "no-such-article", "text": "x"}]),
            "evidence.0.article_id",
        ),
    ],
)
def test_spans_must_match_the_article_text(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    mutate: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    body = create_body(kind)
    mutate(body)
    before = change_count(session)
    assert error_names(client.post(path(kind), json=body, headers=writer)) == [field]
    assert client.get(path(kind, body["id"])).status_code == 404
    assert change_count(session) == before


def test_spans_may_be_offsets_or_text_with_an_occurrence(
    client: TestClient, writer: dict[str, str]
) -> None:
    start, end = offsets("Putin", occurrence=3)
    body = create_body("participant")
    body["evidence"] = [
        {"article_id": ARTICLE_ID, "start": start, "end": end},
        {"article_id": ARTICLE_ID, "text": "Putin", "occurrence": 4},
    ]
    assert client.post(path("participant"), json=body, headers=writer).status_code == 201
    evidence = client.get(path("participant", body["id"])).json()["evidence"]
    assert [(s["start"], s["end"], s["text"]) for s in evidence] == [
        (start, end, "Putin"),
        (*offsets("Putin", occurrence=4), "Putin"),
    ]


def test_a_span_needs_text_or_both_offsets(client: TestClient, writer: dict[str, str]) -> None:
    for span in (
        {"article_id": ARTICLE_ID},
        {"article_id": ARTICLE_ID, "start": 1},
        {"article_id": ARTICLE_ID, "text": "Sochi", "start": 0, "end": 5},
    ):
        body = create_body("participant")
        body["evidence"] = [span]
        names = error_names(client.post(path("participant"), json=body, headers=writer))
        assert names
        assert all(name.startswith("evidence.0") for name in names), names


@pytest.mark.parametrize(
    ("kind", "mutate", "field"),
    [
        ("participant", lambda b: b.update(affiliation_id="atlantis"), "affiliation_id"),
        (
            "event",
            lambda b: b["participants"].append({"participant_id": "nobody", "role": "host"}),
            "participants.2",
        ),
        (
            "issue",
            lambda b: b.update(agenda=[{"event_id": "no-event", "status": "raised"}]),
            "agenda.0.event_id",
        ),
        ("quotation", lambda b: b.update(article_id="no-article"), "article_id"),
        ("quotation", lambda b: b.update(speaker_id="nobody"), "speaker_id"),
        ("quotation", lambda b: b.update(audience_id="nobody"), "audience_id"),
        ("quotation", lambda b: b.update(event_id="no-event"), "event_id"),
        ("quotation", lambda b: b["issue_ids"].append("no-issue"), "issue_ids.2"),
    ],
)
def test_references_must_exist(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    mutate: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    body = create_body(kind)
    mutate(body)
    before = change_count(session)
    names = error_names(client.post(path(kind), json=body, headers=writer))
    assert len(names) == 1
    assert names[0] == field or names[0].startswith(field + "."), names
    assert client.get(path(kind, body["id"])).status_code == 404
    assert change_count(session) == before


def test_references_must_exist_on_update(client: TestClient, writer: dict[str, str]) -> None:
    record_id = "lukashenka-may-backfire"
    old = client.get(path("quotation", record_id)).json()
    response = patch(client, writer, "quotation", record_id, {"issue_ids": ["no-such-issue"]})
    assert error_names(response) == ["issue_ids.0"]
    assert client.get(path("quotation", record_id)).json() == old


@pytest.mark.parametrize("kind", KINDS)
def test_a_duplicate_id_is_409_and_leaves_the_record_alone(
    client: TestClient, writer: dict[str, str], session: Session, kind: str
) -> None:
    record_id = EXISTING[kind][0]
    before = client.get(path(kind, record_id))
    body = {**create_body(kind), "id": record_id}
    if kind == "article":
        body["text"] = TEXT + " (a different text)"
    assert_problem(client.post(path(kind), json=body, headers=writer), 409)
    after = client.get(path(kind, record_id))
    assert after.headers["etag"] == before.headers["etag"]


@pytest.mark.parametrize(
    ("kind", "mutate", "field"),
    [
        ("participant", lambda b: b.update(name="x" * 301), "name"),
        (
            "participant",
            lambda b: b.update(aliases=[{"alias": f"a{i}"} for i in range(101)]),
            "aliases",
        ),
        ("participant", lambda b: b.update(evidence=[]), "evidence"),
        ("participant", lambda b: b.update(evidence=[unique("Sochi")] * 101), "evidence"),
        ("participant", lambda b: b.update(id="Not A Slug"), "id"),
        ("participant", lambda b: b.update(id="a" * 101), "id"),
        ("participant", lambda b: b.update(name="   "), "name"),
        ("event", lambda b: b.update(title="t" * 501), "title"),
        ("event", lambda b: b.update(description="d" * 10_001), "description"),
        ("event", lambda b: b.update(date="2018-13"), "date"),
        ("event", lambda b: b.update(status="postponed"), "status"),
        ("issue", lambda b: b.update(category="sports"), "category"),
        ("quotation", lambda b: b.update(issue_ids=[f"i{i}" for i in range(101)]), "issue_ids"),
        ("article", lambda b: b.update(language="not a language"), "language"),
        ("article", lambda b: b.update(url="ftp://example.org"), "url"),
    ],
)
def test_strings_and_lists_are_bounded(
    client: TestClient,
    writer: dict[str, str],
    kind: str,
    mutate: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    body = create_body(kind)
    mutate(body)
    names = error_names(client.post(path(kind), json=body, headers=writer))
    assert field in names, names
    assert client.get(path(kind, body["id"])).status_code in (404, 422)


def test_a_300_character_name_is_within_bounds(client: TestClient, writer: dict[str, str]) -> None:
    body = {**create_body("participant"), "name": "x" * 300}
    assert client.post(path("participant"), json=body, headers=writer).status_code == 201
    assert client.get(path("participant", body["id"])).json()["name"] == "x" * 300


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("participant", "name", "before\x00after"),
        ("participant", "description", "before\x00after"),
        ("article", "text", "before\x00after"),
        ("article", "text", "bell\x07"),
        ("event", "title", "two\nlines"),
    ],
)
def test_control_characters_are_refused_on_every_backend(
    client: TestClient, writer: dict[str, str], session: Session, kind: str, field: str, value: str
) -> None:
    """PostgreSQL cannot store U+0000 in text; the API must refuse it (422), not fail (500)."""
    body = {**create_body(kind), field: value}
    before = change_count(session)
    response = client.post(path(kind), json=body, headers=writer)
    assert field in error_names(response)
    assert change_count(session) == before


def test_writes_keep_the_search_in_step(client: TestClient, writer: dict[str, str]) -> None:
    def found(url: str, q: str) -> list[str]:
        return [item["id"] for item in client.get(url, params={"q": q}).json()["items"]]

    assert (
        client.post(path("quotation"), json=create_body("quotation"), headers=writer).status_code
        == 201
    )
    assert "new-quotation" in found("/v1/quotations", "clarify things")
    response = patch(
        client, writer, "quotation", "new-quotation", {"text": "hunt for other markets"}
    )
    assert response.status_code == 200, response.text
    assert "new-quotation" not in found("/v1/quotations", "clarify")
    assert "new-quotation" in found("/v1/quotations", "hunt")

    assert found("/v1/participants", "Batka") == []
    aliases = [{"alias": "Batka", "language": "be"}]
    assert (
        patch(
            client, writer, "participant", "alyaksandr-lukashenka", {"aliases": aliases}
        ).status_code
        == 200
    )
    assert found("/v1/participants", "batka") == ["alyaksandr-lukashenka"]
    assert found("/v1/participants", "Лукашенко") == []
    assert (
        patch(client, writer, "participant", "georgia", {"name": "Sakartvelo"}).status_code == 200
    )
    assert found("/v1/participants", "sakartvelo") == ["georgia"]


def test_the_search_index_holds_each_quotation_once_through_writes(
    client: TestClient, writer: dict[str, str], session: Session, backend: str
) -> None:
    """SQLite: one FTS row per quotation, with its current text, after a create, a text change
    and a delete. PostgreSQL: each row's stored vector (migrations 0007, 0011) is that of its
    text, in its article's language."""
    assert (
        client.post(path("quotation"), json=create_body("quotation"), headers=writer).status_code
        == 201
    )
    changed = patch(
        client, writer, "quotation", "new-quotation", {"text": "hunt for other markets"}
    )
    assert changed.status_code == 200, changed.text
    first = session.execute(select(Quotation.id, Quotation.text).order_by(Quotation.id)).first()
    assert first is not None
    doomed, doomed_text = first
    assert delete(client, writer, "quotation", doomed).status_code == 204
    if backend == "postgresql":

        def found(q: str) -> list[str]:
            page = client.get("/v1/quotations", params={"q": q, "limit": 100}).json()
            return [item["id"] for item in page["items"]]

        assert "new-quotation" in found("hunt")
        assert doomed not in found(doomed_text)
        stale = session.execute(
            text(
                "SELECT count(*) FROM quotations AS q JOIN articles AS a ON a.id = q.article_id"
                " WHERE q.text_fts IS DISTINCT FROM"
                " newsfacts_text_fts(q.text, newsfacts_english(a.language))"
            )
        ).scalar()
        assert stale == 0
        return
    indexed = session.execute(
        text(
            "SELECT r.quotation_id, f.text FROM quotations_fts AS f"
            " JOIN quotations_fts_rowids AS r ON r.fts_rowid = f.rowid"
        )
    ).all()
    stored = session.execute(select(Quotation.id, Quotation.text)).all()
    assert sorted(map(tuple, indexed)) == sorted(map(tuple, stored))
    orphans = session.execute(text("SELECT count(*) FROM quotations_fts")).scalar()
    assert orphans == len(stored)
    assert dict(map(tuple, indexed))["new-quotation"] == "hunt for other markets"
    # Migration 0008: each FTS rowid starts with its text's length in tokens, the changed text's
    # included, the repeats are FTS5's counts, and the probe that measured them is left empty.
    assert_index_is_fts5s(session)
    lengths = dict(
        session.execute(
            text("SELECT quotation_id, fts_rowid >> 32 FROM quotations_fts_rowids")
        ).all()
    )
    assert lengths["new-quotation"] == 4
    assert session.execute(text("SELECT count(*) FROM quotations_fts_probe_terms")).scalar() == 0
    orphan_repeats = session.execute(
        text(
            "SELECT count(*) FROM quotations_fts_repeats WHERE fts_rowid NOT IN"
            " (SELECT fts_rowid FROM quotations_fts_rowids)"
        )
    ).scalar()
    assert orphan_repeats == 0


# --- update -------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(client: TestClient, writer: dict[str, str]) -> None:
    old = client.get(path("event", "putin-inauguration-2018")).json()
    response = patch(client, writer, "event", old["id"], {"status": "held", "date": "2018-05-07"})
    assert response.status_code == 200, response.text
    new = client.get(path("event", old["id"])).json()
    assert response.json() == new
    assert (new["status"], new["date"], new["date_precision"]) == ("held", "2018-05-07", "day")
    unchanged = {k: v for k, v in old.items() if k not in ("status", "date", "date_precision")}
    assert {k: new[k] for k in unchanged} == unchanged


def test_patch_null_clears_an_optional_field_but_not_a_required_one(
    client: TestClient, writer: dict[str, str]
) -> None:
    record_id = "alyaksandr-lukashenka"
    response = patch(
        client, writer, "participant", record_id, {"title": None, "affiliation_id": None}
    )
    assert response.status_code == 200, response.text
    got = client.get(path("participant", record_id)).json()
    assert (got["title"], got["affiliation"]) == (None, None)
    assert got["name"] == "Alyaksandr Lukashenka"
    assert_problem(patch(client, writer, "participant", record_id, {"name": None}), 422)
    assert_problem(patch(client, writer, "participant", record_id, {}), 422)
    assert client.get(path("participant", record_id)).json() == got


@pytest.mark.parametrize(
    ("kind", "record_id", "field", "value", "read", "expected"),
    [
        (
            "participant",
            "alyaksandr-lukashenka",
            "aliases",
            [{"alias": "Lukashenka", "language": "en"}, {"alias": "Batka", "language": "be"}],
            lambda r: sorted((a["alias"], a["language"]) for a in r["aliases"]),
            [("Batka", "be"), ("Lukashenka", "en")],
        ),
        (
            "participant",
            "vladimir-putin",
            "external_ids",
            {"viaf": "123"},
            lambda r: r["external_ids"],
            {"viaf": "123"},
        ),
        (
            "event",
            "lukashenka-putin-meeting-2018",
            "participants",
            [{"participant_id": "russia", "role": "host"}],
            lambda r: [(p["participant"]["id"], p["role"]) for p in r["participants"]],
            [("russia", "host")],
        ),
        (
            "issue",
            "issues-of-concern",
            "agenda",
            [{"event_id": "seec-session-sochi-2018", "status": "discussed"}],
            lambda r: [(a["event_id"], a["status"]) for a in r["agenda"]],
            [("seec-session-sochi-2018", "discussed")],
        ),
        (
            "quotation",
            "lukashenka-may-backfire",
            "issue_ids",
            ["issues-of-concern", "belarusian-army-modernisation"],
            lambda r: r["issue_ids"],
            ["belarusian-army-modernisation", "issues-of-concern"],
        ),
        (
            "participant",
            "georgia",
            "evidence",
            [{"article_id": ARTICLE_ID, "text": "Georgian journalists"}],
            lambda r: [s["text"] for s in r["evidence"]],
            ["Georgian journalists"],
        ),
    ],
)
def test_a_list_in_patch_replaces_the_stored_list(
    client: TestClient,
    writer: dict[str, str],
    kind: str,
    record_id: str,
    field: str,
    value: Any,
    read: Callable[[dict[str, Any]], Any],
    expected: Any,
) -> None:
    old = client.get(path(kind, record_id)).json()
    assert read(old) != expected
    response = patch(client, writer, kind, record_id, {field: value})
    assert response.status_code == 200, response.text
    new = client.get(path(kind, record_id)).json()
    assert read(new) == expected
    assert response.json() == new
    untouched = {"aliases": "name", "external_ids": "name", "participants": "title"}
    name = untouched.get(field, "id")
    assert new[name] == old[name]


def test_a_quotation_keeps_its_own_span_when_its_evidence_is_replaced(
    client: TestClient, writer: dict[str, str]
) -> None:
    record_id = "lukashenka-may-backfire"
    extra = unique("the CSTO is ‘seriously underestimating’")
    response = patch(client, writer, "quotation", record_id, {"evidence": [extra]})
    assert response.status_code == 200, response.text
    evidence = client.get(path("quotation", record_id)).json()["evidence"]
    assert sorted(s["text"] for s in evidence) == sorted(["backfire", extra["text"]])
    response = patch(client, writer, "quotation", record_id, {"text": "may ‘backfire’"})
    assert response.status_code == 200, response.text
    got = client.get(path("quotation", record_id)).json()
    assert got["text"] == "may ‘backfire’"
    assert sorted(s["text"] for s in got["evidence"]) == sorted(["may ‘backfire’", extra["text"]])
    assert_evidence_true(client, got["evidence"])


def test_an_affiliation_cycle_is_refused(client: TestClient, writer: dict[str, str]) -> None:
    """The loader refuses affiliation cycles; the write API must not create one either."""
    # alyaksandr-lukashenka is affiliated with belarus; belarus -> lukashenka closes a cycle.
    assert client.get(path("participant", "alyaksandr-lukashenka")).json()["affiliation"]["id"] == (
        "belarus"
    )
    response = patch(
        client, writer, "participant", "belarus", {"affiliation_id": "alyaksandr-lukashenka"}
    )
    assert error_names(response) == ["affiliation_id"]
    assert client.get(path("participant", "belarus")).json()["affiliation"] is None
    own = patch(client, writer, "participant", "belarus", {"affiliation_id": "belarus"})
    assert error_names(own) == ["affiliation_id"]


# --- delete -------------------------------------------------------------------------------------


def test_delete_an_unreferenced_record(client: TestClient, writer: dict[str, str]) -> None:
    record_id = "lukashenka-may-backfire"
    assert delete(client, writer, "quotation", record_id).status_code == 204
    assert_problem(client.get(path("quotation", record_id)), 404)
    listed = client.get("/v1/quotations", params={"issue": "csto-underestimating-situation"})
    assert record_id not in [q["id"] for q in listed.json()["items"]]
    etag = '"0123456789abcdef0123456789abcdef"'
    missing = client.delete(path("quotation", record_id), headers={**writer, "If-Match": etag})
    assert_problem(missing, 404)


def test_deleting_a_speaker_needs_cascade_which_removes_quotations_and_detaches_the_rest(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    pid = "alyaksandr-lukashenka"
    spoken = set(session.scalars(select(Quotation.id).where(Quotation.speaker_id == pid)))
    events = set(
        session.scalars(
            select(EventParticipant.event_id).where(EventParticipant.participant_id == pid)
        )
    )
    affiliated = set(
        session.scalars(select(Participant.id).where(Participant.affiliation_id == pid))
    )
    others = set(session.scalars(select(Quotation.id))) - spoken
    assert spoken
    assert events
    assert affiliated
    assert others
    before = client.get(path("participant", pid))
    assert_problem(delete(client, writer, "participant", pid), 409)
    assert client.get(path("participant", pid)).headers["etag"] == before.headers["etag"]

    assert delete(client, writer, "participant", pid, cascade=True).status_code == 204
    assert client.get(path("participant", pid)).status_code == 404
    for quotation_id in spoken:
        assert client.get(path("quotation", quotation_id)).status_code == 404
    for quotation_id in others:
        assert client.get(path("quotation", quotation_id)).status_code == 200
    for event_id in events:
        got = client.get(path("event", event_id)).json()
        assert pid not in [p["participant"]["id"] for p in got["participants"]]
    for participant_id in affiliated:
        assert client.get(path("participant", participant_id)).json()["affiliation"] is None


def test_deleting_an_audience_with_cascade_detaches_their_quotations(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    pid = "vladimir-putin"
    heard = set(session.scalars(select(Quotation.id).where(Quotation.audience_id == pid)))
    assert heard
    assert_problem(delete(client, writer, "participant", pid), 409)
    assert delete(client, writer, "participant", pid, cascade=True).status_code == 204
    for quotation_id in heard:
        got = client.get(path("quotation", quotation_id)).json()
        assert got["audience"] is None
        assert got["speaker"]["id"] == "alyaksandr-lukashenka"


def test_deleting_an_event_with_cascade_detaches_quotations_and_drops_agenda_entries(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    eid = "lukashenka-army-statement-2018-02"
    said = set(session.scalars(select(Quotation.id).where(Quotation.event_id == eid)))
    on_agenda = set(session.scalars(select(AgendaItem.issue_id).where(AgendaItem.event_id == eid)))
    assert said
    assert on_agenda
    assert_problem(delete(client, writer, "event", eid), 409)
    assert client.get(path("event", eid)).status_code == 200
    assert delete(client, writer, "event", eid, cascade=True).status_code == 204
    assert client.get(path("event", eid)).status_code == 404
    for quotation_id in said:
        assert client.get(path("quotation", quotation_id)).json()["event_id"] is None
    for issue_id in on_agenda:
        agenda = client.get(path("issue", issue_id)).json()["agenda"]
        assert eid not in [a["event_id"] for a in agenda]


def test_deleting_an_issue_with_cascade_unlinks_its_quotations(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    iid = "csto-underestimating-situation"
    linked = set(
        session.scalars(select(QuotationIssue.quotation_id).where(QuotationIssue.issue_id == iid))
    )
    events = set(session.scalars(select(AgendaItem.event_id).where(AgendaItem.issue_id == iid)))
    assert linked
    assert events
    assert_problem(delete(client, writer, "issue", iid), 409)
    assert delete(client, writer, "issue", iid, cascade=True).status_code == 204
    assert client.get(path("issue", iid)).status_code == 404
    for quotation_id in linked:
        assert iid not in client.get(path("quotation", quotation_id)).json()["issue_ids"]
    for event_id in events:
        assert iid not in client.get(path("event", event_id)).json()["issue_ids"]


def test_deleting_an_article_with_cascade_removes_what_only_it_supports(
    client: TestClient, writer: dict[str, str]
) -> None:
    article = create_body("article")
    assert client.post(path("article"), json=article, headers=writer).status_code == 201
    alpha = {
        "id": "alpha",
        "name": "Alpha",
        "kind": "person",
        "evidence": [{"article_id": "new-article", "text": "Alpha", "occurrence": 2}],
    }
    assert client.post(path("participant"), json=alpha, headers=writer).status_code == 201
    quotation = {
        "id": "alpha-hello",
        "article_id": "new-article",
        "speaker_id": "alpha",
        "text": "hello",
        "kind": "direct",
    }
    assert client.post(path("quotation"), json=quotation, headers=writer).status_code == 201
    georgia = client.get(path("participant", "georgia")).json()
    seed_spans = [
        {"article_id": s["article_id"], "start": s["start"], "end": s["end"]}
        for s in georgia["evidence"]
    ]
    gamma = {"article_id": "new-article", "text": "Gamma"}
    response = patch(client, writer, "participant", "georgia", {"evidence": [*seed_spans, gamma]})
    assert response.status_code == 200, response.text

    assert_problem(delete(client, writer, "article", "new-article"), 409)
    assert client.get(path("quotation", "alpha-hello")).status_code == 200
    assert delete(client, writer, "article", "new-article", cascade=True).status_code == 204
    assert client.get(path("article", "new-article")).status_code == 404
    assert client.get(path("quotation", "alpha-hello")).status_code == 404
    assert client.get(path("participant", "alpha")).status_code == 404
    assert client.get(path("participant", "georgia")).json() == georgia


# --- preconditions ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_patch_needs_a_current_if_match(
    client: TestClient, writer: dict[str, str], kind: str
) -> None:
    record_id, change = EXISTING[kind]
    first = client.get(path(kind, record_id))
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert_problem(client.patch(path(kind, record_id), json=change, headers=writer), 428)
    stale = {**writer, "If-Match": '"0123456789abcdef0123456789abcdef"'}
    assert_problem(client.patch(path(kind, record_id), json=change, headers=stale), 412)
    assert client.get(path(kind, record_id)).json() == first.json()

    response = client.patch(
        path(kind, record_id), json=change, headers={**writer, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    now = client.get(path(kind, record_id))
    assert response.headers["etag"] == now.headers["etag"] != etag
    again = client.patch(path(kind, record_id), json=change, headers={**writer, "If-Match": etag})
    assert_problem(again, 412)


@pytest.mark.parametrize("kind", KINDS)
def test_delete_needs_a_current_if_match(
    client: TestClient, writer: dict[str, str], kind: str
) -> None:
    record_id, change = EXISTING[kind]
    old_etag = client.get(path(kind, record_id)).headers["etag"]
    url = path(kind, record_id)
    assert_problem(client.delete(url, params={"cascade": "true"}, headers=writer), 428)
    assert patch(client, writer, kind, record_id, change).status_code == 200
    stale = {**writer, "If-Match": old_etag}
    assert_problem(client.delete(url, params={"cascade": "true"}, headers=stale), 412)
    assert client.get(url).status_code == 200
    current = {**writer, "If-Match": client.get(url).headers["etag"]}
    assert client.delete(url, params={"cascade": "true"}, headers=current).status_code == 204
    assert client.get(url).status_code == 404


def test_an_etag_goes_stale_when_a_related_name_changes(
    client: TestClient, writer: dict[str, str]
) -> None:
    """A quotation shows its speaker's name: renaming the speaker changes its representation."""
    url = path("quotation", "lukashenka-may-backfire")
    etag = client.get(url).headers["etag"]
    assert (
        patch(client, writer, "participant", "alyaksandr-lukashenka", {"name": "A. L."}).status_code
        == 200
    )
    assert client.get(url).json()["speaker"]["name"] == "A. L."
    response = client.patch(url, json={"kind": "direct"}, headers={**writer, "If-Match": etag})
    assert_problem(response, 412)


# --- body size and media type -------------------------------------------------------------------

LIMIT = 2048


@pytest.fixture
def small_client(database_url: str, session: Session) -> Iterator[TestClient]:
    """A client of an app that accepts request bodies up to 2 KiB."""
    application = create_app(Settings(database_url=database_url, max_body_bytes=LIMIT))
    application.dependency_overrides[get_session] = request_transaction(session)
    with TestClient(application, raise_server_exceptions=False) as test_client:
        yield test_client


def sized_body(size: int) -> bytes:
    """A valid participant create body of exactly `size` bytes."""
    body = create_body("participant")
    body["description"] = ""
    base = len(json.dumps(body).encode("utf-8"))
    body["description"] = "d" * (size - base)
    raw = json.dumps(body).encode("utf-8")
    assert len(raw) == size
    return raw


JSON = {"Content-Type": "application/json"}


def test_a_body_at_the_limit_is_accepted(small_client: TestClient, writer: dict[str, str]) -> None:
    response = small_client.post(
        path("participant"), content=sized_body(LIMIT), headers={**writer, **JSON}
    )
    assert response.status_code == 201, response.text


def test_a_body_over_the_limit_is_413(
    small_client: TestClient, writer: dict[str, str], session: Session
) -> None:
    before = change_count(session)
    raw = sized_body(LIMIT + 1)
    response = small_client.post(path("participant"), content=raw, headers={**writer, **JSON})
    body = assert_problem(response, 413)
    assert str(LIMIT) in body["detail"]
    assert small_client.get(path("participant", "new-participant")).status_code == 404
    assert change_count(session) == before


@pytest.mark.parametrize("target", ["/v1/participants", "/v1/imports"])
def test_a_chunked_body_over_the_limit_is_413(
    small_client: TestClient, writer: dict[str, str], session: Session, target: str
) -> None:
    """A generator body goes out with Transfer-Encoding: chunked and no Content-Length."""
    raw = sized_body(5 * LIMIT)

    def stream() -> Iterator[bytes]:
        for i in range(0, len(raw), 256):
            yield raw[i : i + 256]

    before = change_count(session)
    response = small_client.post(target, content=stream(), headers={**writer, **JSON})
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_problem(response, 413)
    assert change_count(session) == before
    assert small_client.get(path("participant", "new-participant")).status_code == 404


async def asgi_post(
    application: FastAPI, target: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, dict[str, str], int]:
    """POST a body in chunks straight to the ASGI app; returns status, headers, chunks read."""
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            return {
                "type": "http.request",
                "body": chunks[read - 1],
                "more_body": read < len(chunks),
            }
        return {"type": "http.disconnect"}

    start: dict[str, Any] = {}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            start.update(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
        "app": application,
    }
    await application(scope, receive, send)  # type: ignore[arg-type]
    response_headers = {k.decode(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], response_headers, read


@pytest.mark.parametrize("target", ["/v1/participants", "/v1/imports"])
def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(
    small_client: TestClient, writer: dict[str, str], session: Session, target: str
) -> None:
    raw = sized_body(5 * LIMIT)
    chunks = [raw[i : i + 256] for i in range(0, len(raw), 256)]
    before = change_count(session)
    application = small_client.app
    assert isinstance(application, FastAPI)
    status, headers, read = anyio.run(asgi_post, application, target, {**writer, **JSON}, chunks)
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert read * 256 <= LIMIT + 256 < len(raw)
    assert change_count(session) == before


def test_a_small_streamed_body_is_accepted(
    small_client: TestClient, writer: dict[str, str]
) -> None:
    raw = sized_body(LIMIT - 100)

    def stream() -> Iterator[bytes]:
        for i in range(0, len(raw), 300):
            yield raw[i : i + 300]

    response = small_client.post(path("participant"), content=stream(), headers={**writer, **JSON})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/yaml"]
)
def test_a_body_that_is_not_json_is_415(
    client: TestClient, writer: dict[str, str], session: Session, content_type: str | None
) -> None:
    raw = json.dumps(create_body("participant")).encode("utf-8")
    headers = {**writer, **({"Content-Type": content_type} if content_type else {})}
    before = change_count(session)
    assert_problem(client.post(path("participant"), content=raw, headers=headers), 415)
    etag = client.get(path("event", "putin-inauguration-2018")).headers["etag"]
    response = client.patch(
        path("event", "putin-inauguration-2018"),
        content=b'{"status": "held"}',
        headers={**headers, "If-Match": etag},
    )
    assert_problem(response, 415)
    assert change_count(session) == before


def test_json_with_parameters_and_merge_patch_are_accepted(
    client: TestClient, writer: dict[str, str]
) -> None:
    raw = json.dumps(create_body("participant")).encode("utf-8")
    headers = {**writer, "Content-Type": "application/json; charset=utf-8"}
    assert client.post(path("participant"), content=raw, headers=headers).status_code == 201
    url = path("event", "putin-inauguration-2018")
    merge = {**writer, "Content-Type": "application/merge-patch+json"}
    merge["If-Match"] = client.get(url).headers["etag"]
    response = client.patch(url, content=b'{"status": "held"}', headers=merge)
    assert response.status_code == 200, response.text
    assert client.get(url).json()["status"] == "held"
