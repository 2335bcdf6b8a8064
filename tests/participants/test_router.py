"""The participant endpoints: representations, search by any name, paging, a speaker's quotations.

Expected results are computed in Python from the seed fixture (read with yaml.safe_load) plus the
quotations a test inserts itself; the quotation model and helpers come from the quotation tests.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.text import search_key
from tests.api import assert_evidence_true, assert_problem, walk
from tests.quotations.test_router import (
    ALL_QUOTES,
    EXTRA_QUOTES,
    FILTER_CASES,
    LUKASHENKA,
    PARTICIPANT_NAMES,
    PRESS_SERVICE,
    PUTIN,
    SEED,
    Quote,
    add_bulk_facts,
    assert_conditional_get,
    assert_names_parameter,
    assert_quotation,
    assert_walks,
    cursor_of,
    expected_ids,
    forge,
    insert_quotes,
    present,
    search_ranks,
    statement_counts,
    tamper,
)
from tests.search_reference import substring_matches

PARTICIPANTS: dict[str, dict[str, Any]] = {p["id"]: p for p in SEED["participants"]}
PARTICIPANT_KEYS = {
    "id",
    "name",
    "kind",
    "title",
    "description",
    "affiliation",
    "aliases",
    "external_ids",
    "evidence",
}
KINDS = ["person", "organization", "country", "group"]


def names_of(participant: dict[str, Any]) -> list[str]:
    return [participant["name"], *(a["alias"] for a in participant.get("aliases") or ())]


def expected_participants(params: dict[str, str]) -> list[str]:
    """Ids of the seed participants matching kind and q, in id order."""
    found = []
    for participant_id, participant in PARTICIPANTS.items():
        if "kind" in params and participant["kind"] != params["kind"]:
            continue
        if "q" in params and not substring_matches(
            params["q"], *names_of(participant), key=search_key
        ):
            continue
        found.append(participant_id)
    return sorted(found)


def span_texts(spans: list[Any]) -> set[str]:
    return {span if isinstance(span, str) else span["text"] for span in spans}


@pytest.fixture
def quotes(session: Session) -> list[Quote]:
    """The seed quotations plus the extra ones (Putin's among them), stored for the test."""
    insert_quotes(session, EXTRA_QUOTES)
    return ALL_QUOTES


# --- the participant list ----------------------------------------------------------------------


def test_the_list_holds_every_seed_participant_in_id_order(client: TestClient) -> None:
    response = client.get("/v1/participants", params={"limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    assert "link" not in response.headers
    assert [item["id"] for item in body["items"]] == sorted(PARTICIPANTS)


def test_the_default_page_size_is_20(client: TestClient, session: Session) -> None:
    add_bulk_facts(session, count=10)
    everyone = sorted([*PARTICIPANTS, *(f"bulk-participant-{n:03d}" for n in range(10))])
    response = client.get("/v1/participants")
    body = response.json()
    assert [item["id"] for item in body["items"]] == everyone[:20]
    assert body["next_cursor"]
    assert response.headers["link"].endswith('>; rel="next"')


def test_every_page_size_walks_every_participant_once_in_id_order(client: TestClient) -> None:
    for params in (
        {},
        *({"kind": kind} for kind in KINDS),
        {"q": "bel"},
        {"q": "council", "kind": "organization"},
        {"q": "Лукашенко", "kind": "person"},
    ):
        expected = expected_participants(params)
        assert expected, params
        assert_walks(client, "/v1/participants", params, expected)


NAME_SEARCHES = [
    ("lukashenko", LUKASHENKA),
    ("LUKASHENKA", LUKASHENKA),
    ("Лукашенко", LUKASHENKA),
    ("Лукашэнка", LUKASHENKA),
    ("лукашэНКА", LUKASHENKA),
    ("Lukáshenka", LUKASHENKA),
    ("Alexander Grigoryevich", LUKASHENKA),
    ("  Lukashenko  ", LUKASHENKA),
    ("Putin", PUTIN),
    ("пуцін", PUTIN),
    ("Владимир  Путин", PUTIN),
    ("Russian Federation", "russia"),
    ("российская федерация", "russia"),
    ("Belarus", "belarus"),
    ("Белоруссия", "belarus"),
    ("ЕАЭС", "eurasian-economic-union"),
    ("Вооружённые силы", "belarusian-armed-forces"),
    ("вооруженные силы", "belarusian-armed-forces"),
    ("საქართველო", "georgia"),
    ("CSTO member", "csto-member-countries"),
    ("Lukasenka", LUKASHENKA),
    ("Łukašenka", LUKASHENKA),
    ("Alyaksandr Łukašenka", LUKASHENKA),
    ("Lukashenka OR Putin", LUKASHENKA),
    ("Lukashenka OR Putin", PUTIN),
    ('"Alexander Lukashenko"', LUKASHENKA),
]


# One man in every spelling: Latin transliterations, Cyrillic (Belarusian and Russian) and
# Belarusian Latin (łacinka), with and without its marks; the seed lists him as Lukashenka,
# Lukashenko and Аляксандр Лукашэнка among others, but not in łacinka.
SPELLINGS = {
    "Latin": ["Lukashenka", "Lukashenko", "lukashenko", "Alexander Lukashenko"],
    "Cyrillic": ["Лукашэнка", "Лукашенко", "Аляксандр Лукашэнка", "ЛУКАШЕНКО"],
    "Belarusian Latin": ["Łukašenka", "Lukasenka", "Łukašenko", "Alyaksandr Łukašenka"],
}


@pytest.mark.parametrize("script", SPELLINGS)
def test_names_are_found_in_every_spelling(client: TestClient, script: str) -> None:
    for q in SPELLINGS[script]:
        ids = [item["id"] for item in walk(client, "/v1/participants", q=q, limit=100)]
        assert ids == [LUKASHENKA], q


def test_an_excluded_name_leaves_the_others(client: TestClient) -> None:
    everyone = {item["id"] for item in walk(client, "/v1/participants", q="a", limit=100)}
    rest = {item["id"] for item in walk(client, "/v1/participants", q="a -Łukašenka", limit=100)}
    assert LUKASHENKA in everyone
    assert rest == everyone - {LUKASHENKA}


def test_search_finds_a_participant_by_name_or_any_alias(client: TestClient) -> None:
    """Any script, any case, with or without diacritics; nothing that does not match."""
    for q, participant in NAME_SEARCHES:
        ids = [item["id"] for item in walk(client, "/v1/participants", q=q, limit=100)]
        assert participant in ids, q
        assert ids == expected_participants({"q": q}), q


def test_search_wildcards_and_quotes_are_plain_characters(client: TestClient) -> None:
    for q in ("%", "_", "Luka%enka", "L_kashenka", "\\", "/", "'", "nobody"):
        response = client.get("/v1/participants", params={"q": q, "limit": 100})
        assert response.status_code == 200, (q, response.text)
        ids = [item["id"] for item in response.json()["items"]]
        assert ids == expected_participants({"q": q}), q


# --- representations ---------------------------------------------------------------------------


def assert_participant(client: TestClient, item: dict[str, Any]) -> None:
    """Exactly the documented fields, the fixture's values, and true evidence."""
    seed = PARTICIPANTS[item["id"]]
    assert set(item) == PARTICIPANT_KEYS
    affiliation = seed.get("affiliation")
    assert {key: item[key] for key in PARTICIPANT_KEYS - {"aliases", "evidence"}} == {
        "id": seed["id"],
        "name": seed["name"],
        "kind": seed["kind"],
        "title": seed.get("title"),
        "description": seed.get("description"),
        "affiliation": (
            {"id": affiliation, "name": PARTICIPANT_NAMES[affiliation]} if affiliation else None
        ),
        "external_ids": seed.get("external_ids") or {},
    }
    assert sorted((a["alias"], a["language"]) for a in item["aliases"]) == sorted(
        (a["alias"], a["language"]) for a in seed.get("aliases") or ()
    )
    assert all(set(alias) == {"alias", "language"} for alias in item["aliases"])
    assert_evidence_true(client, item["evidence"])
    assert {span["text"] for span in item["evidence"]} == span_texts(seed["evidence"])


def test_every_participant_reads_as_the_fixture_says(client: TestClient) -> None:
    for participant_id in PARTICIPANTS:
        response = client.get(f"/v1/participants/{participant_id}")
        assert response.status_code == 200, response.text
        assert_participant(client, response.json())


def test_list_items_are_the_detail_representations(client: TestClient) -> None:
    items = walk(client, "/v1/participants", limit=7)
    assert len(items) == len(PARTICIPANTS)
    for item in items:
        assert client.get(f"/v1/participants/{item['id']}").json() == item


def test_an_unknown_participant_is_a_404_problem(client: TestClient) -> None:
    for path in ("/v1/participants/no-such-person", "/v1/participants/no-such-person/quotations"):
        body = assert_problem(client.get(path), 404)
        assert body["instance"] == path
    path = "/v1/participants/no-such-person/quotations"
    assert_problem(client.get(path, params={"kind": "direct", "limit": 5}), 404)


# --- errors ------------------------------------------------------------------------------------

INVALID_PARAMETERS = [
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"kind": "bogus"}, "kind"),
    ({"speakr": "x"}, "speakr"),
]
QUOTATION_INVALID_PARAMETERS = [
    *INVALID_PARAMETERS,
    ({"said_from": "2018-13"}, "said_from"),
    ({"said_to": "2018-02-30"}, "said_to"),
    ({"sort": "bogus"}, "sort"),
]


def test_invalid_list_parameters_are_422_problems_naming_them(client: TestClient) -> None:
    for params, name in INVALID_PARAMETERS:
        assert_names_parameter(client.get("/v1/participants", params=params), name)


def test_cursors_this_list_did_not_issue_are_400_problems(client: TestClient) -> None:
    real = cursor_of(client, "/v1/participants", limit=2)
    cursors = {
        "random base64": base64.urlsafe_b64encode(bytes(range(3, 250, 7))).decode(),
        "not base64": "not-a-cursor!",
        "truncated by one": real[:-1],
        "truncated by half": real[: len(real) // 2],
        "a number as the id key": tamper(real, [7]),
        "a null id key": tamper(real, [None]),
        "too many keys": tamper(real, ["a", "b"]),
        "another order": forge({"o": "said_on", "s": "", "k": [None, "x"]}),
        "from the quotation list": cursor_of(client, "/v1/quotations", limit=2),
    }
    for case, cursor in cursors.items():
        response = client.get("/v1/participants", params={"cursor": cursor})
        assert response.status_code == 400, (case, response.text)
        assert_problem(response, 400)


def test_a_cursor_from_another_filter_set_is_a_400_problem(client: TestClient) -> None:
    for issued_for, replayed_on in (
        ({"kind": "person"}, {"kind": "organization"}),
        ({"kind": "organization"}, {}),
        ({}, {"kind": "organization"}),
        ({"q": "bel"}, {"q": "rus"}),
    ):
        cursor = cursor_of(client, "/v1/participants", limit=1, **issued_for)
        response = client.get("/v1/participants", params={**replayed_on, "cursor": cursor})
        assert response.status_code == 400, f"cursor for {issued_for} accepted on {replayed_on}"
        assert_problem(response, 400)


# --- a participant's quotations ----------------------------------------------------------------


def quotations_path(participant_id: str) -> str:
    return f"/v1/participants/{participant_id}/quotations"


@pytest.mark.parametrize("sort", [None, "said_on", "-said_on"])
def test_every_page_size_walks_a_speakers_quotations_in_sort_order(
    client: TestClient, quotes: list[Quote], sort: str | None
) -> None:
    params = present({"sort": sort})
    for speaker in (LUKASHENKA, PUTIN, PRESS_SERVICE):
        expected = expected_ids(quotes, {**params, "speaker": speaker})
        assert expected
        assert_walks(client, quotations_path(speaker), params, expected)


def test_every_page_size_walks_a_speakers_search_results_in_sort_order(
    client: TestClient, session: Session, backend: str, quotes: list[Quote]
) -> None:
    ranks = search_ranks(session, backend, "the")
    for sort in (None, "relevance", "id", "said_on", "-said_on"):
        params = present({"q": "the", "sort": sort})
        expected = expected_ids(quotes, {**params, "speaker": LUKASHENKA}, ranks)
        assert len(expected) >= 3
        assert_walks(client, quotations_path(LUKASHENKA), params, expected)


def test_a_speakers_quotations_take_every_quotation_filter(
    client: TestClient, session: Session, backend: str, quotes: list[Quote]
) -> None:
    for params in [case for case in FILTER_CASES if "speaker" not in case]:
        ranks = search_ranks(session, backend, params["q"]) if "q" in params else None
        for speaker in (LUKASHENKA, PUTIN):
            expected = expected_ids(quotes, {**params, "speaker": speaker}, ranks)
            items = walk(client, quotations_path(speaker), **params, limit=5)
            assert [item["id"] for item in items] == expected, (speaker, params)


def test_a_speakers_quotations_are_the_speaker_filtered_list(
    client: TestClient, quotes: list[Quote]
) -> None:
    by_quote = {q.id: q for q in quotes}
    for speaker in {q.speaker for q in quotes}:
        items = walk(client, quotations_path(speaker), limit=4)
        assert items == walk(client, "/v1/quotations", speaker=speaker, limit=100)
        for item in items:
            assert item["speaker"] == {"id": speaker, "name": PARTICIPANT_NAMES[speaker]}
            assert_quotation(client, item, by_quote[item["id"]])


def test_a_participant_who_said_nothing_has_an_empty_list(
    client: TestClient, quotes: list[Quote]
) -> None:
    silent = sorted(set(PARTICIPANTS) - {q.speaker for q in quotes})
    assert silent
    for participant_id in silent:
        response = client.get(quotations_path(participant_id))
        assert response.status_code == 200
        assert response.json() == {"items": [], "next_cursor": None}


def test_the_speaker_query_parameter_combines_with_the_path(
    client: TestClient, quotes: list[Quote]
) -> None:
    same = walk(client, quotations_path(PUTIN), speaker=PUTIN, limit=100)
    assert [item["id"] for item in same] == expected_ids(quotes, {"speaker": PUTIN})
    assert walk(client, quotations_path(PUTIN), speaker=LUKASHENKA) == []


def test_a_filter_naming_an_unknown_id_gives_an_empty_list(client: TestClient) -> None:
    for name in ("issue", "event", "article", "audience"):
        response = client.get(quotations_path(LUKASHENKA), params={name: "no-such-thing"})
        assert response.status_code == 200, name
        assert response.json() == {"items": [], "next_cursor": None}, name


def test_invalid_quotation_parameters_are_422_problems_naming_them(client: TestClient) -> None:
    for params, name in QUOTATION_INVALID_PARAMETERS:
        assert_names_parameter(client.get(quotations_path(LUKASHENKA), params=params), name)


def test_cursors_a_speakers_list_did_not_issue_are_400_problems(
    client: TestClient, quotes: list[Quote]
) -> None:
    own = cursor_of(client, quotations_path(LUKASHENKA), limit=2)
    cursors = {
        "random base64": base64.urlsafe_b64encode(bytes(range(5, 250, 11))).decode(),
        "truncated": own[:-1],
        "another speaker's": cursor_of(client, quotations_path(PUTIN), limit=1),
        "another sort's": cursor_of(client, quotations_path(LUKASHENKA), limit=2, sort="said_on"),
        "another filter's": cursor_of(client, quotations_path(LUKASHENKA), limit=2, kind="direct"),
        "the participant list's": cursor_of(client, "/v1/participants", limit=2),
    }
    for case, cursor in cursors.items():
        response = client.get(quotations_path(LUKASHENKA), params={"cursor": cursor})
        assert response.status_code == 400, (case, response.text)
        assert_problem(response, 400)


# --- HTTP caching ------------------------------------------------------------------------------


def test_responses_carry_a_strong_etag_and_honour_if_none_match(client: TestClient) -> None:
    for url in (
        "/v1/participants",
        "/v1/participants?limit=3&kind=organization",
        "/v1/participants?q=lukashenko",
        f"/v1/participants/{LUKASHENKA}",
        f"/v1/participants/{LUKASHENKA}/quotations?limit=3&sort=-said_on",
    ):
        assert_conditional_get(client, url)


# --- statement counts --------------------------------------------------------------------------


def test_a_page_costs_the_same_statements_whatever_its_size(
    client: TestClient, session: Session
) -> None:
    """No N+1: 100 participants (aliases, external ids, affiliations, spans) cost as 1."""
    add_bulk_facts(session)
    for path, params in (
        ("/v1/participants", {}),
        ("/v1/participants", {"kind": "person"}),
        ("/v1/participants", {"q": "bulk"}),
        (quotations_path(LUKASHENKA), {}),
        (quotations_path(LUKASHENKA), {"sort": "-said_on"}),
        (quotations_path(LUKASHENKA), {"q": "bulk relations"}),
    ):
        counts = statement_counts(client, session, path, params)
        assert counts[1] == counts[10] == counts[100], (path, params, counts)
        assert counts[100] <= 6, (path, params, counts)
