"""Security response headers, and CORS from settings."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# JSON needs no sources at all. HTML pages (the docs, the annotated article pages) load scripts,
# styles, images, fonts and data from this origin only: no CDN, no inline code. A page with
# inline code (Swagger UI's init script, ReDoc's styles) sends its own policy that allows just
# the blocks carrying a fresh nonce: see html_policy().
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_HTML_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "worker-src": "'self' blob:",  # ReDoc's search runs in a worker made from a blob
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def html_policy(nonce: str | None = None, style_hashes: tuple[str, ...] = ()) -> str:
    """The policy of an HTML page; with a nonce, inline scripts and styles carrying it run too,
    and so do inline styles whose sha256 (base64) is one of `style_hashes`."""
    directives = dict(_HTML_DIRECTIVES)
    if nonce is not None:
        for name in ("script-src", "style-src"):
            directives[name] += f" 'nonce-{nonce}'"
    directives["style-src"] += "".join(f" 'sha256-{digest}'" for digest in style_hashes)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


DOCS_POLICY = html_policy()
EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Idempotent-Replayed",
    "X-Request-ID",
    "Newsfacts-Generation",
    "Newsfacts-Database",
]


class SecurityHeadersMiddleware:
    """Adds nosniff, a referrer policy, frame denial and a content security policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                is_html = headers.get("content-type", "").startswith("text/html")
                headers.setdefault(
                    "Content-Security-Policy", DOCS_POLICY if is_html else API_POLICY
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)
