"""What a web-search `q` should find, computed in Python: the reference both databases meet.

The words of a quotation of an English article (a language tag whose primary subtag is `en`)
are matched by their Porter stems; those of any other language as written, case and
diacritics folded (migration 0011).
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.porter import porter_stem
from app.core.websearch import SearchQuery, Term, parse_search, search_words


def _english(language: str) -> bool:
    return language.split("-")[0].lower() == "en"


def full_text_matches(q: str | SearchQuery, text: str, language: str) -> bool:
    """Whether a text in `language` matches q in the full-text index: stems (English) or
    folded words (any other language), phrases side by side."""
    query = (parse_search(q) if isinstance(q, str) else q).words_only()
    if not query.required:
        return False
    form: Callable[[str], str] = porter_stem if _english(language) else str
    words = [form(word) for word in search_words(text)]

    def holds(term: Term) -> bool:
        wanted = [form(word) for word in term.words]
        return any(
            words[start : start + len(wanted)] == wanted
            for start in range(len(words) - len(wanted) + 1)
        )

    return all(any(holds(term) for term in clause) for clause in query.required) and not any(
        holds(term) for term in query.excluded
    )


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
