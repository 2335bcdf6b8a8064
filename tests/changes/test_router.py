"""GET /v1/changes: the audit log as a change feed, and a mirror built only from it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.changes.service import canonical_states
from app.kinds import KINDS
from app.models.article import Article
from app.models.event import Event
from app.models.issue import Issue
from app.models.kind import RecordKind
from app.models.participant import Participant
from app.models.quotation import Quotation
from tests.api import assert_problem
from tests.conftest import KeyMaker

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
MODELS: dict[RecordKind, Any] = {
    RecordKind.ARTICLE: Article,
    RecordKind.PARTICIPANT: Participant,
    RecordKind.EVENT: Event,
    RecordKind.ISSUE: Issue,
    RecordKind.QUOTATION: Quotation,
}
CHANGE_KEYS = {
    "cursor",
    "seq",
    "occurred_at",
    "actor",
    "operation",
    "kind",
    "id",
    "before",
    "after",
}
Mirror = dict[tuple[str, str], dict[str, Any]]


def read_feed(
    client: TestClient,
    since: str | None = None,
    limit: int = 100,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> tuple[list[dict[str, Any]], str | None]:
    """Every change after `since`, page by page, checking next_cursor against the Link header.

    Returns the changes and the cursor to continue from (the last change's, or `since`).
    """
    changes: list[dict[str, Any]] = []
    cursor = since
    for _ in range(10_000):
        query = {"limit": limit, **params, **({"since": cursor} if cursor else {})}
        response = client.get("/v1/changes", params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        for item in body["items"]:
            assert set(item) == CHANGE_KEYS
        changes.extend(body["items"])
        if body["items"]:
            cursor = body["items"][-1]["cursor"]
        if body["next_cursor"] is None:
            assert "link" not in response.headers
            return changes, cursor
        assert len(body["items"]) == limit
        link = response.headers["link"]
        assert link.endswith('>; rel="next"')
        query_of_link = parse_qs(urlsplit(link[1 : link.index(">")]).query)
        assert query_of_link["since"] == [body["next_cursor"]]
        assert "cursor" not in query_of_link
        cursor = body["next_cursor"]
    raise AssertionError("the feed did not end")


def apply(mirror: Mirror, changes: list[dict[str, Any]]) -> None:
    for change in changes:
        key = (change["kind"], change["id"])
        if change["operation"] == "deleted":
            assert change["after"] is None
            mirror.pop(key)
        else:
            assert change["after"] is not None
            mirror[key] = change["after"]


def database_states(session: Session) -> Mirror:
    """The canonical state of every record of every kind, read through the session."""
    session.expire_all()
    states: Mirror = {}
    for kind, model in MODELS.items():
        ids = session.scalars(select(model.id)).all()
        for record_id, state in canonical_states(session, KINDS, kind, ids).items():
            states[(kind.value, record_id)] = state
    return states


def seed_ids() -> set[tuple[str, str]]:
    ids = {("article", ARTICLE_ID)}
    for kind, collection in (
        ("participant", "participants"),
        ("event", "events"),
        ("issue", "issues"),
        ("quotation", "quotations"),
    ):
        ids |= {(kind, item["id"]) for item in SEED[collection]}
    return ids


def etag_of(client: TestClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.headers["etag"]


def patch(client: TestClient, writer: dict[str, str], url: str, body: dict[str, Any]) -> None:
    headers = {**writer, "If-Match": etag_of(client, url)}
    response = client.patch(url, json=body, headers=headers)
    assert response.status_code == 200, response.text


def delete(client: TestClient, writer: dict[str, str], url: str) -> None:
    headers = {**writer, "If-Match": etag_of(client, url)}
    response = client.delete(url, params={"cascade": "true"}, headers=headers)
    assert response.status_code == 204, response.text


def post(client: TestClient, writer: dict[str, str], url: str, body: dict[str, Any]) -> None:
    response = client.post(url, json=body, headers=writer)
    assert response.status_code == 201, response.text


# --- the feed -----------------------------------------------------------------------------------


def test_the_feed_starts_with_the_seed_load(client: TestClient) -> None:
    changes, _ = read_feed(client)
    seed = [c for c in changes if c["actor"] == "cli"]
    assert {(c["kind"], c["id"]) for c in seed} == seed_ids()
    assert {c["operation"] for c in seed} == {"created"}
    assert all(c["before"] is None for c in seed)
    article = next(c for c in seed if c["kind"] == "article")
    assert article["after"]["text"] == SEED["article"]["text"]
    assert article["after"]["content_sha256"] == SEED["article"]["content_sha256"]


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_the_feed_pages_in_commit_order(client: TestClient, limit: int) -> None:
    whole, _ = read_feed(client, limit=100)
    paged, _ = read_feed(client, limit=limit)
    assert paged == whole
    seqs = [c["seq"] for c in whole]
    assert seqs == sorted(set(seqs))
    assert len({c["cursor"] for c in whole}) == len(whole)


def test_reading_on_from_a_cursor_gives_only_what_came_after(
    client: TestClient, writer: dict[str, str]
) -> None:
    everything, last = read_feed(client)
    assert read_feed(client, since=last) == ([], last)
    middle = everything[len(everything) // 2]
    rest, _ = read_feed(client, since=middle["cursor"], limit=3)
    assert rest == everything[len(everything) // 2 + 1 :]

    patch(client, writer, "/v1/issues/issues-of-concern", {"summary": "New summary."})
    patch(client, writer, "/v1/events/putin-inauguration-2018", {"status": "held"})
    new, newest = read_feed(client, since=last)
    assert [(c["kind"], c["id"], c["operation"]) for c in new] == [
        ("issue", "issues-of-concern", "updated"),
        ("event", "putin-inauguration-2018", "updated"),
    ]
    assert new[0]["seq"] > everything[-1]["seq"]
    assert read_feed(client, since=newest) == ([], newest)


def test_the_feed_can_follow_one_kind(client: TestClient, writer: dict[str, str]) -> None:
    patch(client, writer, "/v1/issues/issues-of-concern", {"summary": "New summary."})
    patch(client, writer, "/v1/events/putin-inauguration-2018", {"status": "held"})
    quotations, _ = read_feed(client, kind="quotation", limit=4)
    assert {c["kind"] for c in quotations} == {"quotation"}
    assert {c["id"] for c in quotations} == {q["id"] for q in SEED["quotations"]}
    events, _ = read_feed(client, kind="event")
    assert events[-1]["id"] == "putin-inauguration-2018"
    assert events[-1]["operation"] == "updated"


@pytest.mark.parametrize(
    "params",
    [{"since": "not-a-cursor"}, {"limit": 0}, {"limit": 101}, {"kind": "rumour"}, {"until": "x"}],
)
def test_bad_feed_parameters_are_refused(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/v1/changes", params=params)
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


def test_a_cursor_of_a_kind_feed_does_not_fit_the_whole_feed(client: TestClient) -> None:
    page = client.get("/v1/changes", params={"kind": "event", "limit": 1}).json()
    assert_problem(client.get("/v1/changes", params={"since": page["next_cursor"]}), 400)


# --- auditing -----------------------------------------------------------------------------------


def test_every_write_is_recorded_with_actor_time_operation_before_and_after(
    client: TestClient, writer: dict[str, str], make_key: KeyMaker
) -> None:
    mirror: Mirror = {}
    seen, last = read_feed(client)
    apply(mirror, seen)
    started = dt.datetime.now(dt.UTC)

    body = {
        "id": "new-issue",
        "title": "A new issue",
        "category": "trade",
        "agenda": [{"event_id": "putin-inauguration-2018", "status": "expected"}],
        "evidence": [{"article_id": ARTICLE_ID, "text": "after the inauguration"}],
    }
    post(client, writer, "/v1/issues", body)
    admin = make_key("admin", name="editor")
    patch(client, admin, "/v1/issues/new-issue", {"category": "other"})
    delete(client, writer, "/v1/issues/new-issue")
    changes, _ = read_feed(client, since=last, headers=admin)
    assert [(c["operation"], c["kind"], c["id"], c["actor"]) for c in changes] == [
        ("created", "issue", "new-issue", "curator"),
        ("updated", "issue", "new-issue", "editor"),
        ("deleted", "issue", "new-issue", "curator"),
    ]
    created, updated, deleted = changes
    assert created["before"] is None
    start = SEED["article"]["text"].index("after the inauguration")
    assert created["after"] == {
        "id": "new-issue",
        "title": "A new issue",
        "summary": None,
        "category": "trade",
        "agenda": [{"event_id": "putin-inauguration-2018", "status": "expected"}],
        "evidence": [{"article_id": ARTICLE_ID, "start": start, "end": start + 22}],
    }
    assert updated["before"] == created["after"]
    assert updated["after"] == {**created["after"], "category": "other"}
    assert deleted["before"] == updated["after"]
    assert deleted["after"] is None
    for change in changes:
        occurred = dt.datetime.fromisoformat(change["occurred_at"])
        assert occurred.tzinfo is not None
        assert abs(occurred - started) < dt.timedelta(minutes=10)


def test_an_update_records_the_state_before_and_after(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    mirror: Mirror = {}
    seen, last = read_feed(client)
    apply(mirror, seen)
    key = ("event", "lukashenka-putin-meeting-2018")
    old = mirror[key]
    assert old["status"] == "expected"
    patch(
        client,
        writer,
        "/v1/events/lukashenka-putin-meeting-2018",
        {
            "status": "held",
            "location": "Sochi",
            "participants": [{"participant_id": "vladimir-putin", "role": "host"}],
        },
    )
    changes, _ = read_feed(client, since=last)
    assert len(changes) == 1
    change = changes[0]
    assert (change["operation"], change["kind"], change["id"]) == ("updated", *key)
    assert change["before"] == old
    assert change["after"] == {
        **old,
        "status": "held",
        "location": "Sochi",
        "participants": [{"participant_id": "vladimir-putin", "role": "host"}],
    }
    assert change["after"] == database_states(session)[key]


def test_refused_and_replayed_writes_are_not_recorded(
    client: TestClient, writer: dict[str, str], make_key: KeyMaker
) -> None:
    _, last = read_feed(client)
    url = "/v1/events/putin-inauguration-2018"
    stale = {**writer, "If-Match": '"0123456789abcdef0123456789abcdef"'}
    assert client.patch(url, json={"status": "held"}, headers=stale).status_code == 412
    assert client.patch(url, json={"status": "held"}, headers=make_key("read")).status_code == 403
    bad = {"status": "held", "date": "2018-02-30"}
    assert (
        client.patch(
            url, json=bad, headers={**writer, "If-Match": etag_of(client, url)}
        ).status_code
        == 422
    )
    assert (
        client.delete(
            "/v1/participants/russia",
            headers={**writer, "If-Match": etag_of(client, "/v1/participants/russia")},
        ).status_code
        == 409
    )
    assert read_feed(client, since=last) == ([], last)


# --- a mirror built from the feed alone ---------------------------------------------------------


def test_a_mirror_built_from_the_feed_equals_the_database(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    mirror: Mirror = {}
    changes, last = read_feed(client, limit=17)
    apply(mirror, changes)
    assert mirror == database_states(session)

    # Creates of every kind.
    article_text = "Alpha met Beta in Gamma. Alpha said hello to Beta."
    hello = article_text.index("hello")
    post(
        client,
        writer,
        "/v1/articles",
        {"id": "a2", "title": "A2", "language": "en", "text": article_text},
    )
    post(
        client,
        writer,
        "/v1/participants",
        {
            "id": "alpha",
            "name": "Alpha",
            "kind": "person",
            "affiliation_id": "belarus",
            "aliases": [{"alias": "A", "language": "en"}],
            "external_ids": {"wikidata": "Q9"},
            "evidence": [{"article_id": "a2", "text": "Alpha", "occurrence": 2}],
        },
    )
    post(
        client,
        writer,
        "/v1/events",
        {
            "id": "alpha-beta-meeting",
            "title": "Alpha meets Beta",
            "kind": "meeting",
            "status": "held",
            "date": "2018-06",
            "participants": [
                {"participant_id": "alpha", "role": "attendee"},
                {"participant_id": "vladimir-putin", "role": "observer"},
            ],
            "evidence": [{"article_id": "a2", "text": "Alpha met Beta in Gamma."}],
        },
    )
    post(
        client,
        writer,
        "/v1/issues",
        {
            "id": "greetings",
            "title": "Greetings",
            "category": "other",
            "agenda": [
                {"event_id": "alpha-beta-meeting", "status": "raised"},
                {"event_id": "lukashenka-putin-meeting-2018", "status": "expected"},
            ],
            "evidence": [{"article_id": "a2", "start": hello, "end": hello + 5}],
        },
    )
    post(
        client,
        writer,
        "/v1/quotations",
        {
            "id": "alpha-hello",
            "article_id": "a2",
            "speaker_id": "alpha",
            "text": "hello",
            "kind": "partial",
            "event_id": "alpha-beta-meeting",
            "audience_id": "vladimir-putin",
            "issue_ids": ["greetings", "issues-of-concern"],
        },
    )
    # Updates, including list replacements and a change spanning two articles.
    patch(
        client,
        writer,
        "/v1/participants/georgia",
        {
            "name": "Sakartvelo",
            "aliases": [{"alias": "Грузия", "language": "ru"}],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "his recent visit to Georgia"},
                {"article_id": "a2", "text": "Gamma"},
            ],
        },
    )
    patch(
        client,
        writer,
        "/v1/quotations/lukashenka-may-backfire",
        {"issue_ids": ["greetings"], "said_on": None},
    )
    patch(client, writer, "/v1/articles/a2", {"title": "A2, revised", "published": "2018-06-02"})
    # Deletes with cascade: a participant who speaks and is heard, an event, an issue.
    delete(client, writer, "/v1/participants/vladimir-putin")
    delete(client, writer, "/v1/events/lukashenka-army-statement-2018-02")
    delete(client, writer, "/v1/issues/food-supplies-to-russia")
    # An import of an edited seed bundle.
    bundle = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    for event in bundle["events"]:
        if event["id"] == "seec-session-sochi-2018":
            event["status"] = "held"
    bundle["quotations"] = [
        q for q in bundle["quotations"] if q["id"] != "lukashenka-no-political-problems"
    ]
    response = client.post(
        "/v1/imports",
        content=yaml.safe_dump(bundle, allow_unicode=True).encode("utf-8"),
        headers={**writer, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["changes"]
    # Deleting an article removes what only it supports.
    delete(client, writer, "/v1/articles/a2")

    changes, last = read_feed(client, since=last, limit=9)
    assert changes
    apply(mirror, changes)
    assert mirror == database_states(session)
    # The import brought back what the bundle has and the deletes had removed.
    assert mirror[("participant", "vladimir-putin")]["name"] == "Vladimir Putin"
    assert [c["operation"] for c in changes if c["id"] == "vladimir-putin"] == [
        "deleted",
        "created",
    ]
    assert ("article", "a2") not in mirror
    assert ("quotation", "alpha-hello") not in mirror
    assert mirror[("participant", "georgia")]["name"] == "Georgia"
    assert ("quotation", "lukashenka-no-political-problems") not in mirror
    assert mirror[("event", "seec-session-sochi-2018")]["status"] == "held"
    assert read_feed(client, since=last) == ([], last)
