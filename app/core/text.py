"""Text helpers shared by the loader and the search code."""

from __future__ import annotations

import re

from anyascii import anyascii

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# One-line text: no control character (C0, DEL, C1) and no line or paragraph separator (NUL
# cannot even be stored in PostgreSQL).
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
# Text that may span lines: tab, newline and carriage return, but no other control character.
MULTILINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

_SLUG = re.compile(SLUG_PATTERN)
_DIGRAPH = re.compile(r"([sczk])h")
SEARCH_KEY_LENGTH = 300  # the stored keys' column length (a transliteration can be longer)


def is_slug(value: str) -> bool:
    """Whether value is a lower-case, hyphen-separated slug."""
    return _SLUG.match(value) is not None


def search_key(value: str) -> str:
    """Fold a name for matching in any spelling: transliterated to ASCII, lower case, `h` after
    s, c, z or k dropped, whitespace collapsed (at most SEARCH_KEY_LENGTH characters)."""
    # anyascii spells Ł, ø, đ and other scripts in Latin letters (Лукашэнка -> Lukashenka,
    # Łukašenka -> Lukasenka); the digraphs sh, ch, zh, kh of one transliteration are the single
    # letters (š, č, ž) of another, so they are folded alike.
    spelled = _DIGRAPH.sub(r"\1", anyascii(value).lower())
    return " ".join(spelled.split())[:SEARCH_KEY_LENGTH]
