"""Schema pieces shared by every domain: list query parameters and references."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from app.core.dates import PARTIAL_DATE_JSON_SCHEMA, PartialDate, parse_partial_date
from app.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.core.text import MULTILINE_PATTERN, ONE_LINE_PATTERN, SLUG_PATTERN

IdParam = Annotated[
    str, StringConstraints(pattern=SLUG_PATTERN, max_length=100), Field(examples=["vladimir-putin"])
]
# Bounded field types of every write (and of bundles), so no string or list is unbounded.
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]
Role = Annotated[str, StringConstraints(pattern=r"^[a-z]+(_[a-z]+)*$", max_length=50)]
ShortText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=300, pattern=ONE_LINE_PATTERN
    ),
]
Title = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=500, pattern=ONE_LINE_PATTERN
    ),
]
LongText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=10_000, pattern=MULTILINE_PATTERN
    ),
]


def verbatim_text(max_length: int) -> Any:
    """Text copied from an article: kept as is, lines allowed, no other control character."""
    return StringConstraints(min_length=1, max_length=max_length, pattern=MULTILINE_PATTERN)


ArticleText = Annotated[str, verbatim_text(1_000_000)]
QuotedText = Annotated[str, verbatim_text(20_000)]
LanguageTag = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", max_length=35)
]


def _date_to_text(value: Any) -> Any:
    """YAML reads 2018-05-14 as a date and 2018 as an int; accept both as written."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04d}"
    return value


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        return parse_partial_date(value)
    return value


DateText = Annotated[
    PartialDate,
    BeforeValidator(_parse_date),
    BeforeValidator(_date_to_text),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(PARTIAL_DATE_JSON_SCHEMA),
]

Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s\x00-\x1f\x7f]+$", max_length=2048)]

SearchText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=ONE_LINE_PATTERN
    ),
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

    @property
    def scans(self) -> bool:
        """Whether answering may scan many rows (a text search), not just walk an index."""
        return bool(getattr(self, "q", None))


class Ref(BaseModel):
    """A reference to another resource: its id and a name to show."""

    id: str
    name: str


class ParticipantRef(Ref):
    """A participant named by id and name."""
