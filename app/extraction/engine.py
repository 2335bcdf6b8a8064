"""The quotation extractor's API: `extract` drafts every quotation of an article with its spans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from .quotes import scan

Kind = Literal["direct", "partial", "indirect"]
Precision = Literal["day", "month", "year"]


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


def extract(
    text: str, *, published: str | None = None, known: Sequence[KnownParticipant] = ()
) -> list[DraftQuotation]:
    """Every quotation of the article, in text order."""
    out: list[DraftQuotation] = []
    for r in scan(text):
        s, e = r.start, r.end
        if e <= s:
            continue
        out.append(
            DraftQuotation(text[s:e], s, e, (), "direct", None, None, None, None, 0.5)
        )
    return out
