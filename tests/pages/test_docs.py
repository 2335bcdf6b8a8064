"""Swagger UI and ReDoc from installed assets, with a policy that allows only nonced inline code."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.http.security import DOCS_POLICY
from tests.pages.html import scan_page

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_allow_only_their_own_nonced_inline_blocks(
    client: TestClient, path: str
) -> None:
    first, second = client.get(path), client.get(path)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    policy = first.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no other host, CDN or otherwise
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    nonces = set(NONCE.findall(policy))
    assert len(nonces) == 1
    nonce = nonces.pop()
    # A fresh nonce each time, never cached.
    assert nonce not in second.headers["content-security-policy"]
    assert first.headers["cache-control"] == "no-store"
    scan = scan_page(first.text)
    inline = [(tag, attrs) for tag, attrs, _ in scan.inline_blocks if not attrs.get("src")]
    assert inline, "FastAPI's page has an inline block"
    for tag, attrs in inline:
        assert attrs.get("nonce") == nonce, tag
    assert "/openapi.json" in first.text


def test_swagger_ui_and_redoc_load_their_files_from_static(client: TestClient) -> None:
    docs = scan_page(client.get("/docs").text)
    redoc = client.get("/redoc").text
    sources = {attrs.get("src") or attrs.get("href") for _, attrs in docs.elements}
    assert "/static/docs/swagger-ui-bundle.js" in sources
    assert "/static/docs/swagger-ui.css" in sources
    assert 'src="/static/docs/redoc.standalone.js"' in redoc
    assert 'Redoc.init("/openapi.json", {nonce: "' in redoc
    for path, media_type in [
        ("/static/docs/swagger-ui-bundle.js", "javascript"),
        ("/static/docs/swagger-ui.css", "text/css"),
        ("/static/docs/redoc.standalone.js", "javascript"),
        ("/static/docs/favicon.png", "image/png"),
        ("/static/pages/article.css", "text/css"),
        ("/static/pages/article.js", "javascript"),
        ("/static/pages/favicon.svg", "image/svg+xml"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert media_type in response.headers["content-type"], path
    assert client.get("/static/docs/nothing.js").status_code == 404


def test_other_html_pages_get_the_strict_policy(client: TestClient) -> None:
    page = client.get("/articles/lukashenka-putin-sochi-2018")
    assert page.headers["content-security-policy"] == DOCS_POLICY
    assert "script-src 'self';" in DOCS_POLICY
    assert "style-src 'self';" in DOCS_POLICY
    # Nothing inline at all: no <script> or <style> body, no style attribute.
    scan = scan_page(page.text)
    assert all(attrs.get("src") for tag, attrs, _ in scan.inline_blocks if tag == "script")
    assert not [tag for tag, _, _ in scan.inline_blocks if tag == "style"]
    assert not [tag for tag, attrs in scan.elements if "style" in attrs]
    assert not [tag for tag, attrs in scan.elements if any(a.startswith("on") for a in attrs)]


def test_the_pages_are_not_in_the_api_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/docs", "/redoc", "/articles/{article_id}"} & set(paths)
    assert not [p for p in paths if p.startswith("/static")]
