"""Hostile input: every bad request gets a 4xx problem+json, never a 5xx, and writes nothing.

Each parametrized case is one hostile input (or one hostile input at one place). Strings,
parameters and fields are enumerated from the application itself (its OpenAPI document and its
Create/Update models) so that a new parameter or field is covered without editing this file.

Statuses asserted, and why:
- 422 `validation-failed`: a parameter, path id, header or body field fails its schema (control
  characters, wrong types, out-of-range numbers, unknown names); `errors` names the culprit.
- 400 `invalid-cursor`: a `cursor`/`since` this API did not issue for this very list (the
  parameter is opaque, so no schema can say what is wrong with it).
- 400 `bad-request`: a body FastAPI cannot parse at all (invalid UTF-8, nesting too deep).
- 413: a body over the configured limit; 415: a body that is not JSON.
- 200 with a correct (often empty) result: free-text search input that is merely odd (search
  syntax, LIKE wildcards, replacement characters from broken percent-encoding) is searched for
  literally, never interpreted.

Requests run as savepoints of the test's transaction, so the database (`tests.snapshot`) must be
the same before and after a refused write: nothing lost, nothing half-written.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
import re
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.articles.schemas import ArticleCreate, ArticleUpdate
from app.bundles.loader import seed_bundle_paths
from app.core.config import Settings
from app.core.dates import PartialDate
from app.core.text import search_key
from app.events.schemas import EventCreate, EventUpdate
from app.http.dependencies import get_session
from app.issues.schemas import IssueCreate, IssueUpdate
from app.main import create_app
from app.models import Base
from app.participants.schemas import ParticipantCreate, ParticipantUpdate
from app.quotations.schemas import QuotationCreate, QuotationUpdate
from tests.api import assert_problem, request_transaction, walk
from tests.search_reference import full_text_matches, substring_matches
from tests.snapshot import snapshot

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED_YAML = SEED_PATH.read_text(encoding="utf-8")
SEED: dict[str, Any] = yaml.safe_load(SEED_YAML)
ARTICLE_ID: str = SEED["article"]["id"]
TEXT: str = SEED["article"]["text"]


# --- one application per backend ----------------------------------------------------------------
#
# FastAPI builds its routes' state on an application's first request (~60 ms); with thousands of
# cases that dominates, so this module shares one application per backend. Every request still
# runs in the current test's session (a savepoint of its rolled-back transaction).


def _bind_to(application: FastAPI, holder: dict[str, Session]) -> None:
    application.dependency_overrides[get_session] = request_transaction(lambda: holder["session"])


@pytest.fixture(scope="module")
def shared_client(database_url: str) -> Iterator[tuple[TestClient, dict[str, Session]]]:
    holder: dict[str, Session] = {}
    # The rate limit is per application; this one serves the whole module.
    application = create_app(
        Settings(database_url=database_url, rate_limit_per_minute=0, extraction_timeout_s=2)
    )
    _bind_to(application, holder)
    with TestClient(application, raise_server_exceptions=False) as test_client:
        yield test_client, holder


@pytest.fixture
def client(
    shared_client: tuple[TestClient, dict[str, Session]], session: Session
) -> Iterator[TestClient]:
    test_client, holder = shared_client
    holder["session"] = session
    yield test_client
    holder.pop("session", None)


@pytest.fixture(scope="module")
def shared_small_client(
    database_url: str,
) -> Iterator[tuple[TestClient, dict[str, Session]]]:
    holder: dict[str, Session] = {}
    settings = Settings(database_url=database_url, max_body_bytes=1024, rate_limit_per_minute=0)
    application = create_app(settings)
    _bind_to(application, holder)
    with TestClient(application, raise_server_exceptions=False) as test_client:
        yield test_client, holder


@pytest.fixture
def small_client(
    shared_small_client: tuple[TestClient, dict[str, Session]], session: Session
) -> Iterator[TestClient]:
    """A client of an application whose body limit is 1024 bytes (the least it allows)."""
    test_client, holder = shared_small_client
    holder["session"] = session
    yield test_client
    holder.pop("session", None)


# --- helpers ------------------------------------------------------------------------------------

_BASELINES: dict[str, dict[str, list[tuple[Any, ...]]]] = {}


class Unchanged:
    """`before = Unchanged(session)` ... `before.check()`: the database is as it was.

    Every test starts from the same seeded database, so the whole-database snapshot is taken
    once per backend and reused; only the API keys (each test makes its own) are read anew."""

    def __init__(self, session: Session) -> None:
        self.session = session
        backend = session.get_bind().dialect.name
        if backend not in _BASELINES:
            _BASELINES[backend] = {k: v for k, v in snapshot(session).items() if k != "api_keys"}
        self.baseline = _BASELINES[backend]
        self.keys = self._keys()

    def _keys(self) -> list[tuple[Any, ...]]:
        table = next(t for t in Base.metadata.sorted_tables if t.name == "api_keys")
        return sorted(tuple(row) for row in self.session.execute(select(table)))

    def check(self) -> None:
        after = snapshot(self.session)
        # snapshot() sorts rows by their text (key 105 before key 34): compare as _keys sorts.
        assert sorted(after.pop("api_keys")) == self.keys
        assert after == self.baseline


def asgi_request(
    client: TestClient,
    method: str,
    path: str,
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    chunk: int | None = None,
) -> httpx.Response:
    """Send a request straight to the ASGI app, bytes as given (no client-side URL limits or
    re-encoding), the way a server hands it over; `chunk` streams the body without a length."""
    raw_headers = [(b"host", b"testserver"), *(headers or [])]
    if chunk is None and body:
        raw_headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": query_string,
        "headers": raw_headers,
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    step = chunk or max(len(body), 1)
    pieces = [body[i : i + step] for i in range(0, len(body), step)] or [b""]
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if pieces:
            piece = pieces.pop(0)
            return {"type": "http.request", "body": piece, "more_body": bool(pieces)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    portal = client.portal
    assert portal is not None
    portal.call(client.app, scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return httpx.Response(start["status"], headers=start["headers"], content=content)


def send_json(
    client: TestClient,
    method: str,
    url: str,
    body: Any,
    headers: dict[str, str],
    content_type: str | None = "application/json",
) -> Any:
    """Send body as JSON text (escaping non-ASCII, so lone surrogates travel as \\udXXX)."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode("ascii")
    extra = {"Content-Type": content_type} if content_type is not None else {}
    return client.request(method, url, content=content, headers={**headers, **extra})


def error_names(body: dict[str, Any]) -> list[str]:
    return [error["name"] for error in body.get("errors", [])]


def assert_names(response: Any, location: str, name: str) -> dict[str, Any]:
    """A 422 whose errors name this parameter or field (or something inside it)."""
    body = assert_problem(response, 422)
    assert body["type"] == "/problems/validation-failed"
    named = [
        e["name"]
        for e in body["errors"]
        if e["location"] == location and (e["name"] == name or e["name"].startswith(name + "."))
    ]
    assert named, body["errors"]
    return body


def b64(raw: bytes | str) -> str:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def cursor_payload(cursor: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    )
    return payload


def forge(payload: dict[str, Any]) -> str:
    """A cursor made by hand (json.dumps writes NaN/Infinity, and escapes lone surrogates)."""
    return b64(json.dumps(payload, separators=(",", ":")).encode("ascii"))


def insert(value: str, char: str) -> str:
    middle = len(value) // 2
    return value[:middle] + char + value[middle:]


def unique(snippet: str) -> dict[str, Any]:
    assert TEXT.count(snippet) == 1, snippet
    return {"article_id": ARTICLE_ID, "text": snippet}


def span(snippet: str) -> dict[str, Any]:
    start = TEXT.index(snippet)
    return {"article_id": ARTICLE_ID, "start": start, "end": start + len(snippet)}


# --- the API surface, from the application's own OpenAPI document -------------------------------

OPENAPI: dict[str, Any] = create_app(Settings(database_url="sqlite://")).openapi()

SAMPLE_IDS = {
    "event_id": "lukashenka-army-statement-2018-02",
    "issue_id": "bilateral-relations-state-and-prospects",
    "participant_id": "alyaksandr-lukashenka",
    "quotation_id": "lukashenka-may-backfire",
    "article_id": ARTICLE_ID,
    "slug": "invalid-cursor",
}
VALID_QUERY_VALUES = {
    "limit": "15",
    "participant": "vladimir-putin",
    "issue": "food-supplies-to-russia",
    "event": "lukashenka-army-statement-2018-02",
    "article": ARTICLE_ID,
    "speaker": "alyaksandr-lukashenka",
    "audience": "belarusian-producers",
    "date_from": "2018-05",
    "date_to": "2018-05-14",
    "said_from": "2018-02",
    "said_to": "2018-03-19",
    "location": "Sochi",
    "q": "relations",
    "cascade": "true",
    "dry_run": "true",
}
CURSOR_PARAMETERS = {"cursor", "since"}


