"""Two API instances, one PostgreSQL database, one Redis: they act as one service.

A write on one is read on the other at once; a retried POST on the other replays the first
answer; one rate limit holds across both; the change feed, followed on one while both write,
misses nothing; and an instance killed in the middle of an import loses nothing that was
committed, while the import itself is all or nothing and can be retried on the other.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.auth.service import Scope
from app.bundles.loader import load_bundles, seed_bundle_paths
from app.core.db import migrate
from app.kinds import KINDS
from app.models.article import Article
from app.models.quotation import Quotation
from tests.api import committed_key
from tests.databases import POSTGRES_URL_VARIABLE, ScratchDatabases, ScratchRedis
from tests.live import live_server_process

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get(POSTGRES_URL_VARIABLE),
        reason=f"two instances share one PostgreSQL database: set {POSTGRES_URL_VARIABLE}",
    ),
]

ARTICLE_ID = "lukashenka-putin-sochi-2018"
LIMIT = 40
BIG = 1500  # participants and quotations in the imported bundle: long enough to kill mid-way


def participant(record_id: str) -> dict[str, Any]:
    return {
        "id": record_id,
        "name": record_id.replace("-", " ").title(),
        "kind": "group",
        "evidence": [{"article_id": ARTICLE_ID, "text": "Sochi"}],
    }


def big_bundle() -> dict[str, Any]:
    """An article quoting BIG people, each a participant with a quotation."""
    sentences = [f"Person {n:04d} said: “Quote {n:04d} is on record.”" for n in range(BIG)]
    return {
        "version": 1,
        "article": {
            "id": "cluster-import",
            "title": "Many voices",
            "language": "en",
            "text": " ".join(sentences),
        },
        "participants": [
            {
                "id": f"person-{n:04d}",
                "name": f"Person {n:04d}",
                "kind": "person",
                "evidence": [f"Person {n:04d}"],
            }
            for n in range(BIG)
        ],
        "quotations": [
            {
                "id": f"quote-{n:04d}",
                "speaker": f"person-{n:04d}",
                "kind": "direct",
                "text": f"Quote {n:04d} is on record.",
            }
            for n in range(BIG)
        ],
    }


def follow(
    base: str, since: str | None, headers: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """The changes after `since` (every page), and the cursor to follow on from."""
    changes: list[dict[str, Any]] = []
    while True:
        params = {"since": since} if since else {}
        page = httpx.get(
            f"{base}/v1/changes", params={**params, "limit": 100}, headers=headers, timeout=30
        )
        assert page.status_code == 200, page.text
        body = page.json()
        changes += body["items"]
        if body["items"]:
            since = body["items"][-1]["cursor"]
        if body["next_cursor"] is None:
            return changes, since


def feed_in_database(engine: Engine) -> list[tuple[int, str]]:
    """(seq, record id) of every change, in order."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT seq, record_id FROM changes ORDER BY seq"))
        return [(int(seq), str(record_id)) for seq, record_id in rows]


def refill_bound(started: float) -> int:
    """Tokens a bucket may have got back since `started`."""
    return int((time.monotonic() - started) * LIMIT / 60) + 1


