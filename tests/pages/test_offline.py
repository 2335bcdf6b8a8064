"""The pages load nothing from another host: every URL in their HTML is this server's.

No browser and no script: the HTML is parsed, and every attribute that names a URL, every
inline block, and the pages' own stylesheet and script are checked for absolute http(s) URLs.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.pages.html import scan_page

URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "xlink:href"}
ABSOLUTE = re.compile(r"""(?:https?:)?//[^\s"'()<>]+""", re.IGNORECASE)
# Namespace names are identifiers, never fetched.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}

PAGES = ["/docs", "/redoc", "/articles/lukashenka-putin-sochi-2018", "/articles/no-such-article"]
OWN_ASSETS = ["/static/pages/article.css", "/static/pages/article.js", "/static/pages/favicon.svg"]


def foreign(url: str, own_host: str) -> bool:
    """Whether a URL points to another host (relative URLs and this host's are fine)."""
    parts = urlsplit(url.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        return parts.scheme not in ("data", "blob", "mailto")
    return bool(parts.netloc) and parts.netloc != own_host


@pytest.mark.parametrize("path", PAGES)
def test_a_page_names_no_other_host(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    own_host = urlsplit(str(response.url)).netloc
    scan = scan_page(response.text)
    urls = [
        value
        for _, attrs in scan.elements
        for name, value in attrs.items()
        if name in URL_ATTRIBUTES and value is not None
        for value in ([value] if name != "srcset" else [c.split()[0] for c in value.split(",")])
    ]
    assert urls, "the page has links"
    assert [u for u in urls if foreign(u, own_host)] == []
    for _, _, body in scan.inline_blocks:
        assert [u for u in ABSOLUTE.findall(body) if foreign(u, own_host)] == []
    for _, attrs in scan.elements:
        assert "url(" not in (attrs.get("style") or "")
    assert "http" not in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", OWN_ASSETS)
def test_the_pages_own_assets_name_no_other_host(client: TestClient, path: str) -> None:
    body = client.get(path).text
    assert [u for u in ABSOLUTE.findall(body) if u not in NAMESPACES] == []
