"""The rate limit's buckets: whose they are, where they live, and what happens without Redis."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from app.core.config import Settings
from app.http import ratelimit
from app.http.ratelimit import (
    RateLimiter,
    RateLimitMiddleware,
    RedisRateLimiter,
    client_address,
)
from app.main import create_app
from tests.api import assert_problem, committed_key
from tests.databases import ScratchRedis
from tests.live import free_port

REAL_TOKEN = "nf_0123456789ab_real-secret"
REAL_KEY_ID = 7


def resolve(token: str) -> int | None:
    return REAL_KEY_ID if token == REAL_TOKEN else None


async def ok_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def scope_of(
    token: str | None = None,
    peer: str = "127.0.0.1",
    forwarded: str | None = None,
    path: str = "/v1/articles",
) -> Scope:
    headers = []
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if forwarded is not None:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    return {"type": "http", "method": "GET", "path": path, "headers": headers, "client": (peer, 1)}


async def ask(middleware: RateLimitMiddleware, scope: Scope) -> tuple[int, dict[str, str]]:
    """One request through the middleware: its status and headers."""
    answer: dict[str, Any] = {}

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}

    await middleware(scope, receive, send)
    return answer["status"], answer["headers"]


def frozen(middleware: RateLimitMiddleware) -> RateLimiter:
    """The middleware's in-process limiter, its clock stopped (no refill during a test)."""
    limiter = middleware.limiter
    assert isinstance(limiter, RateLimiter)
    limiter._now = lambda: 1000.0
    return limiter


# --- whose bucket -------------------------------------------------------------------------


def test_the_address_is_the_peer_unless_a_trusted_proxy_forwards_it() -> None:
    proxies = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("192.0.2.7/32")]
    # No trusted proxies: X-Forwarded-For is anyone's to write, and ignored.
    assert client_address(scope_of(peer="198.51.100.1", forwarded="203.0.113.9")) == (
        "198.51.100.1"
    )
    # An untrusted peer's header is ignored too.
    assert (
        client_address(scope_of(peer="198.51.100.1", forwarded="203.0.113.9"), proxies)
        == "198.51.100.1"
    )
    # From a trusted proxy: the nearest hop that is not a trusted proxy.
    assert (
        client_address(scope_of(peer="10.1.1.1", forwarded="203.0.113.9, 192.0.2.7"), proxies)
        == "203.0.113.9"
    )
    # What the client itself put in front of that is not believed.
    assert (
        client_address(scope_of(peer="10.1.1.1", forwarded="1.2.3.4, 203.0.113.9"), proxies)
        == "203.0.113.9"
    )
    # A hop that is not an address stops the walk at the last trusted hop.
    assert client_address(scope_of(peer="10.1.1.1", forwarded="junk"), proxies) == "10.1.1.1"
    assert client_address(scope_of(peer="10.1.1.1"), proxies) == "10.1.1.1"
    assert client_address(scope_of(peer="10.1.1.1", forwarded="2001:db8::1"), proxies) == (
        "2001:db8::1"
    )


def test_trusted_proxies_are_addresses_or_networks_and_none_by_default() -> None:
    assert Settings().trusted_proxies == []
    settings = Settings(trusted_proxies=["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"])
    assert [str(n) for n in settings.trusted_proxies] == [
        "10.0.0.0/8",
        "192.0.2.7/32",
        "2001:db8::/32",
    ]
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings(trusted_proxies=["not-a-network"])


