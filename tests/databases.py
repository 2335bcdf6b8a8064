"""Scratch databases for tests: SQLite files, or temporary databases on a PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

POSTGRES_URL_VARIABLE = "NEWSFACTS_TEST_DATABASE_URL"


def backends() -> list[str]:
    """The backends this run tests: SQLite always, PostgreSQL when its URL is set."""
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_URL_VARIABLE) else ["sqlite"]


class ScratchDatabases:
    """Creates empty databases on demand and drops them all on close()."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._admin: Engine | None = None
        self._created: list[str] = []

    def create(self, backend: str) -> str:
        """Create an empty database on backend and return its URL."""
        if backend == "sqlite":
            return f"sqlite:///{self._directory / f'newsfacts-{uuid.uuid4().hex[:8]}.db'}"
        server_url = make_url(os.environ[POSTGRES_URL_VARIABLE])
        if self._admin is None:
            self._admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        name = f"newsfacts_test_{uuid.uuid4().hex[:10]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return server_url.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        """Drop every PostgreSQL database this object created."""
        if self._admin is None:
            return
        with self._admin.connect() as connection:
            for name in self._created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


REDIS_URL_VARIABLE = "NEWSFACTS_TEST_REDIS_URL"


class ScratchRedis:
    """A Redis server's URL and a key prefix of this test run's own (Redis is shared: this
    deletes only keys under its prefix, never FLUSHDB)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"newsfacts-test:{uuid.uuid4().hex[:12]}:"

    def keys(self) -> list[bytes]:
        """Every key under this run's prefix."""
        import redis

        with redis.Redis.from_url(self.url) as client:
            return list(client.scan_iter(match=self.prefix + "*", count=1000))

    def close(self) -> None:
        """Delete the keys under this run's prefix."""
        import redis

        with redis.Redis.from_url(self.url) as client:
            keys = list(client.scan_iter(match=self.prefix + "*", count=1000))
            if keys:
                client.delete(*keys)