def _schema_enum(schema: dict[str, Any]) -> list[str]:
    """The enum values a parameter schema allows (following $ref and anyOf)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _schema_enum(OPENAPI["components"]["schemas"][name])
    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    for option in schema.get("anyOf", []):
        found = _schema_enum(option)
        if found:
            return found
    return []


def _valid_value(name: str, schema: dict[str, Any]) -> str:
    """A value the parameter accepts: known by name, else from its schema."""
    if name in VALID_QUERY_VALUES:
        return VALID_QUERY_VALUES[name]
    choices = _schema_enum(schema)
    if choices:
        return choices[0]
    options = [schema, *schema.get("anyOf", [])]
    for option in options:
        if option.get("type") == "integer":
            low, high = option.get("minimum", 1), option.get("maximum", 100)
            return "10" if low <= 10 <= high else str(low)  # two digits, to corrupt in the middle
        if option.get("type") == "boolean":
            return "true"
    return str(schema.get("default", "a"))


def concrete(path: str) -> str:
    """The path with sample ids (a route added later gets a generic one)."""
    for name, value in SAMPLE_IDS.items():
        path = path.replace("{" + name + "}", value)
    return re.sub(r"\{[^}]*\}", "sample-id", path)


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in OPENAPI["paths"].items()
        for method, operation in operations.items()
    ]


def _query_parameters() -> list[tuple[str, str, str, str]]:
    """(method, concrete path, parameter, a valid value) for every query parameter."""
    found = []
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            cursor = name in CURSOR_PARAMETERS
            valid = "" if cursor else _valid_value(name, parameter["schema"])
            found.append((method, concrete(path), name, valid))
    return found


QUERY_PARAMETERS = _query_parameters()
GET_LISTS = sorted(
    {
        concrete(path)
        for method, path, operation in _operations()
        if method == "GET"
        and any(
            p["name"] == "cursor" or p["name"] == "since" for p in operation.get("parameters", [])
        )
    }
)
PATH_ID_OPERATIONS = sorted(
    (method, path, parameter["name"])
    for method, path, operation in _operations()
    for parameter in operation.get("parameters", [])
    if parameter["in"] == "path"
)
TEXT_QUERY_PARAMETERS = {"q", "location"}

# Control characters: C0 (one-line text refuses all; verbatim text keeps tab, LF and CR), DEL.
QUERY_CONTROL = ["\x00", "\n", "\x7f"]
# For bodies, also a lone surrogate (valid JSON as "\ud800", but not storable as UTF-8).
BODY_CONTROL = ["\x00", "\x0b", "\x7f", "\ud800"]


def test_the_enumerations_cover_the_api() -> None:
    """Sanity of the programmatic enumeration: every list, parameter and path id is reached."""
    assert len(GET_LISTS) >= 9
    assert "/v1/changes" in GET_LISTS
    names = {name for _, _, name, _ in QUERY_PARAMETERS}
    assert {"q", "location", "speaker", "issue", "event", "article", "audience", "participant"} <= (
        names
    )
    assert {"category", "kind", "said_from", "said_to", "date_from", "date_to"} <= names
    assert {"cursor", "since", "limit", "sort", "status", "cascade", "dry_run"} <= names
    assert len(PATH_ID_OPERATIONS) >= 20


# --- write bodies: valid, complete, enumerated from the models ----------------------------------

KINDS = ["article", "participant", "event", "issue", "quotation"]
PLURAL = {kind: kind + "s" for kind in KINDS}
CREATE_MODELS: dict[str, type[BaseModel]] = {
    "article": ArticleCreate,
    "participant": ParticipantCreate,
    "event": EventCreate,
    "issue": IssueCreate,
    "quotation": QuotationCreate,
}
UPDATE_MODELS: dict[str, type[BaseModel]] = {
    "article": ArticleUpdate,
    "participant": ParticipantUpdate,
    "event": EventUpdate,
    "issue": IssueUpdate,
    "quotation": QuotationUpdate,
}
NEW_TEXT = "Alpha met Beta in Gamma.\nAlpha said:\t“hello”.\r\nThe end."
TARGETS = {
    "article": ARTICLE_ID,
    "participant": "georgia",
    "event": "putin-inauguration-2018",
    "issue": "issues-of-concern",
    "quotation": "lukashenka-may-backfire",
}


def create_body(kind: str) -> dict[str, Any]:
    """A valid create body with every field of the model set (optional ones included)."""
    bodies: dict[str, dict[str, Any]] = {
        "article": {
            "id": "hostile-article",
            "title": "A new article",
            "language": "en-GB",
            "publisher": "Example News",
            "url": "https://example.org/a?b=c",
            "published": "2018-05-15",
            "text": NEW_TEXT,
            "content_sha256": hashlib.sha256(NEW_TEXT.encode("utf-8")).hexdigest(),
        },
        "participant": {
            "id": "hostile-participant",
            "name": "New Participant",
            "kind": "person",
            "title": "Observer",
            "description": "Someone new.\nOn two lines.",
            "affiliation_id": "belarus",
            "aliases": [
                {"alias": "Newbie", "language": "en"},
                {"alias": "Новичок", "language": "ru"},
            ],
            "external_ids": {"wikidata": "Q1"},
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 2},
                span("Sochi"),
            ],
        },
        "event": {
            "id": "hostile-event",
            "title": "A new event",
            "kind": "meeting",
            "status": "expected",
            "date": "2018-05-14",
            "location": "Sochi, Russia",
            "description": "Described.",
            "participants": [
                {"participant_id": "vladimir-putin", "role": "attendee"},
                {"participant_id": "belarus", "role": "subject"},
            ],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 1},
                span("the first meeting of the two leaders"),
            ],
        },
        "issue": {
            "id": "hostile-issue",
            "title": "A new issue",
            "summary": "Something to talk about.",
            "category": "economy",
            "agenda": [{"event_id": "lukashenka-putin-meeting-2018", "status": "expected"}],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 1},
                span("hunt for other markets"),
            ],
        },
        "quotation": {
            "id": "hostile-quotation",
            "article_id": ARTICLE_ID,
            "speaker_id": "alyaksandr-lukashenka",
            "text": "We need to clarify things",
            "occurrence": 1,
            "kind": "partial",
            "said_on": "2018-03",
            "event_id": "lukashenka-remarks-to-producers-2018-03",
            "audience_id": "belarusian-producers",
            "issue_ids": ["food-supplies-to-russia", "issues-of-concern"],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 2},
                span("Belarusian producers"),
            ],
        },
    }
    return copy.deepcopy(bodies[kind])


def update_body(kind: str) -> dict[str, Any]:
    """A valid PATCH body for TARGETS[kind] with every field of the update model set."""
    bodies: dict[str, dict[str, Any]] = {
        "article": {
            "title": "Renamed",
            "language": "en",
            "publisher": "BelTA",
            "url": "https://example.org/renamed",
            "published": "2018-05",
        },
        "participant": {
            "name": "Sakartvelo",
            "kind": "country",
            "title": "A country",
            "description": "In the Caucasus.",
            "affiliation_id": "csto",
            "aliases": [{"alias": "საქართველო", "language": "ka"}],
            "external_ids": {"wikidata": "Q230"},
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "his recent visit to Georgia", "occurrence": 1},
                span("Georgia"),
            ],
        },
        "event": {
            "title": "Inauguration",
            "kind": "inauguration",
            "status": "held",
            "date": "2018-05-07",
            "location": "Moscow",
            "description": "Putin's inauguration.",
            "participants": [{"participant_id": "vladimir-putin", "role": "subject"}],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "inauguration", "occurrence": 1},
                span("the inauguration"),
            ],
        },
        "issue": {
            "title": "Issues of concern",
            "summary": "Changed summary.",
            "category": "diplomacy",
            "agenda": [{"event_id": "lukashenka-putin-meeting-2018", "status": "expected"}],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 1},
                span("issues of concern"),
            ],
        },
        "quotation": {
            "speaker_id": "alyaksandr-lukashenka",
            "text": "Russia does not see the need",
            "occurrence": 1,
            "kind": "indirect",
            "said_on": "2018-02",
            "event_id": "lukashenka-army-statement-2018-02",
            "audience_id": "belarusian-producers",
            "issue_ids": ["csto-underestimating-situation"],
            "evidence": [
                {"article_id": ARTICLE_ID, "text": "he stressed", "occurrence": 1},
                span("According to the Belarusian leader"),
            ],
        },
    }
    return copy.deepcopy(bodies[kind])


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (list[EvidenceIn] -> EvidenceIn), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def _is_date(annotation: Any) -> bool:
    return annotation is PartialDate or any(_is_date(a) for a in typing.get_args(annotation))


Slot = tuple[str, tuple[Any, ...], str]  # (what: "value" | "key", path, leaf kind)


def slots(model: type[BaseModel], body: dict[str, Any], prefix: tuple[Any, ...] = ()) -> list[Slot]:
    """Every leaf (and free-form dict key) of a body, walking the model alongside it."""
    found: list[Slot] = []
    for name, field in model.model_fields.items():
        if name in body:
            found.extend(_value_slots(field.annotation, body[name], (*prefix, name)))
    return found


def _value_slots(annotation: Any, value: Any, path: tuple[Any, ...]) -> list[Slot]:
    if isinstance(value, list):
        return [
            s for i, item in enumerate(value) for s in _value_slots(annotation, item, (*path, i))
        ]
    if isinstance(value, dict):
        nested = _nested_model(annotation)
        if nested is not None:
            return slots(nested, value, path)
        found: list[Slot] = []
        for key, item in value.items():
            found.append(("key", (*path, key), "str"))
            found.extend(_value_slots(None, item, (*path, key)))
        return found
    leaf = "date" if _is_date(annotation) else type(value).__name__
    return [("value", path, leaf)]


def containers(model: type[BaseModel], body: dict[str, Any]) -> list[str]:
    return [name for name in model.model_fields if isinstance(body.get(name), list | dict)]


def covered(model: type[BaseModel], items: list[dict[str, Any]]) -> set[str]:
    """Field names of model missing from the union of items' keys, recursively."""
    missing = set(model.model_fields) - {key for item in items for key in item}
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        values = [item[name] for item in items if name in item]
        if nested is None or not values:
            continue
        children = [c for v in values for c in (v if isinstance(v, list) else [v])]
        missing |= {f"{name}.{m}" for m in covered(nested, children)}
    return missing


def get_at(body: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        body = body[step]
    return body


def set_at(body: Any, path: tuple[Any, ...], value: Any) -> None:
    get_at(body, path[:-1])[path[-1]] = value


def rename_key(body: Any, path: tuple[Any, ...], new: str) -> None:
    parent = get_at(body, path[:-1])
    parent[new] = parent.pop(path[-1])


def dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(step) for step in path)


def model_paths(
    model: type[BaseModel], body: dict[str, Any], prefix: tuple[Any, ...] = ()
) -> list[tuple[tuple[Any, ...], type[BaseModel]]]:
    """Every object of a body that a model validates (the root included), with its model."""
    found: list[tuple[tuple[Any, ...], type[BaseModel]]] = [(prefix, model)]
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        value = body.get(name)
        if nested is None or value is None:
            continue
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            path = (*prefix, name) if index is None else (*prefix, name, index)
            found.extend(model_paths(nested, item, path))
    return found


def _declared_by(model: type[BaseModel], path: tuple[Any, ...]) -> tuple[Any, str]:
    """(the model class declaring the field at path, the field), for de-duplication."""
    current: Any = model
    names = [step for step in path if isinstance(step, str)]
    for name in names[:-1]:
        nested = _nested_model(current.model_fields[name].annotation)
        if nested is None:  # inside a free-form mapping: the mapping field is the field
            return current, name
        current = nested
    return current, names[-1]


def _slot_params(
    models: dict[str, type[BaseModel]], make: Any, leaves: set[str], shared: set[Any]
) -> list[Any]:
    """Every leaf of every body, once per endpoint and field: a second list item with the same
    fields (aliases.1.alias after aliases.0.alias) adds nothing, nor does a nested model an
    update shares with its create (`shared`: the classes already covered)."""
    params = []
    for kind in KINDS:
        seen: set[tuple[str, Any, str]] = set()
        for what, path, leaf in slots(models[kind], make(kind)):
            declared = _declared_by(models[kind], path)
            if leaf not in leaves or (what, *declared) in seen or declared[0] in shared:
                continue
            seen.add((what, *declared))
            params.append(pytest.param(kind, what, path, leaf, id=f"{kind}-{what}-{dotted(path)}"))
    return params


