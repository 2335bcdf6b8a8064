"""Liveness and readiness."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app
from tests.api import assert_problem
from tests.databases import ScratchDatabases


def test_healthz_is_alive_and_not_cached(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_reports_the_migrated_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert response.json()["database_revision"]


def test_readyz_is_503_on_an_unmigrated_database(
    backend: str, scratch_databases: ScratchDatabases
) -> None:
    url = scratch_databases.create(backend)
    with TestClient(create_app(Settings(database_url=url))) as client:
        body = assert_problem(client.get("/readyz"), 503)
    assert "migrat" in body["detail"]
