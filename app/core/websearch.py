"""Web-search syntax for `q`: plain words, "a phrase", `a OR b` and `-word`, parsed into a tree.

Modelled on PostgreSQL's websearch_to_tsquery: words are all required; text in double quotes is a
phrase (an unclosed quote runs to the end); `OR` (any case) between two terms makes them
alternatives; a `-` that starts a term excludes it. Anything else is text: in the full-text index,
punctuation separates words, and a run of words joined by punctuation (`e-mail`, `don't`) is
searched as a phrase, as the index holds its words side by side; substring searches (names,
titles) look for each term as typed. Two rules of our own: an exclusion is never an
alternative (in `a OR -b` the OR is ignored), and a query of exclusions alone matches nothing.

The tree is turned into each backend's query by code (an FTS5 expression of quoted words, a
tsquery built by functions, SQL conditions), never by passing the user's string through.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, not_, or_
from sqlalchemy.sql.elements import SQLCoreOperations

# A word is a run of letters and digits: what FTS5's unicode61 tokenizer keeps (`_` separates).
WORD = re.compile(r"[^\W_]+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation around a term, left out of its text
_CHUNK = re.compile(r'"([^"]*)"?|(\S+?)(?=\s|"|$)')


@dataclass(frozen=True)
class Term:
    """A word or a phrase: `words` folded for the full-text index, `text` as typed (without
    the punctuation around it), for substring searches."""

    words: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class SearchQuery:
    """Every clause is required (a clause holds alternatives); no excluded term may match."""

    required: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def words_only(self) -> SearchQuery:
        """The query the full-text index answers: terms without a letter or digit dropped."""
        required = tuple(
            clause
            for clause in (tuple(term for term in clause if term.words) for clause in self.required)
            if clause
        )
        excluded = tuple(term for term in self.excluded if term.words)
        return SearchQuery(required=required, excluded=excluded)

    @property
    def single_word(self) -> str | None:
        """The word, when the query is one plain word (for the full-text index) and nothing
        else."""
        query = self.words_only()
        if len(query.required) == 1 and len(query.required[0]) == 1 and not query.excluded:
            words = query.required[0][0].words
            if len(words) == 1:
                return words[0]
        return None


def fold(text: str) -> str:
    """Lower-case text without diacritics, as FTS5's unicode61 (remove_diacritics 2) folds it."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()


def search_words(text: str) -> list[str]:
    """The words of a text as the full-text index cuts them (runs of letters and digits),
    folded."""
    return WORD.findall(fold(text))


def _term(text: str) -> Term | None:
    words = tuple(search_words(text))
    if not text.strip():
        return None
    # Punctuation is text too (a substring search for `100%` wants the %), but not around words.
    return Term(words=words, text=_EDGES.sub("", text) if words else text.strip())


def parse_search(query: str) -> SearchQuery:
    """The tree of a `q` string; never fails (a query with no word has no clause)."""
    items: list[tuple[Term, bool] | None] = []  # None stands for an OR
    position = 0
    while position < len(query):
        if query[position].isspace():
            position += 1
            continue
        # A `-` excludes the term it starts; on its own it is text.
        negated = (
            query[position] == "-"
            and position + 1 < len(query)
            and not query[position + 1].isspace()
        )
        start = position + 1 if negated else position
        match = _CHUNK.match(query, start)
        if match is None:
            break
        position = match.end()
        if match.group(1) is not None or query[start] == '"':
            term = _term(match.group(1) or "")
        else:
            chunk = match.group(2)
            if not negated and chunk.lower() == "or":
                items.append(None)
                continue
            term = _term(chunk)
        if term is not None:
            items.append((term, negated))

    required: list[list[Term]] = []
    excluded: list[Term] = []
    joined = False  # the last clause ends in an OR waiting for its next alternative
    previous_positive = False
    for item in items:
        if item is None:
            joined = previous_positive
            continue
        term, negated = item
        if negated:
            excluded.append(term)
            joined = previous_positive = False
            continue
        if joined:
            required[-1].append(term)
        else:
            required.append([term])
        joined = False
        previous_positive = True
    return SearchQuery(
        required=tuple(tuple(clause) for clause in required), excluded=tuple(excluded)
    )


def fts5_expression(query: SearchQuery) -> str | None:
    """The FTS5 MATCH expression of a query (each term a quoted phrase of letters and digits);
    None if nothing can match."""
    query = query.words_only()
    if not query.required:
        return None

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    clauses = [
        "(" + " OR ".join(phrase(term) for term in clause) + ")" for clause in query.required
    ]
    expression = "(" + " AND ".join(clauses) + ")"
    for term in query.excluded:
        expression += " NOT " + phrase(term)
    return expression


def condition(q: str, matches: Callable[[Term], ColumnElement[bool]]) -> ColumnElement[bool]:
    """The SQL condition of the web-search query `q`, given the condition that one term matches;
    false() when nothing can match (no term, or exclusions alone)."""
    query = parse_search(q)
    if not query.required:
        return false()
    required = [or_(*(matches(term) for term in clause)) for clause in query.required]
    excluded = [not_(matches(term)) for term in query.excluded]
    return and_(*required, *excluded)


def in_any(*columns: SQLCoreOperations[Any]) -> Callable[[Term], ColumnElement[bool]]:
    """A term matches when any of the text columns contains it as typed, case folded."""

    def matches(term: Term) -> ColumnElement[bool]:
        return or_(*(column.icontains(term.text, autoescape=True) for column in columns))

    return matches
