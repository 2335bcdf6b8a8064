"""Hardening II, in-process: each finding of the attack review, held by a test that failed
before its fix (the live-server attacks are in tests/attacks/)."""

from __future__ import annotations

import base64
import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import (
    begin_write,
    create_db_engine,
    create_session_factory,
    migrate,
    read_generation,
)
from app.core.spans import SpanError, resolve_span
from app.core.strict_json import loads_yaml
from app.kinds import KINDS
from app.main import create_app
from tests.api import assert_problem
from tests.conftest import KeyMaker

ARTICLE_ID = "lukashenka-putin-sochi-2018"


def b64(payload: Any) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


# --- 2. the write lock is taken last; parsing and span resolution are linear ---------------


def test_forty_thousand_distinct_keys_parse_in_linear_time() -> None:
    document = "\n".join(f"key{n}: {n}" for n in range(40_000))
    started = time.monotonic()
    assert len(loads_yaml(document)) == 40_000
    assert time.monotonic() - started < 10  # quadratic: about a minute


def test_a_duplicate_key_is_still_refused() -> None:
    with pytest.raises(Exception, match="appears twice"):
        loads_yaml("a: 1\nb: 2\na: 3\n")


def test_a_huge_occurrence_of_one_letter_is_found_or_refused_in_linear_time() -> None:
    text = "a" * 1_000_000
    started = time.monotonic()
    for _ in range(100):
        assert resolve_span(text, "a", 100_000).start == 99_999
        assert resolve_span(text, "aa", 100_000).start == 99_999
        with pytest.raises(SpanError, match="occurs only"):
            resolve_span(text[:50_000], "a", 100_000)
    assert time.monotonic() - started < 15  # counted in a Python loop: half a minute


def test_an_unauthenticated_write_is_a_401_while_another_writer_holds_the_lock(
    database_url: str, engine: Engine
) -> None:
    app = create_app(Settings(database_url=database_url, read_cache_entries=0))
    holder = create_session_factory(engine)()
    begin_write(holder)  # another writer, in the middle of its transaction
    try:
        with TestClient(app) as client:
            started = time.monotonic()
            response = client.post("/v1/issues", json={"id": "x"})
            imported = client.post(
                "/v1/imports", content=b"{}", headers={"Content-Type": "application/json"}
            )
            elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert_problem(response, 401)
    assert_problem(imported, 401)
    assert elapsed < 3  # it did not queue for the lock (SQLite's busy timeout is 5 s)


def test_a_dry_run_takes_no_write_lock(
    database_url: str, engine: Engine, backend: str, make_key: KeyMaker, session: Session
) -> None:
    """A dry run does not count as a write (the read caches stay warm) and, on PostgreSQL,
    goes through while another writer holds the lock."""
    from app.auth.service import Scope, create_key

    with create_session_factory(engine)() as key_session, key_session.begin():
        _, plaintext = create_key(key_session, f"dry-run-{time.monotonic_ns()}", [Scope.WRITE])
    bundle = Path("app/bundles/seed/lukashenka-putin-sochi-2018.yaml").read_bytes()
    app = create_app(Settings(database_url=database_url, read_cache_entries=0))
    headers = {"Authorization": f"Bearer {plaintext}", "Content-Type": "application/yaml"}
    with TestClient(app) as client:
        before = read_generation(engine)
        response = client.post(
            "/v1/imports", params={"dry_run": "true"}, headers=headers, content=bundle
        )
        assert response.status_code == 200, response.text
        assert read_generation(engine) == before
        if backend == "postgresql":
            holder = create_session_factory(engine)()
            begin_write(holder)
            try:
                started = time.monotonic()
                response = client.post(
                    "/v1/imports", params={"dry_run": "true"}, headers=headers, content=bundle
                )
                assert response.status_code == 200, response.text
                assert time.monotonic() - started < 4  # the statement timeout is 5 s
            finally:
                holder.rollback()
                holder.close()


# --- 4. cache keys -------------------------------------------------------------------------


def test_the_scheme_is_part_of_the_read_cache_key(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))
    with TestClient(app, base_url="https://testserver") as secure:
        link = secure.get("/v1/events", params={"limit": 1}).headers["link"]
        assert link.startswith("<https://testserver/")
    with TestClient(app, base_url="http://testserver") as plain:
        response = plain.get("/v1/events", params={"limit": 1})
        assert response.headers["link"].startswith("<http://testserver/")
        again = plain.get("/v1/events", params={"limit": 1})
        assert again.headers["x-cache"] == "hit"
        assert again.headers["link"].startswith("<http://testserver/")


