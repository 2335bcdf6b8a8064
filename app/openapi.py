"""The OpenAPI document: tags, problem+json error bodies, and examples from the seed article."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.bundles.format import BundleDocument
from app.core.errors import PROBLEM_MEDIA_TYPE
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
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
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
