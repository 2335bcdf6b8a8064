"""The web-search syntax of q: what each form parses to, and the FTS5 expression built from it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import column

from app.core.websearch import SearchQuery, Term, condition, fts5_expression, parse_search


def shape(q: str) -> tuple[list[list[tuple[str, ...]]], list[tuple[str, ...]]]:
    """The parsed tree as words: required clauses (alternatives), then exclusions."""
    query = parse_search(q)
    return (
        [[term.words for term in clause] for clause in query.required],
        [term.words for term in query.excluded],
    )


def test_plain_words_are_all_required() -> None:
    assert shape("other markets") == ([[("other",)], [("markets",)]], [])


def test_a_quoted_phrase_is_one_term_and_an_unclosed_quote_runs_to_the_end() -> None:
    assert shape('"main outpost" Belarus') == ([[("main", "outpost")], [("belarus",)]], [])
    assert shape('Belarus "main outpost') == ([[("belarus",)], [("main", "outpost")]], [])


def test_or_joins_its_neighbours_in_any_case() -> None:
    assert shape("gas OR oil price") == ([[("gas",), ("oil",)], [("price",)]], [])
    assert shape("gas or oil or coal") == ([[("gas",), ("oil",), ("coal",)]], [])
    assert shape('"gas" OR "oil price"') == ([[("gas",), ("oil", "price")]], [])


def test_a_minus_starting_a_term_excludes_it() -> None:
    assert shape("export -Russia") == ([[("export",)]], [("russia",)])
    assert shape('export -"Russian market"') == ([[("export",)]], [("russian", "market")])
    assert shape("export - Russia") == ([[("export",)], [()], [("russia",)]], [])  # `-` is text


def test_punctuation_inside_a_word_makes_a_phrase_and_is_text_elsewhere() -> None:
    assert shape("e-mail don't") == ([[("e", "mail")], [("don", "t")]], [])
    assert shape("Putin*") == ([[("putin",)]], [])
    query = parse_search("100% ;")
    assert [term.text for clause in query.required for term in clause] == ["100", ";"]


def test_an_or_with_nothing_to_join_and_an_exclusion_as_alternative_are_ignored() -> None:
    assert shape("OR gas OR") == ([[("gas",)]], [])
    assert shape("gas OR -oil") == ([[("gas",)]], [("oil",)])
    assert shape("OR") == ([], [])


def test_words_are_folded_as_the_index_folds_them() -> None:
    assert shape("Résumé ГАЗ snake_case") == ([[("resume",)], [("газ",)], [("snake", "case")]], [])


def test_the_fts5_expression_quotes_every_term() -> None:
    expression = fts5_expression(parse_search('gas OR "oil price" -coal NEAR(x)'))
    assert expression == '(("gas" OR "oil price") AND ("near x")) NOT "coal"'
    assert fts5_expression(parse_search("-coal")) is None  # exclusions alone match nothing
    assert fts5_expression(parse_search("%")) is None


def test_the_sql_condition_is_false_when_nothing_can_match() -> None:
    def matches(term: Term) -> Any:
        return column("body").contains(term.text)

    for q in ("-coal", "", "OR"):
        assert str(condition(q, matches)) == "false", q
    searched = condition('gas OR "oil price" -coal', matches).compile()
    assert str(searched) == (
        "((body LIKE '%' || :body_1 || '%') OR (body LIKE '%' || :body_2 || '%'))"
        " AND (body NOT LIKE '%' || :body_3 || '%')"
    )
    assert list(searched.params.values()) == ["gas", "oil price", "coal"]


def test_the_single_word_is_the_query_of_one_plain_word() -> None:
    assert parse_search(" Gas! ").single_word == "gas"
    assert parse_search('"gas"').single_word == "gas"
    assert parse_search("gas %").single_word == "gas"  # no word in %: the index ignores it
    for q in ("gas oil", "gas OR oil", "gas -oil", "e-mail", ""):
        assert parse_search(q).single_word is None, q


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_string_parses_into_terms_of_letters_and_digits(q: str) -> None:
    query = parse_search(q)
    assert isinstance(query, SearchQuery)
    terms: list[Term] = [term for clause in query.required for term in clause]
    for term in [*terms, *query.excluded]:
        assert term.text
        assert all(word.isalnum() for word in term.words)
    expression = fts5_expression(query)
    if expression is not None:
        # Only quoted words, parentheses and the operators reach FTS5.
        assert expression.count('"') % 2 == 0
        outside = expression.split('"')[::2]
        assert set("".join(outside)) <= set("() ANDORTN")
