"""Search that understands word forms and web-search syntax, the same on both databases.

Each backend's answers are held to one reference computed in Python (tests/search_reference.py)
over the seed, so SQLite and PostgreSQL give the same set for the same q. English quotations
are found by any form of their words; those of other languages by their words as written,
case and diacritics aside (the seed's quotations again, in other articles, and a few more).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.bundles.loader import load_bundles, seed_bundle_paths
from app.kinds import KINDS
from app.models.article import Article
from app.models.event import Event
from app.models.issue import Issue
from app.models.quotation import Quotation
from app.quotations.search import quotation_matches
from tests.api import walk
from tests.quotations.languages import GERMAN, POLISH, UNDETERMINED, add_article, add_quotation
from tests.search_reference import full_text_matches, substring_matches

MARKETS = {"lukashenka-look-for-other-markets", "lukashenka-issues-competition-market-economy"}
OUTPOST = "lukashenka-main-outpost"

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def found(client: TestClient, path: str, q: str) -> set[str]:
    return {item["id"] for item in walk(client, path, q=q, limit=100)}


def quotation_texts(session: Session) -> dict[str, str]:
    return {row.id: row.text for row in session.execute(select(Quotation.id, Quotation.text))}


def quotation_languages(session: Session) -> dict[str, tuple[str, str]]:
    """Each quotation's text and its article's language."""
    rows = session.execute(
        select(Quotation.id, Quotation.text, Article.language).join(
            Article, Article.id == Quotation.article_id
        )
    )
    return {row.id: (row.text, row.language) for row in rows}


# Quotations of articles not in English: their words are matched as written.
OTHER_LANGUAGES = {
    "de-markets": ("As for export, look for other markets, sagte er.", GERMAN),
    "de-market": ("Ein market für Märkte und Zölle.", GERMAN),
    "pl-outpost": ("Białoruś is the main outpost na zachodzie; markets.", POLISH),
    "und-issues": ("Issues of bilateral cooperation, Russia.", UNDETERMINED),
}


@pytest.fixture
def other_languages(session: Session) -> dict[str, tuple[str, str]]:
    """OTHER_LANGUAGES, and a Polish copy of every seed quotation (`pl-` and its id)."""
    for quotation_id, (body, article) in OTHER_LANGUAGES.items():
        add_quotation(session, quotation_id, body, article)
    for quotation_id, body in quotation_texts(session).items():
        if quotation_id not in OTHER_LANGUAGES:
            add_quotation(session, f"pl-{quotation_id}", body, POLISH)
    return quotation_languages(session)


def test_only_english_quotations_are_found_by_other_forms_of_a_word(
    client: TestClient, other_languages: dict[str, tuple[str, str]]
) -> None:
    english_markets = found(client, "/v1/quotations", "market") & MARKETS
    assert english_markets == MARKETS  # "other markets" found by `market`: stems
    # Elsewhere `market` finds the word itself: "one market", "market economy" in Polish.
    assert found(client, "/v1/quotations", "market") - MARKETS == {"de-market"} | {
        f"pl-{quotation_id}" for quotation_id in MARKETS
    }
    assert found(client, "/v1/quotations", "markets") == MARKETS | {
        "de-markets",
        "pl-outpost",
        "pl-lukashenka-look-for-other-markets",
    }
    assert found(client, "/v1/quotations", "MARKETS") == found(client, "/v1/quotations", "markets")
    # Case and diacritics are folded in every language (ł is a letter of its own).
    assert found(client, "/v1/quotations", "markte") == {"de-market"}
    assert found(client, "/v1/quotations", "ZÖLLE") == {"de-market"}
    assert found(client, "/v1/quotations", "bialorus") == set()
    assert found(client, "/v1/quotations", "białoruś") == {"pl-outpost"}


def test_phrases_and_exclusions_hold_in_each_language(
    client: TestClient, other_languages: dict[str, tuple[str, str]]
) -> None:
    look = "lukashenka-look-for-other-markets"
    assert found(client, "/v1/quotations", '"other markets"') == {look, "de-markets", f"pl-{look}"}
    assert found(client, "/v1/quotations", '"other market"') == {look}  # stems, in English only
    assert found(client, "/v1/quotations", '"main outpost"') == {
        OUTPOST,
        f"pl-{OUTPOST}",
        "pl-outpost",
    }
    assert found(client, "/v1/quotations", '"outpost main"') == set()
    assert found(client, "/v1/quotations", "markets -sagte") == MARKETS | {
        "pl-outpost",
        f"pl-{look}",
    }
    assert found(client, "/v1/quotations", "market -Russia") == {
        "lukashenka-issues-competition-market-economy",
        "pl-lukashenka-issues-competition-market-economy",
        "de-market",
    }
    assert "und-issues" in found(client, "/v1/quotations", "issues bilateral")
    assert "und-issues" not in found(client, "/v1/quotations", "issue bilateral")
    assert "und-issues" not in found(client, "/v1/quotations", "issues -russia")


@pytest.mark.parametrize(
    "q",
    [
        "market",
        "markets",
        "Märkte",
        '"other markets"',
        '"main outpost" OR zolle',
        "markets -Russia",
        "export -sagte",
        "issues OR cooperation",
        "the -the",
    ],
)
def test_each_language_is_found_as_the_reference_says(
    client: TestClient, other_languages: dict[str, tuple[str, str]], q: str
) -> None:
    expected = {
        i for i, (body, lang) in other_languages.items() if full_text_matches(q, body, lang)
    }
    assert found(client, "/v1/quotations", q) == expected


# Each query in each form, written out for each database's own ranking function.
FORMS = {
    '"main outpost"': (
        ('"main outpost"', '"mainzq0 outpostzq0"'),
        ("main <-> outpost", "mainzq0 <-> outpostzq0"),
    ),
    "markets": (('"markets"', '"marketszq0"'), ("markets", "marketszq0")),
    "export -sagte": (
        ('"export" NOT "sagte"', '"exportzq0" NOT "sagtezq0"'),
        ("export & !sagte", "exportzq0 & !sagtezq0"),
    ),
    "outpost OR markets": (
        ('"outpost" OR "markets"', '"outpostzq0" OR "marketszq0"'),
        ("outpost | markets", "outpostzq0 | marketszq0"),
    ),
}


@pytest.mark.parametrize("q", FORMS)
def test_a_quotation_is_ranked_as_its_languages_query_alone_ranks_it(
    session: Session, backend: str, other_languages: dict[str, tuple[str, str]], q: str
) -> None:
    """The query of both forms ranks a quotation as the query of the form it holds would:
    FTS5's bm25, or PostgreSQL's ts_rank (whose formula for a query whose top is an OR differs:
    the query of both forms is not what a quotation is ranked by there)."""
    fts5, tsquery = FORMS[q]
    if backend == "sqlite":
        statement = (
            "SELECT r.quotation_id, -bm25(quotations_fts) FROM quotations_fts"
            " JOIN quotations_fts_rowids AS r ON r.fts_rowid = quotations_fts.rowid"
            " WHERE quotations_fts MATCH :form"
        )
    else:
        statement = (
            "SELECT id, CAST(ts_rank(text_fts, to_tsquery('newsfacts_porter', :form)) AS FLOAT)"
            " FROM quotations WHERE text_fts @@ to_tsquery('newsfacts_porter', :form)"
        )
    expected: dict[str, float] = {}
    for form, english in zip(fts5 if backend == "sqlite" else tsquery, (True, False), strict=True):
        ranked = dict(session.execute(text(statement), {"form": form}).all())
        assert ranked
        assert all((other_languages[quotation_id][1] == "en") == english for quotation_id in ranked)
        expected.update(ranked)
    matches = quotation_matches(session, q)
    assert matches is not None
    assert dict(session.execute(select(matches.c.quotation_id, matches.c.rank)).all()) == (expected)


def test_an_articles_language_decides_how_its_quotations_are_found(
    client: TestClient, session: Session, writer: dict[str, str]
) -> None:
    """PATCHing the language indexes the article's quotations again (a trigger on each
    database), from English to German and back, and in any case of the tag."""
    add_article(session, "changing", "en")
    add_quotation(session, "changing-markets", "We look for other markets.", "changing")

    def set_language(language: str) -> None:
        etag = client.get("/v1/articles/changing").headers["etag"]
        response = client.patch(
            "/v1/articles/changing",
            json={"language": language},
            headers={**writer, "If-Match": etag},
        )
        assert response.status_code == 200, response.text

    def finds() -> tuple[bool, bool]:
        return (
            "changing-markets" in found(client, "/v1/quotations", "market"),
            "changing-markets" in found(client, "/v1/quotations", "markets"),
        )

    assert finds() == (True, True)
    set_language("de")
    assert finds() == (False, True)
    set_language("EN-gb")
    assert finds() == (True, True)
    set_language("de-AT")
    set_language("und")  # from one other language to another: nothing changes
    assert finds() == (False, True)
    set_language("en")
    assert finds() == (True, True)


def test_a_word_finds_its_other_forms(client: TestClient, session: Session) -> None:
    texts = quotation_texts(session)
    for q in ("markets", "market", "MARKET"):
        assert found(client, "/v1/quotations", q) == MARKETS, q
    # "other markets" and "one market" are one quotation; "market economy" is the other.
    assert "one market" in texts["lukashenka-look-for-other-markets"]
    assert "markets" not in texts["lukashenka-issues-competition-market-economy"]


def test_a_phrase_finds_its_words_side_by_side(client: TestClient, session: Session) -> None:
    assert found(client, "/v1/quotations", '"main outpost"') == {OUTPOST}
    assert found(client, "/v1/quotations", '"outpost main"') == set()
    assert len(found(client, "/v1/quotations", "main outpost")) >= 1


def test_an_excluded_word_removes_what_mentions_it(client: TestClient, session: Session) -> None:
    texts = quotation_texts(session)
    with_export = found(client, "/v1/quotations", "export")
    assert "lukashenka-look-for-other-markets" in with_export
    without_russia = found(client, "/v1/quotations", "export -Russia")
    assert without_russia == {i for i in with_export if "russia" not in texts[i].lower()}
    assert "lukashenka-look-for-other-markets" not in without_russia
    markets = found(client, "/v1/quotations", "markets -Russia")
    assert markets == {"lukashenka-issues-competition-market-economy"}


def test_a_word_one_database_cannot_see_finds_nothing_on_both(client: TestClient) -> None:
    """`²` is a word to Python and FTS5 but not to PostgreSQL's parser: no quotation has it."""
    assert found(client, "/v1/quotations", "markets ²") == set()
    assert found(client, "/v1/quotations", "markets OR ²") == MARKETS
    assert found(client, "/v1/quotations", "markets -²") == MARKETS


