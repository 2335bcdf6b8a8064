"""A read cache: whole GET responses, reused until any write commits.

Every write transaction increments `data_generation` (app.core.db.lock_for_writes), so each request
reads the generation (one primary-key lookup) and looks its answer up under it: a cached answer
is never served after a write has committed, by this worker or any other. Only anonymous reads
of /v1 and article pages are cached, and only while reads need no key. The key holds every
input that can change the answer: the path and query, Accept, and the scheme, host and root path
that links and JSON-LD ids are built from (the scheme is what the server believed: a forwarded
X-Forwarded-Proto only from NEWSFACTS_TRUSTED_PROXIES).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import anyio
from anyio import to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.db import PoolBusy, read_generation, read_generation_on_loop, without_pool_wait
from app.http.database_routing import routed_database

CACHED_PREFIXES = ("/v1/", "/articles/")
UNCACHED_PREFIXES = ("/v1/changes", "/v1/export")
MAX_CACHED_BODY = 1024 * 1024
CACHE_HEADER = "X-Cache"


class ReadCacheMiddleware:
    """Caches 200 answers to anonymous GETs under /v1, keyed by the data generation."""

    def __init__(
        self,
        app: ASGIApp,
        engine: Engine,
        max_entries: int,
        max_bytes: int,
        read_engine: AsyncEngine | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.read_engine = read_engine  # PostgreSQL: the generation is read on the event loop
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[Any, ...], tuple[list[tuple[bytes, bytes]], bytes]] = (
            OrderedDict()
        )
        self._bytes = 0
        self._computing: dict[tuple[Any, ...], anyio.Event] = {}
        # A SQLite lookup of one row takes microseconds: no need to leave the event loop.
        self._inline = engine.dialect.name == "sqlite"

    def _cacheable(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        return (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and path.startswith(CACHED_PREFIXES)
            and not path.startswith(UNCACHED_PREFIXES)
            and "authorization" not in Headers(scope=scope)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        # The generation of the database that will answer: a replica's may be behind.
        replica = routed_database(scope)
        engine = replica.engine if replica is not None else self.engine
        read_engine = replica.read_engine if replica is not None else self.read_engine
        try:
            generation = None
            if read_engine is not None:
                generation = await read_generation_on_loop(read_engine)
            elif self._inline and replica is None:
                try:
                    with without_pool_wait():  # the event loop never waits for the pool
                        generation = read_generation(engine)
                except PoolBusy:
                    pass
            if generation is None:
                generation = await to_thread.run_sync(read_generation, engine)
        except SQLAlchemyError:
            await self.app(scope, receive, send)  # the app answers with its own 503
            return
        request_headers = Headers(scope=scope)
        key = (
            generation,
            scope.get("scheme", "http"),
            scope.get("root_path", ""),
            scope["path"],
            scope.get("query_string", b""),
            request_headers.get("accept", "*/*"),  # no Accept header means any type
            request_headers.get("host", ""),  # links and JSON-LD ids use it when no base URL is set
        )
        if await self._send_hit(key, send):
            return
        computing = self._computing.get(key)
        if computing is not None:
            # Single flight: another request is computing this answer (the herd that follows
            # a write, or a cold start); wait for it rather than run the same queries again.
            await computing.wait()
            if not await self._send_hit(key, send):  # it was not cacheable: answer it here
                await self._compute(key, scope, receive, send)
            return
        done = self._computing[key] = anyio.Event()
        try:
            await self._compute(key, scope, receive, send)
        finally:
            del self._computing[key]
            done.set()

    async def _send_hit(self, key: tuple[Any, ...], send: Send) -> bool:
        hit = self._entries.get(key)
        if hit is None:
            return False
        self._entries.move_to_end(key)
        headers, body = hit
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _compute(
        self, key: tuple[Any, ...], scope: Scope, receive: Receive, send: Send
    ) -> None:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
                message = {
                    **message,
                    "headers": [*message["headers"], (CACHE_HEADER.lower().encode(), b"miss")],
                }
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(key, started, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, recording_send)

    def _store(self, key: tuple[Any, ...], start: dict[str, Any], body: bytes) -> None:
        if start.get("status") != 200 or len(body) > MAX_CACHED_BODY:
            return
        headers = [(name, value) for name, value in start["headers"] if name != b"set-cookie"]
        headers.append((CACHE_HEADER.lower().encode(), b"hit"))
        self._entries[key] = (headers, body)
        self._bytes += len(body)
        while self._entries and (
            len(self._entries) > self.max_entries or self._bytes > self.max_bytes
        ):
            _, (_, evicted) = self._entries.popitem(last=False)
            self._bytes -= len(evicted)
