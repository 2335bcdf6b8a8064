"""Guards against clients that hold the server up: ones that stop reading a response, and ones
that open many streams at once.

- Every piece of a response must be accepted by the client within `send_timeout_s`
  (NEWSFACTS_SEND_TIMEOUT_S): a client that stops reading for longer is disconnected, and
  whatever its request held is released.
- One client address may have at most `max_streams` streamed responses (the routes under
  STREAM_PREFIXES) in progress at once (NEWSFACTS_MAX_STREAMS_PER_CLIENT); more get 429.
  The address is the one the server believes: a forwarded one only from a trusted proxy.
"""

from __future__ import annotations

from collections import Counter

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import TooManyRequests, problem_document

STREAM_PREFIXES = ("/v1/export",)


class StreamGuardMiddleware:
    """Drops clients that stop reading; caps concurrent streams per client address."""

    def __init__(self, app: ASGIApp, send_timeout_s: float, max_streams: int) -> None:
        self.app = app
        self.send_timeout_s = send_timeout_s
        self.max_streams = max_streams
        self._open: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        stalled = False

        async def timed_send(message: Message) -> None:
            nonlocal stalled
            with anyio.move_on_after(self.send_timeout_s) as waited:
                await send(message)
            if waited.cancelled_caught:
                stalled = True
                raise ClientStalled

        address = ""
        if str(scope.get("path", "")).startswith(STREAM_PREFIXES):
            client = scope.get("client")
            address = client[0] if client else "unknown"
            if self._open[address] >= self.max_streams:
                await self._refuse(scope, send)
                return
            self._open[address] += 1
        try:
            await self.app(scope, receive, timed_send)
        except Exception:
            if not stalled:
                raise
            # The client stopped reading: returning with the response unfinished makes the
            # server close the connection.
        finally:
            if address:
                self._open[address] -= 1
                if not self._open[address]:
                    del self._open[address]

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body, headers = problem_document(
            status=TooManyRequests.status,
            slug=TooManyRequests.slug,
            title=TooManyRequests.title,
            detail=f"At most {self.max_streams} exports at once per client; wait for one to end.",
            instance=scope.get("path", ""),
        )
        headers.append((b"retry-after", b"5"))
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class ClientStalled(Exception):
    """The client did not accept a piece of the response within the send timeout."""
