"""Request-scoped dependencies shared by the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.core.db import GENERATION_INFO
from app.http.database_routing import STATE_GENERATION, routed_database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A route attribute (app.http.routing.DatabaseRoute sets it): its endpoint is a sync function
# that only reads, and its session's work can run on the event loop.
READS_ON_EVENT_LOOP = "reads_on_event_loop"
_READ_SESSION = "newsfacts_read_session"  # session.info: the AsyncSession a session belongs to
T = TypeVar("T")


def writes_nothing(request: Request) -> bool:
    """Whether the request only reads: a safe method, or a route that says it writes nothing
    (a POST that computes an answer, such as an extraction: app.http.routing.ReadOnlyRoute)."""
    if request.method in SAFE_METHODS:
        return True
    return bool(getattr(request.scope.get("route"), "writes_nothing", False))


def _session_factory(request: Request) -> sessionmaker[Session]:
    """The sessions of the database app.http.database_routing chose: a replica, or the primary."""
    replica = routed_database(request.scope)
    factory: sessionmaker[Session] = (
        replica.session_factory if replica is not None else request.app.state.session_factory
    )
    return factory


def _read_session_factory(request: Request) -> async_sessionmaker[AsyncSession] | None:
    """PostgreSQL's sessions for a read served on the event loop (app.core.db.create_read_engine),
    of the database app.http.database_routing chose; None for any other request, or SQLite."""
    if request.method not in SAFE_METHODS:
        return None
    if not getattr(request.scope.get("route"), READS_ON_EVENT_LOOP, False):
        return None
    replica = routed_database(request.scope)
    if replica is not None:
        return replica.read_session_factory
    factory: async_sessionmaker[AsyncSession] | None = getattr(
        request.app.state, "read_session_factory", None
    )
    return factory


def runs_inline(session: Session) -> bool:
    """Whether a read on this session runs on the event loop: SQLite, in this process."""
    return session.get_bind().dialect.name == "sqlite"


async def run_in_session(
    session: Session, function: Callable[..., T], /, *args: Any, **kwargs: Any
) -> T:
    """Run blocking work on the request's session: for a PostgreSQL read, in a greenlet on the
    event loop (its statements await the async driver: no thread, no GIL hand-off); else in
    a worker thread, as FastAPI runs a sync endpoint."""
    reading: AsyncSession | None = session.info.get(_READ_SESSION)
    if reading is not None:
        return await reading.run_sync(lambda _session: function(*args, **kwargs))
    return await run_in_threadpool(function, *args, **kwargs)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: committed when the endpoint returns, rolled back on error.

    A write takes the write lock last (app.core.db.begin_write), once its key is checked and its
    body read, parsed and validated, so no client holds other writers up while it sends or
    while its input is checked; what it checks against the data (an ETag, an id's absence)
    is checked after the lock, so it still holds when it commits. A POST to a route that
    writes nothing is read-only on PostgreSQL and rolled back at the end. Database work runs
    where app.http.routing.DatabaseRoute runs the endpoint: on the event loop for a read (a
    SQLite read in process; a PostgreSQL read in a greenlet over the async driver, its session
    from _read_session), else in a worker thread. A read runs on the replica that
    app.http.database_routing chose for it, if any; a write, on the primary.
    """
    read_factory = _read_session_factory(request)
    if read_factory is not None:
        async for read_session in _read_session(read_factory):
            yield read_session
        return
    session: Session = _session_factory(request)()
    computes = writes_nothing(request) and request.method not in SAFE_METHODS
    inline = request.method in SAFE_METHODS and runs_inline(session)
    try:
        if computes and session.get_bind().dialect.name == "postgresql":
            await run_in_threadpool(session.execute, text("SET TRANSACTION READ ONLY"))
        yield session
        if computes:
            pass  # nothing to keep: the transaction is rolled back when the session closes
        elif inline:
            session.commit()  # a SQLite read transaction: nothing to write, no waiting
        elif session.in_transaction():
            await run_in_threadpool(session.commit)
            generation = session.info.get(GENERATION_INFO)
            if generation is not None:  # committed: the client may now ask for it
                setattr(request.state, STATE_GENERATION, generation)
    finally:
        if session.in_transaction() and not inline:
            # Rolls back what an error left open; shielded so a cancelled request still
            # returns its connection to the pool.
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)
        else:
            session.close()  # nothing open, or a SQLite read: in-process, nothing to wait for


async def _read_session(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[Session]:
    """A PostgreSQL read's session: the sync face of an AsyncSession, whose work
    app.http.routing.DatabaseRoute runs with run_in_session. Its connection is in autocommit,
    so there is nothing to commit or roll back; closing returns the connection to the pool."""
    reading = factory()
    reading.sync_session.info[_READ_SESSION] = reading
    try:
        yield reading.sync_session
    finally:
        # Shielded so that a cancelled request still returns its connection to the pool.
        with anyio.CancelScope(shield=True):
            await reading.close()


# scope="function": the commit runs when the endpoint returns, before the response is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


SessionOpener = Callable[[], AbstractContextManager[Session]]


def get_session_opener(request: Request) -> SessionOpener:
    """Opens a short session at a time, for a stream that reads a batch, releases its
    connection, and sends the batch (a client that reads slowly holds no connection). The
    sessions are the chosen replica's, if any, as get_session's are."""
    return _session_factory(request)


SessionOpenerDep = Annotated[SessionOpener, Depends(get_session_opener)]
