"""Reading the pages' HTML without a browser (the standard library's parser)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


@dataclass
class MarkPiece:
    """One <mark> element of the highlighted text: its span key and the text offsets it covers."""

    key: str
    start: int
    end: int
    classes: list[str]
    attrs: dict[str, str | None]


@dataclass
class PageScan:
    """What a page holds: its elements' attributes, the article text, its marks and tooltips."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    inline_blocks: list[tuple[str, dict[str, str | None], str]] = field(default_factory=list)
    text: str = ""
    marks: list[MarkPiece] = field(default_factory=list)
    tips: dict[str, str] = field(default_factory=dict)  # tooltip id -> its text


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._text: list[str] = []
        self._offset = 0
        self._in_text = 0  # element depth inside #article-text (0: outside)
        self._open_marks: list[MarkPiece] = []
        self._tip: tuple[str, int] | None = None  # (id, depth) of the open tooltip
        self._tip_text: list[str] = []
        self._depth = 0
        self._block: tuple[str, dict[str, str | None]] | None = None
        self._block_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.scan.elements.append((tag, attributes))
        if tag in VOID_ELEMENTS:
            return
        self._depth += 1
        if tag in ("script", "style"):
            self._block, self._block_text = (tag, attributes), []
        if self._in_text:
            self._in_text += 1
            if tag == "mark":
                self._open_marks.append(
                    MarkPiece(
                        key=attributes.get("data-span") or "",
                        start=self._offset,
                        end=-1,
                        classes=(attributes.get("class") or "").split(),
                        attrs=attributes,
                    )
                )
        elif attributes.get("id") == "article-text":
            self._in_text = 1
        if "tip" in (attributes.get("class") or "").split() and self._tip is None:
            self._tip, self._tip_text = (attributes.get("id") or "", self._depth), []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self._tip is not None and self._tip[1] == self._depth:
            self.scan.tips[self._tip[0]] = " ".join("".join(self._tip_text).split())
            self._tip = None
        if self._block is not None and tag == self._block[0]:
            self.scan.inline_blocks.append((*self._block, "".join(self._block_text)))
            self._block = None
        self._depth -= 1
        if self._in_text:
            self._in_text -= 1
            if tag == "mark":
                piece = self._open_marks.pop()
                piece.end = self._offset
                self.scan.marks.append(piece)

    def handle_data(self, data: str) -> None:
        if self._in_text:
            self._text.append(data)
            self._offset += len(data)
        if self._tip is not None:
            self._tip_text.append(data)
        if self._block is not None:
            self._block_text.append(data)

    def close(self) -> None:
        super().close()
        self.scan.text = "".join(self._text)


def scan_page(html: str) -> PageScan:
    """Parse a page."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def strip_tags(fragment: str) -> str:
    """A fragment's text: tags removed, character references decoded (as a browser would)."""
    scanner = _Scanner()
    scanner.feed(f'<div id="article-text">{fragment}</div>')
    scanner.close()
    return scanner.scan.text


def kind_of(piece: MarkPiece) -> str:
    """The fact kind a mark is drawn as (its `ev-<kind>` class)."""
    kinds = [c.removeprefix("ev-") for c in piece.classes if re.fullmatch(r"ev-[a-z]+", c)]
    assert len(kinds) == 1, piece
    return kinds[0]


def spans_of(scan: PageScan) -> dict[str, tuple[int, int, str, str]]:
    """Each highlighted span: (start, end, kind, tooltip id), checking its pieces are contiguous."""
    pieces: dict[str, list[MarkPiece]] = {}
    for piece in scan.marks:
        pieces.setdefault(piece.key, []).append(piece)
    spans = {}
    for key, parts in pieces.items():
        parts.sort(key=lambda p: p.start)
        firsts = [p for p in parts if p.attrs.get("tabindex") == "0"]
        assert [id(p) for p in firsts] == [id(parts[0])], f"{key}: one focusable first piece"
        for before, after in itertools.pairwise(parts):
            assert before.end == after.start, f"{key}: its pieces leave a gap"
        kinds = {kind_of(p) for p in parts}
        tips = {p.attrs.get("data-tip") for p in parts}
        assert len(kinds) == 1, f"{key}: one kind"
        assert len(tips) == 1, f"{key}: one tooltip"
        tip = parts[0].attrs.get("aria-describedby")
        assert tip == next(iter(tips)), f"{key}: described by its tooltip"
        spans[key] = (parts[0].start, parts[-1].end, kinds.pop(), str(tip))
    return spans
