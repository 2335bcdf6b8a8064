"""Proactive content negotiation on `Accept` (RFC 9110 §12.5.1), for every representation choice.

Each offered media type takes the weight of the most specific media range that matches it: a
type with parameters over the bare type (a range's parameters must all be the offered type's),
the bare type over `type/*`, `type/*` over `*/*`. A weight of 0 means "not acceptable". The
highest weight wins, and a tie goes to the server's order. Names compare without case; a
parameter's value (unquoted) with case. A malformed weight is ignored, as if absent, and one out
of range is clamped to [0, 1]; a member that is not `type/subtype` is skipped.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

CHOICES_CACHED = 1024


@dataclass(frozen=True)
class MediaRange:
    """One member of an Accept header."""

    type: str
    subtype: str
    parameters: frozenset[tuple[str, str]]
    weight: float

    def precedence(self, offered: MediaRange) -> tuple[int, int] | None:
        """How specifically this range matches an offered type (higher is more specific), or
        None if it does not match it."""
        if self.type == "*" and self.subtype == "*":
            return (0, 0)
        if self.type != offered.type:
            return None
        if self.subtype == "*":
            return (1, 0)
        if self.subtype != offered.subtype or not self.parameters <= offered.parameters:
            return None
        return (2, len(self.parameters))


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _weight(value: str) -> float:
    try:
        weight = float(value.strip())
    except ValueError:
        return 1.0
    return 1.0 if math.isnan(weight) else min(max(weight, 0.0), 1.0)


def parse_media_range(member: str) -> MediaRange | None:
    """A media range (or an offered media type, its weight 1), or None if malformed."""
    pieces = member.split(";")
    media_type, slash, subtype = pieces[0].strip().lower().partition("/")
    if not slash or not media_type or not subtype or "/" in subtype:
        return None
    weight = 1.0
    parameters = set()
    for piece in pieces[1:]:
        name, equals, value = piece.partition("=")
        name = name.strip().lower()
        if not name or not equals:
            continue
        if name == "q":
            weight = _weight(value)
        else:
            parameters.add((name, _unquoted(value)))
    return MediaRange(media_type, subtype.strip(), frozenset(parameters), weight)


def parse_accept(accept: str) -> list[MediaRange]:
    """The media ranges of an Accept header, malformed members left out."""
    ranges = []
    for member in accept.split(","):
        parsed = parse_media_range(member)
        if parsed is not None:
            ranges.append(parsed)
    return ranges


def quality(ranges: Sequence[MediaRange], offered: str) -> float:
    """The weight the ranges give an offered media type (0 when no range matches it)."""
    offer = parse_media_range(offered)
    if offer is None:
        raise ValueError(f"not a media type: {offered!r}")
    best: tuple[tuple[int, int], float] | None = None
    for media_range in ranges:
        precedence = media_range.precedence(offer)
        if precedence is not None and (best is None or precedence > best[0]):
            best = (precedence, media_range.weight)
    return 0.0 if best is None else best[1]


def choose_media_type(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers, or None if it accepts none of them.

    No Accept header (or one with no valid member) accepts anything: the first offered wins.
    Every detail GET asks, and clients send a few Accept headers over and over: the choice is
    remembered for the last CHOICES_CACHED pairs (parsing one costs tens of microseconds).
    """
    return _choose(accept, tuple(offered))


@functools.lru_cache(maxsize=CHOICES_CACHED)
def _choose(accept: str | None, offered: tuple[str, ...]) -> str | None:
    ranges = parse_accept(accept) if accept is not None else []
    if not ranges:
        return offered[0] if offered else None
    chosen: tuple[float, str] | None = None
    for media_type in offered:
        weight = quality(ranges, media_type)
        if weight > 0 and (chosen is None or weight > chosen[0]):
            chosen = (weight, media_type)
    return None if chosen is None else chosen[1]
