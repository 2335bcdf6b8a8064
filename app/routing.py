"""Router helpers: shared parameter types and the responses every read operation declares."""

from __future__ import annotations

from typing import Any

from fastapi import Path

from app.errors import problem_responses
from app.text import SLUG_PATTERN

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` ETag is still current."}
}
LIST_RESPONSES = {**NOT_MODIFIED, **problem_responses(400, 422, 500, 503)}
DETAIL_RESPONSES = {**NOT_MODIFIED, **problem_responses(404, 422, 500, 503)}
RELATED_LIST_RESPONSES = {**NOT_MODIFIED, **problem_responses(400, 404, 422, 500, 503)}

LINK_HEADER = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"`, when there is one.',
        "schema": {"type": "string"},
    }
}


def id_path(kind: str, example: str) -> Any:
    """The `{id}` path parameter of a resource kind: `Annotated[str, id_path(...)]`."""
    return Path(
        description=f"The {kind}'s id (a lower-case slug).",
        pattern=SLUG_PATTERN,
        max_length=100,
        examples=[example],
    )
