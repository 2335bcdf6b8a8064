"""The attack suite's server and its unrelated client (the bystander).

One live server per backend (loopback, a free port) with a small connection pool, short send
and body timeouts and no rate limit, so that each attack can do its worst within seconds. A
bystander reads and writes while an attack runs and must stay fast: its p99 may exceed the p99
it had just before the attack by less than 100 ms. On a quiet machine that is "p99 under about
100 ms"; on a busy one, the machine's own slowness is not blamed on the attack, while the
stalls the attacks used to cause (seconds) still fail.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

import httpx
import pytest

from tests.databases import ScratchDatabases
from tests.live import live_server

P99_LIMIT_S = 0.1
SEED_ARTICLE = "lukashenka-putin-sochi-2018"
SPAN_TEXT = "after the inauguration"
ATTACK_ENV = {
    "NEWSFACTS_DATABASE_POOL_SIZE": "5",
    "NEWSFACTS_SEND_TIMEOUT_S": "3",
    "NEWSFACTS_BODY_TIMEOUT_S": "3",
    "NEWSFACTS_MAX_STREAMS_PER_CLIENT": "100",
    "NEWSFACTS_RATE_LIMIT_PER_MINUTE": "0",
}


@dataclass
class Target:
    """A live server under attack, and a write key for it."""

    base: str
    database_url: str
    backend: str
    key: str
    port: int = field(init=False)

    def __post_init__(self) -> None:
        self.port = int(self.base.rsplit(":", 1)[1])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def make_key(database_url: str, name: str, scope: str = "write") -> str:
    """A key made with `newsfacts apikey create` (printed once)."""
    done = subprocess.run(  # nosec B603: our own CLI, fixed arguments
        [sys.executable, "-m", "app.cli", "apikey", "create", "--name", name, "--scope", scope],
        env={**os.environ, "NEWSFACTS_DATABASE_URL": database_url, "NEWSFACTS_LOG_LEVEL": "error"},
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"nf_\S+", done.stdout)
    assert found, done.stdout + done.stderr
    return found.group(0)


@pytest.fixture(scope="session")
def target(backend: str, scratch_databases: ScratchDatabases) -> Iterator[Target]:
    """A live server of the backend under attack, with a write key."""
    url = scratch_databases.create(backend)
    with live_server(url, env=ATTACK_ENV) as base:
        yield Target(base, url, backend, make_key(url, "attack-curator"))


_ids = count()


@dataclass
class Measured:
    """What the bystander saw in one round."""

    read_p99: float
    write_p99: float
    failures: list[str]
    created: list[str]

    @property
    def worst(self) -> float:
        return max(self.read_p99, self.write_p99)


def p99(samples: list[float]) -> float:
    """The 99th percentile (interpolated: one outlier in a hundred does not decide it)."""
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def bystander_round(target: Target, reads: int = 60, writes: int = 15) -> Measured:
    """An unrelated client: list reads (some cached, some not) and issue creations."""
    read_times: list[float] = []
    write_times: list[float] = []
    failures: list[str] = []
    created: list[str] = []
    with httpx.Client(base_url=target.base, timeout=30) as client:
        client.get("/healthz")  # the connection is open before timing starts
        for n in range(reads + writes):
            started = time.perf_counter()
            if n % 5 == 4:
                issue_id = f"bystander-{os.getpid()}-{next(_ids)}"
                response = client.post(
                    "/v1/issues",
                    headers=target.auth,
                    json={
                        "id": issue_id,
                        "title": "A bystander's issue",
                        "category": "trade",
                        "evidence": [
                            {"article_id": SEED_ARTICLE, "text": "after the inauguration"}
                        ],
                    },
                )
                write_times.append(time.perf_counter() - started)
                if response.status_code == 201:
                    created.append(issue_id)
                else:
                    failures.append(f"write {response.status_code}: {response.text[:200]}")
            else:
                response = client.get("/v1/events", params={"limit": 1 + n % 20})
                read_times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    failures.append(f"read {response.status_code}: {response.text[:200]}")
    return Measured(p99(read_times), p99(write_times), failures, created)


def baseline(target: Target) -> Measured:
    """The bystander's figures with no attack running, just before one starts."""
    measured = bystander_round(target)
    assert not measured.failures, measured.failures
    return measured


def assert_bystander_fast(target: Target, before: Measured, rounds: int = 3) -> Measured:
    """While the attack runs, the bystander's reads and writes are answered, and their p99 is
    less than 100 ms above the p99 measured just before the attack.

    An attack that works stalls everyone for seconds, in every round; a busy machine's jitter
    spoils a round now and then. So up to `rounds` rounds are measured, and one fast round
    passes. Every write the bystander was told succeeded must then be readable.
    """
    limit = before.worst + P99_LIMIT_S
    seen: list[Measured] = []
    for _ in range(rounds):
        measured = bystander_round(target)
        seen.append(measured)
        assert_not_lost(target, measured.created)
        if not measured.failures and measured.worst < limit:
            print(  # the figures for bench/README.md (pytest -s)
                f"\n[{target.backend}] bystander p99 before: read {before.read_p99 * 1000:.1f}"
                f" ms, write {before.write_p99 * 1000:.1f} ms; under attack: read"
                f" {measured.read_p99 * 1000:.1f} ms, write {measured.write_p99 * 1000:.1f} ms"
            )
            return measured
    summary = [
        f"read p99 {m.read_p99 * 1000:.0f} ms, write p99 {m.write_p99 * 1000:.0f} ms,"
        f" failures {m.failures[:3]}"
        for m in seen
    ]
    raise AssertionError(
        f"the bystander was slowed down or refused (limit {limit * 1000:.0f} ms): "
        + "; ".join(summary)
    )


def assert_not_lost(target: Target, created: list[str]) -> None:
    """Every acknowledged write is there."""
    with httpx.Client(base_url=target.base, timeout=30) as client:
        for issue_id in created:
            response = client.get(f"/v1/issues/{issue_id}")
            assert response.status_code == 200, (issue_id, response.status_code)
