"""Quotation-mark scanning: the quoted regions of a text, paragraph continuations included."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Two straight apostrophes are the NYT's double quotation mark, so they are matched first.
_MARK = re.compile(r"''|``|[\"“”‘’'«»\n]")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """One quoted stretch: its mark positions and the content pieces (one per paragraph)."""

    open_at: int  # index of the opening mark
    close_end: int  # index just after the closing mark (the paragraph end when unclosed)
    pieces: tuple[tuple[int, int], ...]  # content spans, marks excluded
    single: bool  # ‘single’ marks rather than “double” ones
    closed: bool  # False when the paragraph ended before a closing mark

    @property
    def start(self) -> int:
        """Start of the content."""
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        """End of the content."""
        return self.pieces[-1][1]


def _is_word(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


def _opens_double_at(text: str, i: int) -> int:
    """Length of an opening double mark at i (0 when there is none)."""
    if text.startswith("“", i) or text.startswith('"', i) or text.startswith("«", i):
        return 1
    if text.startswith("''", i) or text.startswith("``", i):
        return 2
    return 0


def scan(text: str) -> list[QuoteRegion]:
    """Every quoted region of the text, in order; nested marks stay inside their region."""
    regions: list[QuoteRegion] = []
    n = len(text)
    state = ""  # "", "double" or "single"
    open_at = 0
    content_start = 0
    pieces: list[tuple[int, int]] = []
    skip_to = 0  # the opening mark of a continued paragraph is not a closing one
    for m in _MARK.finditer(text):
        mark = m.group()
        i = m.start()
        j = m.end()
        if i < skip_to:
            continue
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[j] if j < n else "\n"
        if mark == "\n":
            if state == "double":
                # A quotation running on: the next paragraph opens with a mark and no close came.
                k = j
                while k < n and text[k] in "\n \t":
                    k += 1
                width = _opens_double_at(text, k)
                if width and k > j - 1:
                    pieces.append((content_start, i))
                    content_start = skip_to = k + width
                    continue
                pieces.append((content_start, i))
                regions.append(QuoteRegion(open_at, i, tuple(pieces), False, False))
            state = ""
            pieces = []
            continue
        typed_wrong = mark == "“" and state == "double" and i > content_start
        if typed_wrong and not _is_word(nxt) and (_is_word(prev) or prev in ".,!?"):
            # "“rapists“": an opening mark typed where the closing one belongs.
            pieces.append((content_start, i))
            regions.append(QuoteRegion(open_at, j, tuple(pieces), False, True))
            state = ""
            continue
        if mark in ("“", "«", "``"):
            if state == "":
                state, open_at, content_start, pieces = "double", i, j, []
            elif state == "single":
                # A double mark inside single quotes: the single one was an apostrophe.
                state, open_at, content_start, pieces = "double", i, j, []
            continue
        if mark in ("”", "»"):
            if state == "double":
                pieces.append((content_start, i))
                regions.append(QuoteRegion(open_at, j, tuple(pieces), False, True))
                state = ""
            continue
        if mark in ('"', "''"):
            if state == "double":
                pieces.append((content_start, i))
                regions.append(QuoteRegion(open_at, j, tuple(pieces), False, True))
                state = ""
            elif not (_is_word(prev) and not _is_word(nxt)) or state == "single":
                state, open_at, content_start, pieces = "double", i, j, []
            continue
        # Single marks: only at the top level, and told apart from apostrophes by their context.
        if state == "double":
            continue
        if (
            mark == "'"
            and state == "single"
            and prev in ".,;:!?"
            and not _is_word(nxt)
            and i > content_start
        ):
            # "game.'" closes the single quotation that "'Bill" opened.
            pieces.append((content_start, i))
            regions.append(QuoteRegion(open_at, j, tuple(pieces), True, True))
            state = ""
            continue
        if mark == "‘" or (mark == "'" and not _is_word(prev)):
            if state == "" and (_is_word(nxt) or nxt in "$(["):
                state, open_at, content_start, pieces = "single", i, j, []
            continue
        # ’ or ' after a word character: an apostrophe unless it closes an open single quote.
        if state == "single" and not _is_word(nxt) and prev not in " \t":
            pieces.append((content_start, i))
            regions.append(QuoteRegion(open_at, j, tuple(pieces), True, True))
            state = ""
    if state == "double":
        pieces.append((content_start, n))
        regions.append(QuoteRegion(open_at, n, tuple(pieces), False, False))
    return regions
