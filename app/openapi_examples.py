"""Response examples for the OpenAPI document, taken from the API serving the seed article.

`make examples` (app.build) regenerates `openapi_examples.json`; a test fails when it drifts
from what the API actually answers, so the documented examples are always true.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLES_PATH = Path(__file__).resolve().parent / "openapi_examples.json"

# operationId -> the request whose (trimmed) response documents it.
EXAMPLE_REQUESTS: dict[str, str] = {
    "listEvents": "/v1/events?date_from=2018-05&date_to=2018-05&sort=date&limit=1",
    "getEvent": "/v1/events/lukashenka-putin-meeting-2018",
    "getEventAgenda": "/v1/events/lukashenka-putin-meeting-2018/agenda",
    "listEventQuotations": "/v1/events/lukashenka-remarks-to-producers-2018-03/quotations?limit=1",
    "listQuotations": "/v1/quotations?speaker=alyaksandr-lukashenka&issue=food-supplies-to-russia"
    "&limit=1",
    "getQuotation": "/v1/quotations/lukashenka-good-relations-with-putin",
    "listIssues": "/v1/issues?event=lukashenka-putin-meeting-2018&category=trade&limit=1",
    "getIssue": "/v1/issues/food-supplies-to-russia",
    "listIssueQuotations": "/v1/issues/food-supplies-to-russia/quotations?limit=1",
    "listParticipants": "/v1/participants?q=lukashenko&limit=1",
    "getParticipant": "/v1/participants/vladimir-putin",
    "listParticipantQuotations": "/v1/participants/vladimir-putin/quotations?limit=1",
    "listArticles": "/v1/articles?limit=1",
    "getArticle": "/v1/articles/lukashenka-putin-sochi-2018",
    "getHealth": "/healthz",
}


def _trim_agenda(body: dict[str, Any]) -> dict[str, Any]:
    items = [
        {**item, "quotations": item["quotations"][:1]}
        for item in body["items"]
        if item["issue"]["id"] == "food-supplies-to-russia"
    ]
    return {**body, "items": items}


TRIMS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"getEventAgenda": _trim_agenda}


def example_from_response(operation_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The documented example for an operation, given the API's response body."""
    trim = TRIMS.get(operation_id)
    return trim(body) if trim else body


def load_examples() -> dict[str, Any]:
    """Examples keyed by operationId (empty before they are generated)."""
    if not EXAMPLES_PATH.exists():
        return {}
    examples: dict[str, Any] = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))
    return examples