def test_or_finds_either(client: TestClient) -> None:
    either = found(client, "/v1/quotations", "outpost OR markets")
    assert either == MARKETS | {OUTPOST}


def test_every_list_with_q_reads_the_syntax(client: TestClient, session: Session) -> None:
    issues = {i.id: (i.title, i.summary) for i in session.scalars(select(Issue))}
    events = {e.id: (e.title, e.description) for e in session.scalars(select(Event))}
    for q in ("export", "export -Russia", '"food products"', "CSTO OR export", "Sochi -Putin"):
        assert found(client, "/v1/issues", q) == {
            i for i, fields in issues.items() if substring_matches(q, *fields)
        }, q
        assert found(client, "/v1/events", q) == {
            e for e, fields in events.items() if substring_matches(q, *fields)
        }, q
    assert found(client, "/v1/issues", "food") - found(client, "/v1/issues", "food -Russia")


# --- properties: any q is answered, and as the reference says -------------------------------

SEED_TEXT = (
    "As for export, look for other markets. Belarus is the main outpost, including that of the"
    " Russian Federation, in the west. Issues of bilateral cooperation; Putin, Lukashenka, Minsk,"
    " Sochi, market economy, politics, problems, relations, is, as, us"
)
SEED_WORDS = sorted(set(re.findall(r"\w+", SEED_TEXT)))
SYNTAX = ["OR", "or", "-", '"', " ", "  ", "'", "*", "(", ")", ":", "NEAR", "AND", "NOT", "^", "%"]
queries = st.lists(
    st.one_of(st.sampled_from(SEED_WORDS), st.sampled_from(SYNTAX), st.text(max_size=3)),
    min_size=1,
    max_size=10,
).map(lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts))
any_text = st.text(max_size=60)


