"""GET /v1/export: whole kinds streamed as NDJSON or CSV, in bounded chunks."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from starlette.types import Message, Receive, Scope, Send

from app.changes.service import canonical_states
from app.exports.router import SEND_PIECE
from app.exports.service import BATCH_SIZE, ExportKind, csv_columns, record_kind
from app.http.database_routing import GENERATION_HEADER
from app.kinds import KINDS
from app.models.evidence import EvidenceSpan
from app.models.kind import RecordKind
from app.models.quotation import Quotation, QuotationIssue
from tests.api import assert_problem

EXPORT_KINDS = [kind.value for kind in ExportKind]
ARTICLE_ID = "lukashenka-putin-sochi-2018"


def all_states(session: Session, kind: ExportKind) -> list[dict[str, Any]]:
    """Every canonical state of the kind, in the database's id order."""
    spec = KINDS[record_kind(kind)]
    ids = list(session.scalars(select(spec.model.id).order_by(spec.model.id)))
    states = canonical_states(session, KINDS, spec.kind, ids)
    return [states[i] for i in ids]


def ndjson(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.splitlines()]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def split_list(cell: str) -> list[str]:
    """The items of a `|`-joined cell (`\\` escapes)."""
    items, current, escaped = [], "", False
    for char in cell:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            items.append(current)
            current = ""
        else:
            current += char
    return [*items, current] if cell else []


