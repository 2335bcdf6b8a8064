"""A real PostgreSQL streaming replica of the test server, started and removed by a test.

`pg_basebackup -R` copies the primary (NEWSFACTS_TEST_DATABASE_URL's server) into a temporary
directory, and a second server runs on that copy on a free port, as the `postgres` user, with
the machine's own PostgreSQL binaries (`pg_config --bindir`). It is stopped and its directory
removed when the block ends, whatever happened. The primary must accept replication
connections; if it does not, the test fails saying what to change.
"""

from __future__ import annotations

import getpass
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from tests.databases import POSTGRES_URL_VARIABLE
from tests.live import free_port

# A hot standby refuses to start with less of these than its primary has.
MATCHED_SETTINGS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


@dataclass(frozen=True)
class StreamingReplica:
    """A running replica: its server's address; `url(database)` names a database on it."""

    host: str
    port: int
    primary: URL
    data_directory: Path
    run_as: tuple[str, ...]
    bindir: Path

    def url(self, database: str) -> str:
        """The URL of a database (made on the primary) on the replica."""
        return self.primary.set(host=self.host, port=self.port, database=database).render_as_string(
            hide_password=False
        )

    def sql(self, statement: str) -> None:
        """Run a statement on the replica as its superuser (to pause or resume replay)."""
        engine = create_engine(
            self.primary.set(host=self.host, port=self.port, database="postgres"),
            isolation_level="AUTOCOMMIT",
        )
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()


