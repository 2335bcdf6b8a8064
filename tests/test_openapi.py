"""The OpenAPI document: complete, readable in generated clients, with true examples."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.build import OPENAPI_PATH, render_document
from app.core.config import Settings
from app.http.database_routing import DATABASE_HEADER, GENERATION_HEADER
from app.main import create_app
from app.openapi_examples import EXAMPLE_REQUESTS, example_from_response, load_examples

READ_OPERATIONS = {
    "listArticles",
    "getArticle",
    "listParticipants",
    "getParticipant",
    "listParticipantQuotations",
    "listEvents",
    "getEvent",
    "getEventAgenda",
    "listEventQuotations",
    "listIssues",
    "getIssue",
    "listIssueQuotations",
    "listQuotations",
    "getQuotation",
    "getHealth",
    "getReadiness",
    "getProblemType",
}
# POSTs that write nothing: guarded as reads are (a key only where reads need one).
COMPUTING_OPERATIONS = {"extractQuotations"}


# Health, readiness and problem types answer without a key in every deployment.
PUBLIC_ALWAYS = {"getHealth", "getReadiness", "getProblemType"}


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_every_operation_is_documented(document: dict[str, Any]) -> None:
    seen = set()
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        assert re.fullmatch(r"[a-z]+[A-Za-z]*", operation["operationId"]), where
        seen.add(operation["operationId"])
        assert operation.get("summary"), where
        assert operation.get("description"), where
        assert operation.get("tags"), where
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), f"{where} parameter {parameter['name']}"
    assert seen >= READ_OPERATIONS


def test_every_error_status_is_a_declared_problem(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert "500" in responses, f"{method} {path}"
        # Parameters FastAPI validates (422); the generation header is checked before (400).
        if any(p["name"] != GENERATION_HEADER for p in operation.get("parameters", [])):
            assert "422" in responses, f"{method} {path}"
        for status, response in responses.items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (path, status)
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema["$ref"].endswith("/Problem")


def test_every_operation_documents_the_read_your_writes_headers(
    client: TestClient, document: dict[str, Any]
) -> None:
    """app.http.database_routing: a read takes the generation a client has seen (400 when it
    is not one) and names the database that served it; a write names the generation it made."""
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        successes = [r for s, r in operation["responses"].items() if s.startswith("2")]
        assert successes, where
        if method in ("get", "head"):
            parameters = {p["name"]: p for p in operation.get("parameters", [])}
            assert parameters[GENERATION_HEADER]["in"] == "header", where
            assert "400" in operation["responses"], where
            assert all(DATABASE_HEADER in r["headers"] for r in successes), where
        else:
            assert all(GENERATION_HEADER in r["headers"] for r in successes), where
    malformed = client.get("/v1/quotations", headers={GENERATION_HEADER: "yesterday"})
    assert malformed.status_code == 400
    assert malformed.headers["content-type"] == "application/problem+json"


def test_examples_are_what_the_api_answers(client: TestClient, document: dict[str, Any]) -> None:
    examples = load_examples()
    assert set(examples) == set(EXAMPLE_REQUESTS)
    documented = {
        operation["operationId"]: operation["responses"]["200"]["content"]["application/json"]
        for _, _, operation in operations(document)
        if "application/json" in operation["responses"].get("200", {}).get("content", {})
    }
    for operation_id, path in EXAMPLE_REQUESTS.items():
        response = client.get(path)
        assert response.status_code == 200, path
        live = example_from_response(operation_id, response.json())
        assert examples[operation_id] == live, f"{operation_id}: run `make examples`"
        assert documented[operation_id]["example"] == examples[operation_id]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_interactive_docs_are_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "openapi.json" in response.text


def test_the_committed_openapi_json_is_the_apps() -> None:
    """openapi.json (in the repository root) is what create_app() documents."""
    committed = OPENAPI_PATH.read_text(encoding="utf-8") if OPENAPI_PATH.exists() else ""
    current = committed == render_document()  # a bool: no 300 kB diff in the report
    assert current, "openapi.json differs from the app's OpenAPI document: run `make openapi`"


@pytest.mark.parametrize("require_read_key", [False, True])
def test_reads_document_a_key_only_where_one_is_needed(
    database_url: str, require_read_key: bool
) -> None:
    """Reads carry the key dependency, and so `security` and 401/403, only in a deployment
    whose reads need a key (an extraction, a POST that writes nothing, too); writes need one
    in every deployment."""
    app = create_app(Settings(database_url=database_url, require_read_key=require_read_key))
    document = app.openapi()  # with read keys, /openapi.json itself needs one
    reads = [
        op
        for _, method, op in operations(document)
        if method == "get" or op["operationId"] in COMPUTING_OPERATIONS
    ]
    read_ops = [
        op
        for op in reads
        if op["operationId"] in (READ_OPERATIONS | COMPUTING_OPERATIONS) - PUBLIC_ALWAYS
    ]
    assert {op["operationId"] for op in read_ops} > COMPUTING_OPERATIONS
    for operation in read_ops:
        documented = {"security" in operation, "401" in operation["responses"]}
        assert documented == {require_read_key}, operation["operationId"]
    writes = [
        op
        for _, method, op in operations(document)
        if method in ("post", "patch") and op["operationId"] not in COMPUTING_OPERATIONS
    ]
    assert writes
    assert all("security" in op and "401" in op["responses"] for op in writes)
