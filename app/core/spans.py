"""Span resolution: turn a quoted piece of article text into code-point offsets."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """Code-point offsets into an article's text: `text[start:end]`."""

    start: int
    end: int


class SpanError(ValueError):
    """A span text that does not pick out exactly one place in the article."""


def find_occurrences(text: str, needle: str) -> list[int]:
    """Every offset where needle starts in text, overlapping matches included."""
    offsets: list[int] = []
    position = text.find(needle)
    while position != -1:
        offsets.append(position)
        position = text.find(needle, position + 1)
    return offsets


def resolve_span(text: str, needle: str, occurrence: int | None = None) -> Span:
    """Locate needle in text; occurrence (1-based) is required when it occurs more than once."""
    if not needle:
        raise SpanError("span text is empty")
    offsets = find_occurrences(text, needle)
    if not offsets:
        raise SpanError(f"span {_preview(needle)} is not found verbatim in the article text")
    if occurrence is None:
        if len(offsets) > 1:
            raise SpanError(
                f"span {_preview(needle)} occurs {len(offsets)} times in the article text;"
                " say which with an occurrence number"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(offsets):
        raise SpanError(
            f"span {_preview(needle)} has occurrence {occurrence},"
            f" but occurs only {len(offsets)} time(s) in the article text"
        )
    start = offsets[occurrence - 1]
    return Span(start, start + len(needle))


def occurrence_of(text: str, span: Span) -> int | None:
    """The occurrence number that picks out span, or None when its text is unique."""
    offsets = find_occurrences(text, text[span.start : span.end])
    if len(offsets) <= 1:
        return None
    return offsets.index(span.start) + 1


def _preview(needle: str, limit: int = 60) -> str:
    shown = needle if len(needle) <= limit else needle[: limit - 1] + "…"
    return repr(shown)
