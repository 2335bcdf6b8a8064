"""Idempotency-Key on POST: a retry replays the first response and creates nothing twice."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.core.config import Settings
from app.idempotency.service import DEFAULT_TTL_HOURS, SWEEP_BATCH, sweep_expired
from app.models.article import Article
from app.models.change import ChangeRecord
from app.models.event import Event
from app.models.idempotency import IdempotencyRecord
from app.models.issue import Issue
from app.models.participant import Participant
from app.models.quotation import Quotation
from tests.api import assert_problem
from tests.conftest import KeyMaker

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
REPLAYED = "idempotent-replayed"

BODIES: dict[str, tuple[str, Any, dict[str, Any]]] = {
    "article": (
        "/v1/articles",
        Article,
        {"id": "retried-article", "title": "Retried", "language": "en", "text": "Once only."},
    ),
    "participant": (
        "/v1/participants",
        Participant,
        {
            "id": "retried-participant",
            "name": "Retried",
            "kind": "group",
            "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
        },
    ),
    "event": (
        "/v1/events",
        Event,
        {
            "id": "retried-event",
            "title": "Retried",
            "kind": "other",
            "status": "held",
            "participants": [{"participant_id": "russia", "role": "host"}],
            "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
        },
    ),
    "issue": (
        "/v1/issues",
        Issue,
        {
            "id": "retried-issue",
            "title": "Retried",
            "category": "other",
            "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
        },
    ),
    "quotation": (
        "/v1/quotations",
        Quotation,
        {
            "id": "retried-quotation",
            "article_id": ARTICLE_ID,
            "speaker_id": "alyaksandr-lukashenka",
            "text": "We need to clarify things",
            "kind": "partial",
        },
    ),
}


def count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def feed_entries(session: Session, record_id: str) -> list[str]:
    return list(
        session.scalars(
            select(ChangeRecord.operation)
            .where(ChangeRecord.record_id == record_id)
            .order_by(ChangeRecord.seq)
        )
    )


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


# --- creates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(BODIES))
def test_a_retry_returns_the_first_response_and_creates_nothing_twice(
    client: TestClient, writer: dict[str, str], session: Session, kind: str
) -> None:
    url, model, body = BODIES[kind]
    rows = count(session, model)
    changes = count(session, ChangeRecord)
    first = client.post(url, json=body, headers=keyed(writer, f"create-{kind}"))
    assert first.status_code == 201, first.text
    assert REPLAYED not in first.headers
    for _ in range(2):
        retry = client.post(url, json=copy.deepcopy(body), headers=keyed(writer, f"create-{kind}"))
        assert retry.status_code == first.status_code
        assert retry.content == first.content
        assert retry.headers["location"] == first.headers["location"] == f"{url}/{body['id']}"
        assert retry.headers[REPLAYED] == "true"
        assert retry.headers["content-type"] == "application/json"
    assert count(session, model) == rows + 1
    assert count(session, ChangeRecord) == changes + 1
    assert feed_entries(session, body["id"]) == ["created"]


def test_without_a_key_a_retry_is_a_conflict(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    url, _, body = BODIES["participant"]
    assert client.post(url, json=body, headers=writer).status_code == 201
    assert_problem(client.post(url, json=body, headers=writer), 409)
    assert feed_entries(session, body["id"]) == ["created"]


def test_a_replay_is_the_first_response_even_after_the_record_changed(
    client: TestClient, writer: dict[str, str]
) -> None:
    url, _, body = BODIES["event"]
    first = client.post(url, json=body, headers=keyed(writer, "k"))
    assert first.status_code == 201
    record = f"{url}/{body['id']}"
    etag = client.get(record).headers["etag"]
    changed = client.patch(
        record, json={"status": "cancelled"}, headers={**writer, "If-Match": etag}
    )
    assert changed.status_code == 200
    retry = client.post(url, json=body, headers=keyed(writer, "k"))
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.json()["status"] == "held"
    assert client.get(record).json()["status"] == "cancelled"


def test_the_same_key_with_another_body_is_422(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    url, model, body = BODIES["participant"]
    assert client.post(url, json=body, headers=keyed(writer, "same")).status_code == 201
    rows = count(session, model)
    other = {**body, "id": "another-participant", "name": "Another"}
    problem = assert_problem(client.post(url, json=other, headers=keyed(writer, "same")), 422)
    assert [e["name"] for e in problem["errors"]] == ["Idempotency-Key"]
    assert client.get(f"{url}/another-participant").status_code == 404
    renamed = {**body, "name": "Renamed"}
    assert_problem(client.post(url, json=renamed, headers=keyed(writer, "same")), 422)
    assert count(session, model) == rows
    # The original request is still replayed.
    assert client.post(url, json=body, headers=keyed(writer, "same")).headers[REPLAYED] == "true"


def test_the_same_key_on_another_endpoint_is_422(
    client: TestClient, writer: dict[str, str]
) -> None:
    url, _, body = BODIES["issue"]
    assert client.post(url, json=body, headers=keyed(writer, "shared")).status_code == 201
    event_url, _, event = BODIES["event"]
    assert_problem(client.post(event_url, json=event, headers=keyed(writer, "shared")), 422)
    assert client.get(f"{event_url}/{event['id']}").status_code == 404


def test_keys_belong_to_one_api_key(
    client: TestClient, writer: dict[str, str], make_key: KeyMaker, session: Session
) -> None:
    other = make_key("write", name="other-curator")
    url, model, body = BODIES["participant"]
    rows = count(session, model)
    first = client.post(url, json=body, headers=keyed(writer, "k-1"))
    assert first.status_code == 201
    # Another key may use the same Idempotency-Key for its own, different request...
    theirs = {**body, "id": "their-participant", "name": "Theirs"}
    mine = client.post(url, json=theirs, headers=keyed(other, "k-1"))
    assert mine.status_code == 201, mine.text
    assert REPLAYED not in mine.headers
    assert mine.json()["id"] == "their-participant"
    # ...and its retries replay its own response, not the first key's.
    again = client.post(url, json=theirs, headers=keyed(other, "k-1"))
    assert again.headers[REPLAYED] == "true"
    assert again.content == mine.content
    # The same request under the other key is not a replay of the first: it is a new create.
    assert_problem(client.post(url, json=body, headers=keyed(other, "k-2")), 409)
    assert count(session, model) == rows + 2
    actors = session.scalars(
        select(ChangeRecord.actor).where(ChangeRecord.record_id.in_([body["id"], theirs["id"]]))
    ).all()
    assert sorted(actors) == ["curator", "other-curator"]


def test_a_refused_request_is_not_remembered(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    url, _, body = BODIES["participant"]
    broken = {**body, "evidence": [{"article_id": ARTICLE_ID, "text": "not in the article"}]}
    assert_problem(client.post(url, json=broken, headers=keyed(writer, "fix-and-retry")), 422)
    fixed = client.post(url, json=body, headers=keyed(writer, "fix-and-retry"))
    assert fixed.status_code == 201, fixed.text
    assert REPLAYED not in fixed.headers
    retry = client.post(url, json=body, headers=keyed(writer, "fix-and-retry"))
    assert retry.headers[REPLAYED] == "true"
    assert feed_entries(session, body["id"]) == ["created"]


def test_a_conflicting_first_request_is_not_remembered(
    client: TestClient, writer: dict[str, str]
) -> None:
    url, _, body = BODIES["participant"]
    taken = {**body, "id": "belarus"}
    assert_problem(client.post(url, json=taken, headers=keyed(writer, "dup")), 409)
    assert_problem(client.post(url, json=taken, headers=keyed(writer, "dup")), 409)


@pytest.mark.parametrize("key", ["", "k" * 201])
def test_an_idempotency_key_must_be_1_to_200_characters(
    client: TestClient, writer: dict[str, str], key: str
) -> None:
    url, _, body = BODIES["participant"]
    problem = assert_problem(client.post(url, json=body, headers=keyed(writer, key)), 422)
    assert "Idempotency-Key" in [e["name"] for e in problem["errors"]]
    assert client.get(f"{url}/{body['id']}").status_code == 404


def test_a_200_character_key_is_fine(client: TestClient, writer: dict[str, str]) -> None:
    url, _, body = BODIES["participant"]
    first = client.post(url, json=body, headers=keyed(writer, "k" * 200))
    assert first.status_code == 201
    assert client.post(url, json=body, headers=keyed(writer, "k" * 200)).headers[REPLAYED] == "true"


# --- imports ------------------------------------------------------------------------------------


def edited_bundle(status: str) -> bytes:
    data = copy.deepcopy(SEED)
    for event in data["events"]:
        if event["id"] == "putin-inauguration-2018":
            event["status"] = status
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


YAML = {"Content-Type": "application/yaml"}


def test_an_import_retry_returns_the_first_response_and_writes_once(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    headers = {**keyed(writer, "import-1"), **YAML}
    first = client.post("/v1/imports", content=edited_bundle("held"), headers=headers)
    assert first.status_code == 200, first.text
    assert [(c["id"], c["operation"]) for c in first.json()["changes"]] == [
        ("putin-inauguration-2018", "updated")
    ]
    retry = client.post("/v1/imports", content=edited_bundle("held"), headers=headers)
    assert retry.status_code == 200
    assert retry.json() == first.json()  # not the "no changes" a second import would report
    assert feed_entries(session, "putin-inauguration-2018") == ["created", "updated"]
    other = client.post("/v1/imports", content=edited_bundle("cancelled"), headers=headers)
    assert_problem(other, 422)
    assert client.get("/v1/events/putin-inauguration-2018").json()["status"] == "held"


def test_an_import_replay_is_marked_as_replayed(client: TestClient, writer: dict[str, str]) -> None:
    headers = {**keyed(writer, "import-2"), **YAML}
    first = client.post("/v1/imports", content=edited_bundle("held"), headers=headers)
    assert first.status_code == 200, first.text
    assert REPLAYED not in first.headers
    retry = client.post("/v1/imports", content=edited_bundle("held"), headers=headers)
    assert retry.content == first.content
    assert retry.headers.get(REPLAYED) == "true"


# --- expiry -------------------------------------------------------------------------------------


def age_records(session: Session, hours: float) -> None:
    """Make every stored response `hours` older."""
    for record in session.scalars(select(IdempotencyRecord)):
        record.created_at = record.created_at - dt.timedelta(hours=hours)
    session.flush()


def test_an_expired_key_is_free_again(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    url, _, body = BODIES["participant"]
    first = client.post(url, json=body, headers=keyed(writer, "expiring"))
    assert first.status_code == 201
    age_records(session, DEFAULT_TTL_HOURS + 1)
    # Past its time the key replays nothing: the request runs again (a 409: the id exists).
    again = client.post(url, json=body, headers=keyed(writer, "expiring"))
    assert_problem(again, 409)
    assert REPLAYED not in again.headers
    # ... and with another body it is no 422 either: the old record is gone.
    other = {**body, "id": "another-retried-participant"}
    fresh = client.post(url, json=other, headers=keyed(writer, "expiring"))
    assert fresh.status_code == 201, fresh.text
    replayed = client.post(url, json=other, headers=keyed(writer, "expiring"))
    assert replayed.headers[REPLAYED] == "true"
    assert replayed.content == fresh.content


def test_a_key_within_its_time_still_replays(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    url, _, body = BODIES["participant"]
    first = client.post(url, json=body, headers=keyed(writer, "young"))
    age_records(session, DEFAULT_TTL_HOURS - 1)
    retry = client.post(url, json=body, headers=keyed(writer, "young"))
    assert retry.headers[REPLAYED] == "true"
    assert retry.content == first.content


def test_writes_sweep_expired_records_a_batch_at_a_time(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    url, _, body = BODIES["participant"]
    for number in range(SWEEP_BATCH + 5):
        created = client.post(
            url, json={**body, "id": f"swept-{number}"}, headers=keyed(writer, f"old-{number}")
        )
        assert created.status_code == 201, created.text
    age_records(session, DEFAULT_TTL_HOURS + 1)
    stored = count(session, IdempotencyRecord)
    assert stored >= SWEEP_BATCH + 5
    # One keyed write removes at most SWEEP_BATCH expired records, oldest first ...
    fresh = client.post(url, json={**body, "id": "sweeper"}, headers=keyed(writer, "sweeper"))
    assert fresh.status_code == 201
    assert count(session, IdempotencyRecord) == stored - SWEEP_BATCH + 1
    # ... and the next ones the rest, keeping only live records.
    client.post(url, json={**body, "id": "sweeper-2"}, headers=keyed(writer, "sweeper-2"))
    assert count(session, IdempotencyRecord) == 2
    assert sweep_expired(session, DEFAULT_TTL_HOURS) == 0


def test_the_time_to_live_is_a_setting() -> None:
    assert Settings().idempotency_ttl_h == 24
    assert Settings(idempotency_ttl_h=1).idempotency_ttl_h == 1
