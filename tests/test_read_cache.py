"""The read cache serves repeated reads until a write commits, in this worker or another."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.service import Scope, create_key
from app.config import Settings
from app.db import create_db_engine, migrate
from app.fixtures.loader import load_fixtures, seed_fixture_paths
from app.main import create_app
from tests.databases import ScratchDatabases

PATH = "/v1/participants/vladimir-putin"


def test_a_cached_read_ends_with_any_committed_write(
    backend: str, scratch_databases: ScratchDatabases
) -> None:
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    with Session(engine) as session, session.begin():
        load_fixtures(session, seed_fixture_paths())
        _, key = create_key(session, "cache-test", [Scope.WRITE])
    engine.dispose()
    writer = {"Authorization": f"Bearer {key}"}
    settings = Settings(database_url=url, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        first = one.get(PATH)
        assert first.headers["x-cache"] == "miss"
        again = one.get(PATH)
        assert again.headers["x-cache"] == "hit"
        assert again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
        assert one.get(PATH, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        # A write through the *other* app (another worker) commits: the next read is fresh.
        changed = two.patch(
            PATH,
            json={"title": "President of Russia (cache test)"},
            headers={**writer, "If-Match": first.headers["etag"]},
        )
        assert changed.status_code == 200, changed.text
        fresh = one.get(PATH)
        assert fresh.headers["x-cache"] == "miss"
        assert fresh.json()["title"] == "President of Russia (cache test)"
        # Requests with a key, and the change feed, are never cached.
        assert "x-cache" not in one.get(PATH, headers=writer).headers
        assert "x-cache" not in one.get("/v1/changes").headers
        # A refused write commits nothing, so the cache stays valid.
        refused = two.patch(PATH, json={"title": "x"}, headers={**writer, "If-Match": '"stale"'})
        assert refused.status_code == 412
        assert one.get(PATH).headers["x-cache"] == "hit"


def test_the_cache_can_be_turned_off(database_url: str) -> None:
    settings = Settings(database_url=database_url, read_cache_entries=0)
    with TestClient(create_app(settings)) as client:
        assert "x-cache" not in client.get(PATH).headers
