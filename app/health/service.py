"""Liveness and readiness checks."""

from __future__ import annotations

from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import alembic_config
from app.core.errors import ServiceUnavailable


@lru_cache
def head_revisions() -> frozenset[str]:
    """The migration heads this code expects (read once from the migrations folder)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def check_ready(engine: Engine) -> str:
    """The database revision; ServiceUnavailable if unreachable or not at the head revision."""
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