def test_rotating_bogus_keys_spend_the_address_and_evict_no_one() -> None:
    middleware = RateLimitMiddleware(ok_app, per_minute=50, resolve_key=resolve)
    limiter = frozen(middleware)

    async def attack() -> None:
        # A real client spends 10 of its key's tokens.
        for _ in range(10):
            assert (await ask(middleware, scope_of(REAL_TOKEN)))[0] == 200
        # 10,050 requests, each with a bogus key of its own: the address's 50 tokens, then 429.
        statuses = [
            (await ask(middleware, scope_of(f"nf_{n:012x}_bogus")))[0] for n in range(10_050)
        ]
        assert statuses[:50] == [200] * 50
        assert set(statuses[50:]) == {429}
        # Two buckets exist: the key's and the address's; the real client's is where it was.
        assert limiter.tracked() == 2
        status, headers = await ask(middleware, scope_of(REAL_TOKEN))
        assert status == 200
        assert headers["ratelimit-remaining"] == "39"
        # Junk that is not even a key, or another scheme, is the address too.
        assert (await ask(middleware, scope_of("junk")))[0] == 429
        assert (await ask(middleware, scope_of(None)))[0] == 429

    asyncio.run(attack())


def test_a_key_is_looked_up_once_a_while_valid_or_not() -> None:
    asked: list[str] = []

    def counting(token: str) -> int | None:
        asked.append(token)
        return resolve(token)

    middleware = RateLimitMiddleware(ok_app, per_minute=1000, resolve_key=counting)
    frozen(middleware)
    clock = [1000.0]
    assert middleware.keys is not None
    middleware.keys._now = lambda: clock[0]

    async def run() -> None:
        for _ in range(5):
            await ask(middleware, scope_of(REAL_TOKEN))
            await ask(middleware, scope_of("nf_000000000000_wrong"))
        assert asked == [REAL_TOKEN, "nf_000000000000_wrong"]
        # Rotating bogus keys fill the cache of wrong ones, not the valid key's.
        for n in range(ratelimit.MAX_CACHED_KEYS + 10):
            await ask(middleware, scope_of(f"nf_{n:012x}_bogus"))
        asked.clear()
        await ask(middleware, scope_of(REAL_TOKEN))
        assert asked == []
        # Past KEY_CACHE_S both are looked up again (a key revoked or made meanwhile counts).
        clock[0] += ratelimit.KEY_CACHE_S + 1
        await ask(middleware, scope_of(REAL_TOKEN))
        await ask(middleware, scope_of("nf_000000000000_wrong"))
        assert asked == [REAL_TOKEN, "nf_000000000000_wrong"]

    asyncio.run(run())


def test_many_clients_each_keep_their_bucket_until_the_tracked_limit() -> None:
    middleware = RateLimitMiddleware(ok_app, per_minute=5, resolve_key=resolve)
    frozen(middleware)

    async def run() -> None:
        for _ in range(5):
            await ask(middleware, scope_of(REAL_TOKEN))
        assert (await ask(middleware, scope_of(REAL_TOKEN)))[0] == 429
        for n in range(100):
            await ask(middleware, scope_of(peer=f"10.0.{n // 250}.{n % 250}"))
        assert (await ask(middleware, scope_of(REAL_TOKEN)))[0] == 429

    asyncio.run(run())


def test_an_invalid_key_is_a_401_that_spends_the_address(database_url: str) -> None:
    valid = committed_key(database_url, "limited-writer")
    settings = Settings(database_url=database_url, rate_limit_per_minute=3, read_cache_entries=0)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        forged = {"Authorization": "Bearer nf_000000000000_forged"}
        for remaining in ("2", "1", "0"):
            refused = client.post("/v1/participants", json={}, headers=forged)
            assert_problem(refused, 401)
            assert refused.headers["ratelimit-remaining"] == remaining
        assert_problem(client.post("/v1/participants", json={}, headers=forged), 429)
        assert_problem(client.get("/v1/articles"), 429)  # the same address, no key
        # A valid key from that address still has its own tokens.
        assert client.get("/v1/articles", headers=valid).status_code == 200


# --- in Redis -----------------------------------------------------------------------------


def redis_middleware(
    scratch_redis: ScratchRedis, per_minute: int, **kwargs: Any
) -> RateLimitMiddleware:
    return RateLimitMiddleware(
        ok_app,
        per_minute=per_minute,
        resolve_key=resolve,
        redis_url=scratch_redis.url,
        redis_key_prefix=scratch_redis.prefix,
        **kwargs,
    )


