"""HEAD wherever GET is: the GET's status and headers, without its body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadMiddleware:
    """Serves HEAD as the route's GET, sending only its status and headers.

    The GET runs as it would (its ETag, Content-Length and Link headers are the GET's), but a
    streamed body is not produced: the response ends after its headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if finished:
                raise _HeadSent
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body":
                finished = True
                await send({"type": "http.response.body", "body": b""})
                if message.get("more_body", False):
                    raise _HeadSent  # a stream: stop producing it

        try:
            await self.app({**scope, "method": "GET"}, receive, headers_only)
        except Exception:
            if not finished:
                raise


class _HeadSent(Exception):
    """The headers of a HEAD response are sent; the rest of the GET is not needed."""
