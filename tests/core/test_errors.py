"""The problem+json error shape is pinned: every error the API returns looks like this."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.errors import PROBLEM_TYPES
from app.main import create_app
from tests.api import assert_problem

PINNED_KEYS = ["type", "title", "status", "detail", "instance"]


@pytest.mark.parametrize(
    ("method", "path", "status", "problem_type"),
    [
        ("GET", "/v1/quotations/no-such-quote", 404, "/problems/not-found"),
        ("GET", "/v1/nowhere", 404, "/problems/not-found"),
        ("GET", "/v1/quotations?cursor=not-a-cursor", 400, "/problems/invalid-cursor"),
        ("GET", "/v1/quotations?limit=500", 422, "/problems/validation-failed"),
        ("PUT", "/healthz", 405, "/problems/method-not-allowed"),
    ],
)
def test_error_shape(
    client: TestClient, method: str, path: str, status: int, problem_type: str
) -> None:
    response = client.request(method, path)
    body = assert_problem(response, status)
    expected_keys = [*PINNED_KEYS, "errors"] if status == 422 else PINNED_KEYS
    assert list(body) == expected_keys
    assert body["type"] == problem_type
    assert body["instance"] == path.split("?")[0]
    assert body["detail"]
    assert response.headers["cache-control"] == "no-store"
    # The problem type URI documents itself.
    described = client.get(problem_type)
    assert described.status_code == 200
    assert described.json()["type"] == problem_type


def test_a_422_names_every_bad_parameter(client: TestClient) -> None:
    response = client.get("/v1/quotations", params={"limit": 0, "kind": "shouted", "speakr": "x"})
    body = assert_problem(response, 422)
    named = {(error["location"], error["name"]) for error in body["errors"]}
    assert {("query", "limit"), ("query", "kind"), ("query", "speakr")} <= named
    for error in body["errors"]:
        assert list(error) == ["location", "name", "message"]
        assert error["message"]


def test_every_problem_type_is_documented(client: TestClient) -> None:
    for slug, (title, description) in PROBLEM_TYPES.items():
        response = client.get(f"/problems/{slug}")
        assert response.status_code == 200
        assert response.json() == {
            "type": f"/problems/{slug}",
            "title": title,
            "description": description,
        }
    assert_problem(client.get("/problems/no-such-problem"), 404)


def test_an_unexpected_error_is_a_500_problem_that_reveals_nothing(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))  # its own: a route is added to it

    @app.get("/boom")
    def boom() -> dict[str, Any]:
        raise RuntimeError("secret connection string postgres://user:pw@host")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    body = assert_problem(response, 500)
    assert "secret" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert body["type"] == "/problems/internal-error"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-directory/newsfacts.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/newsfacts?connect_timeout=2",
    ],
    ids=["sqlite-unopenable", "postgresql-closed-port"],
)
def test_an_unreachable_database_is_a_503_problem(url: str) -> None:
    app = create_app(Settings(database_url=url))
    with TestClient(app, raise_server_exceptions=False) as client:
        ready = client.get("/readyz")
        assert_problem(ready, 503)
        assert "retry-after" in ready.headers
        listed = client.get("/v1/quotations")
        body = assert_problem(listed, 503)
        assert "127.0.0.1" not in listed.text
        assert body["type"] == "/problems/service-unavailable"
        assert client.get("/healthz").status_code == 200
