"""Read replicas: which PostgreSQL streaming replicas may serve a read right now.

Each replica's state (reachable, how far its replay is behind, its write generation) is
checked at most every CHECK_INTERVAL_S, in a background thread that requests never wait for; a
replica that does not answer is `down`, one whose replay is more than `max_lag_s` behind is
`lagging`, one no longer in recovery (promoted) is `promoted`, and only `ok` ones serve. A read
that must see a given write generation (the client's own writes) goes only to a replica whose
last checked generation is at least that; since a replica only moves forward, it then sees the
write. Everything else, and any read when no replica qualifies, goes to the primary. A replica
whose connection fails or drops while it serves (a connect refused, a server gone) is `down` at
once, until its next check; the read it failed is answered by the primary
(app.http.database_routing).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_read_session_factory, create_session_factory

CHECK_INTERVAL_S = 1.0

# Lag is how long ago the last replayed transaction committed on the primary, or 0 when all
# WAL received is replayed (an idle primary sends nothing new, and that is no lag).
REPLICA_STATE_SQL = text(
    """
    SELECT pg_is_in_recovery(),
      CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
        ELSE EXTRACT(EPOCH FROM now() - COALESCE(pg_last_xact_replay_timestamp(),
                                                 pg_postmaster_start_time()))
      END,
      (SELECT generation FROM data_generation WHERE id = 1)
    """
)


@dataclass(frozen=True)
class ReplicaState:
    """What the last check of a replica found."""

    status: str  # ok, lagging, down, promoted, or unknown before the first check
    lag_s: float | None = None
    generation: int | None = None
    checked_at: float = 0.0  # time.monotonic()


class Replica:
    """One replica: its engines (app.core.db.create_db_engine, create_read_engine), their
    session factories, and its last checked state."""

    def __init__(self, name: str, engine: Engine, read_engine: AsyncEngine | None = None) -> None:
        self.name = name
        self.engine = engine
        self.read_engine = read_engine
        self.session_factory: sessionmaker[Session] = create_session_factory(engine)
        self.read_session_factory: async_sessionmaker[AsyncSession] | None = (
            create_read_session_factory(read_engine)
        )
        self.state = ReplicaState("unknown")
        event.listen(engine, "handle_error", self._on_error)
        if read_engine is not None:
            event.listen(read_engine.sync_engine, "handle_error", self._on_error)

    def _on_error(self, context: ExceptionContext) -> None:
        """A connection that could not be made (no connection yet) or was lost: down until the
        next check says otherwise. A statement's own error (a timeout) says nothing of that."""
        if context.connection is None or context.is_disconnect:
            self.state = ReplicaState("down", checked_at=time.monotonic())

    def check(self, max_lag_s: float) -> ReplicaState:
        """Ask the replica how it is doing (one statement) and remember the answer."""
        now = time.monotonic()
        try:
            with self.engine.connect() as connection:
                row = (
                    connection.execution_options(isolation_level="AUTOCOMMIT")
                    .execute(REPLICA_STATE_SQL)
                    .one()
                )
        except SQLAlchemyError:
            self.state = ReplicaState("down", checked_at=now)
            return self.state
        in_recovery, lag, generation = row
        lag_s = float(lag or 0.0)
        if not in_recovery:
            status = "promoted"
        elif lag_s > max_lag_s:
            status = "lagging"
        else:
            status = "ok"
        self.state = ReplicaState(status, round(lag_s, 3), int(generation or 0), now)
        return self.state


class ReplicaSet:
    """The configured replicas, checked in the background, picked in turn for reads."""

    def __init__(
        self,
        urls: list[str],
        max_lag_s: float,
        make_engine: Callable[[str], Engine],
        make_read_engine: Callable[[str], AsyncEngine | None] = lambda _url: None,
    ) -> None:
        self.max_lag_s = max_lag_s
        self.replicas = [
            Replica(f"replica-{number}", make_engine(url), make_read_engine(url))
            for number, url in enumerate(urls, 1)
        ]
        self._turn = itertools.count()
        self._checking = threading.Lock()
        self._last_check = 0.0

    def __bool__(self) -> bool:
        return bool(self.replicas)

    def check(self) -> list[ReplicaState]:
        """Check every replica now (waits for a check already running instead of repeating it)."""
        with self._checking:
            self._last_check = time.monotonic()
            return [replica.check(self.max_lag_s) for replica in self.replicas]

    def check_in_background(self) -> None:
        """Start a check in a daemon thread when the last is older than CHECK_INTERVAL_S."""
        if time.monotonic() - self._last_check < CHECK_INTERVAL_S or self._checking.locked():
            return
        self._last_check = time.monotonic()  # no second thread while this one starts
        threading.Thread(target=self.check, name="newsfacts-replica-check", daemon=True).start()

    def pick(self, min_generation: int = 0) -> Replica | None:
        """A replica fit to serve a read that must see `min_generation`; None: the primary."""
        fit = [
            replica
            for replica in self.replicas
            if replica.state.status == "ok" and (replica.state.generation or 0) >= min_generation
        ]
        if not fit:
            return None
        return fit[next(self._turn) % len(fit)]

    async def dispose(self) -> None:
        """Close every replica's connections."""
        for replica in self.replicas:
            replica.engine.dispose()
            if replica.read_engine is not None:
                await replica.read_engine.dispose()
