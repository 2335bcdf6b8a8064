"""What a web-search `q` should find, computed in Python: the reference both databases meet."""

from __future__ import annotations

from collections.abc import Callable

from app.core.porter import porter_stem
from app.core.websearch import SearchQuery, Term, parse_search
from app.quotations.search import search_words


def _stems(text: str) -> list[str]:
    return [porter_stem(word) for word in search_words(text)]


def _holds(stems: list[str], term: Term) -> bool:
    wanted = [porter_stem(word) for word in term.words]
    return any(
        stems[start : start + len(wanted)] == wanted
        for start in range(len(stems) - len(wanted) + 1)
    )


def full_text_matches(q: str | SearchQuery, text: str) -> bool:
    """Whether a text matches q in the full-text index: stems, phrases side by side."""
    query = (parse_search(q) if isinstance(q, str) else q).words_only()
    if not query.required:
        return False
    stems = _stems(text)
    return all(
        any(_holds(stems, term) for term in clause) for clause in query.required
    ) and not any(_holds(stems, term) for term in query.excluded)


def substring_matches(q: str, *fields: str | None, key: Callable[[str], str] = str.lower) -> bool:
    """Whether a record matches q in a substring search of its fields (titles; names with
    `key` their search key): each term's text, folded by `key`, in any of them."""
    query = parse_search(q)
    if not query.required:
        return False
    texts = [key(field) for field in fields if field]

    def holds(term: Term) -> bool:
        return any(key(term.text) in text for text in texts)

    return all(any(holds(term) for term in clause) for clause in query.required) and not any(
        holds(term) for term in query.excluded
    )
