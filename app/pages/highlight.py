"""Highlighting overlapping spans of a text as properly nested elements.

Evidence spans nest, repeat the same range, and cross each other. The markup is built from the
sorted list of span boundaries: between two consecutive boundaries the set of covering spans is
constant; at each boundary the spans that end are closed (with any opened after them, which are
reopened as continuation pieces) and the spans that start are opened, longest first. The text
between boundaries is emitted verbatim, so the markup's text content is exactly the input text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Highlight:
    """A span to highlight: `text[start:end]`, drawn with `classes`, described by `tip_id`."""

    key: str  # unique among the highlights; the first piece's element id is `span-{key}`
    start: int
    end: int
    classes: str
    tip_id: str
    rank: int = 0  # orders spans with the same range (lower opens first, so encloses)


@dataclass(frozen=True)
class Piece:
    """One token of the markup: an opening tag, a closing tag, text, or a carriage return.

    A carriage return is its own token because HTML parsing turns a literal CR (LF) into LF; a
    template writes it as the character reference `&#13;`, which parsing keeps.
    """

    tag: Literal["open", "close", "text", "cr"]
    highlight: Highlight | None = None
    first: bool = False  # an opening tag: whether it begins its span (else it continues it)
    depth: int = 0  # an opening tag: how many pieces enclose it
    text: str = ""


def _text_pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    for index, part in enumerate(text.split("\r")):
        if index:
            pieces.append(Piece("cr"))
        if part:
            pieces.append(Piece("text", text=part))
    return pieces


def _nesting_order(highlight: Highlight) -> tuple[int, int, int, str]:
    # Longer spans open first (outside); among equal ranges, lower rank first.
    return (-highlight.end, highlight.start, highlight.rank, highlight.key)


def highlight_pieces(text: str, highlights: Sequence[Highlight]) -> list[Piece]:
    """The markup tokens of `text` with every highlight, properly nested.

    Raises ValueError for a span outside the text, an empty span or a repeated key.
    """
    keys = [h.key for h in highlights]
    if len(set(keys)) != len(keys):
        raise ValueError("highlight keys must be unique")
    starting: dict[int, list[Highlight]] = defaultdict(list)
    for h in highlights:
        if not 0 <= h.start < h.end <= len(text):
            raise ValueError(f"span {h.key} [{h.start}, {h.end}) is not inside the text")
        starting[h.start].append(h)
    boundaries = sorted(
        {0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)}
    )
    pieces: list[Piece] = []
    stack: list[Highlight] = []  # open pieces, outermost first
    begun: set[str] = set()
    for index, position in enumerate(boundaries):
        ending = [depth for depth, h in enumerate(stack) if h.end == position]
        reopen: list[Highlight] = []
        if ending:
            # Close from the top down to the outermost span that ends here; the others
            # closed on the way continue in new pieces.
            lowest = min(ending)
            pieces.extend(Piece("close") for _ in stack[lowest:])
            reopen = [h for h in stack[lowest:] if h.end != position]
            del stack[lowest:]
        for h in sorted([*reopen, *starting.get(position, [])], key=_nesting_order):
            pieces.append(Piece("open", highlight=h, first=h.key not in begun, depth=len(stack)))
            begun.add(h.key)
            stack.append(h)
        if index + 1 < len(boundaries):
            pieces.extend(_text_pieces(text[position : boundaries[index + 1]]))
    return pieces  # every span ends inside the text, so the last boundary closed them all


def plain_text(pieces: Sequence[Piece]) -> str:
    """The text the pieces spell (equal to the highlighted text)."""
    return "".join(p.text if p.tag == "text" else "\r" if p.tag == "cr" else "" for p in pieces)
