"""Faults: the database going away and coming back, and a load killed half-way."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import create_db_engine
from app.main import create_app
from tests.api import assert_problem
from tests.databases import ScratchDatabases
from tests.live import free_port
from tests.snapshot import snapshot

pytestmark = pytest.mark.slow


class TcpForwarder:
    """Forwards a local port to another address while running; stopping drops every link."""

    def __init__(self, port: int, target: tuple[str, int]) -> None:
        self.port = port
        self.target = target
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone would not.
                with suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


@contextmanager
def forwarding(port: int, target: tuple[str, int]) -> Iterator[TcpForwarder]:
    forwarder = TcpForwarder(port, target)
    forwarder.start()
    try:
        yield forwarder
    finally:
        forwarder.stop()


def assert_unavailable(client: TestClient) -> None:
    assert_problem(client.get("/readyz"), 503)
    body = assert_problem(client.get("/v1/quotations"), 503)
    assert body["type"] == "/problems/service-unavailable"


def assert_available(client: TestClient) -> None:
    assert client.get("/readyz").status_code == 200
    assert client.get("/v1/quotations").json()["items"]


def test_the_database_going_away_and_coming_back_needs_no_restart(
    backend: str, database_url: str, tmp_path: Path
) -> None:
    """PostgreSQL: behind a port that closes and opens. SQLite: a file that appears later."""
    if backend == "postgresql":
        real = make_url(database_url)
        port = free_port()
        through_port = real.set(host="127.0.0.1", port=port, query={"connect_timeout": "2"})
        app = create_app(Settings(database_url=through_port.render_as_string(hide_password=False)))
        target = (real.host or "127.0.0.1", real.port or 5432)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert_unavailable(client)  # nothing listens on the port yet
            with forwarding(port, target):
                assert_available(client)
            assert_unavailable(client)  # connections cut, port closed again
            with forwarding(port, target):
                assert_available(client)
        return
    source = Path(make_url(database_url).database or "")
    later = tmp_path / "later"
    app = create_app(Settings(database_url=f"sqlite:///{later / 'newsfacts.db'}"))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert_unavailable(client)  # its directory does not exist yet: unopenable
        later.mkdir()
        shutil.copy(source, later / "newsfacts.db")
        assert_available(client)


def test_every_connection_busy_is_a_503_not_a_wait_without_end(database_url: str) -> None:
    """A worker keeps database_pool_size connections; a request finding none free for
    database_pool_timeout_s gets 503 with Retry-After, and the next one, once one is free, 200."""
    settings = Settings(
        database_url=database_url,
        database_pool_size=1,
        database_pool_timeout_s=0.2,
        read_cache_entries=0,
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        with app.state.engine.connect():  # the worker's only connection, held
            # On PostgreSQL a read has a pool of its own (app.core.db.create_read_engine): its
            # only connection is held too, on the app's event loop.
            read_engine = app.state.read_engine
            held = None if read_engine is None else client.portal.call(read_engine.connect().start)
            response = client.get("/v1/quotations")
            assert_problem(response, 503)
            assert response.headers["retry-after"] == "5"
            if held is not None:
                client.portal.call(held.close)
                assert client.get("/v1/quotations").status_code == 200  # the read pool is free
        assert client.get("/v1/quotations").status_code == 200


def big_bundle(path: Path, people: int) -> None:
    """An article naming many people, each a participant with evidence (slow to apply)."""
    sentences = [f"Person {n} spoke at the forum." for n in range(people)]
    text = "A long report.\n\n" + " ".join(sentences)
    bundle = {
        "version": 1,
        "article": {
            "id": "a-long-report",
            "title": "A long report",
            "language": "en",
            "text": text,
        },
        "participants": [
            {
                "id": f"person-{n}",
                "name": f"Person {n}",
                "kind": "person",
                "aliases": [{"alias": f"P{n}", "language": "en"}],
                "evidence": [f"Person {n} spoke"],
            }
            for n in range(people)
        ],
    }
    path.write_text(yaml.safe_dump(bundle, allow_unicode=True), encoding="utf-8")


def test_a_load_killed_half_way_leaves_the_database_as_it_was(
    backend: str, scratch_databases: ScratchDatabases, tmp_path: Path
) -> None:
    url = scratch_databases.create(backend)
    env = {**os.environ, "NEWSFACTS_DATABASE_URL": url}
    seeded = subprocess.run(
        [sys.executable, "-m", "app.cli", "load"], env=env, capture_output=True, check=False
    )
    assert seeded.returncode == 0, seeded.stderr
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            before = snapshot(connection)
        bundle = tmp_path / "big.yaml"
        big_bundle(bundle, people=4000)
        loader = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "load", "--no-migrate", str(bundle)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert loader.stdout is not None
        line = loader.stdout.readline()
        assert "applying" in line, line
        time.sleep(1.0)  # well inside the transaction, which takes several seconds
        os.kill(loader.pid, signal.SIGKILL)
        assert loader.wait(timeout=30) == -signal.SIGKILL  # killed, not finished
        with engine.connect() as connection:
            assert snapshot(connection) == before
        # Nothing is left locked: the same load, run to the end, succeeds.
        finished = subprocess.run(
            [sys.executable, "-m", "app.cli", "load", "--no-migrate", str(bundle)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert finished.returncode == 0, finished.stdout + finished.stderr
        with engine.connect() as connection:
            after = snapshot(connection)
        assert len(after["participants"]) == len(before["participants"]) + 4000
    finally:
        engine.dispose()
