"""Request body size and time limits: 413 before the body is read when it says it is too large,
and as soon as a streamed body grows past the limit; 408 when the whole body has not arrived
within the read timeout (a client trickling its body holds nothing else up, but is not kept
waiting on forever)."""

from __future__ import annotations

import anyio
from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import PayloadTooLarge, problem_document


class BodySizeLimitMiddleware:
    """Refuses request bodies larger than max_bytes with a 413 problem."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, send)
            return
        received = 0
        deadline: float | None = None
        complete = False

        async def limited_receive() -> Message:
            nonlocal received, deadline, complete
            if complete:  # the body is in: what follows is a wait for the disconnect
                return await receive()
            if deadline is None:
                deadline = anyio.current_time() + self.timeout_s
            with anyio.move_on_at(deadline) as waited:
                message = await receive()
            if waited.cancelled_caught:
                # FastAPI turns other errors met while reading a body into a 400.
                raise HTTPException(
                    408,
                    f"The request body did not arrive within {self.timeout_s:g} s.",
                    headers={"Connection": "close"},
                )
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._detail())
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, limited_receive, send)

    def _detail(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes."

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body, headers = problem_document(
            status=PayloadTooLarge.status,
            slug=PayloadTooLarge.slug,
            title=PayloadTooLarge.title,
            detail=self._detail(),
            instance=scope.get("path", ""),
        )
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
