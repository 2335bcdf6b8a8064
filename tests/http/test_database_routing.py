"""The write generation a write answers with, and the header a reader sends it back in."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.service import Scope
from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.config import Settings
from app.core.db import create_db_engine, migrate
from app.http.database_routing import parse_generation
from app.kinds import KINDS
from app.main import create_app
from tests.api import assert_problem, committed_key
from tests.databases import ScratchDatabases

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