def test_serve_believes_forwarded_headers_only_from_trusted_proxies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from app import cli
    from app.core.config import get_settings

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(cli, "migrate", lambda *_args: None)
    for trusted in (None, '["10.0.0.1", "10.1.0.0/16"]'):
        if trusted is None:
            monkeypatch.delenv("NEWSFACTS_TRUSTED_PROXIES", raising=False)
        else:
            monkeypatch.setenv("NEWSFACTS_TRUSTED_PROXIES", trusted)
        get_settings.cache_clear()
        cli.serve_command(host="127.0.0.1", port=1, workers=1, seed=False)
    get_settings.cache_clear()
    untrusted, trusting = calls
    assert untrusted["proxy_headers"] is False
    assert trusting["proxy_headers"] is True
    # The setting holds networks: a single address is its /32.
    assert trusting["forwarded_allow_ips"] == "10.0.0.1/32,10.1.0.0/16"
    assert untrusted["timeout_graceful_shutdown"] <= 10


# --- 5. CSV formula cells ----------------------------------------------------------------


def test_csv_cells_that_could_be_formulas_are_neutralised(
    client: TestClient, writer: dict[str, str]
) -> None:
    names = ['=HYPERLINK("http://evil")', "+1+2", "-3", "@SUM(A1)", "plain"]
    for n, name in enumerate(names):
        response = client.post(
            "/v1/participants",
            headers=writer,
            json={
                "id": f"formula-{n}",
                "name": name,
                "kind": "person",
                "evidence": [{"article_id": ARTICLE_ID, "text": "Vladimir Putin", "occurrence": 1}],
            },
        )
        assert response.status_code == 201, response.text
    exported = client.get("/v1/export", params={"kind": "participants", "format": "csv"}).text
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported, newline=""))}
    for n, name in enumerate(names):
        cell = rows[f"formula-{n}"]["name"]
        assert cell == (name if name == "plain" else "'" + name)
    lines = client.get("/v1/export", params={"kind": "participants"}).text.splitlines()
    exported_names = {json.loads(line)["id"]: json.loads(line)["name"] for line in lines}
    assert [exported_names[f"formula-{n}"] for n in range(len(names))] == names


def test_tab_and_carriage_return_prefixes_are_neutralised_too() -> None:
    from app.exports.service import neutralise

    assert neutralise("\tx") == "'\tx"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("a=b") == "a=b"


# --- 6. the SQLite file ------------------------------------------------------------------


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[tuple[FastAPI, Path, dict[str, str]]]:
    from app.auth.service import Scope, create_key
    from app.bundles.loader import load_bundles, seed_bundle_paths

    path = tmp_path / "newsfacts.db"
    url = f"sqlite:///{path}"
    migrate(url)
    engine = create_db_engine(url)
    with Session(engine) as session, session.begin():
        load_bundles(session, seed_bundle_paths(), kinds=KINDS)
        _, plaintext = create_key(session, "curator", [Scope.WRITE])
    engine.dispose()
    app = create_app(Settings(database_url=url, read_cache_entries=0))
    yield app, path, {"Authorization": f"Bearer {plaintext}"}
    if path.exists():
        path.chmod(0o644)


def issue(n: int) -> dict[str, Any]:
    return {
        "id": f"file-health-{n}",
        "title": "An issue",
        "category": "trade",
        "evidence": [{"article_id": ARTICLE_ID, "text": "after the inauguration"}],
    }


@pytest.mark.parametrize("damage", ["removed", "replaced", "read-only"])
def test_a_damaged_sqlite_file_is_noticed_by_readyz_and_writes(
    sqlite_app: tuple[FastAPI, Path, dict[str, str]], damage: str
) -> None:
    app, path, writer = sqlite_app
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        assert client.post("/v1/issues", json=issue(1), headers=writer).status_code == 201
        if damage == "removed":
            path.unlink()
        elif damage == "replaced":
            copy = path.read_bytes()
            path.unlink()
            path.write_bytes(copy)  # the same bytes in another inode
        else:
            path.chmod(0o444)
        assert_problem(client.get("/readyz"), 503)
        assert_problem(client.post("/v1/issues", json=issue(2), headers=writer), 503)
        assert client.get("/healthz").status_code == 200


# --- 7. cursors ----------------------------------------------------------------------------

