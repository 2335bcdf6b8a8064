"""The app factory: what starting an app does to its process."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient


def test_starting_an_app_freezes_the_heap_built_before_it(client: TestClient) -> None:
    # The collector no longer walks what startup built (the p99 in bench/README.md); the
    # first app in a process does it, so later apps in the same process start at no cost.
    assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() > 0
