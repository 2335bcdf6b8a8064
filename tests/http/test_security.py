"""Security headers, CORS, the rate limit and the statement time limit."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core.config import Settings
from app.http.dependencies import SessionDep
from app.http.ratelimit import RateLimiter
from app.main import create_app
from tests.api import assert_problem, committed_key


def test_every_response_carries_security_headers(client: TestClient) -> None:
    for path in ["/v1/quotations", "/v1/nowhere", "/healthz"]:
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
    docs = client.get("/docs")
    assert "script-src" in docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_cors_allows_reads_from_any_origin_without_credentials(client: TestClient) -> None:
    response = client.get("/v1/quotations", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "ETag" in response.headers["access-control-expose-headers"]
    preflight = client.options(
        "/v1/quotations/x",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "PATCH"},
    )
    assert preflight.status_code == 400  # writes are not allowed cross-origin by default


def test_cors_allow_list_from_settings(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        cors_allow_origins=["https://newsroom.example"],
        cors_allow_writes=True,
    )
    with TestClient(create_app(settings)) as client:
        allowed = client.options(
            "/v1/quotations/x",
            headers={
                "Origin": "https://newsroom.example",
                "Access-Control-Request-Method": "PATCH",
            },
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://newsroom.example"
        other = client.get("/v1/articles", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_the_rate_limit_answers_429_with_retry_after(database_url: str) -> None:
    valid_key = committed_key(database_url, "rate-limited-reader")
    with TestClient(create_app(Settings(database_url=database_url, rate_limit_per_minute=5))) as c:
        answers = [c.get("/v1/articles") for _ in range(7)]
        assert [a.status_code for a in answers[:5]] == [200] * 5
        assert answers[0].headers["ratelimit-limit"] == "5"
        assert [int(a.headers["ratelimit-remaining"]) for a in answers[:5]] == [4, 3, 2, 1, 0]
        refused = answers[5]
        assert_problem(refused, 429)
        assert int(refused.headers["retry-after"]) >= 1
        # A valid API key has its own bucket; an invalid one spends the address's (spent);
        # health checks are exempt.
        keyed = c.get("/v1/articles", headers=valid_key)
        assert keyed.status_code == 200
        assert keyed.headers["ratelimit-remaining"] == "4"
        bogus = c.get("/v1/articles", headers={"Authorization": "Bearer nf_x_y"})
        assert_problem(bogus, 429)
        assert c.get("/healthz").status_code == 200


def test_tokens_come_back_with_time() -> None:
    limiter = RateLimiter(per_minute=60)
    now = [1000.0]
    limiter._now = lambda: now[0]
    for _ in range(60):
        assert limiter.take("c")[0]
    allowed, remaining, wait = limiter.take("c")
    assert (allowed, remaining, wait) == (False, 0, 1)
    now[0] += 1.0
    assert limiter.take("c")[0]


SLOW_SQL = {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)"
    " SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(3)",
}


def test_a_statement_over_the_time_limit_is_a_503(backend: str, database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, statement_timeout_ms=200))

    @app.get("/slow")
    def slow(session: SessionDep) -> dict[str, Any]:
        return {"n": session.execute(text(SLOW_SQL[backend])).scalar()}

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/slow")
        body = assert_problem(response, 503)
        assert "longer than" in body["detail"]
        # The connection is fine afterwards: the next request is served.
        assert client.get("/v1/articles").status_code == 200


@pytest.mark.parametrize("limit", [0])
def test_no_rate_limit_when_turned_off(database_url: str, limit: int) -> None:
    with TestClient(
        create_app(Settings(database_url=database_url, rate_limit_per_minute=limit))
    ) as client:
        response = client.get("/v1/articles")
        assert "ratelimit-limit" not in response.headers


def test_api_keys_never_reach_logs_or_error_bodies(
    client: TestClient, make_key: Any, caplog: pytest.LogCaptureFixture
) -> None:
    header = make_key("read")
    secret = header["Authorization"].removeprefix("Bearer ")
    forged = secret[:-4] + "abcd"
    caplog.set_level("DEBUG")
    responses = [
        client.post("/v1/participants", json={}, headers=header),  # 403: read-only key
        client.post("/v1/participants", json={}, headers={"Authorization": f"Bearer {forged}"}),
        client.get("/v1/quotations", headers=header),
    ]
    assert [r.status_code for r in responses] == [403, 401, 200]
    for response in responses:
        assert secret not in response.text
        assert forged not in response.text
    assert secret not in caplog.text
    assert forged not in caplog.text
