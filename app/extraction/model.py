"""The types the extractor speaks: spans, known participants, speakers and draft quotations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from .dates import Precision as Precision

Kind = Literal["direct", "partial", "indirect"]


class Span(NamedTuple):
    """A stretch of the article: code-point offsets and the text they hold."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class KnownParticipant:
    """A participant already stored: the names it goes by, so that speakers resolve to it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    title: str | None = None
    kind: str = "person"


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said it: a resolved name, its known participant if any, and the words used for it."""

    name: str
    participant_id: str | None
    mention: Span | None
    kind: str = "person"


@dataclass(frozen=True, slots=True)
class DraftQuotation:
    """One drafted quotation of an article."""

    text: str
    start: int
    end: int
    segments: tuple[Span, ...]
    kind: Kind
    speaker: Speaker | None
    cue: Span | None
    said_on: str | None
    said_on_precision: Precision | None
    confidence: float


@dataclass(frozen=True, slots=True)
class DraftParticipant:
    """A speaker found in the article that is not a known participant yet."""

    id: str
    name: str
    kind: str
