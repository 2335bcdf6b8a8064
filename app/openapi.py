"""The OpenAPI document: tags, problem+json error bodies, and examples from the seed article."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.bundles.format import BundleDocument
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.http.database_routing import DATABASE_HEADER, GENERATION_HEADER, MAX_GENERATION
from app.openapi_examples import load_examples

TAGS = [
    {"name": "events", "description": "Events and their agendas: which issues will be raised."},
    {"name": "quotations", "description": "What was said, by whom, when, to whom, on what."},
    {"name": "issues", "description": "Agenda issues: topics raised, or to be raised."},
    {"name": "participants", "description": "People, organizations, countries and groups."},
    {"name": "articles", "description": "The verbatim articles every evidence span indexes."},
    {"name": "imports", "description": "Whole article bundles, validated then applied."},
    {"name": "changes", "description": "The change feed: every write, in commit order."},
    {"name": "exports", "description": "Every record of a kind, streamed as NDJSON or CSV."},
    {"name": "health", "description": "Liveness, readiness and problem type documentation."},
    {"name": "observability", "description": "Prometheus metrics."},
]
# Operations the rate limit does not apply to (app.http.ratelimit's EXEMPT_PATHS).
UNLIMITED_OPERATIONS = ("getHealth", "getReadiness", "getMetrics")

DESCRIPTION = """\
Facts of news articles — events, participants, agenda issues and quotations — each with
**evidence**: spans `{article_id, start, end, text}` where `text` equals the article's
`text[start:end]` (Unicode code points).

* Lists return `{"items": [...], "next_cursor": ...}`; pass `next_cursor` back as `cursor`
  (also given as a `Link: <...>; rel="next"` header). Pagination is by keyset, never offset.
* Every GET response carries a strong `ETag`; send it back in `If-None-Match` for a 304.
* Errors are RFC 9457 `application/problem+json` documents.
"""


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _auth_responses() -> dict[str, Any]:
    return {
        "401": _problem_response("Missing or invalid API key."),
        "403": _problem_response("The API key lacks the scope this operation needs."),
    }


READ_METHODS = ("get", "head")
WRITE_METHODS = ("post", "put", "patch", "delete")
# app.http.database_routing: how a client reads its own writes, and which database answered.
GENERATION_PARAMETER = {
    "name": GENERATION_HEADER,
    "in": "header",
    "required": False,
    "description": "The highest write generation this client has seen (a write's"
    f" `{GENERATION_HEADER}` response header). The read is served by a database that has"
    " replayed it (the primary, or a read replica that has caught up), so the client never"
    " reads a state older than its own writes. Not an integer this API sent: 400.",
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_GENERATION},
}
DATABASE_RESPONSE_HEADER = {
    "description": "With read replicas configured: the database that served this read"
    " (`primary`, or `replica-N`).",
    "schema": {"type": "string"},
}
GENERATION_RESPONSE_HEADER = {
    "description": "The write generation this write's commit made (absent when it wrote"
    f" nothing, as a dry run): send it back as the `{GENERATION_HEADER}` request header to"
    " read your own writes from any replica.",
    "schema": {"type": "integer", "minimum": 1},
}


def _document_database_headers(method: str, operation: dict[str, Any]) -> None:
    """The read-your-writes headers of app.http.database_routing, on every operation."""
    successes = [
        response
        for status, response in operation["responses"].items()
        if status.startswith("2") and isinstance(response, dict)
    ]
    if method in READ_METHODS:
        operation.setdefault("parameters", []).append(dict(GENERATION_PARAMETER))
        operation["responses"].setdefault(
            "400", _problem_response(f"`{GENERATION_HEADER}` is not a write generation.")
        )
        for response in successes:
            response.setdefault("headers", {})[DATABASE_HEADER] = dict(DATABASE_RESPONSE_HEADER)
    elif method in WRITE_METHODS:
        for response in successes:
            response.setdefault("headers", {})[GENERATION_HEADER] = dict(GENERATION_RESPONSE_HEADER)


def _add_component(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Add a model that only a hand-written request body refers to."""
    definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definition.pop("$defs", {}))
    components[model.__name__] = definition


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Generate the document once, then fix up error media types, security and examples."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=DESCRIPTION,
        routes=app.routes,
        tags=TAGS,
    )
    _add_component(schema, BundleDocument)
    examples = load_examples()
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _document_database_headers(method, operation)
            # Reads carry the key dependency, hence security, only where reads need a key
            # (app.main): a public read promises no 401/403.
            if operation.get("security"):
                operation["responses"].update(_auth_responses())
            if app.state.settings.rate_limit_per_minute and not operation.get(
                "operationId", ""
            ).startswith(UNLIMITED_OPERATIONS):
                operation["responses"]["429"] = _problem_response(
                    "Too many requests from this client; see Retry-After and RateLimit-*."
                )
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
                    # Optional in code so that its absence is a 428, not a 422; required here.
                    parameter["required"] = True
            for status, response in operation["responses"].items():
                content = response.get("content", {})
                if status.isdigit() and int(status) >= 400 and PROBLEM_MEDIA_TYPE not in content:
                    # Under the operation's own media type (JSON, or e.g. NDJSON for exports).
                    for media_type in list(content):
                        content[PROBLEM_MEDIA_TYPE] = content.pop(media_type)
            example = examples.get(operation.get("operationId", ""))
            ok = operation["responses"].get("200", {}).get("content", {}).get("application/json")
            if example is not None and ok is not None:
                ok["example"] = example
    app.openapi_schema = schema
    return schema
