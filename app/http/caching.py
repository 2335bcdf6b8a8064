"""Strong ETags and conditional GETs, for every JSON GET response the app produces."""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Responses larger than this are streamed untouched (exports stream without a length anyway).
MAX_BUFFERED_BODY = 16 * 1024 * 1024


def strong_etag(body: bytes) -> str:
    """A strong entity tag: the body's sha256, truncated, quoted."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match list against an ETag."""
    candidates = [tag.strip() for tag in if_none_match.split(",")]
    opaque = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == opaque for tag in candidates)


def etag_matches_strong(if_match: str, etag: str) -> bool:
    """RFC 9110 strong comparison of an If-Match list: a weak tag (`W/`) never matches."""
    candidates = [tag.strip() for tag in if_match.split(",")]
    return not etag.startswith("W/") and any(tag in ("*", etag) for tag in candidates)


class ConditionalGetMiddleware:
    """Adds `ETag` and a default `Cache-Control` to 200 GET responses; answers 304 when fresh."""

    def __init__(self, app: ASGIApp, cache_control: str) -> None:
        self.app = app
        self.cache_control = cache_control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: MutableMapping[str, Any] | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def send_wrapper(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                length = headers.get("content-length")
                if (
                    message["status"] != 200
                    or length is None
                    or int(length) > MAX_BUFFERED_BODY
                    or "etag" in headers
                ):
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = strong_etag(body)
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["ETag"] = etag
            if "cache-control" not in headers:
                headers["Cache-Control"] = self.cache_control
            if if_none_match is not None and etag_matches(if_none_match, etag):
                not_modified = MutableHeaders()
                for name in ("etag", "cache-control", "vary", "content-location", "link"):
                    if name in headers:
                        not_modified[name] = headers[name]
                await send(
                    {"type": "http.response.start", "status": 304, "headers": not_modified.raw}
                )
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_wrapper)
