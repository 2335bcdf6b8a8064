"""Database plumbing: the declarative base, engines, sessions and migrations."""

from __future__ import annotations

import contextvars
import enum
import os
import select
import stat
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Enum, MetaData, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlalchemy.util import queue as sa_queue

from app.core.errors import ServiceUnavailable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
# A wheel carries the migrations inside the package (setup.py maps them there); a checkout,
# editable install included, keeps them at the repository root, where alembic.ini finds them.
MIGRATIONS_DIR = (
    _PACKAGE_DIR / "migrations"
    if (_PACKAGE_DIR / "migrations" / "env.py").is_file()
    else _PACKAGE_DIR.parent / "migrations"
)
WRITE_TRANSACTION = "newsfacts_write_transaction"
GENERATION_INFO = "newsfacts_generation"  # session.info: the generation a write makes
# Any constant works; it names the one lock all writers of a PostgreSQL database share.
_WRITE_LOCK_KEY = 0x6E6577736661637473 % (2**63)


class Base(DeclarativeBase):
    """Declarative base of every model; constraint names follow NAMING_CONVENTION."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A portable enum column: a VARCHAR with a named CHECK constraint, storing the values."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
    )


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine) -> None:
    """Make SQLite transactional (SAVEPOINTs, DDL) and enforce foreign keys."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defeats SAVEPOINT; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        # SQLite's own lower() folds ASCII only; PostgreSQL's folds every script.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the database's write lock up front, so they queue instead of failing.
        immediate = connection.get_execution_options().get(WRITE_TRANSACTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _limit_sqlite_statements(engine: Engine, timeout_ms: int) -> None:
    """Interrupt a SQLite statement that runs past timeout_ms (SQLite has no such setting).

    The deadline is set when a statement starts and lasts until the next one or the end of the
    transaction, since SQLite does much of a SELECT's work while its rows are fetched.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        state: dict[str, float | None] = {"deadline": None}
        record.info["statement_deadline"] = state

        def past_deadline() -> int:
            deadline = state["deadline"]
            return 1 if deadline is not None and time.monotonic() > deadline else 0

        dbapi_connection.set_progress_handler(past_deadline, 20_000)

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Any, *_args: Any) -> None:
        state = connection.connection.info.get("statement_deadline")
        if state is not None:
            state["deadline"] = time.monotonic() + timeout_ms / 1000

    def _clear(connection: Any) -> None:
        state = connection.connection.info.get("statement_deadline")
        if state is not None:
            state["deadline"] = None

    event.listen(engine, "commit", _clear)
    event.listen(engine, "rollback", _clear)


class PoolBusy(sa_exc.TimeoutError):
    """No pooled connection was free, and the caller would not wait for one."""


_pool_no_wait: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "newsfacts_pool_no_wait", default=False
)


class NoWaitQueuePool(QueuePool):
    """A QueuePool that, inside `without_pool_wait()`, fails at once (PoolBusy) instead of
    waiting for a connection: the event loop must never block on the pool."""

    def _do_get(self) -> ConnectionPoolEntry:
        if _pool_no_wait.get() and self._overflow >= self._max_overflow:
            try:
                return self._pool.get(False)
            except sa_queue.Empty:
                raise PoolBusy("no free database connection") from None
        return super()._do_get()


class without_pool_wait:  # noqa: N801  # used as a context manager, like contextlib's
    """Within the block, checking out a connection from a full pool raises PoolBusy."""

    def __enter__(self) -> None:
        self._token = _pool_no_wait.set(True)

    def __exit__(self, *_exc: object) -> None:
        _pool_no_wait.reset(self._token)


# The identity (device, inode) of each SQLite engine's database file, as first seen.
_sqlite_files: weakref.WeakKeyDictionary[Engine, tuple[int, int]] = weakref.WeakKeyDictionary()


def sqlite_file_problem(engine: Engine) -> str | None:
    """Why a SQLite database file can no longer be written safely, or None when it can.

    A pooled connection keeps the file it opened: if the file is removed or replaced, writes go
    to the orphaned inode and are lost at restart; if it is made read-only, writes fail late. So
    the path is checked against the (device, inode) first seen, and for write permission (mode
    bits too: root may write a file whose mode forbids it).
    """
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    try:
        status = os.stat(database)
    except FileNotFoundError:
        if engine not in _sqlite_files:
            return None  # never opened yet: readiness reports the missing schema
        return "The database file was removed; restart the service once it is restored."
    except OSError as exc:
        return f"The database file cannot be read ({exc.strerror})."
    identity = (status.st_dev, status.st_ino)
    known = _sqlite_files.setdefault(engine, identity)
    if known != identity:
        return "The database file was replaced; restart the service to serve the new file."
    writable = status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if not writable or not os.access(database, os.W_OK):
        return "The database file is read-only."
    return None


def create_db_engine(
    url: str | URL,
    *,
    statement_timeout_ms: int = 0,
    pool_size: int | None = None,
    pool_timeout_s: float | None = None,
    **kwargs: Any,
) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL, configured for this app.

    statement_timeout_ms > 0 bounds each statement (PostgreSQL's statement_timeout, or a SQLite
    progress handler); a statement past it fails, and the API answers 503. pool_size fixes the
    number of connections (no overflow) and pool_timeout_s how long a request waits for one;
    both apply to a connection pool (a file or server database), not to an in-memory SQLite
    database, whose engine keeps one connection per thread.
    """
    url = make_url(url)
    dialect = cast("type[DefaultDialect]", url.get_dialect())
    pool_class = kwargs.get("poolclass") or dialect.get_pool_class(url)
    if issubclass(pool_class, QueuePool):
        _size_pool(kwargs, pool_size, pool_timeout_s)
    if url.get_backend_name() == "sqlite":
        if pool_class is QueuePool:
            kwargs["poolclass"] = NoWaitQueuePool
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        sqlite_file_problem(engine)  # records the file's identity now, if it exists
        if statement_timeout_ms:
            _limit_sqlite_statements(engine, statement_timeout_ms)
        return engine
    engine = create_engine(url, **_server_options(statement_timeout_ms, kwargs))
    _discard_closed_connections(engine)
    return engine


def _size_pool(kwargs: dict[str, Any], size: int | None, timeout_s: float | None) -> None:
    """A pool of `size` connections at most (no overflow), waited for `timeout_s` at most."""
    if size is not None:
        kwargs.update(pool_size=size, max_overflow=0)
    if timeout_s is not None:
        kwargs["pool_timeout"] = timeout_s


def create_read_engine(
    url: str | URL,
    *,
    statement_timeout_ms: int = 0,
    pool_size: int | None = None,
    pool_timeout_s: float | None = None,
    **kwargs: Any,
) -> AsyncEngine | None:
    """PostgreSQL: the engine of the reads served on the event loop; None for SQLite.

    A read request's session runs its statements through psycopg's async connection, in a
    greenlet on the event loop (app.http.dependencies.run_in_session), so it takes no thread
    hop at all (bench/README.md has the cost of one). Its connections are in autocommit: under
    READ COMMITTED, PostgreSQL's default, each statement of a transaction sees its own snapshot
    anyway, so a read transaction would only add the BEGIN and COMMIT round trips. SQLite has no
    such engine: it runs in this process, and its reads already run on the event loop.
    """
    url = make_url(url)
    if url.get_backend_name() != "postgresql":
        return None
    _size_pool(kwargs, pool_size, pool_timeout_s)
    kwargs["isolation_level"] = "AUTOCOMMIT"
    engine = create_async_engine(
        url.set(drivername="postgresql+psycopg"), **_server_options(statement_timeout_ms, kwargs)
    )
    _discard_closed_connections(engine.sync_engine)
    return engine


# PostgreSQL's default random_page_cost (4) prices an index lookup as a seek on a spinning disk.
# An API's working set is in memory (or on SSD), where a lookup costs about what a sequential
# page does; 1.1 is the usual setting there. With the default, the agenda's quotations (tens of
# rows) were joined to their speakers by hashing the whole participants table, twice
# (bench/README.md has the figures).
RANDOM_PAGE_COST = 1.1


def _server_options(statement_timeout_ms: int, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The engine options of a PostgreSQL server: its planner's page costs, and its statement
    timeout."""
    options = [f"-c random_page_cost={RANDOM_PAGE_COST}"]
    if statement_timeout_ms:
        options.append(f"-c statement_timeout={statement_timeout_ms}")
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args["options"] = " ".join(options)
    return kwargs


def _discard_closed_connections(engine: Engine) -> None:
    """Never hand out a pooled connection the server has closed (a restart, a terminated
    backend): it has said so on the socket, which is then readable while the connection is idle.

    This is pool_pre_ping without its round trip: the check is a zero-timeout poll of the
    socket. A connection that died silently (a network cut) is only found by its first
    statement, which then fails (a 503) and is not pooled again.
    """

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        driver_connection = record.driver_connection
        if driver_connection is None:
            return
        readable, _, _ = select.select([driver_connection.fileno()], [], [], 0)
        if readable:  # the pool replaces it with a new connection
            raise sa_exc.DisconnectionError("the server closed this connection")


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory bound to an engine."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def create_read_session_factory(
    engine: AsyncEngine | None,
) -> async_sessionmaker[AsyncSession] | None:
    """The session factory of a read engine (create_read_engine), None without one."""
    if engine is None:
        return None
    return async_sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def lock_for_writes(session: Session) -> None:
    """Serialize writers: afterwards no other write transaction runs until this one ends.

    It also counts the write in data_generation, which read caches key on. Serial writes keep
    the change feed's sequence in commit order, and let a precondition
    (If-Match, an id's absence) checked at the start still hold at commit. On PostgreSQL this is
    a transaction-scoped advisory lock; on SQLite, `BEGIN IMMEDIATE` (taken when the session's
    transaction starts with the WRITE_TRANSACTION execution option).
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
    else:
        already_begun = session.in_transaction() or (
            isinstance(bind, Connection) and bind.in_transaction()
        )
        if not already_begun:  # a begun SQLite transaction cannot be upgraded; tests nest in one
            session.connection(execution_options={WRITE_TRANSACTION: True})
    session.info[GENERATION_INFO] = bump_generation(session)


def begin_write(session: Session) -> None:
    """Take the write lock for a request whose input is already read, parsed and validated.

    Whatever the request read before (its key, the articles its spans point into) was read in a
    plain transaction, ended here on SQLite, where a read transaction cannot become the writer.
    A SQLite file that was removed, replaced or made read-only is a 503: nothing is acknowledged
    that would not be on disk.
    """
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    problem = sqlite_file_problem(engine)
    if problem is not None:
        raise ServiceUnavailable(problem, headers={"Retry-After": "30"})
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite" and session.in_transaction():
        session.commit()
    lock_for_writes(session)


def refresh_planner_statistics(engine: Engine) -> None:
    """After a bulk load, give PostgreSQL's planner row counts and the visibility map.

    Without them (autovacuum off, or not yet run) it plans a million-row table as if it were
    empty, and the speaker page on the benchmark corpus was far slower (bench/README.md).
    SQLite needs nothing: its planner uses no statistics unless ANALYZE is run, and the plans
    in tests/test_query_plans.py hold without them.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE)"))  # VACUUM cannot run in a transaction


def bump_generation(bind: Session | Connection) -> int:
    """Count one more write transaction (read caches key on the count; see read_cache).

    Returns the generation this transaction makes when it commits: writers are serialized,
    so no other write can take the same number.
    """
    generation = bind.execute(
        text(
            "UPDATE data_generation SET generation = generation + 1 WHERE id = 1"
            " RETURNING generation"
        )
    ).scalar()
    return int(generation or 0)


_GENERATION = text("SELECT generation FROM data_generation WHERE id = 1")


def read_generation(engine: Engine) -> int:
    """The current write generation (committed writes only)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            # One statement needs no transaction: no BEGIN and ROLLBACK round trips.
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        value = connection.execute(_GENERATION).scalar()
    return int(value or 0)


async def read_generation_on_loop(engine: AsyncEngine) -> int:
    """read_generation on an engine of create_read_engine, awaiting the driver on the event
    loop (no thread hop)."""
    async with engine.connect() as connection:
        value = (await connection.execute(_GENERATION)).scalar()
    return int(value or 0)


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield one session, committed when the caller is done and rolled back on error."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str | URL | None = None) -> Any:
    """Return an Alembic Config for this project's migrations, optionally for a given URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = make_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def migrate(url: str | URL, revision: str = "head") -> None:
    """Upgrade the database at url to a revision (head by default)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def current_revision_is_head(engine: Engine) -> bool:
    """Whether the database's Alembic revision is this code's head revision."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