NESTED_CREATE_MODELS = {
    nested
    for model in CREATE_MODELS.values()
    for field in model.model_fields.values()
    if (nested := _nested_model(field.annotation)) is not None
}
CREATE_STRING_SLOTS = _slot_params(CREATE_MODELS, create_body, {"str", "date"}, set())
UPDATE_STRING_SLOTS = _slot_params(
    UPDATE_MODELS, update_body, {"str", "date"}, NESTED_CREATE_MODELS
)
CREATE_LEAVES = _slot_params(CREATE_MODELS, create_body, {"str", "date", "int"}, set())
UPDATE_LEAVES = _slot_params(
    UPDATE_MODELS, update_body, {"str", "date", "int"}, NESTED_CREATE_MODELS
)


_ETAGS: dict[tuple[str, str], str] = {}


def etag_of(client: TestClient, kind: str) -> str:
    """The current ETag of TARGETS[kind] (as seeded: every test starts from the seed)."""
    key = (client.app.state.settings.database_url, kind)  # type: ignore[attr-defined]
    if key not in _ETAGS:
        response = client.get(f"/v1/{PLURAL[kind]}/{TARGETS[kind]}")
        assert response.status_code == 200, response.text
        _ETAGS[key] = str(response.headers["etag"])
    return _ETAGS[key]


def write_target(
    client: TestClient, writer: dict[str, str], kind: str, method: str
) -> tuple[str, dict[str, str]]:
    """URL and headers of a create (POST) or of an update of TARGETS[kind] with a current ETag."""
    if method == "POST":
        return f"/v1/{PLURAL[kind]}", dict(writer)
    return f"/v1/{PLURAL[kind]}/{TARGETS[kind]}", {**writer, "If-Match": etag_of(client, kind)}


def valid_body(kind: str, method: str, attempt: int = 0) -> dict[str, Any]:
    """A valid body; creates of different attempts have different ids, so that one wrongly
    accepted create does not turn the next attempts into 409s."""
    if method == "PATCH":
        return update_body(kind)
    body = create_body(kind)
    if attempt:
        body["id"] = f"{body['id']}-{attempt}"
    return body


def model_of(kind: str, method: str) -> type[BaseModel]:
    return CREATE_MODELS[kind] if method == "POST" else UPDATE_MODELS[kind]


def mismatch(response: Any, status: int, location: str | None = None, name: str = "") -> str | None:
    """None if the response is the expected problem, else what came instead."""
    try:
        if location is None:
            assert_problem(response, status)
        else:
            assert status == 422
            assert_names(response, location, name)
    except (AssertionError, KeyError, ValueError):
        return f"{response.status_code} {response.text[:300]}"
    return None


@pytest.mark.parametrize("kind", KINDS)
def test_the_valid_bodies_set_every_field_and_are_accepted(
    client: TestClient, writer: dict[str, str], kind: str
) -> None:
    """The bodies corrupted below are valid as they stand, so each refusal is the corruption's."""
    for method in ("POST", "PATCH"):
        body = valid_body(kind, method)
        assert covered(model_of(kind, method), [body]) == set()
        url, headers = write_target(client, writer, kind, method)
        if method == "PATCH":
            assert headers["If-Match"] == client.get(url).headers["etag"]
        response = send_json(client, method, url, body, headers)
        assert response.status_code in (200, 201), response.text


# --- 1. control characters ----------------------------------------------------------------------


QUERY_VARIANTS = [(f"{c!r} inside", c) for c in QUERY_CONTROL]


@pytest.mark.parametrize(
    ("method", "path", "name", "valid"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}") for case in QUERY_PARAMETERS],
)
def test_control_characters_in_every_query_parameter_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    method: str,
    path: str,
    name: str,
    valid: str,
) -> None:
    """422 naming the parameter: no parameter (text, id, enum, date, number, flag) takes a
    control character, and the uncorrupted value is accepted. A cursor is opaque: 400
    invalid-cursor. Nothing reaches the database (PostgreSQL would refuse a NUL with an error),
    and a write whose parameter is refused writes nothing."""
    is_cursor = name in CURSOR_PARAMETERS
    if is_cursor:
        valid = forge({"o": "none", "s": "none", "k": []})
    before = Unchanged(session) if method != "GET" else None

    def send(value: str) -> Any:
        if method == "GET":
            return client.get(path, params={name: value})
        if path == "/v1/imports":
            headers = {**writer, "Content-Type": "application/yaml"}
            return client.post(path, params={name: value}, content=SEED_YAML, headers=headers)
        # DELETE ?cascade=: with a stale If-Match, so that even a valid value deletes nothing.
        headers = {**writer, "If-Match": '"stale"'}
        return client.request(method, path, params={name: value}, headers=headers)

    if not is_cursor:
        baseline = send(valid)
        assert baseline.status_code < 500
        if baseline.headers.get("content-type") == "application/problem+json":
            assert name not in error_names(baseline.json())
    failures = {}
    for label, char in QUERY_VARIANTS:
        value = insert(valid, char)
        response = send(value)
        problem = mismatch(response, 400) if is_cursor else mismatch(response, 422, "query", name)
        if problem is None and is_cursor and response.json()["type"] != "/problems/invalid-cursor":
            problem = response.text
        if problem is not None:
            failures[label] = problem
    assert not failures
    if before is not None:
        before.check()


@pytest.mark.parametrize(
    ("method", "template", "name"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in PATH_ID_OPERATIONS],
)
def test_control_characters_in_every_path_id_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    method: str,
    template: str,
    name: str,
) -> None:
    """422 naming the path parameter (ids are slugs), for reads and writes alike; a write with
    a bad id changes nothing."""
    before = Unchanged(session)
    failures = {}
    for char in ["%00", "%01", "%09", "%0A", "%1B", "%7F"]:
        sample = SAMPLE_IDS.get(name, "sample-id")
        path = concrete(template.replace("{" + name + "}", insert(sample, char)))
        if method == "GET":
            response = client.get(path)
        else:
            kind = template.split("/")[2].rstrip("s")
            patch = update_body(kind) if kind in KINDS else {"x": 1}
            body = json.dumps(patch) if method == "PATCH" else None
            headers = {**writer, "If-Match": '"x"', "Content-Type": "application/json"}
            response = client.request(method, path, content=body, headers=headers)
        problem = mismatch(response, 422, "path", name)
        if problem is not None:
            failures[char] = problem
    assert not failures
    before.check()


def _corrupt(
    body: dict[str, Any], what: str, path: tuple[Any, ...], char: str
) -> tuple[dict[str, Any], str]:
    """The body with char inserted into the value (or key) at path, and the name a 422 gives."""
    body = copy.deepcopy(body)
    if what == "key":
        rename_key(body, path, insert(path[-1], char))
        return body, dotted(path[:-1])
    set_at(body, path, insert(get_at(body, path), char))
    return body, dotted(path)


def _refuses_control_characters(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    method: str,
    what: str,
    path: tuple[Any, ...],
) -> None:
    url, headers = write_target(client, writer, kind, method)
    before = Unchanged(session)
    failures = {}
    for attempt, char in enumerate(BODY_CONTROL):
        body, name = _corrupt(valid_body(kind, method, attempt), what, path, char)
        problem = mismatch(send_json(client, method, url, body, headers), 422, "body", name)
        if problem is not None:
            failures[repr(char)] = problem
    assert not failures
    before.check()


@pytest.mark.parametrize(("kind", "what", "path", "leaf"), CREATE_STRING_SLOTS)
def test_control_characters_in_every_create_body_string_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    what: str,
    path: tuple[Any, ...],
    leaf: str,
) -> None:
    """422 naming the field, for every string (and free-form key) of every create body, one
    field at a time; nothing is written. A lone surrogate is refused too."""
    _refuses_control_characters(client, writer, session, kind, "POST", what, path)


@pytest.mark.parametrize(("kind", "what", "path", "leaf"), UPDATE_STRING_SLOTS)
def test_control_characters_in_every_update_body_string_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    what: str,
    path: tuple[Any, ...],
    leaf: str,
) -> None:
    """422 naming the field, for every string of every PATCH body (with a current If-Match, so
    only the corruption can be refused); the record is unchanged."""
    _refuses_control_characters(client, writer, session, kind, "PATCH", what, path)


@pytest.mark.parametrize(
    ("kind", "field"), [("article", "title"), ("participant", "name"), ("event", "location")]
)
def test_c1_controls_and_line_separators_in_one_line_text_are_refused(
    client: TestClient, writer: dict[str, str], session: Session, kind: str, field: str
) -> None:
    """422: one-line text (a title, a name) holds no line break and no control character; C1
    controls (NEL U+0085, CSI U+009B) and U+2028/U+2029 are those as much as LF and ESC are."""
    before = Unchanged(session)
    failures = {}
    for char in ["\x85", "\x9b", "\u2028", "\u2029"]:
        body = create_body(kind)
        body[field] = insert(body[field], char)
        problem = mismatch(
            send_json(client, "POST", f"/v1/{PLURAL[kind]}", body, writer), 422, "body", field
        )
        if problem is not None:
            failures[repr(char)] = problem
    assert not failures
    before.check()


# --- 2. invalid UTF-8 and broken percent-encoding -----------------------------------------------
#
# Starlette decodes %-escapes as UTF-8 with replacement (U+FFFD), leaves a broken escape like
# `%zz` as it is, and reads raw (unescaped) query bytes as Latin-1. So free-text parameters
# search for those characters literally and find nothing (200, empty), while ids, dates,
# enums and numbers refuse them (422) and a cursor is not one this API issued (400).

REPRESENTATIVE_PARAMETERS = [  # each kind of parameter: free text, id, date, enum, number
    ("/v1/quotations", "q"),  # full-text search
    ("/v1/participants", "q"),  # folded substring of names and aliases
    ("/v1/events", "location"),  # case-insensitive substring
    ("/v1/articles", "q"),
    ("/v1/quotations", "speaker"),
    ("/v1/events", "date_from"),
    ("/v1/quotations", "kind"),
    ("/v1/quotations", "limit"),
    ("/v1/quotations", "cursor"),
    ("/v1/changes", "since"),
]
ESCAPES = [
    "%FF%FE",  # bytes that are never UTF-8
    "%E2%82",  # a truncated 3-byte sequence
    "%C0%AF",  # an overlong encoding of "/"
    "%ED%A0%80",  # a UTF-16 surrogate encoded as UTF-8 (CESU-8)
    "%F4%90%80%80",  # beyond U+10FFFF
    "%80",  # a lone continuation byte
    "%EF%BF%BF",  # U+FFFF, a noncharacter (valid UTF-8)
    "%zz",  # not hex
    "%",  # a lone percent sign
    "%%",
    "%2",  # a truncated escape
    "%u0041",  # IIS-style escape
]
RAW_BYTES = [b"\xff\xfe", b"\xe2\x82", b"\xc0\xaf", b"\x80", b"\xed\xa0\x80"]


