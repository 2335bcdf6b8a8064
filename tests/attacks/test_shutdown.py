"""SIGTERM with requests in flight: the server drains and exits within
NEWSFACTS_SHUTDOWN_TIMEOUT_S, whatever its clients and its database are doing; and a SQLite file
removed under a running server (attacks on the server's own state)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.core.db import begin_write, create_db_engine, create_session_factory
from tests.attacks.conftest import (
    ATTACK_ENV,
    SPAN_TEXT,
    Target,
    assert_bystander_fast,
    baseline,
    make_key,
)
from tests.attacks.test_attacks import raw_socket
from tests.databases import ScratchDatabases
from tests.live import free_port, live_server

pytestmark = pytest.mark.slow

SHUTDOWN_TIMEOUT_S = 3


def start_server(database_url: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(  # nosec B603: our own CLI, fixed arguments
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env={
            **os.environ,
            "NEWSFACTS_DATABASE_URL": database_url,
            "NEWSFACTS_LOG_LEVEL": "warning",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        assert server.poll() is None, "the server exited"
        assert time.monotonic() < deadline, "the server did not become ready"
        time.sleep(0.2)


def test_sigterm_with_requests_in_flight_exits_within_the_shutdown_timeout(
    backend: str, scratch_databases: ScratchDatabases
) -> None:
    url = scratch_databases.create(backend)
    env = {
        "NEWSFACTS_SHUTDOWN_TIMEOUT_S": str(SHUTDOWN_TIMEOUT_S),
        # Clients that never give up on their own, so only the shutdown can end them.
        "NEWSFACTS_SEND_TIMEOUT_S": "600",
        "NEWSFACTS_BODY_TIMEOUT_S": "600",
        "NEWSFACTS_RATE_LIMIT_PER_MINUTE": "0",
    }
    server, base = start_server(url, env)
    key = make_key(url, "shutdown-curator")
    target = Target(base, url, backend, key)
    holder = create_session_factory(create_db_engine(url))()
    sockets = []
    try:
        with httpx.Client(base_url=base, timeout=60, headers=target.auth) as client:
            for n in range(8):  # a 7 MB export, more than the sockets buffer
                article = {
                    "id": f"big-{n}",
                    "title": "B",
                    "language": "en",
                    "text": "word " * 180_000,
                }
                assert client.post("/v1/articles", json=article).status_code == 201
        for _ in range(3):  # readers that stopped reading
            sock = raw_socket(target, receive_buffer=4096)
            sock.sendall(b"GET /v1/export?kind=articles HTTP/1.1\r\nHost: x\r\n\r\n")
            sockets.append(sock)
        for _ in range(2):  # bodies that never finish
            sock = raw_socket(target)
            sock.sendall(
                b"POST /v1/issues HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + f"Authorization: Bearer {key}\r\nContent-Length: 1000\r\n\r\n{{".encode()
            )
            sockets.append(sock)
        begin_write(holder)  # the database is busy: a write waits for its lock
        if backend == "postgresql":
            holder.execute(text("SELECT 1"))

        def write_waiting_for_the_lock() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server went away, as it should
                httpx.post(
                    f"{base}/v1/issues",
                    headers=target.auth,
                    json={
                        "id": "waits-for-the-lock",
                        "title": "W",
                        "category": "trade",
                        "evidence": [
                            {"article_id": "lukashenka-putin-sochi-2018", "text": SPAN_TEXT}
                        ],
                    },
                    timeout=60,
                )

        waiting = threading.Thread(target=write_waiting_for_the_lock, daemon=True)
        waiting.start()
        time.sleep(1)  # every request is in flight
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=SHUTDOWN_TIMEOUT_S + 10)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {SHUTDOWN_TIMEOUT_S + 10} s after SIGTERM")
        elapsed = time.monotonic() - started
        print(f"\n[{backend}] exited {elapsed:.1f} s after SIGTERM")
        # The timeout, plus what a busy machine adds to starting a timer and exiting.
        assert elapsed < SHUTDOWN_TIMEOUT_S + 3
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        holder.rollback()
        holder.close()
        for sock in sockets:
            sock.close()


def test_a_removed_database_file_acknowledges_no_write(tmp_path: Path) -> None:
    path = tmp_path / "newsfacts.db"
    url = f"sqlite:///{path}"
    with live_server(url, env=ATTACK_ENV) as base:
        target = Target(base, url, "sqlite", make_key(url, "file-curator"))
        before = baseline(target)
        assert_bystander_fast(target, before)  # the server works
        path.unlink()
        issue = {
            "id": "after-the-file-went",
            "title": "Lost?",
            "category": "trade",
            "evidence": [{"article_id": "lukashenka-putin-sochi-2018", "text": SPAN_TEXT}],
        }
        with httpx.Client(base_url=base, timeout=30) as client:
            started = time.monotonic()
            assert client.post("/v1/issues", json=issue, headers=target.auth).status_code == 503
            assert client.get("/readyz").status_code == 503
            assert client.get("/healthz").status_code == 200
            assert time.monotonic() - started < 5
