"""The extractor in worker processes, so that a run past its time limit can be stopped.

A thread cannot be stopped, and the rules are not linear on every text: a few pathological
texts of the allowed size keep the engine busy for minutes. So the API runs it in a small pool
of child processes (standard library only): a run that overstays its time is killed with its
process, which the pool replaces when it is next needed. At most `size` runs at once per API
worker; a request waits for a free one within the same time limit.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from app.core.workers import follow_parent
from app.extraction.engine import DraftQuotation, KnownParticipant, extract


class EngineTimeout(Exception):
    """The extraction did not finish in time; its process was stopped."""


class EngineBusy(Exception):
    """Every extractor process stayed busy for the whole time allowed."""


class EngineFailed(Exception):
    """The extractor process failed (it raised, or it died)."""


def _serve(connection: Connection, parent: int) -> None:
    """A child process: extract each (text, published, known) received, send back the drafts."""
    # Below the server's priority, so that one client's extraction does not slow every other
    # request; and gone within a second of the server (a run can take minutes past its time
    # limit, and a server ended by its shutdown watchdog kills no child).
    follow_parent(parent)
    while True:
        try:
            text, published, known = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", extract(text, published=published, known=known))
        except Exception as exc:  # reported to the parent, which answers with an error
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            connection.send(reply)
        except OSError:  # the parent stopped waiting and closed its end
            return


class _Process:
    """One child process and the parent's end of its pipe."""

    def __init__(self, context: Any) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, os.getpid()), name="newsfacts-extractor", daemon=True
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class EnginePool:
    """At most `size` extractor processes, started when first needed, each run time-bounded."""

    def __init__(self, size: int = 2) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._reset()

    @property
    def size(self) -> int:
        """The most runs at once."""
        return self._size

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._slots = threading.BoundedSemaphore(self._size)
        self._idle: list[_Process] = []

    def run(
        self,
        text: str,
        published: str | None,
        known: Sequence[KnownParticipant],
        timeout_s: float,
    ) -> list[DraftQuotation]:
        """The drafts of a text, waiting at most timeout_s in all (blocking: call from a thread)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            if self._pid != os.getpid():  # a forked copy: the children are the parent's
                self._reset()
            slots = self._slots
        if not slots.acquire(timeout=timeout_s):
            raise EngineBusy
        try:
            return self._run_in_child(text, published, tuple(known), deadline)
        finally:
            slots.release()

    def _run_in_child(
        self,
        text: str,
        published: str | None,
        known: tuple[KnownParticipant, ...],
        deadline: float,
    ) -> list[DraftQuotation]:
        if time.monotonic() >= deadline:  # the wait for a free process took all the time
            raise EngineTimeout
        with self._lock:
            child = self._idle.pop() if self._idle else None
        if child is None or not child.process.is_alive():
            child = _Process(multiprocessing.get_context("spawn"))
        try:
            child.connection.send((text, published, known))
            if not child.connection.poll(max(deadline - time.monotonic(), 0)):
                raise EngineTimeout
            status, value = child.connection.recv()
        except EngineTimeout:
            child.stop()
            raise
        except (EOFError, OSError) as exc:
            child.stop()
            raise EngineFailed(f"the extractor process ended: {exc}") from None
        with self._lock:
            self._idle.append(child)
        if status != "ok":
            raise EngineFailed(str(value))
        drafts: list[DraftQuotation] = value
        return drafts

    def close(self) -> None:
        """Stop the idle processes (busy ones stop when their run ends or is killed)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.stop()
