"""Helpers for API tests: walking cursors, checking evidence and problem documents."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.service import Scope, create_key
from app.core.db import create_db_engine

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def walk(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, following next_cursor (and checking the Link header agrees)."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(10_000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in response.headers
            return items
        assert response.headers["link"].endswith('>; rel="next"')
        assert f"cursor={cursor}" in response.headers["link"]
    raise AssertionError("pagination did not end")


def assert_evidence_true(client: TestClient, evidence: list[dict[str, Any]]) -> None:
    """Every span's text is exactly its article's text[start:end]."""
    assert evidence, "a fact must carry evidence"
    texts: dict[str, str] = {}
    for span in evidence:
        assert set(span) == {"article_id", "start", "end", "text"}
        article_id = span["article_id"]
        if article_id not in texts:
            texts[article_id] = client.get(f"/v1/articles/{article_id}").json()["text"]
        assert 0 <= span["start"] < span["end"] <= len(texts[article_id])
        assert texts[article_id][span["start"] : span["end"]] == span["text"]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with this status; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def request_transaction(
    session: Session | Callable[[], Session],
) -> Callable[[], AsyncIterator[Session]]:
    """Like app.http.dependencies.get_session, on the test's session (or the one a function
    returns at each request): commit, or roll back on error.

    The session's commits are savepoints inside the test's transaction, so a refused request
    rolls back only its own work (as in production) and the test still ends rolled back.
    """

    # Async, so FastAPI runs it on the event loop: a sync generator would cost two hand-offs
    # to a worker thread a request, and the suite makes tens of thousands of requests.
    current = session if callable(session) else lambda: session

    async def dependency() -> AsyncIterator[Session]:
        request_session = current()
        request_session.commit()
        try:
            yield request_session
            request_session.commit()
        except BaseException:
            request_session.rollback()
            raise

    return dependency


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


def is_transaction_control(statement: str) -> bool:
    """Whether a SQL statement only manages the transaction (not counted as a query)."""
    return statement.lstrip().upper().startswith(TRANSACTION_CONTROL)


def committed_key(
    database_url: str, name: str, scopes: tuple[Scope, ...] = (Scope.READ,)
) -> dict[str, str]:
    """A key committed to the database (the rate limit looks keys up on its own)."""
    engine = create_db_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            _, plaintext = create_key(session, f"{name}-{uuid.uuid4().hex[:8]}", list(scopes))
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {plaintext}"}
