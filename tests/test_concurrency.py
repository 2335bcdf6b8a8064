"""Parallel writers never lose an update: If-Match plus serialized write transactions."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.service import Scope, create_key
from app.core.db import create_db_engine
from app.models.change import ChangeRecord
from tests.databases import ScratchDatabases
from tests.live import live_server

WRITERS = 4
UPDATES_EACH = 5
PARTICIPANT = "vladimir-putin"


@pytest.fixture
def two_worker_server(
    backend: str, scratch_databases: ScratchDatabases
) -> Iterator[tuple[str, str]]:
    """A two-worker server on a new seeded database; yields its base URL and the DB URL."""
    url = scratch_databases.create(backend)
    with live_server(url, workers=2, env={"NEWSFACTS_RATE_LIMIT_PER_MINUTE": "0"}) as base:
        yield base, url


def test_parallel_read_modify_write_loses_nothing(two_worker_server: tuple[str, str]) -> None:
    base, url = two_worker_server
    engine = create_db_engine(url)
    try:
        with Session(engine) as session, session.begin():
            _, key = create_key(session, "racer", [Scope.WRITE])
        headers = {"Authorization": f"Bearer {key}"}
        path = f"{base}/v1/participants/{PARTICIPANT}"
        original = len(httpx.get(path).json()["aliases"])
        outcomes: dict[str, int] = {"ok": 0, "stale": 0}
        errors: list[str] = []
        lock = threading.Lock()

        def writer(number: int) -> None:
            with httpx.Client(timeout=30) as client:
                for update in range(UPDATES_EACH):
                    for _attempt in range(200):
                        current = client.get(path)
                        aliases = current.json()["aliases"]
                        aliases.append({"alias": f"racer {number}-{update}", "language": "en"})
                        response = client.patch(
                            path,
                            json={"aliases": aliases},
                            headers={**headers, "If-Match": current.headers["etag"]},
                        )
                        with lock:
                            if response.status_code == 200:
                                outcomes["ok"] += 1
                                break
                            if response.status_code == 412:
                                outcomes["stale"] += 1
                                continue
                            errors.append(f"{response.status_code} {response.text}")
                            return
                    else:
                        errors.append("gave up after 200 stale attempts")

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert outcomes["ok"] == WRITERS * UPDATES_EACH
        final = httpx.get(path).json()["aliases"]
        racer_aliases = {a["alias"] for a in final if a["alias"].startswith("racer ")}
        # Every successful update survives: none was overwritten by a concurrent writer.
        assert len(racer_aliases) == WRITERS * UPDATES_EACH
        assert len(final) == original + WRITERS * UPDATES_EACH
        with Session(engine) as session:
            audited = session.scalar(
                select(func.count())
                .select_from(ChangeRecord)
                .where(ChangeRecord.record_id == PARTICIPANT, ChangeRecord.actor == "racer")
            )
        assert audited == WRITERS * UPDATES_EACH
    finally:
        engine.dispose()
