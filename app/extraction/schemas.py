"""Request and response schemas of `POST /v1/extractions`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.core.schemas import DateText, Slug
from app.core.text import MULTILINE_PATTERN

SUPPORTED_LANGUAGES = ("en",)
MAX_TEXT_LENGTH = 200_000

ExtractedText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH, pattern=MULTILINE_PATTERN),
]


class ExtractionRequest(BaseModel):
    """An article's text to draft quotations from, or the id of a stored article."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "“We will build it,” Ann Marsh said. “And they will pay for it.”",
                    "language": "en",
                    "published": "2016-10-12",
                },
                {"article_id": "lukashenka-putin-sochi-2018"},
            ]
        },
    )

    text: ExtractedText | None = Field(
        default=None,
        description="The article's text, verbatim (line breaks and tabs allowed, no other"
        f" control character), at most {MAX_TEXT_LENGTH:,} characters. Offsets in the answer"
        " count its Unicode code points.",
    )
    language: Literal["en"] | None = Field(
        default=None,
        description="The text's language (BCP 47); supported: "
        + ", ".join(SUPPORTED_LANGUAGES)
        + ". Default `en`.",
    )
    published: DateText | None = Field(
        default=None,
        description="When the article was published, at any precision (`2016-10-12`, `2016-10`,"
        ' `2016`): relative dates ("Wednesday", "in February") are resolved against it.',
    )
    article_id: Slug | None = Field(
        default=None,
        description="Instead of `text`: a stored article, whose text, language and publication"
        " date are used.",
        examples=["lukashenka-putin-sochi-2018"],
    )

    @field_validator("language", mode="before")
    @classmethod
    def _supported_language(cls, value: Any) -> Any:
        if value is not None and value not in SUPPORTED_LANGUAGES:
            shown = repr(value) if isinstance(value, str) and len(value) <= 40 else "this"
            raise ValueError(
                f"language {shown} is not supported; the supported languages are"
                f" {', '.join(SUPPORTED_LANGUAGES)}"
            )
        return value

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("the text is empty (only whitespace)")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> ExtractionRequest:
        if (self.text is None) == (self.article_id is None):
            raise ValueError("give either `text` or `article_id`, not both and not neither")
        if self.article_id is not None and (
            self.language is not None or self.published is not None
        ):
            raise ValueError(
                "`language` and `published` go with `text`; a stored article has its own"
            )
        return self


class TextSpan(BaseModel):
    """A stretch of the article: `text == article[start:end]` (code points)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


ParticipantKindName = Literal["person", "organization", "country", "group"]


class DraftSpeaker(BaseModel):
    """Who said it: the words the article uses, and whom they stand for."""

    name: str = Field(
        description="Who the mention stands for: resolved through the text (a pronoun to its"
        " person, a title to the person it names) and through the stored participants."
    )
    participant_id: str | None = Field(
        description="The stored participant the speaker is, when it is one.",
        examples=["alyaksandr-lukashenka"],
    )
    kind: ParticipantKindName = Field(description="A guess for a speaker not stored yet.")
    mention: TextSpan | None = Field(
        description='The words next to the cue that name the speaker ("he", "the Belarusian'
        ' leader", "Mr. Hyers").'
    )


class DraftQuotationRead(BaseModel):
    """One drafted quotation, with exact spans."""

    text: str = Field(
        description="The quoted content, `article[start:end]`: quotation marks and the closing"
        " comma or period outside. A quotation split around its cue spans both parts."
    )
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    segments: list[TextSpan] = Field(
        description="The quoted pieces: one, or several when the utterance is split around its"
        ' cue (`"X," he said. "Y."`).'
    )
    kind: Literal["direct", "partial", "indirect"] = Field(
        description="`direct`: the whole utterance in quotation marks; `partial`: a quoted"
        " fragment inside reported speech; `indirect`: reported speech, no marks."
    )
    speaker: DraftSpeaker | None = Field(description="Null when no speaker was found.")
    cue: TextSpan | None = Field(
        description='The attribution cue ("said", "told Georgian journalists", "according to").'
    )
    said_on: str | None = Field(
        description="When it was said, when the text dates it, at the precision its words"
        " support (`2018-03-19`, `2018-02`, `2018`).",
        examples=["2018-02"],
    )
    said_on_precision: Literal["day", "month", "year"] | None
    confidence: float = Field(ge=0, le=1, description="How sure the rules are, 0 to 1.")


class DraftParticipantRead(BaseModel):
    """A speaker who is not a stored participant yet."""

    id: str = Field(description="A proposed id (a slug of the name).", examples=["ann-marsh"])
    name: str
    kind: ParticipantKindName
    mention: TextSpan = Field(description="Where the article names them (evidence to cite).")


class ExtractionResult(BaseModel):
    """The drafted quotations of an article, and the speakers not stored yet."""

    quotations: list[DraftQuotationRead] = Field(description="In text order.")
    participants: list[DraftParticipantRead] = Field(
        description="Speakers of the quotations that are not stored participants."
    )