def _expect_for(name: str) -> tuple[int, str | None]:
    if name in TEXT_QUERY_PARAMETERS:
        return 200, None
    if name in CURSOR_PARAMETERS:
        return 400, None
    return 422, name


def _check_odd_value(response: Any, name: str) -> str | None:
    status, named = _expect_for(name)
    if status == 200:
        if response.status_code == 422 and mismatch(response, 422, "query", name) is None:
            return None  # the value decoded to a C1 control character, refused in any text
        if response.status_code != 200 or response.json()["items"] != []:
            return f"{response.status_code} {response.text[:300]}"
        return None
    return mismatch(response, status, "query" if named else None, named or "")


@pytest.mark.parametrize("escape", ESCAPES)
def test_broken_percent_encoding_in_a_query_value(client: TestClient, escape: str) -> None:
    """Free text: 200 with nothing found; ids, dates, enums, limits: 422; cursors: 400."""
    failures = {}
    for path, name in REPRESENTATIVE_PARAMETERS:
        response = client.get(f"{path}?{name}=y{escape}z")
        problem = _check_odd_value(response, name)
        if problem is not None:
            failures[f"{path}?{name}"] = problem
    assert not failures


@pytest.mark.parametrize("raw", RAW_BYTES, ids=repr)
def test_raw_non_utf8_bytes_in_a_query_value(client: TestClient, raw: bytes) -> None:
    """Bytes a client forgot to escape (read as Latin-1): the same answers as broken escapes."""
    failures = {}
    for path, name in REPRESENTATIVE_PARAMETERS:
        response = asgi_request(client, "GET", path, name.encode() + b"=y" + raw + b"z")
        problem = _check_odd_value(response, name)
        if problem is not None:
            failures[f"{path}?{name}"] = problem
    unknown = asgi_request(client, "GET", "/v1/quotations", raw + b"=1")
    if mismatch(unknown, 422) is not None:
        failures["as a parameter name"] = f"{unknown.status_code} {unknown.text[:200]}"
    assert not failures


def test_a_raw_latin1_byte_in_q_of_a_list_with_a_next_page(client: TestClient) -> None:
    """200 with a Link to the next page: `é` sent unescaped in Latin-1 (byte E9) is read as
    "é", which matches (folded to "e") many participants; building the Link must not fail."""
    response = asgi_request(client, "GET", "/v1/participants", b"limit=1&q=\xe9")
    assert response.status_code == 200, response.text[:300]
    assert response.json()["next_cursor"]
    assert 'rel="next"' in response.headers["link"]


@pytest.mark.parametrize("path", GET_LISTS)
def test_broken_parameter_names_are_unknown_parameters(client: TestClient, path: str) -> None:
    """422: a parameter name that is not one of the list's (unknown parameters are refused)."""
    failures = {}
    for name in ["%FF", "%zz", "%", "q%00", "limit%20", "Q"]:
        response = client.get(f"{path}?{name}=1")
        if mismatch(response, 422) is not None:
            failures[name] = f"{response.status_code} {response.text[:200]}"
    assert not failures


@pytest.mark.parametrize(
    ("template", "name"),
    [(t, n) for m, t, n in PATH_ID_OPERATIONS if m == "GET"],
)
def test_broken_percent_encoding_in_a_path_id(client: TestClient, template: str, name: str) -> None:
    """422 naming the path id: U+FFFD, `%zz` or a lone `%` are not slugs. An escaped slash
    `%2F` makes a path no route serves: 404."""
    failures = {}
    for escape in ["%FF%FE", "%E2%82", "%C0%AF", "%zz", "%", "%2", "%C3%A9", "%2E%2E", "%20"]:
        response = client.get(template.replace("{" + name + "}", f"y{escape}z"))
        problem = mismatch(response, 422, "path", name)
        if problem is not None:
            failures[escape] = problem
    slashed = client.get(template.replace("{" + name + "}", "a%2Fb"))
    if mismatch(slashed, 404) is not None:
        failures["%2F"] = f"{slashed.status_code} {slashed.text[:200]}"
    assert not failures


# --- 3. huge query strings, repeated parameters, huge headers -----------------------------------

HUNDRED_KB = 100 * 1024


@pytest.mark.parametrize("path", GET_LISTS)
def test_a_100kb_query_value_is_refused(client: TestClient, path: str) -> None:
    """422: every string parameter has a maximum length (q 200, ids 100, cursor 512)."""
    failures = {}
    names = [n for m, p, n, _ in QUERY_PARAMETERS if m == "GET" and p == path]
    for name in names:
        response = asgi_request(client, "GET", path, f"{name}=".encode() + b"a" * HUNDRED_KB)
        if mismatch(response, 422, "query", name) is not None:
            failures[name] = f"{response.status_code} {response.text[:200]}"
    assert not failures


@pytest.mark.parametrize("path", GET_LISTS)
def test_a_100kb_query_string_of_unknown_parameters_is_refused(
    client: TestClient, path: str
) -> None:
    """422 naming the unknown parameters (thousands of them), quickly and without a 5xx."""
    query = "&".join(f"x{i}=" + "v" * 96 for i in range(1000)).encode()
    assert len(query) > HUNDRED_KB * 0.95
    body = assert_problem(asgi_request(client, "GET", path, query), 422)
    assert {"x0", "x1"} <= set(error_names(body))


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/v1/participants", "kind", "person"),
        ("/v1/quotations", "q", "relations"),
        ("/v1/events", "sort", "-date"),
        ("/v1/quotations", "limit", "3"),
        ("/v1/changes", "kind", "quotation"),
    ],
)
def test_a_parameter_repeated_10000_times_is_answered_as_once(
    client: TestClient, path: str, name: str, value: str
) -> None:
    """200, the same page as with the parameter given once (~100 KB of query string)."""
    once = client.get(path, params={name: value})
    assert once.status_code == 200
    repeated = asgi_request(client, "GET", path, "&".join([f"{name}={value}"] * 10_000).encode())
    assert repeated.status_code == 200, repeated.text[:300]
    assert repeated.json() == once.json()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("limit=5&limit=500", 422),
        ("limit=500&limit=5", 200),
        ("kind=person&kind=shouted", 422),
        ("kind=shouted&kind=person", 200),
        ("q=%00&q=lukashenka", 200),
        ("q=lukashenka&q=%00", 422),
    ],
)
def test_conflicting_repeated_parameters_take_the_last_value(
    client: TestClient, query: str, status: int
) -> None:
    """The last of repeated values wins (FastAPI's rule for a single-valued parameter): an
    invalid last value is a 422, an invalid earlier one is ignored (never a 5xx)."""
    response = client.get(f"/v1/participants?{query}")
    if status == 200:
        assert response.status_code == 200, response.text
    else:
        assert_problem(response, status)


SIXTY_FOUR_KB = "x" * (64 * 1024)


@pytest.mark.parametrize(
    "header",
    [
        "X-Anything",
        "Accept",
        "Accept-Language",
        "Accept-Encoding",
        "If-None-Match",
        "Cookie",
        "User-Agent",
        "Authorization",
        "X-Request-ID",
        "Referer",
        "Origin",
        "Forwarded",
        "X-Forwarded-For",
        "Range",
    ],
)
def test_a_64kb_header_on_a_read_is_ignored(client: TestClient, header: str) -> None:
    """200, the same list: reads are public, so even a huge Authorization is not consulted; a
    huge If-None-Match matches no ETag; nothing echoes the header back."""
    normal = client.get("/v1/quotations")
    response = client.get("/v1/quotations", headers={header: SIXTY_FOUR_KB})
    assert response.status_code == 200, response.text[:300]
    assert response.json() == normal.json()
    assert SIXTY_FOUR_KB not in "".join(response.headers.values())


@pytest.mark.parametrize(
    ("method", "header", "value", "status"),
    [
        ("POST", "Authorization", "Bearer " + SIXTY_FOUR_KB, 401),
        ("POST", "Authorization", SIXTY_FOUR_KB, 401),
        ("POST", "Idempotency-Key", SIXTY_FOUR_KB, 422),
        ("POST", "Content-Type", SIXTY_FOUR_KB, 415),
        ("PATCH", "If-Match", SIXTY_FOUR_KB, 422),
        ("PATCH", "If-Match", '"' + SIXTY_FOUR_KB + '"', 422),
        ("PATCH", "Authorization", "Bearer nf_" + SIXTY_FOUR_KB, 401),
        ("DELETE", "If-Match", SIXTY_FOUR_KB, 422),
    ],
)
def test_a_64kb_header_on_a_write_is_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    method: str,
    header: str,
    value: str,
    status: int,
) -> None:
    """401 for a key nobody issued, 422 for an over-long Idempotency-Key or If-Match, 415 for
    a content type that is not JSON; nothing is written."""
    kind = "participant"
    url, headers = write_target(client, writer, kind, "POST" if method == "POST" else "PATCH")
    body = valid_body(kind, "POST" if method == "POST" else "PATCH")
    before = Unchanged(session)
    response = client.request(
        method,
        url,
        content=json.dumps(body) if method != "DELETE" else None,
        headers={**headers, "Content-Type": "application/json", header: value},
    )
    assert_problem(response, status)
    before.check()


def test_two_thousand_headers_on_a_read(client: TestClient) -> None:
    """200: many headers are not a reason to fail."""
    headers = {f"X-Header-{i}": "v" * 30 for i in range(2000)}
    assert client.get("/v1/events", headers=headers).status_code == 200


# --- 4. limits and forged cursors ---------------------------------------------------------------

INTEGER_PARAMETERS = sorted(
    {
        (concrete(path), parameter["name"], json.dumps(parameter["schema"]))
        for method, path, operation in _operations()
        if method == "GET"
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        and any(
            option.get("type") == "integer"
            for option in [parameter["schema"], *parameter["schema"].get("anyOf", [])]
        )
    }
)
BAD_LIMITS = [
    "0",
    "-1",
    "101",
    str(10**30),
    "1.5",
    "abc",
    "",
    "1e2",
    "0x10",
    "٥",  # an Arabic-Indic digit five
    "NaN",
    "-0",
]


@pytest.mark.parametrize("value", BAD_LIMITS)
@pytest.mark.parametrize("path", GET_LISTS)
def test_a_limit_out_of_range_or_not_an_integer_is_refused(
    client: TestClient, path: str, value: str
) -> None:
    """422 naming `limit` (1 to 100): zero, negatives, too large, fractions, words, other
    scripts' digits."""
    assert_names(client.get(path, params={"limit": value}), "query", "limit")


