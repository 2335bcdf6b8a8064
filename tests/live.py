"""Run `newsfacts serve` in a subprocess for tests that need a real HTTP server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PortTaken(Exception):
    """Another process took the free port before the server could bind it."""


@contextmanager
def live_server(
    database_url: str, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the app on a free localhost port until the block ends; yields the base URL."""
    with live_server_process(database_url, workers=workers, env=env) as (base, _):
        yield base


@contextmanager
def live_server_process(
    database_url: str, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like live_server, and yields the server's process too (to kill it mid-request)."""
    # Between finding a free port and binding it, another run on this machine may take it.
    for attempt in range(3):
        try:
            with _serving(database_url, workers, env) as served:
                yield served
                return
        except PortTaken:
            if attempt == 2:
                raise


@contextmanager
def _serving(
    database_url: str, workers: int, env: dict[str, str] | None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env={
            **os.environ,
            "NEWSFACTS_DATABASE_URL": database_url,
            "NEWSFACTS_LOG_LEVEL": "warning",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                output = server.stdout.read().decode() if server.stdout else ""
                if "address already in use" in output.lower():
                    raise PortTaken(output)
                raise AssertionError(f"the server exited:\n{output}")
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()
