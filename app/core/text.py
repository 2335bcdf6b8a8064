"""Text helpers shared by the loader and the search code."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# One-line text: no control character (C0, DEL, C1) and no line or paragraph separator (NUL
# cannot even be stored in PostgreSQL).
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
# Text that may span lines: tab, newline and carriage return, but no other control character.
MULTILINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

_SLUG = re.compile(SLUG_PATTERN)


def is_slug(value: str) -> bool:
    """Whether value is a lower-case, hyphen-separated slug."""
    return _SLUG.match(value) is not None


def search_key(value: str) -> str:
    """Fold text for matching: case-insensitive, diacritics removed, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Stored names and queries are folded alike, so dropping marks (й -> и, ё -> е) is safe.
    return " ".join(unicodedata.normalize("NFC", stripped).split())
