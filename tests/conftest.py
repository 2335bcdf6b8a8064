"""Shared test fixtures: one migrated database per backend, one rolled-back transaction per test.

The suite runs on SQLite, and again on PostgreSQL when NEWSFACTS_TEST_DATABASE_URL names a
server database; a temporary database is created there for the run and dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import nullcontext

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from app.auth.service import Scope, create_key
from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.config import Settings
from app.core.db import create_db_engine, migrate
from app.http.dependencies import get_session, get_session_opener
from app.kinds import KINDS
from app.main import create_app
from tests.api import request_transaction
from tests.databases import REDIS_URL_VARIABLE, ScratchDatabases, ScratchRedis, backends

LONG_RUNNING = ("slow", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the long-running suites first: with pytest-xdist handing out one test at a time
    (`make test`), they spread over the workers and the quick tests fill in around them."""
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in LONG_RUNNING))


@pytest.fixture(scope="session")
def scratch_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchDatabases]:
    """Empty databases made on demand, dropped at the end of the run."""
    databases = ScratchDatabases(tmp_path_factory.mktemp("databases"))
    yield databases
    databases.close()


@pytest.fixture(scope="session", params=backends())
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test: sqlite, or postgresql."""
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, scratch_databases: ScratchDatabases) -> str:
    """A database built by `alembic upgrade head`, with the seed fixture loaded."""
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    try:
        with Session(engine) as session, session.begin():
            load_bundles(session, seed_bundle_paths(), kinds=KINDS)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine of the seeded test database."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits become savepoints of the test's outer transaction."""
    with Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=False,
    ) as session:
        yield session


class CurrentSession:
    """The session of the test that is running: what a shared application's requests use."""

    session: Session | None = None

    def get(self) -> Session:
        assert self.session is not None, "a request outside a test"
        return self.session


@pytest.fixture(scope="session")
def shared_app(database_url: str) -> tuple[FastAPI, CurrentSession]:
    """One application per backend for every test that takes `app` or `client`.

    FastAPI builds a route's request handling (its models and type adapters) on the first
    request an application serves, about a tenth of a second for this API: an application per
    test spent most of the suite's time there. The limit is set far above what tests send, so
    the rate-limit middleware still runs on every request but never refuses one; the limit's
    own tests build applications of their own (tests/http/test_security.py).
    """
    current = CurrentSession()
    # No read cache: it keys on committed writes, and a test's writes are never committed
    # (tests/http/test_read_cache.py covers it on committed data).
    application = create_app(
        Settings(
            database_url=database_url, read_cache_entries=0, rate_limit_per_minute=1_000_000_000
        )
    )
    transaction = request_transaction(current.get)
    application.dependency_overrides[get_session] = transaction
    # Streams open a session a batch; in tests each batch reads in the test's transaction.
    application.dependency_overrides[get_session_opener] = lambda: (
        lambda: nullcontext(current.get())
    )
    return application, current


@pytest.fixture
def app(shared_app: tuple[FastAPI, CurrentSession], session: Session) -> Iterator[FastAPI]:
    """The application, each request a transaction (a savepoint) of the test's session."""
    application, current = shared_app
    routes = len(application.routes)
    overrides = dict(application.dependency_overrides)
    current.session = session
    try:
        yield application
    finally:
        current.session = None
    # A test that adds a route or overrides a dependency would change what every later test of
    # this worker sees: it fails, and the shared app is put back for those later tests.
    changed = (len(application.routes), application.dependency_overrides) != (routes, overrides)
    del application.router.routes[routes:]
    application.dependency_overrides.clear()
    application.dependency_overrides.update(overrides)
    assert not changed, "a test changed the shared app: build one instead"


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client (httpx, via Starlette's TestClient) against the app."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


KeyMaker = Callable[..., dict[str, str]]


@pytest.fixture
def make_key(session: Session) -> KeyMaker:
    """Create an API key in the test's transaction; returns its Authorization header."""
    counter = iter(range(1_000_000))

    def make(*scopes: str, name: str | None = None) -> dict[str, str]:
        _, plaintext = create_key(
            session, name or f"test-key-{next(counter)}", [Scope(s) for s in scopes]
        )
        return {"Authorization": f"Bearer {plaintext}"}

    return make


@pytest.fixture
def writer(make_key: KeyMaker) -> dict[str, str]:
    """Authorization headers of a key with the write scope."""
    return make_key("write", name="curator")


@pytest.fixture
def scratch_redis() -> Iterator[ScratchRedis]:
    """Redis at NEWSFACTS_TEST_REDIS_URL with a key prefix of this test's own; skipped unset."""
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(
            f"needs Redis: set {REDIS_URL_VARIABLE} (e.g. redis://127.0.0.1:6379/0; .ci/run does)"
        )
    import redis

    try:
        with redis.Redis.from_url(url, socket_connect_timeout=2) as client:
            client.ping()
    except (redis.RedisError, OSError) as exc:
        pytest.fail(f"{REDIS_URL_VARIABLE}={url} does not answer: {exc}")
    scratch = ScratchRedis(url)
    yield scratch
    scratch.close()
