"""Swagger UI at /docs and ReDoc at /redoc, from assets installed with a Python package.

The `fastapi-offline` package ships Swagger UI's and ReDoc's distribution files; they are served
under /static/docs/, so the docs work with no network and the pages' policy names no other host.
FastAPI's page builders write inline blocks (Swagger UI's init script, ReDoc's body style): each
response puts a fresh nonce on them and in its Content-Security-Policy, so nothing else inline
runs. ReDoc is started by a nonced script with that nonce as its `nonce` option (rather than from
a `<redoc>` element, whose nonce attribute browsers hide), so the styles it adds carry it too.
"""

from __future__ import annotations

import json
import re
import secrets

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.http.routing import DatabaseRoute
from app.http.security import html_policy

DOCS_STATIC = "/static/docs"
ASSETS_PACKAGE = ("fastapi_offline", "static")

# Two <style> elements the ReDoc bundle adds while it loads, before Redoc.init can give it the
# nonce: an empty one, and perfect-scrollbar's stylesheet (ReDoc 2.5.x). Allowed by their hashes;
# should the bundle change, the browser test sees the violation and names the new hash.
REDOC_STYLE_HASHES = (
    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",  # the empty string
    "QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc=",  # perfect-scrollbar's CSS
)

router = APIRouter(include_in_schema=False, route_class=DatabaseRoute)

_INLINE_BLOCK = re.compile(r"<(script|style)>")
_REDOC_ELEMENT = re.compile(r'<redoc spec-url="(?P<url>[^"]*)"></redoc>')


def mount_docs_assets(app: FastAPI) -> None:
    """Serve the Swagger UI and ReDoc files under /static/docs/."""
    app.mount(DOCS_STATIC, StaticFiles(packages=[ASSETS_PACKAGE]), name="docs-static")


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _script_literal(value: str) -> str:
    """A JSON string literal that cannot end the <script> element it is written in."""
    return json.dumps(value).replace("<", "\\u003c")


def _start_redoc(html: str, nonce: str) -> str:
    """Replace the <redoc> element that ReDoc starts itself from by a nonced Redoc.init call."""
    element = _REDOC_ELEMENT.search(html)
    if element is None:
        raise RuntimeError("FastAPI's ReDoc page has no <redoc spec-url=...> element any more")
    spec_url = element.group("url")
    start = (
        f'<script nonce="{nonce}">Redoc.init({_script_literal(spec_url)},'
        f' {{nonce: {_script_literal(nonce)}}}, document.getElementById("redoc"));</script>\n'
    )
    html = html.replace(element.group(0), '<div id="redoc"></div>')
    return html.replace("</body>", start + "</body>")


def _with_nonce(page: HTMLResponse, *, redoc: bool = False) -> HTMLResponse:
    """The page with a fresh nonce on its inline blocks, and the policy that allows them."""
    nonce = secrets.token_urlsafe(18)
    html = bytes(page.body).decode("utf-8")
    html = _INLINE_BLOCK.sub(rf'<\1 nonce="{nonce}">', html)
    if redoc:
        html = _start_redoc(html, nonce)
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": html_policy(nonce, REDOC_STYLE_HASHES if redoc else ()),
            # A nonce is good for one response: never cache one for another.
            "Cache-Control": "no-store",
        },
    )


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI, interactive: every operation can be tried out."""
    root = _root(request)
    app = request.app
    page = get_swagger_ui_html(
        openapi_url=f"{root}{app.openapi_url or '/openapi.json'}",
        title=f"{app.title} — Swagger UI",
        swagger_js_url=f"{root}{DOCS_STATIC}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{DOCS_STATIC}/swagger-ui.css",
        swagger_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
        # No online validator badge: it would send the document to another host.
        swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
    )
    return _with_nonce(page)


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc: the same document as a three-panel reference."""
    root = _root(request)
    app = request.app
    page = get_redoc_html(
        openapi_url=f"{root}{app.openapi_url or '/openapi.json'}",
        title=f"{app.title} — ReDoc",
        redoc_js_url=f"{root}{DOCS_STATIC}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
        with_google_fonts=False,
    )
    return _with_nonce(page, redoc=True)
