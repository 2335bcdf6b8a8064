"""Request-scoped dependencies shared by the routers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.db import lock_for_writes

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed when the endpoint returns, rolled back on error.

    A write request takes the write lock first (app.db.lock_for_writes), before it reads
    anything, so that what it checks (an ETag, an id's absence) still holds when it commits.
    """
    with request.app.state.session_factory() as session:
        if request.method not in SAFE_METHODS:
            lock_for_writes(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": the commit runs when the endpoint returns, before the response is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
