"""Schema pieces shared by every domain: list query parameters and references."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.text import SLUG_PATTERN

IdParam = Annotated[
    str, StringConstraints(pattern=SLUG_PATTERN, max_length=100), Field(examples=["vladimir-putin"])
]
SearchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
]


class ListQuery(BaseModel):
    """Paging parameters every list accepts; unknown parameters are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}."
    )
    cursor: str | None = Field(
        default=None,
        max_length=512,
        description="Opaque cursor from the previous page's `next_cursor`; omit for page one.",
    )


class Ref(BaseModel):
    """A reference to another resource: its id and a name to show."""

    id: str
    name: str