def test_two_instances_act_as_one_service(
    scratch_databases: ScratchDatabases, scratch_redis: ScratchRedis
) -> None:
    url = scratch_databases.create("postgresql")
    migrate(url)
    engine = create_engine(make_url(url))
    with Session(engine) as session, session.begin():
        load_bundles(session, seed_bundle_paths(), kinds=KINDS)
    writer, follower_writer, importer, limited = (
        committed_key(url, name, (Scope.WRITE,))
        for name in ("cluster-writer", "feed-writer", "importer", "limited")
    )
    env = {
        "NEWSFACTS_REDIS_URL": scratch_redis.url,
        "NEWSFACTS_REDIS_KEY_PREFIX": scratch_redis.prefix,
        "NEWSFACTS_RATE_LIMIT_PER_MINUTE": str(LIMIT),
    }
    with (
        live_server_process(url, env=env) as (a, a_process),
        live_server_process(url, env=env) as (b, _),
    ):
        # A write on A is read on B at once (B's read cache included: it keys on the data).
        assert httpx.get(f"{b}/v1/participants/cluster-written", timeout=10).status_code == 404
        body = participant("cluster-written")
        keyed = {**writer, "Idempotency-Key": "cluster-1"}
        created = httpx.post(f"{a}/v1/participants", json=body, headers=keyed, timeout=30)
        assert created.status_code == 201, created.text
        read = httpx.get(f"{b}/v1/participants/cluster-written", timeout=10)
        assert read.status_code == 200
        assert read.json() == created.json()
        assert read.headers["etag"] == created.headers["etag"]

        # A retry of that POST on B returns A's answer and writes nothing again.
        retried = httpx.post(f"{b}/v1/participants", json=body, headers=keyed, timeout=30)
        assert retried.status_code == 201
        assert retried.headers["idempotent-replayed"] == "true"
        assert retried.content == created.content

        # One limit for both instances: a key alternating between them gets LIMIT, not 2x.
        started = time.monotonic()
        statuses, refused_at = [], None
        for base in [a, b] * (LIMIT + 5):
            statuses.append(
                httpx.get(f"{base}/v1/articles", headers=limited, timeout=10).status_code
            )
            if statuses[-1] == 429 and refused_at is None:
                refused_at = (len(statuses), time.monotonic())
        assert LIMIT <= statuses.count(200) <= LIMIT + refill_bound(started)
        # Once refused, a request is served again only on a token refilled since (on a busy
        # machine a token comes back every 60 / LIMIT s while the loop runs).
        assert refused_at is not None
        after, refused_time = refused_at
        assert statuses[after:].count(200) <= refill_bound(refused_time)

        # The feed, followed on B while both write, misses nothing and is in commit order.
        seen, cursor = follow(b, None)
        for number in range(10):
            base = a if number % 2 else b
            record = participant(f"feed-{number}")
            made = httpx.post(
                f"{base}/v1/participants", json=record, headers=follower_writer, timeout=30
            )
            assert made.status_code == 201, made.text
            new, cursor = follow(b, cursor)
            assert [c["id"] for c in new] == [f"feed-{number}"]
            seen += new
        whole, _ = follow(a, None)
        assert [c["seq"] for c in seen] == [c["seq"] for c in whole]
        seqs = [c["seq"] for c in whole]
        assert seqs == sorted(seqs)
        assert len(set(seqs)) == len(seqs)

        # A is killed in the middle of an import: nothing committed is lost, the import
        # is all or nothing, and its retry on B (same Idempotency-Key) completes it.
        import_headers = {
            **importer,
            "Idempotency-Key": "cluster-import",
            "Content-Type": "application/json",
        }
        payload = httpx.Request("POST", "/", json=big_bundle()).content
        answers: list[httpx.Response | Exception] = []

        def post_import() -> None:
            try:
                answers.append(
                    httpx.post(
                        f"{a}/v1/imports", content=payload, headers=import_headers, timeout=300
                    )
                )
            except httpx.HTTPError as exc:
                answers.append(exc)

        importing = threading.Thread(target=post_import)
        importing.start()
        database = make_url(url).database
        deadline = time.monotonic() + 120
        with engine.connect() as connection:
            # The import holds the write lock (an advisory lock) while it writes.
            while not connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                    " WHERE l.locktype = 'advisory' AND l.granted AND d.datname = :name"
                ),
                {"name": database},
            ).scalar():
                assert importing.is_alive(), f"the import ended first: {answers}"
                assert time.monotonic() < deadline, "the import never started writing"
                time.sleep(0.01)
        a_process.send_signal(signal.SIGKILL)
        importing.join(timeout=60)
        assert answers
        assert not isinstance(answers[0], httpx.Response), "A answered though it was killed"

        # Everything committed before is there, in the same order (read from the database:
        # the feed now holds thousands of changes).
        assert feed_in_database(engine)[: len(whole)] == [(c["seq"], c["id"]) for c in whole]
        with Session(engine) as session:
            imported = session.get(Article, "cluster-import") is not None
            quotations = session.scalar(
                select(func.count())
                .select_from(Quotation)
                .where(Quotation.article_id == "cluster-import")
            )
        assert quotations == (BIG if imported else 0)  # all or nothing

        finished = httpx.post(
            f"{b}/v1/imports", content=payload, headers=import_headers, timeout=300
        )
        assert finished.status_code == 200, finished.text
        assert (finished.headers.get("idempotent-replayed") == "true") == imported
        with Session(engine) as session:
            assert session.get(Article, "cluster-import") is not None
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(Quotation)
                    .where(Quotation.article_id == "cluster-import")
                )
                == BIG
            )
        final = feed_in_database(engine)
        assert final[: len(whole)] == [(c["seq"], c["id"]) for c in whole]
        assert len(final) == len(whole) + 1 + 2 * BIG  # the article, people and quotations
        # ... and B serves that end of the feed too.
        tail, _ = follow(b, whole[-1]["cursor"], importer)  # 31 pages: a key's own bucket
        assert [(c["seq"], c["id"]) for c in tail][-3:] == final[-3:]

    engine.dispose()