def refill_bound(per_minute: int, started: float) -> int:
    """Tokens a bucket can have got back since `started` (Redis's clock runs meanwhile)."""
    return int((time.monotonic() - started) * per_minute / 60) + 1


def test_two_instances_share_one_limit_in_redis(scratch_redis: ScratchRedis) -> None:
    first = redis_middleware(scratch_redis, per_minute=40)
    second = redis_middleware(scratch_redis, per_minute=40)

    async def run() -> int:
        allowed = 0
        for n in range(120):
            status, _ = await ask(first if n % 2 else second, scope_of(REAL_TOKEN))
            allowed += status == 200
        return allowed

    started = time.monotonic()
    allowed = asyncio.run(run())
    # One bucket for both: 40 (not 80), plus what refilled while the test ran.
    assert 40 <= allowed <= 40 + refill_bound(40, started)
    assert sorted(scratch_redis.keys()) == [
        f"{scratch_redis.prefix}ratelimit:key:{REAL_KEY_ID}".encode()
    ]


def test_rotating_bogus_keys_make_no_buckets_in_redis(scratch_redis: ScratchRedis) -> None:
    middleware = redis_middleware(scratch_redis, per_minute=30)

    async def run() -> list[int]:
        for _ in range(5):
            await ask(middleware, scope_of(REAL_TOKEN))
        return [(await ask(middleware, scope_of(f"nf_{n:012x}_bogus")))[0] for n in range(500)]

    started = time.monotonic()
    statuses = asyncio.run(run())
    assert 30 <= statuses.count(200) <= 30 + refill_bound(30, started)
    assert statuses[-1] == 429
    prefix = scratch_redis.prefix.encode()
    assert sorted(scratch_redis.keys()) == [
        prefix + b"ratelimit:addr:127.0.0.1",
        prefix + f"ratelimit:key:{REAL_KEY_ID}".encode(),
    ]


def test_without_redis_the_limit_fails_open_with_a_log_line_and_a_metric(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failures: list[int] = []
    middleware = RateLimitMiddleware(
        ok_app,
        per_minute=2,
        resolve_key=resolve,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        on_fail_open=lambda: failures.append(1),
    )
    caplog.set_level(logging.WARNING, logger="newsfacts.ratelimit")

    async def run() -> list[tuple[int, dict[str, str]]]:
        return [await ask(middleware, scope_of(None)) for _ in range(10)]

    answers = asyncio.run(run())
    assert [status for status, _ in answers] == [200] * 10  # over the limit of 2: open
    assert all("ratelimit-limit" not in headers for _, headers in answers)
    assert len(failures) == 10
    # One line, not one per request: Redis is tried again only after a pause.
    lines = [r for r in caplog.records if "rate limit store is unreachable" in r.getMessage()]
    assert len(lines) == 1


def test_the_app_fails_open_and_counts_it_when_redis_is_down(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        rate_limit_per_minute=1,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert [client.get("/v1/articles").status_code for _ in range(3)] == [200] * 3
        scraped = client.get("/metrics").text
        assert "newsfacts_rate_limit_fail_open_total 3.0" in scraped


def test_the_redis_script_refills_at_the_rate(scratch_redis: ScratchRedis) -> None:
    limiter = RedisRateLimiter(scratch_redis.url, per_minute=6000, prefix=scratch_redis.prefix)
    try:
        spent = [limiter.take("c") for _ in range(3)]
        assert [d[0] for d in spent if d] == [True] * 3
        first = spent[0]
        assert first is not None
        assert first[1] in (5998, 5999)
        # 6000 a minute is 100 a second: after a pause the bucket is fuller than it was.
        before = limiter.take("c")
        time.sleep(0.05)
        after = limiter.take("c")
        assert before is not None
        assert after is not None
        assert after[1] >= before[1]
    finally:
        limiter.close()
