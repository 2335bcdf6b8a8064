"""Article representations."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.dates import DatePrecision
from app.core.schemas import (
    ArticleText,
    DateText,
    LanguageTag,
    ListQuery,
    SearchText,
    ShortText,
    Slug,
    Title,
    Url,
)
from app.writes.flows import PatchModel


class ArticleRead(BaseModel):
    """An article's metadata (the list representation)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    language: str = Field(description="BCP 47 language tag of the text.")
    publisher: str | None
    url: str | None
    published_on: str | None = Field(
        description="ISO 8601 date at its precision: `2018-05-14`, `2018-05` or `2018`."
    )
    published_precision: DatePrecision | None
    content_sha256: str = Field(description="sha256 of the text, UTF-8 encoded, in hex.")


class ArticleDetail(ArticleRead):
    """An article with its verbatim text, which every evidence offset indexes."""

    text: str = Field(description="The article text, verbatim; evidence offsets index it.")


class ArticleQuery(ListQuery):
    """Filters of the article list (ordered by id)."""

    q: SearchText | None = Field(
        default=None,
        description="Case-insensitive text in the title or the article text, in web-search"
        ' syntax: each term (a word as typed, or a `"quoted phrase"`) is required, `a OR b`'
        " either, `-word` excludes.",
    )


class ArticleCreate(BaseModel):
    """A new article; its text is stored verbatim and cannot change afterwards."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Title
    language: LanguageTag
    publisher: ShortText | None = None
    url: Url | None = None
    published: DateText | None = Field(default=None, description="`2018-05-14`, `2018-05`, `2018`.")
    text: ArticleText
    content_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="If given, must equal the sha256 of the text (UTF-8)."
    )


class ArticleUpdate(PatchModel):
    """Metadata to change. The text never changes: evidence offsets index it."""

    not_nullable = ("title", "language")

    title: Title | None = None
    language: LanguageTag | None = None
    publisher: ShortText | None = None
    url: Url | None = None
    published: DateText | None = None
