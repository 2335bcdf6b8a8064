"""The read cache serves repeated reads until a write commits, in this worker or another."""

from __future__ import annotations

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as AsgiScope

from app.auth.service import Scope, create_key
from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.config import Settings
from app.core.db import create_db_engine, migrate
from app.http.read_cache import ReadCacheMiddleware
from app.kinds import KINDS
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
        load_bundles(session, seed_bundle_paths(), kinds=KINDS)
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


def _asgi_get(path: str) -> AsgiScope:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
    }


async def _call(middleware: ReadCacheMiddleware, path: str) -> tuple[int, bytes]:
    messages: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        messages.append(message)

    await middleware(_asgi_get(path), receive, send)
    return messages[0]["status"], b"".join(m.get("body", b"") for m in messages[1:])


def _slow_app(calls: list[str], status: int) -> ASGIApp:
    async def app(scope: AsgiScope, _receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        await anyio.sleep(0.05)  # long enough for the other requests to arrive meanwhile
        body = f"answer {len(calls)}".encode()
        headers = [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


@pytest.mark.parametrize("status", [200, 404])
def test_concurrent_misses_compute_an_answer_once(engine: Engine, status: int) -> None:
    """Single flight: ten requests for one uncached URL run the app once, and all get its
    answer; an answer that is not cached (not a 200) is computed for each of them."""
    calls: list[str] = []
    middleware = ReadCacheMiddleware(
        _slow_app(calls, status), engine=engine, max_entries=10, max_bytes=1 << 20
    )
    answers: list[tuple[int, bytes]] = []

    async def main() -> None:
        async def one() -> None:
            answers.append(await _call(middleware, "/v1/participants"))

        async with anyio.create_task_group() as group:
            for _ in range(10):
                group.start_soon(one)

    anyio.run(main)
    assert len(answers) == 10
    assert {code for code, _ in answers} == {status}
    if status == 200:
        assert calls == ["/v1/participants"]
        assert {body for _, body in answers} == {b"answer 1"}
    else:
        assert len(calls) == 10
    assert middleware._computing == {}  # nothing left waiting