@pytest.mark.parametrize(
    ("path", "name", "schema"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in INTEGER_PARAMETERS],
)
def test_every_integer_parameter_refuses_values_outside_its_range(
    client: TestClient, path: str, name: str, schema: str
) -> None:
    """422 naming the parameter, for one below its minimum, one above its maximum, a huge
    number and a fraction (the range is read from the OpenAPI schema)."""
    parsed = json.loads(schema)
    option = next(o for o in [parsed, *parsed.get("anyOf", [])] if o.get("type") == "integer")
    values = [str(10**30), "2.5", "ten"]
    if "minimum" in option:
        values.append(str(option["minimum"] - 1))
    if "maximum" in option:
        values.append(str(option["maximum"] + 1))
    failures = {}
    for value in values:
        problem = mismatch(client.get(path, params={name: value}), 422, "query", name)
        if problem is not None:
            failures[value] = problem
    assert not failures


CURSOR_SOURCES = [
    ("/v1/events", {}),
    ("/v1/events", {"sort": "date"}),
    ("/v1/events", {"sort": "-date"}),
    ("/v1/events", {"kind": "statement"}),
    ("/v1/quotations", {}),
    ("/v1/quotations", {"sort": "said_on"}),
    ("/v1/quotations", {"sort": "-said_on"}),
    ("/v1/quotations", {"q": "relations"}),
    ("/v1/quotations", {"speaker": "alyaksandr-lukashenka"}),
    ("/v1/issues", {}),
    ("/v1/issues", {"category": "economy"}),
    ("/v1/participants", {}),
    ("/v1/participants", {"kind": "person"}),
    ("/v1/changes", {}),
    ("/v1/changes", {"kind": "quotation"}),
    ("/v1/participants/alyaksandr-lukashenka/quotations", {}),
    ("/v1/events/lukashenka-army-statement-2018-02/quotations", {}),
    ("/v1/issues/bilateral-relations-state-and-prospects/quotations", {}),
    # Two words: ranked by scoring every match (one word is read in rank order on PostgreSQL).
    ("/v1/quotations", {"q": "state issues"}),
]
SOURCE_IDS = [
    f"{path}?{'&'.join(f'{k}={v}' for k, v in params.items())}" for path, params in CURSOR_SOURCES
]
_REAL_CURSORS: dict[tuple[str, int], str] = {}
# One source per kind of ordering: by id, by date with a nullable key, by relevance (a float;
# one word and two, two paths on PostgreSQL), by change sequence (an integer), and a related
# list (its path fixes a filter).
REPRESENTATIVE_SOURCES = [0, 1, 5, 7, 18, 13, 15]


def real_cursor(client: TestClient, backend: str, index: int) -> str:
    """The next_cursor of page one (limit 1) of CURSOR_SOURCES[index] (the same in every test:
    each starts from the seeded database)."""
    key = (backend, index)
    if key not in _REAL_CURSORS:
        path, params = CURSOR_SOURCES[index]
        response = client.get(path, params={**params, "limit": 1})
        assert response.status_code == 200, response.text
        cursor = response.json()["next_cursor"]
        assert cursor, (path, params)
        _REAL_CURSORS[key] = cursor
    return _REAL_CURSORS[key]


def cursor_name(path: str) -> str:
    return "since" if path == "/v1/changes" else "cursor"


def use_cursor(client: TestClient, index: int, cursor: str) -> Any:
    path, params = CURSOR_SOURCES[index]
    return client.get(path, params={**params, cursor_name(path): cursor})


def refused_cursor(response: Any) -> str | None:
    problem = mismatch(response, 400)
    if problem is None and response.json()["type"] != "/problems/invalid-cursor":
        problem = response.text[:300]
    return problem


_RANDOM = random.Random(20180514)
GARBAGE_CURSORS = [
    "not-a-cursor",
    "!!!!",
    "AAAA",
    "====",
    "a",
    "e30",  # {}
    b64("[]"),
    b64("null"),
    b64("1"),
    b64('"id"'),
    b64(b"\xff\xfe\xfd"),
    b64(b"\x00\x00\x00"),
    b64('{"o":"id"}'),
    b64('{"o":"id","s":"","k":["a"]'),  # truncated JSON
    b64('{"o":"id","s":"","k":"a"}'),
    b64("[" * 150 + "]" * 150),
    b64('{"o":"id","s":"","k":[1e999999]}'),
    b64("\ufeff{}"),
    *(b64(_RANDOM.randbytes(n)) for n in (1, 7, 32, 300)),
    "a" * 512,
    "eyJ" + "A" * 509,
]


# Every list decodes cursors with the same code; these four reach it through each kind of
# ordering (id, date, sequence) and through a related list.
DECODING_LISTS = [
    "/v1/events",
    "/v1/quotations",
    "/v1/changes",
    "/v1/participants/alyaksandr-lukashenka/quotations",
]


@pytest.mark.parametrize("cursor", GARBAGE_CURSORS)
def test_a_garbage_cursor_is_refused(client: TestClient, cursor: str) -> None:
    """400 invalid-cursor: random base64, base64 of JSON that is not a cursor, of bytes that
    are not UTF-8, of nesting, of an overflowing number."""
    failures = {}
    for path in DECODING_LISTS:
        response = client.get(path, params={cursor_name(path): cursor})
        problem = refused_cursor(response)
        if problem is not None:
            failures[path] = problem
    assert not failures


def test_an_over_long_cursor_is_a_422(client: TestClient) -> None:
    """422 naming the cursor: it is at most 512 characters."""
    for path in GET_LISTS:
        assert_names(
            client.get(path, params={cursor_name(path): "a" * 513}), "query", cursor_name(path)
        )


def _key_kinds(values: list[Any]) -> list[str]:
    kinds = []
    for value in values:
        if isinstance(value, bool):
            kinds.append("bool")
        elif isinstance(value, int):
            kinds.append("int")
        elif isinstance(value, float):
            kinds.append("float")
        elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            kinds.append("date")
        else:
            kinds.append("str")
    return kinds


# Values of the wrong type, or no key the API can have issued, for each kind of sort key.
FORGED_KEYS: dict[str, list[Any]] = {
    "str": [
        None,
        1,
        1.5,
        True,
        [],
        {},
        ["a"],
        "x" * 301,
        "\x00",
        "a\x00b",
        "\ud800",
        "a\udfffb",
    ],
    "int": [None, "1", 1.5, True, [], {}, 2**31, 2**63, -(2**63) - 1, 10**30, -(10**30)],
    "float": [None, "0.5", True, [], {}, float("nan"), float("inf"), float("-inf")],
    "date": ["2018-02-30", "2018-13-01", "yesterday", "", "\x00", 20180101, True, [], {}, 1.5],
}
FORGED_CASES = [
    pytest.param(kind, index, id=f"{kind}-{value!r}")
    for kind, values in FORGED_KEYS.items()
    for index, value in enumerate(values)
]


@pytest.mark.parametrize(("key_kind", "index"), FORGED_CASES)
def test_a_real_cursor_with_a_forged_key_is_refused(
    client: TestClient, backend: str, key_kind: str, index: int
) -> None:
    """400 invalid-cursor: a real cursor (right order, right filters) whose sort key has the
    wrong type, is out of the column's range, is not a number, or holds text no id can hold
    (NUL, which PostgreSQL cannot compare, or a lone surrogate, which is not UTF-8)."""
    forged_value = FORGED_KEYS[key_kind][index]
    failures = {}
    tried = 0
    for source in REPRESENTATIVE_SOURCES:
        payload = cursor_payload(real_cursor(client, backend, source))
        for position, kind in enumerate(_key_kinds(payload["k"])):
            if kind != key_kind:
                continue
            tried += 1
            keys = list(payload["k"])
            keys[position] = forged_value
            response = use_cursor(client, source, forge({**payload, "k": keys}))
            problem = refused_cursor(response)
            if problem is not None:
                failures[f"{SOURCE_IDS[source]} key {position}"] = problem
    assert tried
    assert not failures


STRUCTURAL_FORGERIES: list[tuple[str, Any]] = [
    ("k empty", lambda p: {**p, "k": []}),
    ("k one more", lambda p: {**p, "k": [*p["k"], p["k"][-1]]}),
    ("k one less", lambda p: {**p, "k": p["k"][:-1]}),
    ("k a string", lambda p: {**p, "k": "x"}),
    ("k null", lambda p: {**p, "k": None}),
    ("k an object", lambda p: {**p, "k": {"0": p["k"][0]}}),
    ("k missing", lambda p: {"o": p["o"], "s": p["s"]}),
    ("o other", lambda p: {**p, "o": "nope"}),
    ("o null", lambda p: {**p, "o": None}),
    ("o a number", lambda p: {**p, "o": 1}),
    ("o missing", lambda p: {"s": p["s"], "k": p["k"]}),
    ("s other", lambda p: {**p, "s": "0123456789ab"}),
    ("s null", lambda p: {**p, "s": None}),
    ("s missing", lambda p: {"o": p["o"], "k": p["k"]}),
    ("a list", lambda p: [p["o"], p["s"], p["k"]]),
]


@pytest.mark.parametrize(
    "forgery", [pytest.param(f, id=label) for label, f in STRUCTURAL_FORGERIES]
)
def test_a_real_cursor_with_forged_structure_is_refused(
    client: TestClient, backend: str, forgery: Any
) -> None:
    """400 invalid-cursor: a cursor for another order, another filter set, with too few or too
    many keys, or not shaped as a cursor at all."""
    failures = {}
    for source in REPRESENTATIVE_SOURCES:
        payload = cursor_payload(real_cursor(client, backend, source))
        problem = refused_cursor(use_cursor(client, source, forge(forgery(payload))))
        if problem is not None:
            failures[SOURCE_IDS[source]] = problem
    assert not failures