def postgres_bindir() -> Path | None:
    """Where the server's programs are: `pg_config --bindir`, else Debian's directory."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False, timeout=30
        )
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for bindir in candidates:
        if all((bindir / name).exists() for name in ("pg_basebackup", "pg_ctl", "postgres")):
            return bindir
    return None


def postgres_user_command() -> tuple[str, ...] | None:
    """The prefix that runs a command as `postgres`: nothing if we are it, runuser as root."""
    if getpass.getuser() == "postgres":
        return ()
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ("runuser", "-u", "postgres", "--")
    return None


def _primary_settings(primary: URL) -> dict[str, str]:
    engine = create_engine(primary, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT name, setting FROM pg_settings WHERE name = ANY(:names)"),
                {"names": [*MATCHED_SETTINGS, "wal_level", "hba_file"]},
            )
            return {str(name): str(setting) for name, setting in rows}
    finally:
        engine.dispose()


def _run(argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=timeout)


def _basebackup(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """pg_basebackup, tried again once if the busy shared server cut its stream."""
    backup = _run(argv, timeout=600)
    if backup.returncode != 0 and "replication stream" in backup.stderr:
        backup = _run(argv, timeout=600)  # it removed its partial copy: start afresh
    return backup


@contextmanager
def streaming_replica() -> Iterator[StreamingReplica]:
    """Start a streaming replica of the test server; stop and remove it afterwards."""
    if not os.environ.get(POSTGRES_URL_VARIABLE):
        pytest.skip(f"needs PostgreSQL: set {POSTGRES_URL_VARIABLE} (.ci/run does)")
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("needs PostgreSQL's server programs (pg_basebackup, pg_ctl, postgres)")
    run_as = postgres_user_command()
    if run_as is None:
        pytest.skip("starts a PostgreSQL server as `postgres`: run the tests as root or postgres")
    primary = make_url(os.environ[POSTGRES_URL_VARIABLE]).set(drivername="postgresql+psycopg")
    settings = _primary_settings(primary)
    role = primary.username or "postgres"
    host = primary.host or "127.0.0.1"
    if (
        settings.get("wal_level") not in ("replica", "logical")
        or settings["max_wal_senders"] == "0"
    ):
        pytest.fail(
            f"The PostgreSQL server at {host}:{primary.port or 5432} cannot stream to a replica:"
            " set wal_level = replica and max_wal_senders > 0 in postgresql.conf and restart it."
        )

    workspace = Path(tempfile.mkdtemp(prefix="newsfacts-replica-"))
    data = workspace / "data"
    port = free_port()
    started = False
    try:
        shutil.chown(workspace, "postgres", "postgres")
        workspace.chmod(0o700)
        backup = _basebackup(
            [
                *run_as,
                str(bindir / "pg_basebackup"),
                f"--host={host}",
                f"--port={primary.port or 5432}",
                f"--username={role}",
                f"--pgdata={data}",
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
            ]
        )
        if backup.returncode != 0:
            if "replication connection" in backup.stderr:
                pytest.fail(
                    f"The PostgreSQL server at {host}:{primary.port or 5432} refuses"
                    f" replication connections for the role {role!r}. Add the line"
                    f" `host replication {role} {host}/32 trust` (or your auth method) to"
                    f" {settings.get('hba_file', 'pg_hba.conf')} and reload the server"
                    f" (SELECT pg_reload_conf()).\n{backup.stderr}"
                )
            pytest.fail(f"pg_basebackup failed:\n{backup.stderr}")
        # Debian keeps the configuration outside the data directory: give the copy its own.
        configuration = {
            "listen_addresses": f"'{host}'",
            "port": str(port),
            "unix_socket_directories": f"'{workspace}'",
            "hot_standby": "on",
            "fsync": "off",
            "shared_buffers": "16MB",
            "logging_collector": "off",
            **{name: settings[name] for name in MATCHED_SETTINGS},
        }
        (data / "postgresql.conf").write_text(
            "".join(f"{name} = {value}\n" for name, value in configuration.items())
        )
        (data / "pg_hba.conf").write_text(f"local all all trust\nhost all all {host}/32 trust\n")
        (data / "pg_ident.conf").write_text("")
        for path in (data / "postgresql.conf", data / "pg_hba.conf", data / "pg_ident.conf"):
            shutil.chown(path, "postgres", "postgres")
        start = _run(
            [
                *run_as,
                str(bindir / "pg_ctl"),
                "start",
                "--wait",
                "--timeout=120",
                f"--pgdata={data}",
                f"--log={workspace / 'replica.log'}",
            ],
            timeout=180,
        )
        started = True
        if start.returncode != 0:
            log = (workspace / "replica.log").read_text(errors="replace")
            pytest.fail(f"the replica did not start:\n{start.stdout}{start.stderr}\n{log}")
        replica = StreamingReplica(host, port, primary, data, run_as, bindir)
        _wait_for_recovery(replica)
        yield replica
    finally:
        if started:
            _run(
                [
                    *run_as,
                    str(bindir / "pg_ctl"),
                    "stop",
                    "--wait",
                    "--mode=immediate",
                    f"--pgdata={data}",
                ],
                timeout=120,
            )
        shutil.rmtree(workspace, ignore_errors=True)


def _wait_for_recovery(replica: StreamingReplica) -> None:
    engine = create_engine(replica.url("postgres"), isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                with engine.connect() as connection:
                    if connection.execute(text("SELECT pg_is_in_recovery()")).scalar():
                        return
                    pytest.fail("the copy is not a replica: it is not in recovery")
            except OperationalError:
                assert time.monotonic() < deadline, "the replica does not accept connections"
                time.sleep(0.5)
    finally:
        engine.dispose()


def wait_for_database(replica: StreamingReplica, database: str, generation: int) -> None:
    """Wait until the replica has replayed a database made on the primary up to `generation`."""
    engine = create_engine(replica.url(database), isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                with engine.connect() as connection:
                    seen = connection.execute(
                        text("SELECT generation FROM data_generation WHERE id = 1")
                    ).scalar()
                if seen is not None and seen >= generation:
                    return
            except DBAPIError:
                pass  # not replayed yet: the database or its tables are still to come
            assert time.monotonic() < deadline, f"the replica never showed {database}"
            time.sleep(0.2)
    finally:
        engine.dispose()
