"""Clients that hold the server up: the send timeout, the per-address stream cap, the body
read timeout, and the event loop never waiting for a pooled connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from starlette.types import Message, Receive, Scope, Send

from app.core.db import (
    PoolBusy,
    create_db_engine,
    create_session_factory,
    migrate,
    without_pool_wait,
)
from app.http.body_limit import BodySizeLimitMiddleware
from app.http.dependencies import SessionDep
from app.http.routing import DatabaseRoute
from app.http.streams import StreamGuardMiddleware


def test_a_client_that_stops_reading_is_dropped_after_the_send_timeout() -> None:
    sent: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(100):
            await send({"type": "http.response.body", "body": b"x" * 10, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def stalled_send(message: Message) -> None:
        if message["type"] == "http.response.body" and len(sent) >= 3:
            await anyio.sleep(3600)  # the client stopped reading
        sent.append(message.get("body", b""))

    guarded = StreamGuardMiddleware(app, send_timeout_s=0.2, max_streams=4)
    scope = {"type": "http", "path": "/v1/export", "client": ("1.2.3.4", 1)}

    async def run() -> float:
        started = anyio.current_time()
        with anyio.fail_after(10):
            await guarded(scope, None, stalled_send)  # type: ignore[arg-type]
        return anyio.current_time() - started

    assert anyio.run(run) < 5
    assert len(sent) == 3
    assert not guarded._open  # the stream's slot is free again


def test_streams_are_capped_per_client_address() -> None:
    release = anyio.Event

    async def main() -> list[int]:
        gate = release()
        statuses: list[int] = []

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await gate.wait()
            await send({"type": "http.response.body", "body": b""})

        guarded = StreamGuardMiddleware(app, send_timeout_s=30, max_streams=2)

        async def request(address: str) -> None:
            async def send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])

            scope = {"type": "http", "path": "/v1/export", "client": (address, 1)}
            await guarded(scope, None, send)  # type: ignore[arg-type]

        async with anyio.create_task_group() as group:
            for address in ("1.1.1.1", "1.1.1.1", "1.1.1.1", "2.2.2.2"):
                group.start_soon(request, address)
                await anyio.sleep(0.05)
            gate.set()
        statuses.append(-1)
        async with anyio.create_task_group() as group:  # slots are given back
            group.start_soon(request, "1.1.1.1")
        return statuses

    statuses = anyio.run(main)
    assert sorted(statuses[:4]) == [200, 200, 200, 429]
    assert statuses[-1] == 200


def test_a_body_that_does_not_arrive_in_time_is_a_408() -> None:
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: dict[str, int]) -> dict[str, int]:
        return body

    limited = BodySizeLimitMiddleware(app, max_bytes=10_000, timeout_s=0.5)

    async def main() -> int:
        status = 0
        chunks = [b'{"a":', b" 1}"]

        async def receive() -> Message:
            if len(chunks) == 1:
                await anyio.sleep(3600)  # the client trickles
            return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/echo",
            "headers": [(b"content-type", b"application/json")],
            "query_string": b"",
        }
        with anyio.fail_after(10):
            await limited(scope, receive, send)
        return status

    assert anyio.run(main) == 408


@pytest.fixture
def one_connection(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    migrate(url)
    engine = create_db_engine(url, pool_size=1, pool_timeout_s=10)
    yield engine
    engine.dispose()


def test_a_full_pool_fails_at_once_where_waiting_is_not_allowed(one_connection: Engine) -> None:
    with one_connection.connect():
        started = time.monotonic()
        with pytest.raises(PoolBusy), without_pool_wait(), one_connection.connect():
            pass
        assert time.monotonic() - started < 1


def test_a_sqlite_read_waits_for_the_pool_in_a_thread_not_on_the_event_loop(
    one_connection: Engine,
) -> None:
    app = FastAPI()
    app.state.session_factory = create_session_factory(one_connection)
    router = APIRouter(route_class=DatabaseRoute)

    @router.get("/loop")
    async def loop() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    @router.get("/read")
    def read(session: SessionDep) -> dict[str, int]:
        session.execute(text("SELECT 1"))
        return {"thread": threading.get_ident()}

    app.include_router(router)
    with TestClient(app) as client:
        loop_thread = client.get("/loop").json()["thread"]
        assert client.get("/read").json()["thread"] == loop_thread  # a free pool: inline
        held = one_connection.connect()
        threading.Timer(1.0, held.close).start()
        response = client.get("/read")
        assert response.status_code == 200
        assert response.json()["thread"] != loop_thread