@pytest.mark.parametrize(
    "source", REPRESENTATIVE_SOURCES, ids=[SOURCE_IDS[i] for i in REPRESENTATIVE_SOURCES]
)
def test_a_truncated_real_cursor_is_refused(client: TestClient, backend: str, source: int) -> None:
    """400 invalid-cursor: a real cursor cut short (a copy-paste accident) at any length."""
    cursor = real_cursor(client, backend, source)
    failures = {}
    for length in (1, 5, len(cursor) // 2, len(cursor) - 2, len(cursor) - 1):
        problem = refused_cursor(use_cursor(client, source, cursor[:length]))
        if problem is not None:
            failures[length] = problem
    assert not failures


REPLAY_SOURCES = [0, 1, 3, 5, 7, 9, 11, 13, 15]


@pytest.mark.parametrize("source", REPLAY_SOURCES, ids=[SOURCE_IDS[i] for i in REPLAY_SOURCES])
def test_a_real_cursor_replayed_on_another_list_is_refused(
    client: TestClient, backend: str, source: int
) -> None:
    """400 invalid-cursor: a cursor is only good for the list (endpoint, sort and filters) that
    issued it; replayed elsewhere it must not silently page through another list."""
    cursor = real_cursor(client, backend, source)
    own_path = CURSOR_SOURCES[source][0]
    firsts = dict(reversed(CURSOR_SOURCES))
    targets = [
        *(t for t in CURSOR_SOURCES if t[0] == own_path and t != CURSOR_SOURCES[source]),
        *((path, params) for path, params in firsts.items() if path != own_path),
        ("/v1/articles", {}),
    ]
    if own_path != "/v1/participants":
        targets.append(("/v1/participants", {"q": "a"}))
    failures = {}
    for path, params in targets:
        response = client.get(path, params={**params, cursor_name(path): cursor})
        problem = refused_cursor(response)
        if problem is not None:
            failures[f"{path}?{params}"] = problem
    assert not failures


@pytest.mark.parametrize("source", [0, 5, 11, 13], ids=[SOURCE_IDS[i] for i in (0, 5, 11, 13)])
def test_a_real_cursor_with_characters_outside_base64url_is_refused(
    client: TestClient, backend: str, source: int
) -> None:
    """400 invalid-cursor: a real cursor with a control character (or any character outside
    the base64url alphabet) inserted is not one this API issued; decoding must not skip it."""
    cursor = real_cursor(client, backend, source)
    failures = {}
    for char in ["\x00", "\x1b", "\x7f", "\n", " ", "!", "."]:
        problem = refused_cursor(use_cursor(client, source, insert(cursor, char)))
        if problem is not None:
            failures[repr(char)] = problem
    assert not failures


def test_a_forged_cursor_is_refused_even_when_q_has_no_words(client: TestClient) -> None:
    """400 invalid-cursor: a q of punctuation only finds nothing, but the cursor given with it
    is still checked."""
    response = client.get("/v1/quotations", params={"q": "%", "cursor": "not-a-cursor"})
    assert refused_cursor(response) is None, response.text


# --- 5. search syntax in q ----------------------------------------------------------------------

FTS_SYNTAX = [
    '"',
    '""',
    "*",
    "NEAR",
    "NEAR(a b)",
    "NEAR(markets relations, 5)",
    "AND",
    "OR",
    "NOT",
    "a:b",
    "text:markets",
    "{text}:markets",
    "^",
    "^markets",
    "(",
    ")",
    "(markets",
    "markets)",
    "((markets)",
    "-",
    "-markets",
    "markets -russia",
    "+markets",
    "'",
    "\\",
    "' OR 1=1 --",
    "'; DROP TABLE quotations; --",
    "%",
    "_",
    "__",
    "%%",
    "a_b",
    "markets*",
    '"markets"',
    '"markets',
    "markets NOT",
    "NOT markets",
    "markets OR russia",
    "markets AND russia",
    "relations & issues",
    "relations | issues",
    "!relations",
    "relations:*",
    "x AND",
    "russia's",
    "Russia’s",
    "Belarusian-Russian",
    "/",
    "//",
    "/%",
    "[a]",
    "~",
    "@@",
    "$1",
    "?",
]


SEARCHES_THAT_FIND = {
    '"markets"',
    '"markets',
    "markets*",
    "(markets",
    "markets)",
    "NOT markets",
    "^markets",
    "+markets",
    "markets -russia",
    "russia's",
    "Russia’s",
    "Belarusian-Russian",
}


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", search_key(text)))


_ALL: dict[tuple[str, str], list[dict[str, Any]]] = {}


def all_items(client: TestClient, backend: str, path: str) -> list[dict[str, Any]]:
    """Every item of a list, fetched once per backend (each test starts from the seed)."""
    key = (backend, path)
    if key not in _ALL:
        _ALL[key] = walk(client, path, limit=100)
    return _ALL[key]


@pytest.mark.parametrize("q", FTS_SYNTAX)
def test_quotation_search_reads_web_syntax_and_the_rest_literally(
    client: TestClient, backend: str, q: str
) -> None:
    """200 with exactly the quotations q finds in web-search syntax (phrases, OR, -word; other
    operators, stars, columns and SQL are just characters; a q with no words finds nothing)."""
    languages = {
        item["id"]: item["language"] for item in all_items(client, backend, "/v1/articles")
    }
    expected = {
        item["id"]
        for item in all_items(client, backend, "/v1/quotations")
        if full_text_matches(q, item["text"], languages[item["article_id"]])
    }
    response = client.get("/v1/quotations", params={"q": q, "limit": 100})
    assert response.status_code == 200, response.text
    found = {item["id"] for item in response.json()["items"]}
    assert found == expected
    if q in SEARCHES_THAT_FIND:
        assert found  # not vacuous: the words are in the seed's quotations


def _participant_matches(item: dict[str, Any], q: str) -> bool:
    names = [item["name"], *(alias["alias"] for alias in item["aliases"])]
    return substring_matches(q, *names, key=search_key)


@pytest.mark.parametrize("q", FTS_SYNTAX)
def test_participant_search_takes_wildcards_literally(
    client: TestClient, backend: str, q: str
) -> None:
    """200 with exactly the participants whose name or an alias contains q (folded): `%` and
    `_` are not LIKE wildcards, so `%` does not match everyone."""
    everyone = all_items(client, backend, "/v1/participants")
    expected = {item["id"] for item in everyone if _participant_matches(item, q)}
    response = client.get("/v1/participants", params={"q": q, "limit": 100})
    assert response.status_code == 200, response.text
    found = {item["id"] for item in response.json()["items"]}
    assert found == expected
    if q in ("%", "_", "%%", "__"):
        assert found == set()


LIKE_SEARCHES = [
    ("/v1/events", "q", ("title", "description")),
    ("/v1/events", "location", ("location",)),
    ("/v1/issues", "q", ("title", "summary")),
]
LIKE_SYNTAX = [
    "%",
    "_",
    "%%",
    "_a",
    "a_",
    "\\",
    "\\%",
    "/",
    "/%",
    "//",
    "[a]",
    "'",
    "''",
    '"',
    "-",
    "' OR 1=1 --",
    "*",
    "?",
    "^",
    "'s",
]


@pytest.mark.parametrize("q", LIKE_SYNTAX)
def test_substring_searches_take_wildcards_literally(
    client: TestClient, backend: str, q: str
) -> None:
    """200 with exactly the records whose fields contain q's terms, ignoring case: no wildcard,
    escape or quote character changes what matches."""
    failures = {}
    for path, name, fields in LIKE_SEARCHES:
        everyone = all_items(client, backend, path)
        expected = {
            item["id"]
            for item in everyone
            if (
                substring_matches(q, *(item.get(f) for f in fields))
                if name == "q"  # web-search syntax; `location` is one substring
                else any(q.lower() in (item.get(f) or "").lower() for f in fields)
            )
        }
        response = client.get(path, params={name: q, "limit": 100})
        found = {item["id"] for item in response.json().get("items", [])}
        if response.status_code != 200 or found != expected:
            failures[f"{path}?{name}"] = (response.status_code, sorted(found ^ expected))
    article = client.get("/v1/articles", params={"q": q})
    expected_article = substring_matches(q, TEXT, SEED["article"]["title"])
    if article.status_code != 200 or bool(article.json()["items"]) != expected_article:
        failures["/v1/articles?q"] = (article.status_code, article.text[:200])
    assert not failures


# --- 6. hostile bodies --------------------------------------------------------------------------

WRITE_ENDPOINTS = [(kind, method) for kind in KINDS for method in ("POST", "PATCH")]
# Body parsing is the same for every write (FastAPI, before any code of ours runs): a create
# with nested models, a create with a verbatim text, and an update.
PARSING_ENDPOINTS = [("participant", "POST"), ("quotation", "POST"), ("event", "PATCH")]
# POSTs that write nothing (they compute an answer): public when reads are, parsed the same way.
COMPUTING_ENDPOINTS = ["/v1/extractions"]
EXTRACTION_BODY: dict[str, Any] = {"text": TEXT, "language": "en", "published": "2018-05"}


def _each_endpoint(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    content: bytes,
    content_type: str | None,
    status: int,
    import_status: int | None = None,
) -> None:
    """Send content to the write endpoints and the POSTs that write nothing (and /v1/imports if
    import_status): each answers the status as a problem, and nothing is written."""
    before = Unchanged(session)
    failures = {}
    for kind, method in PARSING_ENDPOINTS:
        url, headers = write_target(client, writer, kind, method)
        response = send_json(client, method, url, content, headers, content_type)
        problem = mismatch(response, status)
        if problem is not None:
            failures[f"{method} {kind}"] = problem
    for url in COMPUTING_ENDPOINTS:
        problem = mismatch(send_json(client, "POST", url, content, {}, content_type), status)
        if problem is not None:
            failures[f"POST {url}"] = problem
    if import_status is not None:
        response = send_json(client, "POST", "/v1/imports", content, writer, content_type)
        problem = mismatch(response, import_status)
        if problem is not None:
            failures["POST /v1/imports"] = problem
    assert not failures
    before.check()


MALFORMED_JSON: list[tuple[str, bytes, int]] = [
    # (label, body, status on the write endpoints); /v1/imports answers 422 for all of them.
    ("truncated object", b'{"id": ', 422),
    ("lone brace", b"{", 422),
    ("closing brace", b"}", 422),
    ("trailing comma", b'{"id": "x",}', 422),
    ("single quotes", b"{'id': 'x'}", 422),
    ("unquoted key", b"{id: 1}", 422),
    ("trailing garbage", b'{"id": "x"} trailing', 422),
    ("two documents", b"{}{}", 422),
    ("bad literal", b'{"a": tru}', 422),
    ("bad escape", b'{"a": "\\x41"}', 422),
    ("truncated unicode escape", b'{"a": "\\u12"}', 422),
    ("raw control character in a string", b'{"id": "a\x01b"}', 422),
    ("raw NUL", b"\x00", 422),
    ("empty body", b"", 422),
    ("whitespace only", b"  \n\t ", 422),
    ("comment", b'{"id": "x" /* hi */}', 422),
    ("a YAML document", b"id: x\ntitle: y\n", 422),
    ("invalid UTF-8", b'{"id": "\xff\xfe"}', 400),
    ("UTF-8 overlong", b'{"id": "\xc0\xaf"}', 400),
    ("a number with 5000 digits", b'{"id": ' + b"9" * 5000 + b"}", 400),
    ("an overflowing float", b'{"occurrence": 1e999999}', 422),
    ("NaN", b'{"occurrence": NaN}', 422),
    ("Infinity", b'{"occurrence": -Infinity}', 422),
]


@pytest.mark.parametrize(
    ("content", "status"), [pytest.param(c, s, id=label) for label, c, s in MALFORMED_JSON]
)
def test_malformed_json_is_refused(
    client: TestClient, writer: dict[str, str], session: Session, content: bytes, status: int
) -> None:
    """422 (the body is not JSON a schema can accept), or 400 when FastAPI cannot decode it
    at all (invalid UTF-8, a number Python will not convert); the bundle import refuses each
    with 422. Nothing is written."""
    _each_endpoint(client, writer, session, content, "application/json", status, 422)


@pytest.mark.parametrize(
    "content", [b"[]", b"[{}]", b"[1, 2]", b"1", b"-1.5", b'"x"', b'""', b"true", b"null", b"{}"]
)
def test_json_that_is_not_a_complete_object_is_refused(
    client: TestClient, writer: dict[str, str], session: Session, content: bytes
) -> None:
    """422: a body must be an object (an empty one lacks required fields, and an empty PATCH
    changes nothing, which is refused too). Nothing is written."""
    _each_endpoint(client, writer, session, content, "application/json", 422, 422)


DEEP = 100_000
NESTINGS = [
    ("list 1000", b"[" * 1000 + b"]" * 1000),
    ("list 100000", b"[" * DEEP + b"]" * DEEP),
    ("object 1000", b'{"a":' * 1000 + b"1" + b"}" * 1000),
    ("object 100000", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    ("list in a field", b'{"id": "x", "title": ' + b"[" * DEEP + b"]" * DEEP + b"}"),
    ("object in a field", b'{"id": "x", "title": ' + b'{"a":' * DEEP + b"1" + b"}" * DEEP + b"}"),
]


@pytest.mark.parametrize("content", [pytest.param(c, id=label) for label, c in NESTINGS])
def test_deeply_nested_json_is_refused(
    client: TestClient, writer: dict[str, str], session: Session, content: bytes
) -> None:
    """400 on the write endpoints (too deep to parse), 422 on the bundle import; never a 5xx
    (a RecursionError is not an answer). Within the 5 MB body limit. Nothing is written."""
    assert len(content) < 5 * 1024 * 1024
    _each_endpoint(client, writer, session, content, "application/json", 400, 422)


YAML_HOSTILE = [
    ("flow list 1000", b"[" * 1000 + b"]" * 1000),
    ("flow mapping 1000", b"{a: " * 1000 + b"1" + b"}" * 1000),
    ("a number with 5000 digits", b"version: " + b"9" * 5000 + b"\n"),
    (
        "billion laughs",
        b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    ),
    ("recursive alias", b"a: &a [*a]\n"),
    ("python tag", b'!!python/object/apply:os.system ["true"]\n'),
    ("two documents", b"a: 1\n---\nb: 2\n"),
    ("a mapping key", b"? {a: 1}\n: 2\n"),
    ("a binary", b"article: !!binary aGVsbG8=\n"),
    ("a tab indent", b"article:\n\tid: x\n"),
    ("an unknown tag", b"article: !nope x\n"),
    ("a NUL escape", b'article: {id: "\\0"}\n'),
    ("invalid UTF-8", b"article: {id: \xff}\n"),
    ("a timestamp", b"article: {published: 2018-05-14T10:00:00Z}\n"),
]


@pytest.mark.parametrize("content", [pytest.param(c, id=label) for label, c in YAML_HOSTILE])
def test_hostile_yaml_bundles_are_refused(
    client: TestClient, writer: dict[str, str], session: Session, content: bytes
) -> None:
    """422 naming the problem: the import parses YAML safely (no tags, aliases are not
    expanded into a crash, depth and huge numbers are reported, not raised). Nothing is
    written."""
    before = Unchanged(session)
    response = client.post(
        "/v1/imports", content=content, headers={**writer, "Content-Type": "application/yaml"}
    )
    body = assert_problem(response, 422)
    assert body["errors"]
    before.check()


@pytest.mark.parametrize("group", ["POST", "PATCH", "imports", "computing"])
def test_duplicate_keys_are_refused(
    client: TestClient, writer: dict[str, str], session: Session, group: str
) -> None:
    """422: an object naming a field twice is ambiguous (parsers disagree on which wins: a
    proxy may check the first, the API store the last), so it is refused, not resolved."""
    before = Unchanged(session)
    failures = {}
    if group == "imports":
        text = json.dumps(SEED)
        twice = text.replace('"version": 1', '"version": 1, "article": {"id": "x"}', 1)
        assert twice != text
        response = send_json(client, "POST", "/v1/imports", twice.encode(), writer)
        problem = mismatch(response, 422)
        if problem is not None:
            failures["imports"] = problem
    for url in COMPUTING_ENDPOINTS if group == "computing" else []:
        twice = '{"text": "He said: \\u201cyes\\u201d.", "text": "x", "language": "en"}'
        problem = mismatch(send_json(client, "POST", url, twice.encode(), {}), 422)
        if problem is not None:
            failures[url] = problem
    for kind in KINDS if group in ("POST", "PATCH") else []:
        body = valid_body(kind, group)
        first = next(iter(body))
        text = json.dumps(body)
        text = "{" + json.dumps(first) + ": " + json.dumps(body[first]) + ", " + text[1:]
        if group == "POST":  # the first "id" differs, so which one wins would matter
            text = text.replace(json.dumps(body["id"]), json.dumps(body["id"] + "-first"), 1)
        url, headers = write_target(client, writer, kind, group)
        problem = mismatch(send_json(client, group, url, text.encode(), headers), 422)
        if problem is not None:
            failures[kind] = problem
    assert not failures
    before.check()


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        None,
        "",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "application/json-patch+json",
        "text/json",
        "application/javascript",
        "*/*",
        "application/*",
        "json",
        "application/json\\",
        "application/vnd.api+json",
        "application/octet-stream",
    ],
)
def test_a_body_that_is_not_json_is_refused_with_415(
    client: TestClient, writer: dict[str, str], session: Session, content_type: str | None
) -> None:
    """415 on every write endpoint (and on the bundle import, which takes JSON or YAML), even
    though the body itself is valid JSON; nothing is written."""
    before = Unchanged(session)
    failures = {}
    for kind, method in PARSING_ENDPOINTS:
        url, headers = write_target(client, writer, kind, method)
        body = valid_body(kind, method)
        response = send_json(client, method, url, body, headers, content_type)
        problem = mismatch(response, 415)
        if problem is not None:
            failures[f"{method} {kind}"] = problem
    response = send_json(client, "POST", "/v1/imports", SEED, writer, content_type)
    problem = mismatch(response, 415)
    if problem is not None:
        failures["imports"] = problem
    for url in COMPUTING_ENDPOINTS:
        response = send_json(client, "POST", url, EXTRACTION_BODY, {}, content_type)
        problem = mismatch(response, 415)
        if problem is not None:
            failures[url] = problem
    assert not failures
    before.check()


