"""Text layout: paragraphs, sentences and words with their offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .lexicon import ABBREVIATIONS

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (and any closing marks) before a space and a capital, digit or mark.
_SENTENCE_END = re.compile(r"[.!?…]+[”\"'’)]*(?=\s+[“\"‘'(\[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.]+)$")
TOKEN = re.compile(r"[\w’'.&-]+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Layout:
    """Paragraph and sentence starts of a text, for finding the unit around an offset."""

    text: str
    paragraph_starts: tuple[int, ...]
    paragraph_ends: tuple[int, ...]
    sentence_starts: tuple[int, ...]

    def paragraph(self, at: int) -> tuple[int, int]:
        """The paragraph holding offset `at`."""
        i = max(bisect_right(self.paragraph_starts, at) - 1, 0)
        return self.paragraph_starts[i], self.paragraph_ends[i]

    def paragraph_index(self, at: int) -> int:
        """The index of the paragraph holding offset `at`."""
        return max(bisect_right(self.paragraph_starts, at) - 1, 0)

    def sentence_start(self, at: int) -> int:
        """Where the sentence holding offset `at` starts."""
        i = bisect_right(self.sentence_starts, at) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def sentence_end(self, at: int) -> int:
        """Where the sentence holding offset `at` ends (the next sentence's start, trimmed)."""
        i = bisect_right(self.sentence_starts, at)
        end = self.sentence_starts[i] if i < len(self.sentence_starts) else len(self.text)
        while end > at and self.text[end - 1] in " \n\t":
            end -= 1
        return end


def layout(text: str) -> Layout:
    """Paragraphs and sentences of a text."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            starts.append(m.start())
            ends.append(m.end())
    if not starts:
        starts, ends = [0], [len(text)]
    sentences = set(starts)
    for m in _SENTENCE_END.finditer(text):
        if m.group()[0] == ".":
            word = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
            if word is not None:
                w = word.group(1).lower()
                # "Mr." or "U.S." or an initial ("John F. Kennedy") does not end a sentence.
                if w in ABBREVIATIONS or len(w) == 1 or (len(w) <= 3 and "." in w):
                    continue
        k = m.end()
        while k < len(text) and text[k] in " \t":
            k += 1
        sentences.add(k)
    return Layout(text, tuple(starts), tuple(ends), tuple(sorted(sentences)))
