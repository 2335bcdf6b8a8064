"""Router helpers: the route class, shared parameter types, and the responses reads declare."""

from __future__ import annotations

import functools
from collections.abc import Callable
from inspect import iscoroutinefunction
from typing import Any

from fastapi import Path
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.db import PoolBusy, without_pool_wait
from app.core.errors import problem_responses
from app.core.schemas import ListQuery
from app.core.text import SLUG_PATTERN
from app.http.dependencies import (
    READS_ON_EVENT_LOOP,
    SAFE_METHODS,
    run_in_session,
    runs_inline,
)

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` ETag is still current."}
}
LIST_RESPONSES = {**NOT_MODIFIED, **problem_responses(400, 422, 500, 503)}
DETAIL_RESPONSES = {**NOT_MODIFIED, **problem_responses(404, 422, 500, 503)}
RELATED_LIST_RESPONSES = {**NOT_MODIFIED, **problem_responses(400, 404, 422, 500, 503)}

LINK_HEADER = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`, when there is one.',
        "schema": {"type": "string"},
    }
}


def id_path(kind: str, example: str) -> Any:
    """The `{id}` path parameter of a resource kind: `Annotated[str, id_path(...)]`."""
    return Path(
        description=f"The {kind}'s id (a lower-case slug).",
        pattern=SLUG_PATTERN,
        max_length=100,
        examples=[example],
    )


class DatabaseRoute(APIRoute):
    """A route whose sync endpoint runs on the event loop for a SQLite read, else in a thread.

    SQLite runs inside this process, so a read is CPU work here whichever thread does it, and
    handing it to a worker thread only adds GIL hand-offs between that thread and the event loop
    (bench/README.md has the cost). A text search runs in a worker thread:
    its ranking or scan is one long SQLite call that releases the GIL, so the event loop serves
    other requests meanwhile. When no pooled connection is free, the read goes to a thread too,
    so that only it waits for one. A PostgreSQL read runs on the event loop too, in a greenlet
    whose statements await the async driver (app.http.dependencies.run_in_session), so waiting
    on the network holds nothing else up. A write may wait for the write lock, so it runs in a
    worker thread, as FastAPI would run it.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        reads_on_event_loop = False
        if not iscoroutinefunction(endpoint):
            methods = {method.upper() for method in kwargs.get("methods") or ("GET",)}
            reads_on_event_loop = methods <= SAFE_METHODS
            endpoint = _dispatching(endpoint, read_only=reads_on_event_loop)
        super().__init__(path, endpoint, **kwargs)
        setattr(self, READS_ON_EVENT_LOOP, reads_on_event_loop)


class ReadOnlyRoute(DatabaseRoute):
    """A POST route that writes nothing (it computes an answer from its body and the data).

    Its request session takes no write lock, so it never waits for a writer nor makes one wait;
    the session's transaction is read-only on PostgreSQL and rolled back at the end
    (app.http.dependencies.get_session reads `writes_nothing`).
    """

    writes_nothing = True


def _dispatching(endpoint: Callable[..., Any], read_only: bool) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    async def dispatch(*args: Any, **kwargs: Any) -> Any:
        session = next((v for v in kwargs.values() if isinstance(v, Session)), None)
        scans = any(isinstance(v, ListQuery) and v.scans for v in kwargs.values())
        if read_only and not scans and session is not None and runs_inline(session):
            try:
                # The event loop never waits for the pool: with every connection taken
                # (slow statements in worker threads), the read waits in a thread instead.
                with without_pool_wait():
                    session.connection()
            except PoolBusy:
                pass
            else:
                return endpoint(*args, **kwargs)
        if session is not None:  # a PostgreSQL read in a greenlet, else a worker thread
            return await run_in_session(session, endpoint, *args, **kwargs)
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return dispatch