@pytest.mark.parametrize("how", ["content-length", "streamed", "lying content-length"])
@pytest.mark.parametrize("target", ["POST article", "PATCH participant", "import", "extraction"])
def test_an_oversized_body_is_refused_with_413(
    small_client: TestClient, session: Session, writer: dict[str, str], target: str, how: str
) -> None:
    """413, whether the body says its size, is streamed without one, or claims to be small;
    nothing is written."""
    text = "A" * 2000
    small = small_client
    if target == "POST article":
        method, path = "POST", "/v1/articles"
        content = json.dumps({**create_body("article"), "text": text, "content_sha256": None})
        headers = {**writer, "Content-Type": "application/json"}
    elif target == "PATCH participant":
        method, path = "PATCH", "/v1/participants/georgia"
        content = json.dumps({"description": text})
        etag = small.get(path).headers["etag"]
        headers = {**writer, "Content-Type": "application/json", "If-Match": etag}
    elif target == "import":
        method, path = "POST", "/v1/imports"
        content = SEED_YAML
        headers = {**writer, "Content-Type": "application/yaml"}
    else:
        method, path = "POST", "/v1/extractions"
        content = json.dumps({"text": text})
        headers = {"Content-Type": "application/json"}
    raw = content.encode("utf-8")
    assert len(raw) > 1024
    header_list = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    before = Unchanged(session)
    if how == "content-length":
        response = small.request(method, path, content=raw, headers=headers)
    elif how == "streamed":
        response = asgi_request(small, method, path, b"", header_list, raw, chunk=256)
    else:
        header_list.append((b"content-length", b"10"))
        response = asgi_request(small, method, path, b"", header_list, raw, chunk=256)
    assert_problem(response, 413)
    before.check()


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "", "0x10", " 12", "9" * 40])
def test_a_malformed_content_length_is_refused(
    client: TestClient, writer: dict[str, str], session: Session, length: str
) -> None:
    """413, the body limit's answer to a Content-Length it cannot trust (app/http/body_limit.py)."""
    before = Unchanged(session)
    content = json.dumps(create_body("participant")).encode()
    headers = [
        (b"authorization", writer["Authorization"].encode()),
        (b"content-type", b"application/json"),
        (b"content-length", length.encode()),
    ]
    response = asgi_request(client, "POST", "/v1/participants", b"", headers, content, chunk=4096)
    assert_problem(response, 413)
    before.check()


def test_a_body_one_byte_over_the_default_limit_is_refused(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    """413 at 5 MB + 1 byte, with the default settings."""
    before = Unchanged(session)
    body = json.dumps({**create_body("article"), "content_sha256": None, "text": ""}).encode()
    padding = 5 * 1024 * 1024 + 1 - len(body)
    body = body.replace(b'"text": ""', b'"text": "' + b"a" * padding + b'"')
    assert len(body) == 5 * 1024 * 1024 + 1 + 0 or len(body) > 5 * 1024 * 1024
    response = send_json(client, "POST", "/v1/articles", body, writer)
    assert_problem(response, 413)
    before.check()


UNKNOWN_KEYS = ["unknown", ""]
UNKNOWN_CASES = [
    pytest.param(kind, method, path, id=f"{method}-{kind}-{dotted(path) or 'root'}")
    for kind, method in WRITE_ENDPOINTS
    for path, _ in model_paths(model_of(kind, method), valid_body(kind, method))
]


@pytest.mark.parametrize(("kind", "method", "path"), UNKNOWN_CASES)
def test_unknown_fields_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    method: str,
    path: tuple[Any, ...],
) -> None:
    """422 naming the unknown field, at the top of a body and inside every nested object
    (aliases, participants, agenda entries, evidence spans); nothing is written."""
    url, headers = write_target(client, writer, kind, method)
    before = Unchanged(session)
    failures = {}
    for key in UNKNOWN_KEYS:
        body = valid_body(kind, method)
        get_at(body, path)[key] = 1
        response = send_json(client, method, url, body, headers)
        name = dotted((*path, key))
        try:
            problem = assert_problem(response, 422)
            if name not in error_names(problem):
                failures[key] = f"{error_names(problem)}"
        except AssertionError:
            failures[key] = f"{response.status_code} {response.text[:200]}"
    assert not failures
    before.check()


