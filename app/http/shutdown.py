"""A bounded shutdown: once asked to stop, the process is gone within the shutdown timeout.

uvicorn drains in-flight requests for most of NEWSFACTS_SHUTDOWN_TIMEOUT_S (see
`graceful_timeout`) and then cancels them; whatever still holds the process up after that (a
worker thread blocked in a database call, a client that never reads) cannot delay the exit:
a watchdog started by the first SIGTERM or SIGINT ends the process when the timeout is up.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

logger = logging.getLogger("newsfacts.shutdown")
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def graceful_timeout(timeout_s: float) -> int:
    """How long uvicorn lets in-flight requests finish before it cancels them (whole seconds,
    leaving it time to cancel them and stop before the watchdog)."""
    return max(1, int(timeout_s * 0.8))


def install_shutdown_watchdog(timeout_s: float) -> bool:
    """Chain a watchdog to the process's exit signals (main thread only; False elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        return False
    for sig in EXIT_SIGNALS:
        previous = signal.getsignal(sig)
        signal.signal(sig, _watching(previous, timeout_s))
    return True


def _watching(previous: Any, timeout_s: float) -> Callable[[int, FrameType | None], None]:
    started = threading.Event()

    def handler(sig: int, frame: FrameType | None) -> None:
        if not started.is_set():
            started.set()
            timer = threading.Timer(timeout_s, _exit_now, args=(timeout_s,))
            timer.daemon = True
            timer.start()
        if callable(previous):
            previous(sig, frame)

    return handler


def _exit_now(timeout_s: float) -> None:
    logger.warning("still running %.1f s after the stop signal: exiting now", timeout_s)
    logging.shutdown()
    os._exit(1)
