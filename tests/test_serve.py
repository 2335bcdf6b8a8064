"""`newsfacts serve` (what `make run` runs): migrate, seed an empty database, serve HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from tests.databases import ScratchDatabases


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_migrates_seeds_and_answers(
    backend: str, scratch_databases: ScratchDatabases
) -> None:
    url = scratch_databases.create(backend)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env={**os.environ, "NEWSFACTS_DATABASE_URL": url, "NEWSFACTS_LOG_LEVEL": "warning"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)
        agenda = httpx.get(f"{base}/v1/events/lukashenka-putin-meeting-2018/agenda", timeout=5)
        assert agenda.status_code == 200
        assert agenda.json()["items"]
    finally:
        server.terminate()
        server.wait(timeout=10)
