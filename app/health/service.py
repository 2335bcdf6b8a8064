"""Liveness and readiness checks."""

from __future__ import annotations

from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import alembic_config, sqlite_file_problem
from app.core.errors import ServiceUnavailable


@lru_cache
def head_revisions() -> frozenset[str]:
    """The migration heads this code expects (read once from the migrations folder)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def check_ready(engine: Engine) -> str:
    """The database revision; ServiceUnavailable if unreachable, not at the head revision, or
    (SQLite) its file was removed, replaced or made read-only."""
    problem = sqlite_file_problem(engine)
    if problem is not None:
        raise ServiceUnavailable(problem, headers={"Retry-After": "30"})
    try:
        with engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        raise ServiceUnavailable(
            "The database is unreachable.", headers={"Retry-After": "5"}
        ) from None
    if current != head_revisions():
        raise ServiceUnavailable(
            "The database schema is not at the latest migration; run `newsfacts migrate`.",
            headers={"Retry-After": "30"},
        )
    return ",".join(sorted(current))
