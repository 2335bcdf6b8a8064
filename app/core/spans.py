"""Span resolution: turn a quoted piece of article text into code-point offsets."""

from __future__ import annotations

import itertools
import re
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


def _overlaps_itself(needle: str) -> bool:
    """Whether two occurrences of needle can overlap (a proper prefix is also a suffix)."""
    border = [0] * len(needle)  # Knuth-Morris-Pratt failure function: linear
    length = 0
    for index in range(1, len(needle)):
        while length and needle[index] != needle[length]:
            length = border[length - 1]
        if needle[index] == needle[length]:
            length += 1
        border[index] = length
    return bool(needle) and border[-1] > 0


MAX_COUNTED = 100_000  # the largest occurrence number a span may give


def count_occurrences(
    text: str, needle: str, end: int | None = None, limit: int | None = None
) -> int:
    """How many times needle starts in text[:end] (overlapping matches included), in C loops;
    for a needle that overlaps itself, counting stops at limit."""
    if not _overlaps_itself(needle):
        # Occurrences cannot overlap, so str.count's non-overlapping count is the count.
        return text.count(needle, 0, len(text) if end is None else end + len(needle) - 1)
    starts = re.compile(f"(?={re.escape(needle)})").finditer(text)
    if end is not None:
        starts = itertools.takewhile(lambda match: match.start() < end, starts)
    return sum(1 for _ in itertools.islice(starts, limit))


def _counted(text: str, needle: str, limit: int) -> str:
    count = count_occurrences(text, needle, limit=limit + 1)
    return str(count) if count <= limit else f"more than {limit}"


def nth_occurrence(text: str, needle: str, occurrence: int) -> int:
    """The offset of the occurrence-th (1-based) start of needle; -1 if there are fewer."""
    if not _overlaps_itself(needle):
        parts = text.split(needle, occurrence)  # C loop; the pieces sum to the offset
        if len(parts) <= occurrence:
            return -1
        return sum(map(len, parts[:occurrence])) + (occurrence - 1) * len(needle)
    pattern = re.compile(f"(?={re.escape(needle)})")
    match = next(itertools.islice(pattern.finditer(text), occurrence - 1, None), None)
    return -1 if match is None else match.start()


def resolve_span(text: str, needle: str, occurrence: int | None = None) -> Span:
    """Locate needle in text; occurrence (1-based) is required when it occurs more than once.

    Linear in the text: an occurrence beyond the text's count is refused after one count.
    """
    if not needle:
        raise SpanError("span text is empty")
    first = text.find(needle)
    if first == -1:
        raise SpanError(f"span {_preview(needle)} is not found verbatim in the article text")
    if occurrence is None:
        if text.find(needle, first + 1) != -1:
            raise SpanError(
                f"span {_preview(needle)} occurs {_counted(text, needle, MAX_COUNTED)} times in the"
                " article text; say which with an occurrence number"
            )
        return Span(first, first + len(needle))
    start = nth_occurrence(text, needle, occurrence) if occurrence >= 1 else -1
    if start == -1:
        raise SpanError(
            f"span {_preview(needle)} has occurrence {occurrence},"
            f" but occurs only {_counted(text, needle, max(occurrence, 1))} time(s) in the"
            " article text"
        )
    return Span(start, start + len(needle))


SpanJob = tuple[str, str, int | None]  # (article id, span text, occurrence)


def resolve_spans(texts: dict[str, str], jobs: list[SpanJob]) -> list[Span | str]:
    """resolve_span for each job against its article's text; a refused span's reason instead
    of its Span. One function call, so that a worker process can do the lot."""
    found: list[Span | str] = []
    for article_id, needle, occurrence in jobs:
        try:
            found.append(resolve_span(texts[article_id], needle, occurrence))
        except SpanError as exc:
            found.append(str(exc))
    return found


def occurrence_of(text: str, span: Span) -> int | None:
    """The occurrence number that picks out span, or None when its text is unique."""
    needle = text[span.start : span.end]
    first = text.find(needle)
    if text.find(needle, first + 1) == -1:
        return None
    return count_occurrences(text, needle, end=span.start) + 1


def _preview(needle: str, limit: int = 60) -> str:
    shown = needle if len(needle) <= limit else needle[: limit - 1] + "…"
    return repr(shown)