def _nullable(model: type[BaseModel], path: tuple[Any, ...]) -> bool:
    """Whether null is a valid value at path (a list item or a mapping value never is)."""
    if not isinstance(path[-1], str):
        return False
    current: Any = model
    for step in path[:-1]:
        if isinstance(step, str):
            current = _nested_model(current.model_fields[step].annotation) if current else None
    if current is None or path[-1] not in current.model_fields:
        return False  # a value of a free-form mapping (external_ids)
    field = current.model_fields[path[-1]]
    not_nullable = getattr(current, "not_nullable", ())
    return type(None) in typing.get_args(field.annotation) and path[-1] not in not_nullable


WRONG_VALUES: dict[str, list[Any]] = {
    "str": [123, {}],
    "date": [1.5, []],  # (an integer is a year, as in YAML: 2018)
    "int": [1.5, "x"],
}


def _refuses_wrong_types(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    method: str,
    path: tuple[Any, ...],
    leaf: str,
) -> None:
    model = model_of(kind, method)
    values = list(WRONG_VALUES[leaf])
    # null where it is not allowed (at the top of a PATCH, see the next tests)
    if (method == "POST" or len(path) > 1) and not _nullable(model, path):
        values.append(None)
    url, headers = write_target(client, writer, kind, method)
    before = Unchanged(session)
    failures = {}
    for attempt, value in enumerate(values):
        body = valid_body(kind, method, attempt if path != ("id",) else 0)
        set_at(body, path, value)
        response = send_json(client, method, url, body, headers)
        problem = mismatch(response, 422, "body", dotted(path))
        if problem is not None:
            failures[repr(value)] = problem
    assert not failures
    before.check()


@pytest.mark.parametrize(
    ("kind", "what", "path", "leaf"), [p for p in CREATE_LEAVES if p.values[1] == "value"]
)
def test_wrong_types_in_every_create_body_field_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    what: str,
    path: tuple[Any, ...],
    leaf: str,
) -> None:
    """422 naming the field: a number or an object where a string goes; a fraction or a word
    where a count goes; null for a required field. Nothing is written."""
    _refuses_wrong_types(client, writer, session, kind, "POST", path, leaf)


@pytest.mark.parametrize(
    ("kind", "what", "path", "leaf"), [p for p in UPDATE_LEAVES if p.values[1] == "value"]
)
def test_wrong_types_in_every_update_body_field_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    what: str,
    path: tuple[Any, ...],
    leaf: str,
) -> None:
    """422 naming the field, as for creates (null at the top of a PATCH: the next test)."""
    _refuses_wrong_types(client, writer, session, kind, "PATCH", path, leaf)


@pytest.mark.parametrize("kind", KINDS)
def test_null_for_a_field_an_update_cannot_clear_is_refused_naming_it(
    client: TestClient, writer: dict[str, str], session: Session, kind: str
) -> None:
    """422 naming the field: `null` clears an optional field, but a required one (a name, a
    kind, the evidence) cannot be cleared, and the problem's `errors` must say which field."""
    model = UPDATE_MODELS[kind]
    url, headers = write_target(client, writer, kind, "PATCH")
    before = Unchanged(session)
    failures = {}
    for name in getattr(model, "not_nullable", ()):
        response = send_json(client, "PATCH", url, {name: None}, headers)
        problem = mismatch(response, 422, "body", name)
        if problem is not None:
            failures[name] = problem
    assert not failures
    before.check()


CONTAINER_CASES = [
    pytest.param(kind, method, name, id=f"{method}-{kind}-{name}")
    for kind, method in WRITE_ENDPOINTS
    for name in containers(model_of(kind, method), valid_body(kind, method))
]


@pytest.mark.parametrize(("kind", "method", "name"), CONTAINER_CASES)
def test_wrong_types_for_every_list_and_mapping_field_are_refused(
    client: TestClient,
    writer: dict[str, str],
    session: Session,
    kind: str,
    method: str,
    name: str,
) -> None:
    """422 naming the field: a string or the other container where a list (or a mapping)
    goes, and a list (mapping) of wrong items. Nothing is written."""
    url, headers = write_target(client, writer, kind, method)
    original = valid_body(kind, method)[name]
    values: list[Any] = ["x"]
    values.append({} if isinstance(original, list) else [])
    values.append([1] if isinstance(original, list) else {"wikidata": 1})
    before = Unchanged(session)
    failures = {}
    for value in values:
        body = valid_body(kind, method)
        body[name] = value
        problem = mismatch(send_json(client, method, url, body, headers), 422, "body", name)
        if problem is not None:
            failures[repr(value)] = problem
    assert not failures
    before.check()


# --- 7. POSTs that write nothing: the extraction ------------------------------------------------
#
# Its body is parsed as every write's is (the sections above send it their hostile bodies too);
# here each of its fields in turn. It needs no key where reads need none, and writes nothing.

EXTRACTION_FIELDS = {
    "text": EXTRACTION_BODY,
    "language": EXTRACTION_BODY,
    "published": EXTRACTION_BODY,
    "article_id": {"article_id": ARTICLE_ID},
}


def test_the_extraction_bodies_are_accepted(client: TestClient, session: Session) -> None:
    """The bodies corrupted below are valid as they stand, so each refusal is the corruption's."""
    before = Unchanged(session)
    for body in EXTRACTION_FIELDS.values():
        response = send_json(client, "POST", "/v1/extractions", body, {})
        assert response.status_code == 200, response.text
        assert response.json()["quotations"]
    before.check()


@pytest.mark.parametrize("name", list(EXTRACTION_FIELDS))
def test_control_characters_in_every_extraction_field_are_refused(
    client: TestClient, session: Session, name: str
) -> None:
    """422 naming the field, for C0 controls other than tab and line breaks, DEL and a lone
    surrogate, in the middle, at the start and at the end; nothing is written."""
    before = Unchanged(session)
    failures = {}
    for char in [*BODY_CONTROL, "\x01", "\x1b", "\x1f"]:
        value = EXTRACTION_FIELDS[name][name]
        for label, corrupted in (
            ("inside", insert(value, char)),
            ("first", char + value),
            ("last", value + char),
        ):
            body = {**EXTRACTION_FIELDS[name], name: corrupted}
            problem = mismatch(
                send_json(client, "POST", "/v1/extractions", body, {}), 422, "body", name
            )
            if problem is not None:
                failures[f"{char!r} {label}"] = problem
    assert not failures
    before.check()


@pytest.mark.parametrize("name", list(EXTRACTION_FIELDS))
def test_wrong_types_in_every_extraction_field_are_refused(
    client: TestClient, session: Session, name: str
) -> None:
    """422 naming the field: a number, a list, an object or a boolean where a string goes (an
    integer is a year where a date goes, as everywhere: WRONG_VALUES)."""
    before = Unchanged(session)
    failures = {}
    for value in [123, 1.5, [], ["x"], {}, True]:
        if name == "published" and value == 123:
            continue
        body = {**EXTRACTION_FIELDS[name], name: value}
        problem = mismatch(
            send_json(client, "POST", "/v1/extractions", body, {}), 422, "body", name
        )
        if problem is not None:
            failures[repr(value)] = problem
    assert not failures
    before.check()


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({**EXTRACTION_BODY, "unknown": 1}, "unknown"),
        ({**EXTRACTION_BODY, "": 1}, ""),
        ({"article_id": ARTICLE_ID, "text": None, "speaker": "x"}, "speaker"),
        ({"text": "a" * 200_001}, "text"),
        ({"text": " \n\t\r\n "}, "text"),
        ({"text": "x", "language": "ru"}, "language"),
        ({"text": "x", "language": "EN"}, "language"),
        ({"text": "x", "published": "2018-13"}, "published"),
        ({"text": "x", "published": "yesterday"}, "published"),
        ({"article_id": "../etc/passwd"}, "article_id"),
        ({"article_id": "a" * 101}, "article_id"),
    ],
    ids=[
        "unknown field",
        "empty field name",
        "unknown field with an id",
        "too long",
        "only whitespace",
        "Russian",
        "upper case EN",
        "month 13",
        "not a date",
        "a path",
        "an id too long",
    ],
)
def test_bad_extraction_fields_are_refused_naming_them(
    client: TestClient, session: Session, body: dict[str, Any], name: str
) -> None:
    """422 naming the field; nothing is written."""
    before = Unchanged(session)
    response = send_json(client, "POST", "/v1/extractions", body, {})
    if name == "":
        problem = assert_problem(response, 422)
        assert "" in error_names(problem)
    else:
        assert_names(response, "body", name)
    before.check()


def test_an_unknown_article_to_extract_from_is_a_404(client: TestClient, session: Session) -> None:
    before = Unchanged(session)
    response = send_json(client, "POST", "/v1/extractions", {"article_id": "no-such"}, {})
    assert_problem(response, 404)
    before.check()


@pytest.mark.parametrize(
    "text",
    [
        "“" * 50_000,
        "”" * 50_000,
        '"' * 50_000,
        "“a”" * 30_000,
        "He said: “" + "x " * 90_000,
        "said " * 40_000,
        "He said that " * 15_000,
        "Mr. " * 50_000,
        "\n" * 199_999 + "a",
        "‘" * 100_000,
        "On March 19 he said, “" * 8_000,
        "𝔸" * 200_000,
    ],
    ids=[
        "open marks",
        "close marks",
        "straight marks",
        "tiny quotes",
        "an unclosed quote",
        "cues",
        "reported speech",
        "titles",
        "line breaks",
        "apostrophes",
        "dated openings",
        "astral characters",
    ],
)
def test_hostile_texts_are_drafted_not_failed(
    client: TestClient, session: Session, text: str
) -> None:
    """200 (or 503 past the time bound), never a 5xx failure: pathological texts at the size
    limit; every span returned is true to the text. Nothing is written."""
    assert len(text) <= 200_000
    before = Unchanged(session)
    response = send_json(client, "POST", "/v1/extractions", {"text": text}, {})
    assert response.status_code in (200, 503), response.text[:300]
    if response.status_code == 200:
        for q in response.json()["quotations"]:
            assert text[q["start"] : q["end"]] == q["text"]
    before.check()
