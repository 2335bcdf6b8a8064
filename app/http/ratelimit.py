"""A per-client rate limit: a token bucket per valid API key, or else per client address.

Who is the client: a request whose bearer token is a valid API key spends that key's bucket
(`key:<id>`); any other request, one with no key or with an invalid one, spends its address's
bucket (`addr:<ip>`). So rotating bogus keys buys no fresh bucket: every one of them spends the
sender's address. A token is looked up in the database (one primary-key-like lookup by its
prefix, none for a malformed one) unless it was looked up less than KEY_CACHE_S ago, so a
valid key is never held back by what others at its address send, and a client repeating a
wrong key costs one lookup a KEY_CACHE_S. (A key made during that time spends its address's
bucket until then; whether it is accepted is the app's own check, never cached.) The address
is the connection's peer, or, when the peer is one of NEWSFACTS_TRUSTED_PROXIES, the nearest
address in X-Forwarded-For that is not a trusted proxy.

Where the buckets live: with NEWSFACTS_REDIS_URL, in Redis, spent by an atomic Lua script on
Redis's clock, so every instance and worker shares one set of limits. When Redis does not
answer, the limit fails open (requests pass, unlimited), with a log line every FAIL_OPEN_RETRY_S
and a metric per request, and Redis is tried again after FAIL_OPEN_RETRY_S. Without Redis each
worker process keeps its own buckets, so N processes allow up to N times the limit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import TooManyRequests, problem_document

MAX_TRACKED_CLIENTS = 10_000
KEY_CACHE_S = 60.0
MAX_CACHED_KEYS = 10_000
REDIS_TIMEOUT_S = 0.25
FAIL_OPEN_RETRY_S = 5.0

logger = logging.getLogger("newsfacts.ratelimit")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
KeyResolver = Callable[[str], int | None]

# KEYS[1]: the bucket; ARGV: capacity, tokens a second. Returns {allowed, tokens left}. The
# clock is Redis's, so instances whose clocks disagree still refill a bucket at one rate.
BUCKET_SCRIPT = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 't', 'v')
local tokens = capacity
if state[2] then
  tokens = math.min(capacity, tonumber(state[2]) + math.max(0, t - tonumber(state[1])) * rate)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(t), 'v', tostring(tokens))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
"""


@dataclass
class Bucket:
    """Tokens left and when they were last counted."""

    tokens: float
    updated: float


Decision = tuple[bool, int, int]  # (allowed, tokens remaining, seconds until one is back)


def _decision(allowed: bool, tokens: float, rate: float) -> Decision:
    wait = 0 if tokens >= 1.0 else math.ceil((1.0 - tokens) / rate)
    return allowed, int(tokens), wait


