"""The write generation a write answers with, and the header a reader sends it back in."""

from __future__ import annotations

import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.auth.service import Scope
from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core import replicas
from app.core.config import Settings
from app.core.db import create_db_engine, migrate
from app.core.replicas import Replica, ReplicaState
from app.http.database_routing import parse_generation
from app.kinds import KINDS
from app.main import create_app
from tests.api import assert_problem, committed_key
from tests.databases import ScratchDatabases
from tests.live import free_port

ARTICLE_ID = "lukashenka-putin-sochi-2018"


def test_each_write_answers_with_the_generation_it_made(
    backend: str, scratch_databases: ScratchDatabases
) -> None:
    # A database of its own: these writes commit, and the shared seeded one must stay as seeded.
    database_url = scratch_databases.create(backend)
    migrate(database_url)
    engine = create_db_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
    finally:
        engine.dispose()
    writer = committed_key(database_url, "generation-writer", (Scope.WRITE,))
    settings = Settings(database_url=database_url, rate_limit_per_minute=0)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        made = []
        for number in range(2):
            record_id = f"generation-{number}-{uuid.uuid4().hex[:8]}"
            created = client.post(
                "/v1/participants",
                json={
                    "id": record_id,
                    "name": "Generation",
                    "kind": "group",
                    "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
                },
                headers=writer,
            )
            assert created.status_code == 201, created.text
            made.append(int(created.headers["newsfacts-generation"]))
        assert made[1] == made[0] + 1  # writers are serialized: one generation each
        # A refused write made nothing, and says no generation.
        refused = client.post("/v1/participants", json={}, headers=writer)
        assert refused.status_code == 422
        assert "newsfacts-generation" not in refused.headers
        # A read may send it back (without replicas it changes nothing); junk is a 400.
        read = client.get("/v1/participants", headers={"Newsfacts-Generation": str(made[1])})
        assert read.status_code == 200
        assert "newsfacts-database" not in read.headers
        assert_problem(client.get("/v1/articles", headers={"Newsfacts-Generation": "-1"}), 400)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("0", 0), (" 42 ", 42), (str(2**63 - 1), 2**63 - 1)]
)
def test_generations_parse(value: str | None, expected: int | None) -> None:
    assert parse_generation(value) == expected


@pytest.mark.parametrize("value", ["", "x", "-1", "1.5", "٣", str(2**63)])
def test_other_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r".*"):
        parse_generation(value)


def _replica_app(
    database_url: str, replica_url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[TestClient, Replica]:
    """An app with one replica at replica_url, taken for up to date and never checked again."""
    monkeypatch.setattr(replicas, "CHECK_INTERVAL_S", float("inf"))
    settings = Settings(
        database_url=database_url, database_replica_urls=[replica_url], rate_limit_per_minute=0
    )
    app = create_app(settings)
    replica = app.state.replicas.replicas[0]
    replica.state = ReplicaState("ok", 0.0, 0, time.monotonic())
    return TestClient(app), replica


def test_a_read_whose_replica_fails_is_answered_by_the_primary(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("replicas are PostgreSQL servers: this is the SQLite run")
    nobody = make_url(database_url).set(port=free_port()).render_as_string(hide_password=False)
    client, replica = _replica_app(database_url, nobody, monkeypatch)
    with client:
        # Picked while it looked up, the replica refuses the connection: not a 503, the primary.
        read = client.get("/v1/articles")
        assert read.status_code == 200, read.text
        assert read.headers["newsfacts-database"] == "primary"
        assert replica.state.status == "down"
        assert client.get("/v1/articles").headers["newsfacts-database"] == "primary"
        # An export reads its batches from the chosen replica too, and falls back the same way.
        replica.state = ReplicaState("ok", 0.0, 0, time.monotonic())
        exported = client.get("/v1/export", params={"kind": "issues"})
        assert exported.status_code == 200, exported.text
        assert exported.headers["newsfacts-database"] == "primary"
        assert exported.text.count("\n") == len(client.get("/v1/issues").json()["items"])
        assert replica.state.status == "down"


def test_a_stale_pooled_replica_connection_does_not_take_the_replica_down(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("replicas are PostgreSQL servers: this is the SQLite run")
    # The primary's own database stands for a replica: what matters is its engine's pool.
    client, replica = _replica_app(database_url, database_url, monkeypatch)
    with client:
        assert client.get("/v1/articles").headers["newsfacts-database"] == "replica-1"
        with replica.engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        primary = create_db_engine(database_url)
        try:
            with primary.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            primary.dispose()
        # The checkout's ping finds the pooled connection dead and opens another: no failure.
        again = client.get("/v1/articles")
        assert again.status_code == 200
        assert again.headers["newsfacts-database"] == "replica-1"
        assert replica.state.status == "ok"
