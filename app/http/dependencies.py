"""Request-scoped dependencies shared by the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.db import GENERATION_INFO, lock_for_writes
from app.http.database_routing import STATE_GENERATION, routed_database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def runs_inline(session: Session) -> bool:
    """Whether a read on this session runs on the event loop: SQLite, in this process."""
    return session.get_bind().dialect.name == "sqlite"


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: committed when the endpoint returns, rolled back on error.

    A write request takes the write lock first (app.core.db.lock_for_writes), before it reads
    anything, so that what it checks (an ETag, an id's absence) still holds when it commits.
    Database work runs where app.http.routing.DatabaseRoute runs the endpoint: on the event loop
    for a SQLite read, else in a worker thread. A read runs on the replica that
    app.http.database_routing chose for it, if any; a write, on the primary.
    """
    replica = routed_database(request.scope)
    factory = replica.session_factory if replica is not None else request.app.state.session_factory
    session: Session = factory()
    inline = request.method in SAFE_METHODS and runs_inline(session)
    try:
        if request.method not in SAFE_METHODS:
            await run_in_threadpool(lock_for_writes, session)
        yield session
        if inline:
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


# scope="function": the commit runs when the endpoint returns, before the response is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
