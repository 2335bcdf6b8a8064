"""Article representations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.dates import DatePrecision
from app.schemas import ListQuery, SearchText


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
        default=None, description="Case-insensitive text in the title or the article text."
    )
