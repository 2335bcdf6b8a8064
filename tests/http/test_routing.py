"""DatabaseRoute and the request session: where an endpoint runs, and how its session ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import APIRouter, FastAPI, HTTPException, Query
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.core.db import (
    begin_write,
    create_db_engine,
    create_session_factory,
    migrate,
    read_generation,
)
from app.core.schemas import ListQuery
from app.http.dependencies import SessionDep
from app.http.routing import DatabaseRoute
from tests.databases import ScratchDatabases


class SearchQuery(ListQuery):
    """A list query with a text search, as the quotation and participant lists have."""

    q: str | None = None


@pytest.fixture(scope="module")
def scratch_engine(backend: str, scratch_databases: ScratchDatabases) -> Iterator[Engine]:
    """A migrated database of its own: the write routes here commit."""
    url = scratch_databases.create(backend)
    migrate(url)
    engine = create_db_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(scratch_engine: Engine) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.session_factory = create_session_factory(scratch_engine)
    router = APIRouter(route_class=DatabaseRoute)

    @router.get("/loop")
    async def loop() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    @router.get("/read")
    def read(session: SessionDep) -> dict[str, int]:
        session.execute(text("SELECT 1"))
        return {"thread": threading.get_ident()}

    @router.get("/search")
    def search(session: SessionDep, query: Annotated[SearchQuery, Query()]) -> dict[str, int]:
        session.execute(text("SELECT 1"))
        return {"thread": threading.get_ident()}

    @router.get("/no-session")
    def no_session() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    @router.post("/write")
    def write(session: SessionDep) -> dict[str, int]:
        begin_write(session)
        return {"thread": threading.get_ident()}

    @router.post("/refused-write")
    def refused_write(session: SessionDep) -> dict[str, int]:
        begin_write(session)
        raise HTTPException(409, "refused after writing")

    @router.get("/failing-read")
    def failing_read(session: SessionDep) -> dict[str, int]:
        session.execute(text("SELECT 1"))
        raise HTTPException(404, "not there")

    app.include_router(router)
    with TestClient(app) as test_client:
        yield test_client


def thread_of(client: TestClient, method: str, path: str, **params: str) -> int:
    response = client.request(method, path, params=params)
    assert response.status_code == 200, response.text
    return int(response.json()["thread"])


def test_a_sqlite_read_runs_on_the_event_loop_and_a_postgresql_read_in_a_thread(
    client: TestClient, backend: str
) -> None:
    loop = thread_of(client, "GET", "/loop")
    on_loop = thread_of(client, "GET", "/read") == loop
    assert on_loop is (backend == "sqlite")
    assert (thread_of(client, "GET", "/search") == loop) is (backend == "sqlite")


def test_a_text_search_a_write_and_a_sessionless_endpoint_run_in_a_worker_thread(
    client: TestClient,
) -> None:
    loop = thread_of(client, "GET", "/loop")
    assert thread_of(client, "GET", "/search", q="word") != loop
    assert thread_of(client, "POST", "/write") != loop
    assert thread_of(client, "GET", "/no-session") != loop


def test_a_write_commits_and_a_refused_one_rolls_back(
    client: TestClient, scratch_engine: Engine
) -> None:
    before = read_generation(scratch_engine)
    assert client.post("/write").status_code == 200
    assert read_generation(scratch_engine) == before + 1  # begin_write counted it
    assert client.post("/refused-write").status_code == 409
    assert read_generation(scratch_engine) == before + 1  # its count was rolled back


def test_every_session_gives_its_connection_back(
    client: TestClient, scratch_engine: Engine
) -> None:
    for method, path in [
        ("GET", "/read"),
        ("GET", "/search?q=word"),
        ("GET", "/failing-read"),
        ("POST", "/write"),
        ("POST", "/refused-write"),
    ]:
        client.request(method, path)
        assert scratch_engine.pool.checkedout() == 0, path  # type: ignore[attr-defined]
