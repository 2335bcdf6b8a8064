"""schema.org JSON-LD on the detail GETs, by content negotiation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import jsonld
from app.core.config import Settings
from app.events.jsonld import DEFAULT_ROLE_PROPERTY, ROLE_PROPERTIES, event_node
from app.events.schemas import EventRead
from app.http.dependencies import get_session
from app.jsonld import Representation, choose_representation
from app.main import create_app
from app.models.event import EventStatus
from tests.api import assert_problem, request_transaction

LD = "application/ld+json"
ARTICLE_ID = "lukashenka-putin-sochi-2018"
BASE = "http://testserver"
DETAILS = {
    "article": (f"/v1/articles/{ARTICLE_ID}", "NewsArticle"),
    "quotation": ("/v1/quotations/lukashenka-good-relations-with-putin", "Quotation"),
    "event": ("/v1/events/lukashenka-putin-meeting-2018", "Event"),
    "issue": ("/v1/issues/food-supplies-to-russia", "Thing"),
    "person": ("/v1/participants/vladimir-putin", "Person"),
    "country": ("/v1/participants/russia", "Country"),
}
PATHS = [path for path, _ in DETAILS.values()]


def get_ld(client: TestClient, path: str) -> dict[str, Any]:
    response = client.get(path, headers={"Accept": LD})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == LD
    assert response.headers["vary"].startswith("Accept")
    body: dict[str, Any] = response.json()
    return body


def by_id(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {node["@id"]: node for node in nodes}


# --- negotiation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, Representation.JSON),
        ("", Representation.JSON),
        ("*/*", Representation.JSON),
        ("application/*", Representation.JSON),
        ("application/json", Representation.JSON),
        (LD, Representation.JSONLD),
        (f'{LD}; profile="http://www.w3.org/ns/json-ld#compacted"', Representation.JSONLD),
        (f"{LD}, application/json", Representation.JSON),  # a tie: the server's preference
        (f"application/json;q=0.5, {LD}", Representation.JSONLD),
        (f"{LD};q=0.5, application/json", Representation.JSON),
        ("application/json;q=0, */*", Representation.JSONLD),
        (f"text/html, {LD};q=0.1", Representation.JSONLD),
        ("text/html, */*;q=0.8", Representation.JSON),
        ("APPLICATION/LD+JSON", Representation.JSONLD),
        ("text/html", None),
        ("application/xml, text/*", None),
        ("*/*;q=0", None),
        (f"application/json;q=0, {LD};q=0", None),
        ("application/json;q=zero", Representation.JSON),  # a malformed weight is ignored
        ("application/json;q=nan, application/ld+json;q=0.5", Representation.JSON),
    ],
)
def test_choose_representation(accept: str | None, chosen: Representation | None) -> None:
    assert choose_representation(accept) is chosen


@pytest.mark.parametrize("path", PATHS)
def test_json_stays_the_default_and_varies_on_accept(client: TestClient, path: str) -> None:
    plain = client.get(path)
    for accept in ("*/*", "application/json", "text/html, application/*;q=0.5"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.headers["vary"].startswith("Accept")
        assert response.json() == plain.json()
    assert "@context" not in plain.json()


@pytest.mark.parametrize(("path", "schema_type"), list(DETAILS.values()))
def test_json_ld_on_every_detail(client: TestClient, path: str, schema_type: str) -> None:
    body = get_ld(client, path)
    assert body["@context"]["@vocab"] == "https://schema.org/"
    assert body["@type"] == schema_type
    assert body["@id"] == BASE + path


@pytest.mark.parametrize("path", PATHS)
def test_not_acceptable_is_a_406_problem(client: TestClient, path: str) -> None:
    for accept in ("text/html", "application/xml", "application/json;q=0, */*;q=0"):
        response = client.get(path, headers={"Accept": accept})
        body = assert_problem(response, 406)
        assert body["type"] == "/problems/not-acceptable"
        assert response.headers["vary"].startswith("Accept")


@pytest.mark.parametrize("path", PATHS)
def test_each_representation_has_its_own_etag(client: TestClient, path: str) -> None:
    as_json = client.get(path)
    as_ld = client.get(path, headers={"Accept": LD})
    assert as_json.headers["etag"] != as_ld.headers["etag"]
    stale = client.get(path, headers={"Accept": LD, "If-None-Match": as_json.headers["etag"]})
    assert stale.status_code == 200
    assert stale.headers["content-type"] == LD
    fresh = client.get(path, headers={"Accept": LD, "If-None-Match": as_ld.headers["etag"]})
    assert fresh.status_code == 304
    assert fresh.headers["vary"].startswith("Accept")


def test_a_missing_record_is_still_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/quotations/no-such-quote", headers={"Accept": LD}), 404)


def test_lists_are_not_negotiated(client: TestClient) -> None:
    response = client.get("/v1/quotations", headers={"Accept": LD})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


# --- the mapping --------------------------------------------------------------------------


def test_article_is_a_news_article(client: TestClient) -> None:
    article = client.get(DETAILS["article"][0]).json()
    body = get_ld(client, DETAILS["article"][0])
    assert body["headline"] == article["title"]
    assert body["text"] == article["text"]
    assert body["inLanguage"] == article["language"]
    assert body["datePublished"] == article["published_on"]
    assert body["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "sha256",
        "value": article["content_sha256"],
    }
    if article["url"]:
        assert body["url"] == article["url"]


def test_quotation_names_its_speaker_issues_and_evidence(client: TestClient) -> None:
    path = DETAILS["quotation"][0]
    quotation = client.get(path).json()
    text = client.get(f"/v1/articles/{quotation['article_id']}").json()["text"]
    body = get_ld(client, path)
    assert body["text"] == quotation["text"]
    assert body["spokenByCharacter"] == {
        "@type": "Person",
        "@id": f"{BASE}/v1/participants/{quotation['speaker']['id']}",
        "name": quotation["speaker"]["name"],
    }
    assert body["dateCreated"] == quotation["said_on"]
    assert [node["@id"] for node in body["about"]] == [
        f"{BASE}/v1/issues/{issue_id}" for issue_id in quotation["issue_ids"]
    ]
    assert all(node["@type"] == "Thing" and node["name"] for node in body["about"])
    assert body["recordedAt"]["@id"] == f"{BASE}/v1/events/{quotation['event_id']}"
    assert body["audience"]["url"] == f"{BASE}/v1/participants/{quotation['audience']['id']}"
    spans = body["isBasedOn"]
    assert len(spans) == len(quotation["evidence"])
    for span, evidence in zip(spans, quotation["evidence"], strict=True):
        assert span["@type"] == ["CreativeWork", "oa:SpecificResource"]
        assert span["isPartOf"]["@type"] == "NewsArticle"
        assert span["isPartOf"]["@id"] == span["oa:hasSource"] == f"{BASE}/v1/articles/{ARTICLE_ID}"
        selector = span["oa:hasSelector"]
        assert selector["@type"] == "oa:TextPositionSelector"
        assert (selector["oa:start"], selector["oa:end"]) == (evidence["start"], evidence["end"])
        assert span["text"] == text[selector["oa:start"] : selector["oa:end"]]
    assert any(span["text"] == quotation["text"] for span in spans)


def test_participants_have_aliases_wikidata_and_affiliation(client: TestClient) -> None:
    path = DETAILS["person"][0]
    person = client.get(path).json()
    body = get_ld(client, path)
    assert body["name"] == person["name"]
    assert body["jobTitle"] == person["title"]
    assert body["sameAs"] == [f"https://www.wikidata.org/wiki/{person['external_ids']['wikidata']}"]
    assert {"propertyID": "wikidata", "value": person["external_ids"]["wikidata"]}.items() <= (
        body["identifier"][0].items()
    )
    names = [name["@value"] if isinstance(name, dict) else name for name in body["alternateName"]]
    assert names == [alias["alias"] for alias in person["aliases"]]
    tagged = [name for name in body["alternateName"] if isinstance(name, dict)]
    assert {"@value": "Путин", "@language": "ru"} in tagged
    assert body["affiliation"] == {
        "@type": "Country",
        "@id": f"{BASE}/v1/participants/{person['affiliation']['id']}",
        "name": person["affiliation"]["name"],
    }
    assert len(body["subjectOf"]) == len(person["evidence"])


def test_every_participant_kind_has_a_schema_type(client: TestClient) -> None:
    expected = {"person": "Person", "organization": "Organization", "country": "Country"}
    expected["group"] = "Organization"  # the documented choice for groups
    for kind, schema_type in expected.items():
        found = client.get("/v1/participants", params={"kind": kind, "limit": 1}).json()
        assert found["items"], kind
        participant = found["items"][0]
        body = get_ld(client, f"/v1/participants/{participant['id']}")
        assert body["@type"] == schema_type, kind
        if kind != "person" and participant["affiliation"]:
            assert body["memberOf"]["@id"].endswith(participant["affiliation"]["id"])


def test_event_participants_by_role(client: TestClient) -> None:
    events = client.get("/v1/events", params={"limit": 100}).json()["items"]
    for event in events:
        body = get_ld(client, f"/v1/events/{event['id']}")
        assert body["name"] == event["title"]
        if event["date"]:
            assert body["startDate"] == event["date"]
        if event["location"]:
            assert body["location"] == {"@type": "Place", "name": event["location"]}
        for link in event["participants"]:
            role = ROLE_PROPERTIES.get(link["role"], DEFAULT_ROLE_PROPERTY)
            node = by_id(body[role])[f"{BASE}/v1/participants/{link['participant']['id']}"]
            assert node["name"] == link["participant"]["name"]
        issues = {n["@id"] for n in body.get("about", []) if n["@type"] == "Thing"}
        assert issues >= {f"{BASE}/v1/issues/{i}" for i in event["issue_ids"]}
    roles = {link["role"] for event in events for link in event["participants"]}
    assert {"host", "subject", "attendee"} <= roles  # the seed exercises the mapping


@pytest.mark.parametrize(
    ("status", "schema_status"),
    [
        (EventStatus.SCHEDULED, "EventScheduled"),
        (EventStatus.EXPECTED, "EventScheduled"),
        (EventStatus.DEFERRED, "EventPostponed"),
        (EventStatus.HELD, "EventScheduled"),  # no schema.org status for "took place"
        (EventStatus.CANCELLED, "EventCancelled"),
    ],
)
def test_event_status(
    client: TestClient, session: Session, status: EventStatus, schema_status: str
) -> None:
    event = client.get(DETAILS["event"][0]).json()
    model = EventRead.model_validate({**event, "status": status.value})
    body = jsonld.document(session, model, "https://api.example", event_node)
    assert body["eventStatus"] == f"https://schema.org/{schema_status}"
    assert body["startDate"] == event["date"]


def test_issue_is_a_thing_on_event_agendas(client: TestClient) -> None:
    path = DETAILS["issue"][0]
    issue = client.get(path).json()
    body = get_ld(client, path)
    assert body["name"] == issue["title"]
    assert body.get("description") == issue["summary"]
    events = [node for node in body["subjectOf"] if node["@type"] == "Event"]
    assert [node["@id"] for node in events] == [
        f"{BASE}/v1/events/{entry['event_id']}" for entry in issue["agenda"]
    ]
    spans = [node for node in body["subjectOf"] if node["@type"] != "Event"]
    assert len(spans) == len(issue["evidence"])


@pytest.fixture
def proxied_client(database_url: str, session: Session) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        public_base_url="https://api.example.org/",
        read_cache_entries=0,
    )
    application = create_app(settings)
    application.dependency_overrides[get_session] = request_transaction(session)
    with TestClient(application) as client:
        yield client


def test_ids_use_the_public_base_url(proxied_client: TestClient) -> None:
    path = DETAILS["quotation"][0]
    body = get_ld(proxied_client, path)
    assert body["@id"] == "https://api.example.org" + path
    assert body["spokenByCharacter"]["@id"].startswith("https://api.example.org/v1/participants/")


@pytest.mark.parametrize(("path", "schema_type"), list(DETAILS.values()))
def test_documents_expand_to_schema_org_and_web_annotation(
    client: TestClient, path: str, schema_type: str
) -> None:
    jsonld_processor = pytest.importorskip("pyld.jsonld")
    body = get_ld(client, path)
    # The context is inline, so expanding needs no network.
    [expanded] = jsonld_processor.expand(body)
    assert expanded["@id"] == BASE + path
    assert expanded["@type"] == [f"https://schema.org/{schema_type}"]
    iris = repr(expanded)
    assert "@vocab" not in iris
    evidence = "https://schema.org/isBasedOn" if schema_type == "Quotation" else None
    evidence = evidence or "https://schema.org/subjectOf"
    if schema_type != "NewsArticle":
        [span, *_] = [
            node
            for node in expanded[evidence]
            if "http://www.w3.org/ns/oa#SpecificResource" in node.get("@type", [])
        ]
        [selector] = span["http://www.w3.org/ns/oa#hasSelector"]
        assert selector["@type"] == ["http://www.w3.org/ns/oa#TextPositionSelector"]
        assert isinstance(selector["http://www.w3.org/ns/oa#start"][0]["@value"], int)
        assert span["http://www.w3.org/ns/oa#hasSource"][0]["@id"].startswith(BASE)
    if schema_type == "Event":
        [status] = expanded["https://schema.org/eventStatus"]
        assert status == {"@id": "https://schema.org/EventScheduled"}


def test_openapi_declares_json_ld_and_406(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for template, operation_id in [
        ("/v1/articles/{article_id}", "getArticle"),
        ("/v1/quotations/{quotation_id}", "getQuotation"),
        ("/v1/events/{event_id}", "getEvent"),
        ("/v1/issues/{issue_id}", "getIssue"),
        ("/v1/participants/{participant_id}", "getParticipant"),
    ]:
        operation = paths[template]["get"]
        assert operation["operationId"] == operation_id
        ok = operation["responses"]["200"]
        assert list(ok["content"]) == ["application/json", LD]
        assert "example" in ok["content"]["application/json"]
        assert "Vary" in ok["headers"]
        assert "406" in operation["responses"]
