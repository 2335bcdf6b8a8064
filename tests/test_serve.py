"""`newsfacts serve` (what `make run` runs): migrate, seed an empty database, serve HTTP."""

from __future__ import annotations

import httpx

from tests.databases import ScratchDatabases
from tests.live import live_server


def test_serve_migrates_seeds_and_answers(
    backend: str, scratch_databases: ScratchDatabases
) -> None:
    with live_server(scratch_databases.create(backend)) as base:
        agenda = httpx.get(f"{base}/v1/events/lukashenka-putin-meeting-2018/agenda", timeout=5)
        assert agenda.status_code == 200
        assert agenda.json()["items"]
