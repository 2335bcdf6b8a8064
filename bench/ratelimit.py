"""The rate limit's cost per request: its middleware around an app that does nothing.

    python -m bench.ratelimit [--redis redis://127.0.0.1:6379/0] [--requests 5000]

Times the same requests through no limiter, the in-process buckets, and the Redis buckets (one
atomic script call a request), each in several rounds, and prints the median cost a request of
each over no limiter. Keys go under a prefix of this run's own, deleted at the end; only a
Redis on this machine is used.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.ratelimit import RateLimitMiddleware

ROUNDS = 7


async def nothing(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def _drive(app: ASGIApp, requests: int) -> tuple[float, float]:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/v1/articles",
        "headers": [],
        "client": ("127.0.0.1", 1),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(_message: Message) -> None:
        return None

    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        await app(scope, receive, send)
    return (
        (time.perf_counter() - started) / requests,
        (time.process_time() - cpu) / requests,
    )


def per_request(app: ASGIApp, requests: int) -> tuple[float, float]:
    """Median seconds a request (elapsed, and this process's CPU) over ROUNDS rounds."""
    asyncio.run(_drive(app, 100))  # warm up: connections, the script cached in Redis
    rounds = [asyncio.run(_drive(app, requests)) for _ in range(ROUNDS)]
    return (
        statistics.median(r[0] for r in rounds),
        statistics.median(r[1] for r in rounds),
    )


def main() -> None:
    """Print the cost a request of each limiter, in microseconds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    if urlsplit(args.redis).hostname not in ("127.0.0.1", "::1", "localhost"):
        raise SystemExit("only a Redis on this machine")
    prefix = f"newsfacts-bench:{uuid.uuid4().hex[:12]}:"
    limit = 10**9  # never refuses: every request pays the whole path
    base = per_request(nothing, args.requests)
    process = per_request(RateLimitMiddleware(nothing, limit), args.requests)
    shared = RateLimitMiddleware(nothing, limit, redis_url=args.redis, redis_key_prefix=prefix)
    try:
        redis = per_request(shared, args.requests)
    finally:
        import redis as redis_client

        with redis_client.Redis.from_url(args.redis) as client:
            keys = list(client.scan_iter(match=prefix + "*"))
            if keys:
                client.delete(*keys)
    with redis_client.Redis.from_url(args.redis, single_connection_client=True) as client:
        client.ping()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            client.ping()
        ping = (
            (time.perf_counter() - started) / args.requests,
            (time.process_time() - cpu) / args.requests,
        )
    print("                      elapsed    CPU (us a request)")
    print(f"no limiter           {base[0] * 1e6:8.1f} {base[1] * 1e6:8.1f}")
    for name, cost in (("in-process buckets", process), ("Redis buckets", redis)):
        extra = [(cost[i] - base[i]) * 1e6 for i in (0, 1)]
        print(f"{name:<20} +{extra[0]:7.1f} +{extra[1]:7.1f}")
    print(f"(a Redis PING        {ping[0] * 1e6:8.1f} {ping[1] * 1e6:8.1f}: the round trip alone)")


if __name__ == "__main__":
    main()