LISTS = [
    ("/v1/events", {}),
    ("/v1/events", {"sort": "date"}),
    ("/v1/events", {"sort": "-date"}),
    ("/v1/events", {"q": "session"}),
    ("/v1/quotations", {}),
    ("/v1/quotations", {"sort": "said_on"}),
    ("/v1/quotations", {"sort": "-said_on"}),
    ("/v1/quotations", {"q": "the"}),
    ("/v1/quotations", {"q": "issues"}),
    ("/v1/quotations", {"q": "we the"}),
    ("/v1/quotations", {"q": "the", "sort": "relevance", "speaker": "alyaksandr-lukashenka"}),
    ("/v1/quotations", {"q": "the", "sort": "said_on"}),
    ("/v1/quotations", {"q": "the", "sort": "-said_on"}),
    ("/v1/issues", {}),
    ("/v1/issues", {"q": "the"}),
    ("/v1/participants", {}),
    ("/v1/participants", {"q": "belarus"}),
    ("/v1/articles", {}),
    ("/v1/participants/alyaksandr-lukashenka/quotations", {}),
]
FORGED_KEYS = [1e308, -1e308, 10**30, 2**63, -(2**63), "x" * 301, "\u0000", [], {}, True, None]


@pytest.mark.parametrize(("path", "params"), LISTS)
def test_forged_cursor_keys_are_a_400_on_every_list_and_sort(
    client: TestClient, writer: dict[str, str], path: str, params: dict[str, str]
) -> None:
    parameter = "cursor"
    if path == "/v1/articles":  # the seed has one: add another
        article = {"id": "second-article", "title": "T", "language": "en", "text": "Text."}
        assert client.post(path, json=article, headers=writer).status_code == 201
    response = client.get(path, params={**params, "limit": 1})
    assert response.status_code == 200, response.text
    cursor = response.json()["next_cursor"]
    if cursor is None:
        pytest.fail(f"{path} {params} has a single page: pick a list with two")
    payload = unb64(cursor)
    for index in range(len(payload["k"])):
        for forged in FORGED_KEYS:
            keys = list(payload["k"])
            keys[index] = forged
            forged_cursor = b64({**payload, "k": keys})
            answer = client.get(path, params={**params, parameter: forged_cursor})
            allowed = (200, 400, 422) if len(forged_cursor) > 512 else (200, 400)
            assert answer.status_code in allowed, (path, params, index, forged, answer.text)
            if answer.status_code == 200:
                # Only a key of the right type and range may be accepted: an id-like string,
                # or a null for a key that may be null (an undated record).
                assert forged is None or isinstance(forged, str), (path, index, forged)
                assert forged is None or (len(forged) <= 300 and forged.isprintable())


def test_a_forged_change_feed_cursor_is_a_400(client: TestClient) -> None:
    since = client.get("/v1/changes", params={"limit": 1}).json()["next_cursor"]
    payload = unb64(since)
    for forged in FORGED_KEYS:
        response = client.get("/v1/changes", params={"since": b64({**payload, "k": [forged]})})
        assert_problem(response, 400)


