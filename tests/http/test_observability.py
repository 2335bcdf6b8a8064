"""Observability: request ids, JSON logs, Prometheus metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.http.dependencies import get_session
from app.http.observability import request_id_from
from app.main import create_app
from tests.api import assert_problem, request_transaction

QUOTE = "/v1/quotations/lukashenka-good-relations-with-putin"


def make_client(database_url: str, session: Session, **settings: Any) -> TestClient:
    app = create_app(Settings(database_url=database_url, read_cache_entries=0, **settings))
    app.dependency_overrides[get_session] = request_transaction(session)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(database_url: str, session: Session) -> Iterator[TestClient]:
    """A client of an app of its own: these tests count what its metrics registry saw."""
    with make_client(database_url, session) as client:
        yield client


@pytest.fixture
def quiet_client(database_url: str, session: Session) -> Iterator[TestClient]:
    """A client of an app logging at warning."""
    with make_client(database_url, session, log_level="warning") as client:
        yield client


def log_lines(captured: str) -> list[dict[str, Any]]:
    """Every line written to stderr, each of which must be one JSON object."""
    lines = [line for line in captured.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert all(isinstance(record, dict) for record in records)
    return records


def access_lines(captured: str) -> list[dict[str, Any]]:
    return [r for r in log_lines(captured) if r["logger"] == "newsfacts.access"]


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, keyed by (name, sorted labels)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_total(client: TestClient, route: str, status: int, method: str = "GET") -> float:
    labels = (("method", method), ("route", route), ("status", str(status)))
    return samples(client).get(("newsfacts_http_requests_total", labels), 0.0)


# --- request ids --------------------------------------------------------------------------


def test_a_request_id_is_made_when_none_is_sent(client: TestClient) -> None:
    first = client.get(QUOTE).headers["x-request-id"]
    second = client.get(QUOTE).headers["x-request-id"]
    assert len(first) == 32
    assert int(first, 16) >= 0  # uuid4 hex
    assert first != second


@pytest.mark.parametrize("sent", ["abc-123", "A.b_c-9", "x" * 128])
def test_a_valid_request_id_is_echoed(client: TestClient, sent: str) -> None:
    assert client.get(QUOTE, headers={"X-Request-ID": sent}).headers["x-request-id"] == sent


@pytest.mark.parametrize("sent", ["", "x" * 129, "has space", "a/b", "a;b", "{x}", "a+b", "é"])
def test_an_invalid_request_id_is_replaced(client: TestClient, sent: str) -> None:
    raw = sent.encode("utf-8")  # sent as bytes: "é" as two non-ASCII bytes
    echoed = client.get(QUOTE, headers={"X-Request-ID": raw}).headers["x-request-id"]
    assert echoed != sent
    assert len(echoed) == 32


def test_request_id_validation() -> None:
    assert request_id_from("req-1.2_3") == "req-1.2_3"
    assert request_id_from(None) != request_id_from(None)
    assert len(request_id_from("bad id")) == 32


def test_error_responses_carry_the_request_id(client: TestClient) -> None:
    response = client.get("/v1/quotations/no-such-quote", headers={"X-Request-ID": "err-1"})
    assert_problem(response, 404)
    assert response.headers["x-request-id"] == "err-1"
    unknown = client.get("/nothing/here", headers={"X-Request-ID": "err-2"})
    assert_problem(unknown, 404)
    assert unknown.headers["x-request-id"] == "err-2"


# --- logs ---------------------------------------------------------------------------------


def test_each_request_is_one_json_log_line_with_the_route_template(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = client.get(QUOTE, headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 200
    [line] = [r for r in access_lines(capsys.readouterr().err) if r["request_id"] == "trace-me"]
    assert set(line) >= {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert line["time"].endswith("Z")
    assert line["level"] == "info"
    assert line["method"] == "GET"
    assert line["path"] == "/v1/quotations/{quotation_id}"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_problem_logs_carry_the_request_id(
    database_url: str, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode() -> None:
        raise RuntimeError("boom")

    app = create_app(Settings(database_url=database_url, read_cache_entries=0))  # a route added
    app.dependency_overrides[get_session] = request_transaction(session)
    app.add_api_route("/explode", explode, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as client:
        capsys.readouterr()
        response = client.get("/explode", headers={"X-Request-ID": "crash-1"})
        assert_problem(response, 500)
        not_found = client.get("/v1/issues/no-such-issue", headers={"X-Request-ID": "nf-1"})
        assert_problem(not_found, 404)
    records = log_lines(capsys.readouterr().err)
    crash = [r for r in records if r.get("request_id") == "crash-1"]
    error = next(r for r in crash if r["logger"] == "newsfacts.errors")
    assert error["level"] == "error"
    assert "RuntimeError: boom" in error["exception"]
    assert error["path"] == "/explode"
    access = next(r for r in crash if r["logger"] == "newsfacts.access")
    assert (access["status"], access["level"]) == (500, "error")
    [missing] = [r for r in records if r.get("request_id") == "nf-1"]
    assert (missing["status"], missing["path"]) == (404, "/v1/issues/{issue_id}")


def test_no_authorization_header_or_query_string_is_logged(
    client: TestClient,
    make_key: Any,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    key = make_key("write")
    secret = key["Authorization"].removeprefix("Bearer ")
    capsys.readouterr()
    client.get("/v1/quotations", params={"q": "hunter2-secret-words"}, headers=key)
    client.get("/v1/quotations", params={"token": "hunter3-query-token"})  # a 422
    client.get(QUOTE, headers={"Authorization": "Bearer nf_forged_secret_value"})
    client.post("/v1/issues", headers=key, json={"id": "x"})  # a 422 after authentication
    # The test client (httpx) logs the URLs it requests; the server's records are the rest.
    server_lines = [r for r in log_lines(capsys.readouterr().err) if not is_client(r["logger"])]
    assert len([r for r in server_lines if r["logger"] == "newsfacts.access"]) == 4
    server_records = [r for r in caplog.records if not is_client(r.name)]
    written = json.dumps(server_lines) + "\n".join(
        f"{r.getMessage()} {r.__dict__}" for r in server_records
    )
    for needle in (secret, "hunter2", "hunter3", "nf_forged_secret_value", "Bearer"):
        assert needle not in written


def is_client(logger: str) -> bool:
    return logger.startswith(("httpx", "httpcore"))


def test_the_log_level_comes_from_the_settings(
    quiet_client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    quiet_client.get(QUOTE)
    assert not access_lines(capsys.readouterr().err)  # info lines are below warning
    assert logging.getLogger().level == logging.WARNING


def test_logging_is_configured_while_the_app_runs_and_undone_after(
    database_url: str, session: Session
) -> None:
    root = logging.getLogger()
    before = (root.level, list(root.handlers), logging.getLogger("uvicorn.access").disabled)
    with make_client(database_url, session, log_level="debug"):
        assert root.level == logging.DEBUG
        assert len(root.handlers) == len(before[1]) + 1
        assert logging.getLogger("uvicorn.access").disabled  # it would log query strings
    after = (root.level, list(root.handlers), logging.getLogger("uvicorn.access").disabled)
    assert after == before


def test_probes_and_scrapes_log_at_debug(
    database_url: str, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    with make_client(database_url, session, log_level="debug") as client:
        capsys.readouterr()
        client.get("/metrics")
        client.get("/healthz")
        lines = access_lines(capsys.readouterr().err)
    assert {(line["path"], line["level"]) for line in lines} == {
        ("/metrics", "debug"),
        ("/healthz", "debug"),
    }


# --- metrics ------------------------------------------------------------------------------


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    client.get(QUOTE)
    client.get(QUOTE)
    client.get("/v1/quotations/no-such-quote")
    client.get("/v1/quotations", params={"limit": 1000})
    client.get("/no/such/path/12345")
    found = samples(client)
    template = "/v1/quotations/{quotation_id}"

    def value(name: str, route: str, status: int) -> float:
        labels = (("method", "GET"), ("route", route), ("status", str(status)))
        return found.get((name, labels), 0.0)

    assert value("newsfacts_http_requests_total", template, 200) == 2
    assert value("newsfacts_http_requests_total", template, 404) == 1
    assert value("newsfacts_http_requests_total", "/v1/quotations", 422) == 1
    assert value("newsfacts_http_requests_total", "<unmatched>", 404) == 1
    assert value("newsfacts_http_request_duration_seconds_count", template, 200) == 2
    assert value("newsfacts_http_request_duration_seconds_sum", template, 200) > 0
    routes = {dict(labels).get("route") for _, labels in found}
    assert not any("lukashenka" in str(route) or "12345" in str(route) for route in routes)


def test_methods_and_paths_cannot_grow_the_labels(client: TestClient) -> None:
    for n in range(3):
        client.request(f"BREW{n}", QUOTE)
        client.get(f"/random/path/{n}")
    labels = {labels for name, labels in samples(client) if name == "newsfacts_http_requests_total"}
    methods = {dict(label)["method"] for label in labels}
    routes = {dict(label)["route"] for label in labels}
    assert methods <= {"GET", "OTHER"}
    assert {"/v1/quotations/{quotation_id}", "<unmatched>"} <= routes
    assert not any(route.startswith("/random") for route in routes)


def test_in_flight_and_pool_gauges(client: TestClient) -> None:
    found = samples(client)
    assert found[("newsfacts_http_requests_in_flight", ())] == 1  # the scrape itself
    for gauge in ("checked_out", "checked_in", "size", "overflow"):
        assert ("newsfacts_db_pool_" + gauge, ()) in found
    assert found[("newsfacts_db_pool_size", ())] >= 1
    assert found[("newsfacts_db_pool_checked_out", ())] >= 0


def test_metrics_are_prometheus_text_and_never_cached(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"
    assert "# TYPE newsfacts_http_requests_total counter" in response.text
    assert "# TYPE newsfacts_http_request_duration_seconds histogram" in response.text


def test_metrics_are_not_rate_limited_and_429s_are_counted(
    database_url: str, session: Session
) -> None:
    with make_client(database_url, session, rate_limit_per_minute=2) as client:
        statuses = [client.get("/v1/issues").status_code for _ in range(4)]
        assert statuses.count(429) == 2
        for _ in range(5):
            response = client.get("/metrics")
            assert response.status_code == 200
            assert "ratelimit-limit" not in response.headers
        assert requests_total(client, "/v1/issues", 429) == 2
        assert requests_total(client, "/v1/issues", 200) == 2


def test_each_app_has_its_own_registry(client: TestClient, quiet_client: TestClient) -> None:
    client.get(QUOTE)
    assert requests_total(client, "/v1/quotations/{quotation_id}", 200) == 1
    assert requests_total(quiet_client, "/v1/quotations/{quotation_id}", 200) == 0


def test_metrics_are_declared_in_openapi(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/metrics"]["get"]
    assert operation["operationId"] == "getMetrics"
    assert list(operation["responses"]["200"]["content"]) == ["text/plain"]
    assert "429" not in operation["responses"]
