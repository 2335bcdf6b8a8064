"""Read replicas, against a real streaming replica of the test server (tests/replica.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.auth.service import Scope
from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.config import Settings
from app.core.db import create_db_engine, migrate, read_generation
from app.kinds import KINDS
from app.main import create_app
from tests.api import assert_problem, committed_key
from tests.databases import ScratchDatabases
from tests.live import free_port
from tests.replica import streaming_replica, wait_for_database

pytestmark = pytest.mark.slow

ARTICLE_ID = "lukashenka-putin-sochi-2018"
GENERATION = "newsfacts-generation"
SERVED_BY = "newsfacts-database"


def participant(record_id: str) -> dict[str, Any]:
    return {
        "id": record_id,
        "name": record_id.replace("-", " ").title(),
        "kind": "group",
        "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
    }


def eventually(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Wait until condition() holds (the replica replays and is re-checked on its own time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def seeded(url: str) -> Engine:
    migrate(url)
    engine = create_db_engine(url)
    with Session(engine) as session, session.begin():
        load_bundles(session, seed_bundle_paths(), kinds=KINDS)
    return engine


def test_reads_use_a_live_replica_and_a_client_reads_its_own_writes(
    scratch_databases: ScratchDatabases,
) -> None:
    with streaming_replica() as replica:
        url = scratch_databases.create("postgresql")
        engine = seeded(url)
        writer = committed_key(url, "replica-writer", (Scope.WRITE,))
        name = str(make_url(url).database)
        wait_for_database(replica, name, read_generation(engine))
        engine.dispose()
        nobody = make_url(url).set(port=free_port()).render_as_string(hide_password=False)
        settings = Settings(
            database_url=url,
            database_replica_urls=[replica.url(name), nobody],
            replica_max_lag_s=1.0,
            rate_limit_per_minute=0,
        )
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:

            def replica_status() -> dict[str, Any]:
                ready = client.get("/readyz")
                assert ready.status_code == 200, ready.text  # the primary serves: ready
                replicas: list[dict[str, Any]] = ready.json()["replicas"]
                assert [r["name"] for r in replicas] == ["replica-1", "replica-2"]
                assert replicas[1] == {
                    "name": "replica-2",
                    "status": "down",
                    "lag_s": None,
                    "generation": None,
                }
                return replicas[0]

            first = replica_status()  # /readyz checks the replicas there and then
            assert first["status"] == "ok"
            assert first["lag_s"] <= 1.0

            # Reads go to the replica that is up; the change feed to the primary.
            listed = client.get("/v1/participants")
            assert listed.status_code == 200
            assert listed.headers[SERVED_BY] == "replica-1"
            assert client.get("/v1/changes").headers[SERVED_BY] == "primary"
            assert_problem(client.get("/v1/participants", headers={GENERATION: "x"}), 400)

            # A write goes to the primary and says which generation it made.
            created = client.post(
                "/v1/participants", json=participant("replica-reader"), headers=writer
            )
            assert created.status_code == 201, created.text
            made = int(created.headers[GENERATION])
            assert made > first["generation"]
            assert SERVED_BY not in created.headers

            # Reading with that generation: never an older state, from whichever database.
            served: list[str] = []

            def read_own_write() -> bool:
                read = client.get(
                    "/v1/participants/replica-reader", headers={GENERATION: str(made)}
                )
                assert read.status_code == 200, (read.headers.get(SERVED_BY), read.text)
                served.append(read.headers[SERVED_BY])
                return served[-1] == "replica-1"

            eventually(read_own_write, "the replica never caught up with the write")

            # A replica that stops replaying falls behind: readers of the newer write get
            # the primary at once, and once past the lag limit nobody reads from it.
            replica.sql("SELECT pg_wal_replay_pause()")
            try:
                second = client.post(
                    "/v1/participants", json=participant("paused-reader"), headers=writer
                )
                assert second.status_code == 201, second.text
                newer = int(second.headers[GENERATION])
                own = client.get("/v1/participants/paused-reader", headers={GENERATION: str(newer)})
                assert own.status_code == 200
                assert own.headers[SERVED_BY] == "primary"
                eventually(
                    lambda: replica_status()["status"] == "lagging",
                    "a paused replica was not reported lagging",
                )
                lagging = replica_status()
                assert lagging["lag_s"] > 1.0
                assert lagging["generation"] < newer
                assert client.get("/v1/participants").headers[SERVED_BY] == "primary"
            finally:
                replica.sql("SELECT pg_wal_replay_resume()")
            eventually(lambda: replica_status()["status"] == "ok", "the replica did not recover")
            eventually(
                lambda: client.get("/v1/participants").headers[SERVED_BY] == "replica-1",
                "reads did not return to the replica",
            )


def test_a_down_replica_is_skipped_and_the_service_stays_ready(database_url: str) -> None:
    # A replica URL where nothing listens: reads fall back to the primary.
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("replicas are PostgreSQL servers: this is the SQLite run")
    nobody = make_url(database_url).set(port=free_port()).render_as_string(hide_password=False)
    settings = Settings(database_url=database_url, database_replica_urls=[nobody])
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["replicas"][0]["status"] == "down"
        for _ in range(3):
            answer = client.get("/v1/articles")
            assert answer.status_code == 200
            assert answer.headers[SERVED_BY] == "primary"
