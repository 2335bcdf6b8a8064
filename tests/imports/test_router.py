"""POST /v1/imports: article bundles in the fixture format, as YAML or JSON, with dry runs."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.models.change import ChangeRecord
from tests.api import assert_evidence_true, assert_problem
from tests.conftest import KeyMaker
from tests.snapshot import snapshot

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED_YAML: str = SEED_PATH.read_text(encoding="utf-8")
SEED: dict[str, Any] = yaml.safe_load(SEED_YAML)
ARTICLE_ID: str = SEED["article"]["id"]
YAML = {"Content-Type": "application/yaml"}
JSON = {"Content-Type": "application/json"}


def seed() -> dict[str, Any]:
    return copy.deepcopy(SEED)


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def as_yaml(data: dict[str, Any]) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def post(
    client: TestClient,
    headers: dict[str, str],
    content: bytes,
    media: dict[str, str],
    **params: Any,
) -> Any:
    return client.post("/v1/imports", content=content, headers={**headers, **media}, params=params)


def changes_of(response: Any) -> list[tuple[str, str, str]]:
    assert response.status_code == 200, response.text
    return sorted((c["kind"], c["id"], c["operation"]) for c in response.json()["changes"])


def feed_after(session: Session, seq: int) -> list[ChangeRecord]:
    session.expire_all()
    return list(
        session.scalars(
            select(ChangeRecord).where(ChangeRecord.seq > seq).order_by(ChangeRecord.seq)
        )
    )


def last_seq(session: Session) -> int:
    return max(session.scalars(select(ChangeRecord.seq)).all(), default=0)


def find(data: dict[str, Any], collection: str, record_id: str) -> dict[str, Any]:
    return next(item for item in data[collection] if item["id"] == record_id)


# --- re-importing the seed ----------------------------------------------------------------------


@pytest.mark.parametrize("media", ["application/yaml", "application/x-yaml", "text/yaml"])
def test_reimporting_the_seed_as_yaml_changes_nothing(
    client: TestClient, writer: dict[str, str], session: Session, media: str
) -> None:
    before = snapshot(session)
    response = post(client, writer, SEED_YAML.encode("utf-8"), {"Content-Type": media})
    assert response.json() == {"article_id": ARTICLE_ID, "dry_run": False, "changes": []}
    assert snapshot(session) == before


def test_reimporting_the_seed_as_json_changes_nothing(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    before = snapshot(session)
    response = post(client, writer, as_json(seed()), JSON)
    assert response.json() == {"article_id": ARTICLE_ID, "dry_run": False, "changes": []}
    assert snapshot(session) == before


# --- edited bundles -----------------------------------------------------------------------------


@pytest.mark.parametrize("encode", [as_yaml, as_json], ids=["yaml", "json"])
def test_an_edited_bundle_reports_exactly_what_changed(
    client: TestClient, writer: dict[str, str], session: Session, encode: Callable[..., bytes]
) -> None:
    data = seed()
    find(data, "events", "lukashenka-putin-meeting-2018")["status"] = "held"
    data["quotations"] = [q for q in data["quotations"] if q["id"] != "lukashenka-may-backfire"]
    old_event = client.get("/v1/events/lukashenka-putin-meeting-2018").json()
    start = last_seq(session)

    media = YAML if encode is as_yaml else JSON
    response = post(client, writer, encode(data), media)
    assert changes_of(response) == [
        ("event", "lukashenka-putin-meeting-2018", "updated"),
        ("quotation", "lukashenka-may-backfire", "deleted"),
    ]
    assert response.json()["dry_run"] is False
    new_event = client.get("/v1/events/lukashenka-putin-meeting-2018").json()
    assert new_event["status"] == "held"
    assert {**new_event, "status": "expected"} == old_event
    assert_problem(client.get("/v1/quotations/lukashenka-may-backfire"), 404)
    assert client.get("/v1/quotations/lukashenka-seriously-underestimating").status_code == 200

    recorded = feed_after(session, start)
    assert sorted((r.kind, r.record_id, r.operation) for r in recorded) == changes_of(response)
    assert {r.actor for r in recorded} == {"curator"}
    # Importing the same edited bundle again changes nothing.
    assert changes_of(post(client, writer, encode(data), media)) == []
    assert feed_after(session, start) == recorded


def test_a_bundle_can_add_change_and_remove_facts(
    client: TestClient, writer: dict[str, str]
) -> None:
    data = seed()
    belarus = find(data, "participants", "belarus")
    belarus["aliases"].append({"alias": "Byelorussia", "language": "en"})
    data["participants"].append(
        {
            "id": "sochi",
            "name": "Sochi",
            "kind": "group",
            "evidence": ["held in Sochi on 14 May"],
        }
    )
    data["issues"] = [i for i in data["issues"] if i["id"] != "issues-of-concern"]
    for quotation in data["quotations"]:
        quotation["issues"] = [i for i in quotation["issues"] if i != "issues-of-concern"]
    response = post(client, writer, as_yaml(data), YAML)
    assert changes_of(response) == [
        ("issue", "issues-of-concern", "deleted"),
        ("participant", "belarus", "updated"),
        ("participant", "sochi", "created"),
        ("quotation", "press-service-sochi-announcement", "updated"),
    ]
    aliases = client.get("/v1/participants/belarus").json()["aliases"]
    assert {"alias": "Byelorussia", "language": "en"} in aliases
    sochi = client.get("/v1/participants/sochi").json()
    assert_evidence_true(client, sochi["evidence"])
    assert [s["text"] for s in sochi["evidence"]] == ["held in Sochi on 14 May"]
    assert client.get("/v1/issues/issues-of-concern").status_code == 404
    quotation = client.get("/v1/quotations/press-service-sochi-announcement").json()
    assert "issues-of-concern" not in quotation["issue_ids"]


def test_a_new_article_bundle_creates_its_records(
    client: TestClient, writer: dict[str, str]
) -> None:
    text = "Alpha met Beta in Gamma. “We agree,” Alpha said."
    bundle = {
        "version": 1,
        "article": {"id": "alpha-beta", "title": "Alpha and Beta", "language": "en", "text": text},
        "participants": [
            {
                "id": "alpha",
                "name": "Alpha",
                "kind": "person",
                "evidence": [{"text": "Alpha", "occurrence": 1}],
            },
            {"id": "beta", "name": "Beta", "kind": "person", "evidence": ["Beta"]},
        ],
        "events": [
            {
                "id": "alpha-beta-meeting",
                "title": "Alpha meets Beta",
                "kind": "meeting",
                "status": "held",
                "participants": [{"participant": "alpha", "role": "attendee"}],
                "evidence": ["Alpha met Beta in Gamma."],
            }
        ],
        "issues": [
            {
                "id": "agreement",
                "title": "Agreement",
                "category": "diplomacy",
                "agenda": [{"event": "alpha-beta-meeting", "status": "discussed"}],
                "evidence": ["We agree"],
            }
        ],
        "quotations": [
            {
                "id": "alpha-we-agree",
                "speaker": "alpha",
                "kind": "direct",
                "text": "We agree",
                "event": "alpha-beta-meeting",
                "audience": "beta",
                "issues": ["agreement"],
                "evidence": ["Alpha said"],
            }
        ],
    }
    response = post(client, writer, as_json(bundle), JSON)
    assert changes_of(response) == sorted(
        [
            ("article", "alpha-beta", "created"),
            ("participant", "alpha", "created"),
            ("participant", "beta", "created"),
            ("event", "alpha-beta-meeting", "created"),
            ("issue", "agreement", "created"),
            ("quotation", "alpha-we-agree", "created"),
        ]
    )
    assert response.json()["article_id"] == "alpha-beta"
    assert client.get("/v1/articles/alpha-beta").json()["text"] == text
    quotation = client.get("/v1/quotations/alpha-we-agree").json()
    assert_evidence_true(client, quotation["evidence"])
    assert quotation["audience"]["id"] == "beta"
    # The seed article's facts are untouched.
    assert client.get("/v1/quotations", params={"article": ARTICLE_ID}).json()["items"]

    bundle["participants"] = bundle["participants"][:1]
    bundle["quotations"][0]["audience"] = None
    again = post(client, writer, as_json(bundle), JSON)
    assert changes_of(again) == [
        ("participant", "beta", "deleted"),
        ("quotation", "alpha-we-agree", "updated"),
    ]


# --- dry runs -----------------------------------------------------------------------------------


def test_a_dry_run_reports_the_changes_and_writes_nothing(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    data = seed()
    find(data, "events", "supreme-state-council-session-minsk")["status"] = "cancelled"
    find(data, "participants", "georgia")["external_ids"] = {"wikidata": "Q230", "iso": "GE"}
    before = snapshot(session)
    dry = post(client, writer, as_yaml(data), YAML, dry_run="true")
    assert dry.json()["dry_run"] is True
    expected = [
        ("event", "supreme-state-council-session-minsk", "updated"),
        ("participant", "georgia", "updated"),
    ]
    assert changes_of(dry) == expected
    assert snapshot(session) == before
    assert client.get("/v1/events/supreme-state-council-session-minsk").json()["status"] == (
        "deferred"
    )
    real = post(client, writer, as_yaml(data), YAML)
    assert real.json()["dry_run"] is False
    assert changes_of(real) == expected
    assert snapshot(session) != before


def test_a_dry_run_of_an_unchanged_bundle_reports_nothing(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    before = snapshot(session)
    response = post(client, writer, SEED_YAML.encode("utf-8"), YAML, dry_run="true")
    assert response.json() == {"article_id": ARTICLE_ID, "dry_run": True, "changes": []}
    assert snapshot(session) == before


# --- refused bundles ----------------------------------------------------------------------------


def test_an_invalid_bundle_is_422_naming_each_fact_and_writes_nothing(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    data = seed()
    data["quotations"][0]["text"] = "words nobody said"
    find(data, "events", "lukashenka-putin-meeting-2018")["status"] = "held"  # a valid edit
    find(data, "issues", "issues-of-concern")["evidence"] = ["issues of no concern"]
    before = snapshot(session)
    response = post(client, writer, as_yaml(data), YAML)
    body = assert_problem(response, 422)
    names = [error["name"] for error in body["errors"]]
    assert len(names) == 2, names
    quotation_id = data["quotations"][0]["id"]
    assert any(quotation_id in name and name.endswith(".text") for name in names), names
    assert any("issues-of-concern" in name and "evidence" in name for name in names), names
    assert any("words nobody said" in error["message"] for error in body["errors"])
    assert snapshot(session) == before
    assert client.get("/v1/events/lukashenka-putin-meeting-2018").json()["status"] == "expected"


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda d: d["article"].update(content_sha256="0" * 64), "content_sha256"),
        (lambda d: d["quotations"][1].update(speaker="nobody"), "speaker"),
        (lambda d: d["events"].append(copy.deepcopy(d["events"][0])), "duplicate"),
        (lambda d: d["participants"][0].update(kind="alien"), "kind"),
        (lambda d: d["issues"][0].update(unexpected=True), "unexpected"),
        (lambda d: d["participants"][0]["evidence"].append("Putin"), "evidence"),
        (lambda d: d["participants"][0].update(name="nul\x00name"), "name"),
        (lambda d: d["article"].update(text=d["article"]["text"] + "\x00"), "text"),
    ],
)
def test_other_bundle_problems_are_422_and_write_nothing(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    edit: Callable[[dict[str, Any]], None],
    needle: str,
) -> None:
    data = seed()
    edit(data)
    before = snapshot(session)
    body = assert_problem(post(client, writer, as_json(data), JSON), 422)
    assert any(needle in error["name"] or needle in error["message"] for error in body["errors"]), (
        body["errors"]
    )
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("content", "media"),
    [
        (b"article: [unclosed", "application/yaml"),
        (b"{not json", "application/json"),
        (b"- a list", "application/yaml"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_an_unreadable_bundle_is_422(
    client: TestClient, writer: dict[str, str], content: bytes, media: str
) -> None:
    assert_problem(post(client, writer, content, {"Content-Type": media}), 422)


def test_a_bundle_of_another_media_type_is_415(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    before = snapshot(session)
    content = as_json(seed())
    assert_problem(post(client, writer, content, {"Content-Type": "text/plain"}), 415)
    assert_problem(client.post("/v1/imports", content=content, headers=writer), 415)
    assert snapshot(session) == before


def test_imports_need_the_write_scope(client: TestClient, make_key: KeyMaker) -> None:
    content = SEED_YAML.encode("utf-8")
    response = client.post("/v1/imports", content=content, headers=YAML)
    assert_problem(response, 401)
    assert "www-authenticate" in response.headers
    assert_problem(post(client, make_key("read"), content, YAML), 403)
    assert post(client, make_key("admin"), content, YAML).status_code == 200


def test_a_bundle_that_orphans_a_speaker_quoted_elsewhere_is_not_a_server_error(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    """Georgia's only evidence is in the seed article, but a quotation in another article has
    Georgia as its speaker. Re-importing the seed without Georgia must not fail with a 500:
    either the import keeps what the other article still needs, or it is refused cleanly."""
    article = {"id": "other", "title": "Other", "language": "en", "text": "Georgia says hi."}
    assert client.post("/v1/articles", json=article, headers=writer).status_code == 201
    quotation = {
        "id": "georgia-hi",
        "article_id": "other",
        "speaker_id": "georgia",
        "text": "hi",
        "kind": "direct",
    }
    assert client.post("/v1/quotations", json=quotation, headers=writer).status_code == 201
    data = seed()
    data["participants"] = [p for p in data["participants"] if p["id"] != "georgia"]
    for participant in data["participants"]:
        if participant.get("affiliation") == "georgia":
            participant["affiliation"] = None
    for event in data["events"]:
        event["participants"] = [p for p in event["participants"] if p["participant"] != "georgia"]
    before = snapshot(session)
    for params in ({"dry_run": "true"}, {}):
        response = post(client, writer, as_yaml(data), YAML, **params)
        assert response.status_code in (200, 409, 422), response.text
        if response.status_code != 200:
            assert_problem(response, response.status_code)
            assert snapshot(session) == before
    got = client.get("/v1/quotations/georgia-hi")
    assert got.status_code == 200
    assert client.get(f"/v1/participants/{got.json()['speaker']['id']}").status_code == 200
