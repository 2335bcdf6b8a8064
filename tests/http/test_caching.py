"""Strong ETags and conditional GETs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.http.caching import etag_matches, strong_etag

PATHS = [
    "/v1/quotations?limit=3",
    "/v1/quotations/lukashenka-good-relations-with-putin",
    "/v1/events/lukashenka-putin-meeting-2018/agenda",
    "/v1/participants?q=lukashenko",
    "/v1/issues",
    "/v1/articles/lukashenka-putin-sochi-2018",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_get_has_a_strong_etag_and_answers_304_when_fresh(
    client: TestClient, path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert client.get(path).headers["etag"] == etag  # stable for the same content
    cached = client.get(path, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    stale = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.json() == first.json()


def test_different_content_has_different_etags(client: TestClient) -> None:
    one = client.get("/v1/quotations?limit=1").headers["etag"]
    two = client.get("/v1/quotations?limit=2").headers["etag"]
    assert one != two


def test_errors_carry_no_etag(client: TestClient) -> None:
    response = client.get("/v1/quotations/no-such-quote")
    assert response.status_code == 404
    assert "etag" not in response.headers


def test_if_none_match_comparison() -> None:
    etag = strong_etag(b"body")
    assert etag_matches(etag, etag)
    assert etag_matches(f'"x", {etag}', etag)
    assert etag_matches(f"W/{etag}", etag)  # If-None-Match uses weak comparison
    assert etag_matches("*", etag)
    assert not etag_matches('"x"', etag)
