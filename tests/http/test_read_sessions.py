"""Reads on PostgreSQL served on the event loop (app.core.db.create_read_engine,
app.http.dependencies.run_in_session): the same answers as reads in a worker thread, with no
thread and no transaction; and no pooled connection the server has closed is handed out."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from app.core.config import Settings
from app.main import create_app


def _app(database_url: str) -> FastAPI:
    return create_app(Settings(database_url=database_url, read_cache_entries=0))


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(_app(database_url)) as client:
        yield client


def _read_urls(client: TestClient) -> list[str]:
    """A GET of every read route on the seed, searches and a second page included."""
    quotation = client.get("/v1/quotations?limit=1").json()["items"][0]
    event_id, speaker = quotation["event_id"], quotation["speaker"]["id"]
    first = client.get("/v1/quotations?limit=2")
    urls = [
        "/v1/quotations",
        f"/v1/quotations?{first.headers['link'].split('?', 1)[1].split('>', 1)[0]}",
        f"/v1/quotations/{quotation['id']}",
        f"/v1/quotations?speaker={speaker}&kind=direct",
        "/v1/quotations?q=market",
        '/v1/quotations?q="bilateral relations" -army',
        "/v1/quotations?q=nothingofthesort",
        "/v1/quotations/no-such-quotation",
        "/v1/articles",
        f"/v1/articles/{quotation['article_id']}",
        "/v1/events",
        f"/v1/events/{event_id}",
        f"/v1/events/{event_id}/agenda",
        f"/v1/events/{event_id}/quotations",
        "/v1/issues",
        f"/v1/issues/{quotation['issue_ids'][0]}",
        f"/v1/issues/{quotation['issue_ids'][0]}/quotations",
        "/v1/participants?q=luka",
        f"/v1/participants/{speaker}",
        f"/v1/participants/{speaker}/quotations",
        "/v1/changes?limit=5",
        "/v1/quotations?cursor=forged",
    ]
    return urls


def test_sqlite_reads_run_in_process_without_a_read_engine(
    backend: str, client: TestClient
) -> None:
    app: Any = client.app
    if backend == "sqlite":
        assert app.state.read_engine is None
        assert app.state.read_session_factory is None
    else:
        assert app.state.read_engine.dialect.name == "postgresql"
        assert app.state.read_engine.dialect.is_async


def test_reads_on_the_event_loop_answer_as_reads_in_a_thread(
    backend: str, database_url: str, client: TestClient
) -> None:
    if backend != "postgresql":
        pytest.skip("reads on the event loop are PostgreSQL's: this is the SQLite run")
    app: Any = client.app
    loop_thread = client.portal.call(threading.get_ident)
    seen: list[tuple[int, bool]] = []

    @event.listens_for(app.state.read_engine.sync_engine, "before_cursor_execute")
    def _on_execute(connection: Any, *_args: Any) -> None:
        driver_connection = connection.connection.driver_connection
        seen.append((threading.get_ident(), driver_connection.autocommit))

    threaded_app = _app(database_url)
    threaded_app.state.read_session_factory = None  # every read in a worker thread, as before
    with TestClient(threaded_app) as threaded:
        for url in _read_urls(threaded):
            for method in ("GET", "HEAD"):
                seen.clear()
                ours, theirs = client.request(method, url), threaded.request(method, url)
                assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)
                assert ours.headers.get("etag") == theirs.headers.get("etag"), url
                assert ours.headers.get("link") == theirs.headers.get("link"), url
                if url.startswith("/v1/quotations?cursor"):
                    assert ours.status_code == 400
                    continue
                # Every statement of the read ran on the event loop's thread, in autocommit.
                assert seen, url
                assert set(seen) == {(loop_thread, True)}, url


def test_a_connection_the_server_closed_is_never_handed_out(
    backend: str, database_url: str, client: TestClient
) -> None:
    """A restart or a terminated backend: the next request gets a new connection, not a 503
    (the check costs no round trip: app.core.db._discard_closed_connections)."""
    if backend != "postgresql":
        pytest.skip("a server closing connections is PostgreSQL's: this is the SQLite run")
    app: Any = client.app
    engines: list[Engine] = [app.state.engine, app.state.read_engine.sync_engine]
    pids: list[int] = []
    for engine in engines:
        event.listen(
            engine,
            "connect",
            lambda _dbapi, record: pids.append(record.driver_connection.info.backend_pid),
        )
    article = client.get("/v1/articles?limit=1").json()["items"][0]["id"]
    # A read on the event loop (the read engine), and the article page (a worker thread: the
    # engine of writes and streams): each pool now holds an idle connection.
    urls = ["/v1/quotations?limit=1", f"/articles/{article}"]
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert len(pids) == 2
    _terminate(database_url, list(pids))
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert len(pids) == 4  # two new connections replaced the closed ones


def _terminate(database_url: str, pids: list[int]) -> None:
    """End these backends as an administrator would, and wait until they are gone."""
    url = make_url(database_url)
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
        autocommit=True,
    ) as admin:  # fmt: skip
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)
            ).fetchone()
            if left is not None and left[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"backends {pids} still running")


def test_a_cached_read_looks_its_generation_up_on_the_event_loop(
    backend: str, database_url: str
) -> None:
    """app.http.read_cache: on PostgreSQL the generation a cached answer is keyed on is read
    through the read engine, on the event loop's thread, with no thread hop."""
    if backend != "postgresql":
        pytest.skip("the read engine is PostgreSQL's: this is the SQLite run")
    app: Any = create_app(Settings(database_url=database_url))
    with TestClient(app) as client:
        loop_thread = client.portal.call(threading.get_ident)
        lookups: list[int] = []

        @event.listens_for(app.state.read_engine.sync_engine, "before_cursor_execute")
        def _on_execute(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if "data_generation" in statement:
                lookups.append(threading.get_ident())

        first = client.get("/v1/quotations?limit=3")
        again = client.get("/v1/quotations?limit=3")
        assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
        assert again.content == first.content
        assert lookups == [loop_thread, loop_thread]
