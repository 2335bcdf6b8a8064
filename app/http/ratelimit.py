"""A per-client rate limit: a token bucket per API key (or per address without one).

Each worker keeps its own buckets, so behind a load balancer with N workers a client gets up to
N times the limit; the limit is a guard against floods, not a quota.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import TooManyRequests, problem_document

MAX_TRACKED_CLIENTS = 10_000


@dataclass
class Bucket:
    """Tokens left and when they were last counted."""

    tokens: float
    updated: float


class RateLimiter:
    """Token buckets of `per_minute` tokens, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._now = time.monotonic

    def take(self, client: str) -> tuple[bool, int, int]:
        """Spend a token: (allowed, tokens remaining, seconds until one is back)."""
        now = self._now()
        bucket = self._buckets.pop(client, None) or Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        allowed = bucket.tokens >= 1.0
        if allowed:
            bucket.tokens -= 1.0
        self._buckets[client] = bucket
        while len(self._buckets) > MAX_TRACKED_CLIENTS:
            self._buckets.popitem(last=False)
        wait = 0 if bucket.tokens >= 1.0 else math.ceil((1.0 - bucket.tokens) / self.rate)
        return allowed, int(bucket.tokens), wait


def client_identity(scope: Scope) -> str:
    """The API key (hashed, never stored as sent) or else the client address."""
    authorization = Headers(scope=scope).get("authorization")
    if authorization:
        return "key:" + hashlib.sha256(authorization.encode("utf-8")).hexdigest()[:16]
    client = scope.get("client")
    return "addr:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    """429 with Retry-After once a client has spent its tokens; RateLimit-* on every answer."""

    EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.limiter = RateLimiter(per_minute)
        self.limit = per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        allowed, remaining, wait = self.limiter.take(client_identity(scope))
        rate_headers = [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(remaining).encode()),
            (b"ratelimit-reset", str(wait).encode()),
        ]
        if not allowed:
            body, headers = problem_document(
                status=TooManyRequests.status,
                slug=TooManyRequests.slug,
                title=TooManyRequests.title,
                detail=f"More than {self.limit} requests a minute; retry in {wait} s.",
                instance=scope.get("path", ""),
            )
            headers += [*rate_headers, (b"retry-after", str(max(wait, 1)).encode())]
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *rate_headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