# --- 8. HTTP details ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/events", "GET, HEAD, POST"),
        ("DELETE", "/v1/quotations", "GET, HEAD, POST"),
        ("POST", "/healthz", "GET, HEAD"),
        ("PUT", "/v1/issues/food-supplies-to-russia", "DELETE, GET, HEAD, PATCH"),
        ("DELETE", "/v1/imports", "POST"),
    ],
)
def test_a_405_names_the_allowed_methods(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    body = assert_problem(response, 405)
    assert response.headers["allow"] == allowed
    assert body["detail"].endswith(f"use {allowed}.")


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/v1/events",
        "/v1/quotations/lukashenka-good-relations-with-putin",
        f"/articles/{ARTICLE_ID}",
        "/v1/export?kind=issues",
        "/openapi.json",
        "/docs",
    ],
)
def test_head_answers_wherever_get_does(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if path != "/docs":  # the docs page carries a fresh nonce each time
        for name in ("etag", "content-length"):
            assert head.headers.get(name) == got.headers.get(name)


def test_if_match_uses_the_strong_comparison(client: TestClient, writer: dict[str, str]) -> None:
    url = "/v1/issues/food-supplies-to-russia"
    etag = client.get(url).headers["etag"]
    weak = client.patch(
        url, json={"category": "other"}, headers={**writer, "If-Match": f"W/{etag}"}
    )
    assert_problem(weak, 412)
    strong = client.patch(url, json={"category": "other"}, headers={**writer, "If-Match": etag})
    assert strong.status_code == 200, strong.text
    assert (
        client.get(url, headers={"If-None-Match": f"W/{strong.headers['etag']}"}).status_code == 304
    )


# --- 10. read-key mode ---------------------------------------------------------------------


def test_read_key_mode_covers_metrics_openapi_and_docs(
    database_url: str, session: Session, make_key: KeyMaker
) -> None:
    from app.http.dependencies import get_session
    from tests.api import request_transaction

    app = create_app(Settings(database_url=database_url, require_read_key=True))
    app.dependency_overrides[get_session] = request_transaction(session)
    reader = make_key("read")
    with TestClient(app) as client:
        for path in ("/metrics", "/openapi.json", "/docs", "/redoc"):
            assert_problem(client.get(path), 401)
            assert client.get(path, headers=reader).status_code == 200, path
        assert client.get("/healthz").status_code == 200
        assert client.get("/openapi.json", headers=reader).json()["info"]["title"] == "newsfacts"


def test_the_change_feed_names_keys_only_to_administrators(
    client: TestClient, make_key: KeyMaker, session: Session
) -> None:
    from sqlalchemy import select

    from app.models.api_key import ApiKey

    writer = make_key("write", name="alice-the-curator")
    body = issue(99)
    assert client.post("/v1/issues", json=body, headers=writer).status_code == 201
    key_id = session.scalar(select(ApiKey.id).where(ApiKey.name == "alice-the-curator"))

    def actors(headers: dict[str, str] | None = None) -> set[str]:
        items = client.get("/v1/changes", params={"limit": 100}, headers=headers).json()["items"]
        cursor = items[-1]["cursor"] if items else None
        while cursor:
            page = client.get("/v1/changes", params={"since": cursor}, headers=headers).json()
            items += page["items"]
            cursor = page["items"][-1]["cursor"] if page["items"] else None
        return {item["actor"] for item in items}

    public = actors()
    assert "alice-the-curator" not in public
    assert f"key-{key_id}" in public
    assert "alice-the-curator" not in actors(make_key("read"))
    assert "alice-the-curator" in actors(make_key("admin"))


# --- 3. the article page -------------------------------------------------------------------


def test_the_article_page_is_bounded_and_paginated(
    database_url: str, session: Session, client: TestClient, writer: dict[str, str]
) -> None:
    from app.http.dependencies import get_session
    from tests.api import request_transaction

    for n in range(7):
        response = client.post(
            "/v1/issues", json={**issue(n), "id": f"page-issue-{n}"}, headers=writer
        )
        assert response.status_code == 201, response.text
    app = create_app(Settings(database_url=database_url, read_cache_entries=0, page_max_spans=5))
    app.dependency_overrides[get_session] = request_transaction(session)
    with TestClient(app) as small:
        first = small.get(f"/articles/{ARTICLE_ID}")
        assert first.status_code == 200
        assert first.text.count('data-span="s') <= 5 * 3  # a span may be cut into pieces
        assert len(set(_span_keys(first.text))) == 5
        assert f'href="/articles/{ARTICLE_ID}?page=2" rel="next"' in first.text
        pages = 1
        page = first
        while 'rel="next"' in page.text:
            pages += 1
            page = small.get(f"/articles/{ARTICLE_ID}", params={"page": pages})
            assert page.status_code == 200
            assert 1 <= len(set(_span_keys(page.text))) <= 5
        assert small.get(f"/articles/{ARTICLE_ID}", params={"page": pages + 1}).status_code == 404


def _span_keys(html: str) -> list[str]:
    import re

    return re.findall(r'data-span="(s\d+)"', html)


def test_the_article_page_is_built_off_the_event_loop(client: TestClient) -> None:
    from app.pages import service

    threads: list[int] = []
    original = service.get_article_page

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return original(*args, **kwargs)

    service.get_article_page = spy  # type: ignore[assignment]
    try:
        assert client.get(f"/articles/{ARTICLE_ID}").status_code == 200
    finally:
        service.get_article_page = original  # type: ignore[assignment]
    assert client.portal is not None
    loop_thread = client.portal.call(threading.get_ident)
    assert threads
    assert threads[0] != loop_thread


def test_the_article_page_is_cached_like_the_api(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))
    with TestClient(app) as client:
        client.get(f"/articles/{ARTICLE_ID}")
        again = client.get(f"/articles/{ARTICLE_ID}")
        assert again.headers["x-cache"] == "hit"
        assert "etag" in again.headers
        as_json = client.get("/articles/does-not-exist", headers={"Accept": "application/json"})
        assert as_json.status_code == 404
