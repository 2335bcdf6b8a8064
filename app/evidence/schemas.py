"""Evidence as served: offsets plus the text they cover."""

from __future__ import annotations

from pydantic import BaseModel, Field


class EvidenceRead(BaseModel):
    """A span of an article supporting a fact: `text == article.text[start:end]`."""

    article_id: str = Field(examples=["lukashenka-putin-sochi-2018"])
    start: int = Field(ge=0, description="Offset of the first code point of the span.")
    end: int = Field(gt=0, description="Offset just past the last code point of the span.")
    text: str = Field(description="The article's text[start:end], verbatim.")