class RateLimiter:
    """Token buckets of `per_minute` tokens, refilled continuously, in this process."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._now = time.monotonic

    def take(self, client: str) -> Decision:
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
        return _decision(allowed, bucket.tokens, self.rate)

    def tracked(self) -> int:
        """How many buckets this process holds."""
        return len(self._buckets)


class RedisRateLimiter:
    """The same token buckets, kept in Redis and shared by every process that uses it."""

    def __init__(
        self,
        url: str,
        per_minute: int,
        prefix: str = "newsfacts:",
        on_fail_open: Callable[[], None] | None = None,
    ) -> None:
        import redis

        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.prefix = f"{prefix}ratelimit:"
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self._no_script: type[Exception] = redis.exceptions.NoScriptError
        self._url = url
        self._redis: redis.Redis | None = None  # connected on first use: Redis may be down
        self._sha = hashlib.sha1(BUCKET_SCRIPT.encode(), usedforsecurity=False).hexdigest()
        self._on_fail_open = on_fail_open
        self._down_until = 0.0

    def take(self, client: str) -> Decision | None:
        """Spend a token, or None when Redis does not answer (the request then passes)."""
        now = time.monotonic()
        if now >= self._down_until:
            try:
                allowed, tokens = self._spend(self.prefix + client)
            except self._errors as exc:
                self._down_until = now + FAIL_OPEN_RETRY_S
                logger.warning(
                    "the rate limit store is unreachable (%s): requests pass unlimited;"
                    " trying again in %.0f s",
                    type(exc).__name__,
                    FAIL_OPEN_RETRY_S,
                )
            else:
                return _decision(bool(allowed), float(tokens), self.rate)
        if self._on_fail_open is not None:
            self._on_fail_open()
        return None

    def _spend(self, key: str) -> Any:
        if self._redis is None:
            import redis

            # One connection, no pool: only the event loop's thread calls take(), one at a
            # time, and a pool's checkout and return cost more than the call's own work here.
            self._redis = redis.Redis.from_url(
                self._url,
                socket_timeout=REDIS_TIMEOUT_S,
                socket_connect_timeout=REDIS_TIMEOUT_S,
                single_connection_client=True,
            )
        try:
            return self._redis.evalsha(self._sha, 1, key, self.capacity, self.rate)
        except self._no_script:  # a Redis restarted or flushed forgot it: send it once
            self._redis.script_load(BUCKET_SCRIPT)
            return self._redis.evalsha(self._sha, 1, key, self.capacity, self.rate)

    def close(self) -> None:
        """Close the connection to Redis."""
        if self._redis is not None:
            self._redis.close()


def _parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(scope: Scope, trusted_proxies: Sequence[Network] = ()) -> str:
    """The client's address: the peer, or what trusted proxies say in X-Forwarded-For.

    The header is read from the right (the hop nearest this server) while each hop is a
    trusted proxy; the first hop that is not is the client. A hop that is not an address ends
    the walk at the last trusted one, so a forged header cannot name just any address.
    """
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not trusted_proxies:
        return peer
    address = _parse_address(peer)
    if address is None or not any(address in network for network in trusted_proxies):
        return peer
    hops = [
        hop
        for value in Headers(scope=scope).getlist("x-forwarded-for")
        for hop in value.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        hop_address = _parse_address(hop)
        if hop_address is None:
            return str(address)
        if not any(hop_address in network for network in trusted_proxies):
            return str(hop_address)
        address = hop_address
    return str(address)


def bearer_token(scope: Scope) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    authorization = Headers(scope=scope).get("authorization")
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class ValidKeys:
    """Tokens recently looked up, by digest (never as sent): the valid ones with their key's id,
    the invalid ones apart (so that rotating bogus tokens evict no valid one)."""

    def __init__(self, resolve: KeyResolver) -> None:
        self._resolve = resolve
        self._valid: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._invalid: OrderedDict[str, float] = OrderedDict()
        self._now = time.monotonic

    @staticmethod
    def _digest(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    async def key_id(self, token: str) -> int | None:
        """The id of the key `token` is, None when it is none; looked up (in a worker thread:
        it may wait on the database) unless it was less than KEY_CACHE_S ago."""
        digest = self._digest(token)
        now = self._now()
        valid = self._valid.get(digest)
        if valid is not None and now <= valid[1]:
            return valid[0]
        invalid = self._invalid.get(digest)
        if invalid is not None and now <= invalid:
            return None  # a client repeating a wrong key costs no lookup each time
        try:
            key_id = await to_thread.run_sync(self._resolve, token)
        except Exception:  # a database that does not answer cannot vouch for the key
            logger.warning("could not check an API key for the rate limit", exc_info=True)
            return None
        self._valid.pop(digest, None)
        self._invalid.pop(digest, None)
        if key_id is None:
            _remember(self._invalid, digest, now + KEY_CACHE_S)
        else:
            _remember(self._valid, digest, (key_id, now + KEY_CACHE_S))
        return key_id


def _remember(cache: OrderedDict[str, Any], digest: str, value: Any) -> None:
    """Add to a cache of tokens, the oldest dropped past MAX_CACHED_KEYS."""
    cache[digest] = value
    while len(cache) > MAX_CACHED_KEYS:
        cache.popitem(last=False)


class RateLimitMiddleware:
    """429 with Retry-After once a client has spent its tokens; RateLimit-* on every answer."""

    EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        *,
        resolve_key: KeyResolver | None = None,
        trusted_proxies: Sequence[Network] = (),
        redis_url: str | None = None,
        redis_key_prefix: str = "newsfacts:",
        on_fail_open: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.limit = per_minute
        self.limiter: RateLimiter | RedisRateLimiter = (
            RedisRateLimiter(redis_url, per_minute, redis_key_prefix, on_fail_open)
            if redis_url
            else RateLimiter(per_minute)
        )
        self.keys = ValidKeys(resolve_key) if resolve_key is not None else None
        self.trusted_proxies = tuple(trusted_proxies)

    async def _decide(self, scope: Scope) -> Decision | None:
        """Spend the client's token; None when the shared store is down (fail open)."""
        token = bearer_token(scope) if self.keys is not None else None
        if token is not None and self.keys is not None:
            key_id = await self.keys.key_id(token)
            if key_id is not None:
                return self.limiter.take(f"key:{key_id}")
        # No key, or an invalid one (the app answers 401 where a key is needed): the address.
        return self.limiter.take("addr:" + client_address(scope, self.trusted_proxies))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        decision = await self._decide(scope)
        if decision is None:
            await self.app(scope, receive, send)
            return
        allowed, remaining, wait = decision
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
