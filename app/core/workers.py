"""Worker processes for CPU-heavy checks of request input (bundle parsing, span finding).

Pure-Python work of a second or more in a thread of the server would hold the interpreter
lock and slow every other request down; in a worker process it uses another core and leaves
the server's lock free. The pool is started on first use and kept; if a worker dies, the call
is a 503 and the next call starts a new pool.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # spawn: forking a server that runs threads could copy a lock some thread holds.
            _pool = ProcessPoolExecutor(
                max_workers=min(2, os.cpu_count() or 1),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=follow_parent,
                initargs=(os.getpid(),),
            )
        return _pool


# A worker yields the processor to the server's own requests: one client's large bundle must
# not slow every other client down on a machine with few cores.
WORKER_NICENESS = 10


def follow_parent(parent: int) -> None:
    """In a worker (this pool's, or an extractor's: app.extraction.worker): run at a lower
    priority than the server, and exit when the server that started it is gone (killed, or
    ended by the shutdown watchdog, neither of which stops the pool)."""
    os.nice(WORKER_NICENESS)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def run_in_worker(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call a module-level function in a worker process and wait for its (picklable) result."""
    pool = _executor()
    try:
        return pool.submit(function, *args, **kwargs).result()
    except BrokenProcessPool:
        # Imported here: the extractor's processes import this module for follow_parent, and
        # starting one must not wait for FastAPI to load (the wait counts against its time).
        from app.core.errors import ServiceUnavailable

        _discard(pool)
        raise ServiceUnavailable(
            "The request could not be checked (its worker process ended); retry.",
            headers={"Retry-After": "1"},
        ) from None