class BodyCounter:
    """An ASGI wrapper that records each body chunk the app sends."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.chunks: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                self.chunks.append(message["body"])
            await send(message)

        await self.app(scope, receive, counting_send)


@pytest.fixture
def counted(app: FastAPI) -> Iterator[tuple[TestClient, BodyCounter]]:
    counter = BodyCounter(app)
    with TestClient(counter, raise_server_exceptions=False) as client:
        yield client, counter


def insert_quotations(session: Session, count: int) -> list[str]:
    """Insert `count` quotations of the seed speaker, each with an issue and two spans."""
    ids = [f"bulk-quotation-{n:05d}" for n in range(count)]
    session.execute(
        insert(Quotation),
        [
            {
                "id": quotation_id,
                "article_id": ARTICLE_ID,
                "speaker_id": "alyaksandr-lukashenka",
                "text": f'Quote {n}, with "quotes", commas\nand a | bar',
                "kind": "direct",
                "said_on": None,
                "said_on_precision": None,
                "event_id": None,
                "audience_id": None,
            }
            for n, quotation_id in enumerate(ids)
        ],
    )
    session.execute(
        insert(QuotationIssue),
        [{"quotation_id": i, "issue_id": "food-supplies-to-russia"} for i in ids],
    )
    session.execute(
        insert(EvidenceSpan),
        [
            {"article_id": ARTICLE_ID, "start": start, "end": start + 5, "quotation_id": i}
            for n, i in enumerate(ids)
            for start in (n % 100, n % 100 + 10)
        ],
    )
    session.flush()
    return ids


# --- what is exported ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORT_KINDS)
def test_ndjson_lines_are_the_canonical_states(
    client: TestClient, session: Session, kind: str
) -> None:
    response = client.get("/v1/export", params={"kind": kind})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = ndjson(response.text)
    assert lines == all_states(session, ExportKind(kind))
    assert lines, "the seed has records of every kind"


@pytest.mark.parametrize("kind", EXPORT_KINDS)
def test_csv_has_the_documented_columns(client: TestClient, session: Session, kind: str) -> None:
    response = client.get("/v1/export", params={"kind": kind, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    raw = response.content.decode("utf-8")
    assert raw.split("\r\n", 1)[0] == ",".join(csv_columns(KINDS, ExportKind(kind)))
    assert raw.endswith("\r\n")
    rows = csv_rows(raw)
    states = all_states(session, ExportKind(kind))
    assert [row["id"] for row in rows] == [state["id"] for state in states]
    for row, state in zip(rows, states, strict=True):
        for column in csv_columns(KINDS, ExportKind(kind)):
            value = state[column]
            if value is None:
                assert row[column] == ""
            elif isinstance(value, str):
                assert row[column] == value
        if "evidence" in state:
            assert split_list(row["evidence"]) == [
                f"{span['article_id']}:{span['start']}:{span['end']}" for span in state["evidence"]
            ]


def test_csv_lists_and_quoting(client: TestClient, session: Session) -> None:
    [quotation_id] = insert_quotations(session, 1)
    response = client.get("/v1/export", params={"kind": "quotations", "format": "csv"})
    [row] = [r for r in csv_rows(response.text) if r["id"] == quotation_id]
    assert row["text"] == 'Quote 0, with "quotes", commas\nand a | bar'  # RFC 4180 quoting
    assert '"Quote 0, with ""quotes"", commas\nand a | bar"' in response.text
    assert split_list(row["issue_ids"]) == ["food-supplies-to-russia"]
    assert split_list(row["evidence"]) == [f"{ARTICLE_ID}:0:5", f"{ARTICLE_ID}:10:15"]
    participants = csv_rows(
        client.get("/v1/export", params={"kind": "participants", "format": "csv"}).text
    )
    putin = next(r for r in participants if r["id"] == "vladimir-putin")
    assert "ru:Путин" in split_list(putin["aliases"])
    assert split_list(putin["external_ids"]) == ["wikidata:Q7747"]
    events = csv_rows(client.get("/v1/export", params={"kind": "events", "format": "csv"}).text)
    assert any("russia:host" in split_list(event["participants"]) for event in events), (
        "participant_id:role items"
    )


def test_a_new_record_is_exported_as_the_change_feed_records_it(
    client: TestClient, writer: dict[str, str]
) -> None:
    created = client.post(
        "/v1/issues",
        headers=writer,
        json={
            "id": "export-feed-issue",
            "title": "Exported | issue",
            "category": "trade",
            "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
        },
    )
    assert created.status_code == 201, created.text
    changes = client.get("/v1/changes", params={"kind": "issue", "limit": 100}).json()["items"]
    after = next(c["after"] for c in changes if c["id"] == "export-feed-issue")
    lines = ndjson(client.get("/v1/export", params={"kind": "issues"}).text)
    assert next(line for line in lines if line["id"] == "export-feed-issue") == after
    rows = csv_rows(client.get("/v1/export", params={"kind": "issues", "format": "csv"}).text)
    row = next(r for r in rows if r["id"] == "export-feed-issue")
    assert row["title"] == "Exported | issue"  # only list cells are joined


# --- streaming ----------------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["ndjson", "csv"])
def test_thousands_of_rows_stream_in_bounded_chunks(
    counted: tuple[TestClient, BodyCounter], session: Session, export_format: str
) -> None:
    client, counter = counted
    inserted = insert_quotations(session, 2_600)
    total = session.scalar(select(func.count()).select_from(Quotation))
    assert total is not None
    assert total >= 2_600
    response = client.get("/v1/export", params={"kind": "quotations", "format": export_format})
    assert response.status_code == 200
    if export_format == "ndjson":
        ids = [line["id"] for line in ndjson(response.text)]
        per_chunk = [chunk.count(b"\n") for chunk in counter.chunks]
    else:
        ids = [row["id"] for row in csv_rows(response.text)]
        per_chunk = [chunk.count(b"\r\n") for chunk in counter.chunks]  # texts hold \n only
    assert len(ids) == total
    assert set(inserted) <= set(ids)
    assert len(set(ids)) == len(ids)
    # Each batch of ids is sent in pieces of at most SEND_PIECE bytes: the body is never
    # assembled in memory.
    assert len(counter.chunks) >= math.ceil(total / BATCH_SIZE)
    assert max(len(chunk) for chunk in counter.chunks) <= SEND_PIECE
    assert max(per_chunk) <= BATCH_SIZE + 1  # + the CSV header in the first chunk
    assert max(len(chunk) for chunk in counter.chunks) < len(response.content) / 4


def test_exports_are_streamed_without_an_etag(client: TestClient) -> None:
    response = client.get("/v1/export", params={"kind": "events"})
    assert "etag" not in response.headers
    assert "content-length" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == (
        'attachment; filename="newsfacts-events.ndjson"'
    )
    assert response.headers["x-request-id"]
    again = client.get("/v1/export", params={"kind": "events"}, headers={"If-None-Match": "*"})
    assert again.status_code == 200
    csv_response = client.get("/v1/export", params={"kind": "issues", "format": "csv"})
    assert csv_response.headers["content-disposition"] == (
        'attachment; filename="newsfacts-issues.csv"'
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "changes"},
        {"kind": "quotations", "format": "xml"},
        {"kind": "quotations", "limit": "10"},
    ],
)
def test_bad_parameters_are_a_422(client: TestClient, params: dict[str, str]) -> None:
    assert_problem(client.get("/v1/export", params=params), 422)


def test_an_export_holds_no_connection_while_a_batch_is_sent(
    database_url: str, engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the test's session: each batch is read in a session of its own, closed before
    the batch is sent, so a client that stops reading holds no connection or transaction."""
    from app.core.config import Settings
    from app.exports import service
    from app.main import create_app

    monkeypatch.setattr(service, "BATCH_SIZE", 2)
    with Session(engine) as session:
        expected = all_states(session, ExportKind.PARTICIPANTS)
    assert len(expected) > 4
    app = create_app(Settings(database_url=database_url, read_cache_entries=0))
    checked_out: list[int] = []

    async def watching(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_watched(message: Message) -> None:
            if message["type"] == "http.response.body":
                checked_out.append(app.state.engine.pool.checkedout())
            await send(message)

        await app(scope, receive, send_watched)

    with TestClient(watching) as client:
        response = client.get("/v1/export", params={"kind": "participants"})
    assert response.status_code == 200
    assert ndjson(response.text) == expected
    assert len(checked_out) > 2
    assert set(checked_out) == {0}


def test_a_database_down_before_the_first_batch_is_a_503_problem(tmp_path: Any) -> None:
    from app.core.config import Settings
    from app.main import create_app

    unreachable = f"sqlite:///{tmp_path / 'no-such-directory' / 'newsfacts.db'}"
    with TestClient(create_app(Settings(database_url=unreachable))) as client:
        response = client.get("/v1/export", params={"kind": "quotations"})
    assert_problem(response, 503)
    assert "content-disposition" not in response.headers


def test_the_read_key_applies(database_url: str, session: Session) -> None:
    from app.core.config import Settings
    from app.http.dependencies import get_session
    from app.main import create_app
    from tests.api import request_transaction

    app = create_app(Settings(database_url=database_url, require_read_key=True))
    app.dependency_overrides[get_session] = request_transaction(session)
    with TestClient(app) as client:
        assert_problem(client.get("/v1/export", params={"kind": "issues"}), 401)


def test_openapi_declares_both_media_types(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/export"]["get"]
    assert operation["operationId"] == "exportRecords"
    ok = operation["responses"]["200"]
    assert set(ok["content"]) == {"application/x-ndjson", "text/csv"}
    assert "Content-Disposition" in ok["headers"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"kind", "format", GENERATION_HEADER}  # read your own writes
    assert parameters["kind"]["required"] is True
    for status in ("422", "500", "503"):
        assert list(operation["responses"][status]["content"]) == ["application/problem+json"]


def test_record_kinds_cover_the_change_feed() -> None:
    assert {record_kind(kind) for kind in ExportKind} == set(RecordKind)
