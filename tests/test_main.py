"""The app factory: what starting an app does to its process."""

from __future__ import annotations

import gc

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import main as app_main


def test_starting_an_app_freezes_the_heap_built_before_it(client: TestClient) -> None:
    # The collector no longer walks what startup built (the p99 in bench/README.md); the
    # first app in a process does it, so later apps in the same process start at no cost.
    assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() > 0


def test_only_the_first_app_of_a_process_collects_and_freezes(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A process that starts many apps (this test suite) must not pay a full collection each time.
    collections: list[int] = []
    monkeypatch.setattr(app_main.gc, "collect", lambda *a: collections.append(1) or 0)
    monkeypatch.setattr(app_main, "_heap_frozen", False)
    with TestClient(app):
        pass
    with TestClient(app):
        pass
    assert collections == [1]
