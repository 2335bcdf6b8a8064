"""The red team (tests/redteam.py) against a live server: rotating bogus keys buy nothing."""

from __future__ import annotations

import time

import pytest

from app.core.db import migrate
from tests.api import committed_key
from tests.databases import ScratchDatabases, ScratchRedis
from tests.live import live_server
from tests.redteam import attack, check_loopback

pytestmark = pytest.mark.slow

LIMIT = 20


@pytest.fixture(params=["process", "redis"])
def limiter_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The server's rate-limit settings: buckets in the process, or in Redis."""
    env = {"NEWSFACTS_RATE_LIMIT_PER_MINUTE": str(LIMIT)}
    if request.param == "redis":
        scratch: ScratchRedis = request.getfixturevalue("scratch_redis")
        env |= {"NEWSFACTS_REDIS_URL": scratch.url, "NEWSFACTS_REDIS_KEY_PREFIX": scratch.prefix}
    return env


def test_rotating_bogus_keys_are_exhausted_and_evict_no_real_client(
    scratch_databases: ScratchDatabases, limiter_env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    url = scratch_databases.create("sqlite")
    migrate(url)
    real = committed_key(url, "real-client")
    real_key = real["Authorization"].removeprefix("Bearer ")
    with live_server(url, env=limiter_env) as base:
        started = time.monotonic()
        report = attack(base, real_key, requests=10 * LIMIT)
        refilled = int((time.monotonic() - started) * LIMIT / 60) + 1
    # The address's LIMIT tokens (plus what came back meanwhile), then 429 for the rest.
    assert report.limit == LIMIT
    assert report.attack_requests == 10 * LIMIT
    assert LIMIT <= report.attack_allowed <= LIMIT + refilled
    assert report.first_refused_at is not None
    assert report.first_refused_at >= LIMIT
    # The real client's bucket is where it was: one more token spent, not reset to full.
    assert report.real_status_after == 200
    assert report.real_remaining_before == LIMIT - 1
    assert report.real_remaining_after <= report.real_remaining_before - 1 + refilled
    if "NEWSFACTS_REDIS_URL" in limiter_env:
        # Two buckets in all: the address's and the real key's; none per bogus key.
        scratch: ScratchRedis = request.getfixturevalue("scratch_redis")
        assert len(scratch.keys()) == 2


def test_the_red_team_attacks_this_machine_only() -> None:
    check_loopback("http://127.0.0.1:8000")
    check_loopback("http://[::1]:8000")
    for target in ("http://example.org", "http://10.0.0.1:8000", "http://localhost.example"):
        with pytest.raises(SystemExit, match="only attacks"):
            check_loopback(target)