def listed(client: TestClient, path: str, q: str) -> tuple[int, set[str]]:
    response = client.get(path, params={"q": q, "limit": 100})
    assert response.status_code < 500, (path, q, response.text)
    if response.status_code != 200:
        assert response.status_code == 422, (path, q, response.text)  # e.g. control characters
        return response.status_code, set()
    body: dict[str, Any] = response.json()
    assert body["next_cursor"] is None or len(body["items"]) == 100
    return 200, {item["id"] for item in body["items"]}


@PROPERTY
@given(q=st.one_of(queries, any_text))
def test_any_q_is_answered_on_every_list(client: TestClient, q: str) -> None:
    for path in ("/v1/quotations", "/v1/participants", "/v1/events", "/v1/issues", "/v1/articles"):
        listed(client, path, q)


@PROPERTY
@given(q=queries)
def test_quotations_found_are_the_references(
    client: TestClient, other_languages: dict[str, tuple[str, str]], q: str
) -> None:
    """In English and in other languages (every seed quotation is also in Polish)."""
    status, ids = listed(client, "/v1/quotations", q)
    if status == 200:
        expected = {
            i for i, (body, lang) in other_languages.items() if full_text_matches(q, body, lang)
        }
        assert ids == expected, q


@PROPERTY
@given(q=queries)
def test_issues_found_are_the_references(client: TestClient, session: Session, q: str) -> None:
    status, ids = listed(client, "/v1/issues", q)
    if status == 200:
        issues = {i.id: (i.title, i.summary) for i in session.scalars(select(Issue))}
        assert ids == {i for i, fields in issues.items() if substring_matches(q, *fields)}, q


def test_a_bundle_that_changes_its_articles_language_indexes_its_quotations_again(
    session: Session, tmp_path: Path
) -> None:
    """Loading the seed again with `language: de` (the loader updates the article) leaves its
    quotations found by their words as written only, on each database."""

    def searched(q: str) -> set[str]:
        matches = quotation_matches(session, q)
        assert matches is not None
        return set(session.scalars(select(matches.c.quotation_id)))

    assert searched("markets") == MARKETS  # "market economy" is the other's
    (seed,) = seed_bundle_paths()
    bundle = yaml.safe_load(Path(seed).read_text(encoding="utf-8"))
    bundle["article"]["language"] = "de"
    german = tmp_path / "seed-in-german.yaml"
    german.write_text(yaml.safe_dump(bundle, allow_unicode=True), encoding="utf-8")
    load_bundles(session, [german], kinds=KINDS)
    assert searched("markets") == {"lukashenka-look-for-other-markets"}
    load_bundles(session, [seed], kinds=KINDS)
    assert searched("markets") == MARKETS
