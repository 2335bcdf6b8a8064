"""Run `newsfacts serve` in a subprocess for tests that need a real HTTP server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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
    command = [sys.executable, "-m", "app.cli", "serve", "--port", PORT, "--workers", str(workers)]
    environment = {
        **os.environ,
        "NEWSFACTS_DATABASE_URL": database_url,
        "NEWSFACTS_LOG_LEVEL": "warning",
        **(env or {}),
    }
    with serving(command, environment) as served:
        yield served


def _ready(base: str, server: subprocess.Popen[bytes], within_s: float) -> bool:
    """Whether GET /readyz answers 200 before the server exits (False if it exits first)."""
    deadline = time.monotonic() + within_s
    while server.poll() is None:
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not become ready"
        time.sleep(0.2)
    return False


PORT = "{port}"  # in a command given to `serving`: the free port found for it


@contextmanager
def serving(
    command: list[str], env: dict[str, str], cwd: Path | None = None, ready_within_s: float = 90
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run a `newsfacts serve` command on a free localhost port (PORT in the command) until the
    block ends, once GET /readyz answers 200; yields the base URL and the server's process."""
    # Between finding a free port and binding it, another run on this machine may take it.
    for _attempt in range(3):
        port = free_port()
        server = subprocess.Popen(
            [part.replace(PORT, str(port)) for part in command],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            if _ready(base, server, ready_within_s):
                yield base, server
                return
            output = server.stdout.read().decode() if server.stdout else ""
            if "address already in use" not in output.lower():
                raise AssertionError(f"the server exited:\n{output}")
        finally:
            if server.poll() is None:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
            if server.stdout:
                server.stdout.close()
    raise AssertionError("the server found no free port three times")
