"""The quotation endpoints: representations, filters, search, keyset paging, errors, caching.

Expected results are computed in Python from the seed fixture (read with yaml.safe_load) plus the
quotations a test inserts itself, never copied from the API's own answers.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

from app.core.dates import DatePrecision
from app.models.evidence import EvidenceSpan
from app.models.issue import Issue, IssueCategory
from app.models.participant import (
    Participant,
    ParticipantAlias,
    ParticipantExternalId,
    ParticipantKind,
)
from app.models.quotation import Quotation, QuotationIssue, QuotationKind
from tests.api import assert_evidence_true, assert_problem, is_transaction_control, walk
from tests.search_reference import full_text_matches

SEED_PATH = (
    Path(__file__).resolve().parents[2] / "app/bundles/seed/lukashenka-putin-sochi-2018.yaml"
)
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
ARTICLE_TEXT: str = SEED["article"]["text"]
ARTICLE_LANGUAGE: str = SEED["article"]["language"]
PARTICIPANT_NAMES: dict[str, str] = {p["id"]: p["name"] for p in SEED["participants"]}
QUOTATION_KEYS = {
    "id",
    "text",
    "kind",
    "speaker",
    "said_on",
    "said_on_precision",
    "event_id",
    "audience",
    "issue_ids",
    "article_id",
    "evidence",
}
PAGE_LIMITS = (1, 2, 7, 100)
LUKASHENKA = "alyaksandr-lukashenka"
PUTIN = "vladimir-putin"
PRESS_SERVICE = "belarus-president-press-service"


# --- an independent model of the data --------------------------------------------------------


def period(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a partial date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def precision(value: str) -> str:
    """The precision a partial date is written at."""
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def words(value: str) -> list[str]:
    """Words as the search contract sees them: runs of letters and digits, case folded."""
    return re.findall(r"\w+", value.casefold())


@dataclass(frozen=True)
class Quote:
    """What the API should say about one quotation."""

    id: str
    text: str
    kind: str
    speaker: str
    said_on: str | None = None
    event: str | None = None
    audience: str | None = None
    issues: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # span texts besides the quotation's own text
    article: str = ARTICLE_ID

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        return period(self.said_on) if self.said_on else None

    @property
    def start(self) -> dt.date:
        """The first day of a dated quotation's period: what the said_on orders sort by."""
        assert self.period is not None
        return self.period[0]

    def matches(self, params: Mapping[str, Any]) -> bool:
        """Whether the quotation passes every filter in params (AND)."""
        for name, value in (
            ("speaker", self.speaker),
            ("event", self.event),
            ("article", self.article),
            ("audience", self.audience),
            ("kind", self.kind),
        ):
            if name in params and params[name] != value:
                return False
        if "issue" in params and params["issue"] not in self.issues:
            return False
        if "said_from" in params and (
            self.period is None or self.period[0] < period(params["said_from"])[0]
        ):
            return False
        if "said_to" in params and (
            self.period is None or self.period[1] > period(params["said_to"])[1]
        ):
            return False
        return "q" not in params or full_text_matches(params["q"], self.text, ARTICLE_LANGUAGE)

    def representation(self) -> dict[str, Any]:
        """The expected JSON, but for the evidence offsets (checked separately)."""
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind,
            "speaker": {"id": self.speaker, "name": PARTICIPANT_NAMES[self.speaker]},
            "said_on": self.said_on,
            "said_on_precision": precision(self.said_on) if self.said_on else None,
            "event_id": self.event,
            "audience": (
                {"id": self.audience, "name": PARTICIPANT_NAMES[self.audience]}
                if self.audience
                else None
            ),
            "issue_ids": sorted(self.issues),
            "article_id": self.article,
        }


def _span_text(span: str | dict[str, Any]) -> str:
    return span if isinstance(span, str) else str(span["text"])


SEED_QUOTES = [
    Quote(
        id=q["id"],
        text=q["text"],
        kind=q["kind"],
        speaker=q["speaker"],
        said_on=q.get("said_on"),
        event=q.get("event"),
        audience=q.get("audience"),
        issues=tuple(q.get("issues") or ()),
        evidence=tuple(_span_text(s) for s in q.get("evidence") or ()),
    )
    for q in SEED["quotations"]
]

# Inserted by the `quotes` fixture: undated ones, other speakers, ties on date and on text.
EXTRA_QUOTES = [
    Quote(  # undated; sorts first by id
        id="aaa-putin-always-found-solution",
        text="We have always found a solution.",
        kind="direct",
        speaker=PUTIN,
        audience=LUKASHENKA,
        issues=("bilateral-relations-state-and-prospects",),
    ),
    Quote(
        id="putin-first-meeting-2018",
        text="It will be the first meeting of the two leaders in 2018.",
        kind="indirect",
        speaker=PUTIN,
        said_on="2018-05-14",
        event="seec-session-sochi-2018",
        audience="heads-of-state",
        evidence=("the two leaders",),
    ),
    Quote(  # same day as two seed quotations
        id="putin-talk-at-joint-events",
        text="We often talk about it",
        kind="partial",
        speaker=PUTIN,
        said_on="2018-03-19",
        event="lukashenka-congratulates-putin-2018-03-19",
        audience=LUKASHENKA,
        issues=("ministerial-level-issues",),
    ),
    Quote(
        id="putin-ministers-resolve-issues",
        text="Ministers and governments need to resolve issues by themselves",
        kind="direct",
        speaker=PUTIN,
        said_on="2018-12",
        issues=("ministerial-level-issues", "competition-and-market-economy"),
    ),
    Quote(  # same month as five seed quotations, and an id before theirs
        id="lukashenka-aa-hunt-for-markets",
        text="Therefore, hunt for other markets.",
        kind="direct",
        speaker=LUKASHENKA,
        said_on="2018-02",
        audience="belarusian-producers",
        issues=("food-supplies-to-russia",),
        evidence=("he stressed",),
    ),
    Quote(  # undated
        id="lukashenka-zz-clarify-things",
        text="We need to clarify things.",
        kind="partial",
        speaker=LUKASHENKA,
        issues=("food-supplies-to-russia",),
    ),
    Quote(  # the same text as the one above: they tie on relevance
        id="aaa-clarify-things-again",
        text="We need to clarify things.",
        kind="partial",
        speaker=LUKASHENKA,
        said_on="2018-03",
    ),
    Quote(
        id="press-service-2017-question",
        text="Which issues will be raised?",
        kind="indirect",
        speaker=PRESS_SERVICE,
        said_on="2017",
    ),
    Quote(  # undated; sorts last by id
        id="russia-life-undated",
        text="But that is life",
        kind="indirect",
        speaker="russia",
    ),
]
ALL_QUOTES = SEED_QUOTES + EXTRA_QUOTES


def _date_columns(said_on: str | None) -> dict[str, Any]:
    if said_on is None:
        return {"said_on": None, "said_on_precision": None}
    return {"said_on": period(said_on)[0], "said_on_precision": DatePrecision(precision(said_on))}


def _offsets(span: str) -> tuple[int, int]:
    start = ARTICLE_TEXT.find(span)
    assert start >= 0, span
    return start, start + len(span)


def insert_quotes(session: Session, quotes: list[Quote]) -> None:
    """Store quotations with their issues and evidence (their own text first) in the session."""
    for quote in quotes:
        session.add(
            Quotation(
                id=quote.id,
                article_id=quote.article,
                speaker_id=quote.speaker,
                text=quote.text,
                kind=QuotationKind(quote.kind),
                event_id=quote.event,
                audience_id=quote.audience,
                **_date_columns(quote.said_on),
            )
        )
    session.flush()
    for quote in quotes:
        session.add_all(QuotationIssue(quotation_id=quote.id, issue_id=i) for i in quote.issues)
        for span in (quote.text, *quote.evidence):
            start, end = _offsets(span)
            session.add(
                EvidenceSpan(article_id=quote.article, start=start, end=end, quotation_id=quote.id)
            )
    session.flush()


@pytest.fixture
def quotes(session: Session) -> list[Quote]:
    """The seed quotations plus EXTRA_QUOTES, stored in the test's transaction."""
    insert_quotes(session, EXTRA_QUOTES)
    return ALL_QUOTES


def add_bulk_facts(session: Session, count: int = 105) -> None:
    """Many distinct participants and quotations, each with aliases, issues and evidence.

    `count` new participants (with aliases, an external id, an affiliation and evidence) speak
    one quotation each to the next one; Lukashenka says `count` more to them. Every quotation has
    two issues and two evidence spans.
    """
    issues = [f"bulk-issue-{n}" for n in range(3)]
    session.add_all(
        Issue(id=i, title=f"Bulk issue {i}", category=IssueCategory.OTHER) for i in issues
    )
    affiliations = ["belarus", "russia", "georgia", "csto"]
    people = [f"bulk-participant-{n:03d}" for n in range(count)]
    for n, person in enumerate(people):
        name = f"Bulk Participant {n:03d}"
        session.add(
            Participant(
                id=person,
                name=name,
                name_key=name.casefold(),
                kind=ParticipantKind.PERSON,
                title="Bulk title",
                affiliation_id=affiliations[n % len(affiliations)],
                aliases=[
                    ParticipantAlias(alias=f"Bulk {n}", language="en", alias_key=f"bulk {n}"),
                    ParticipantAlias(alias=f"Балк {n}", language="ru", alias_key=f"балк {n}"),
                ],
                external_ids=[ParticipantExternalId(scheme="wikidata", value=f"Q9{n:04d}")],
            )
        )
    session.flush()
    said_on = [None, "2018", "2018-04", "2018-04-17", "2017-11"]
    rows: list[tuple[str, str, str]] = []
    for n, person in enumerate(people):
        rows.append((f"bulk-quotation-{n:03d}", person, people[(n + 1) % count]))
        rows.append((f"bulk-lukashenka-{n:03d}", LUKASHENKA, person))
    for n, (quotation_id, speaker, audience) in enumerate(rows):
        session.add(
            Quotation(
                id=quotation_id,
                article_id=ARTICLE_ID,
                speaker_id=speaker,
                text=f"Bulk statement {n} about the relations",
                kind=list(QuotationKind)[n % 3],
                event_id="lukashenka-putin-meeting-2018" if n % 2 else None,
                audience_id=audience,
                **_date_columns(said_on[n % len(said_on)]),
            )
        )
    session.flush()
    for n, (quotation_id, _, _) in enumerate(rows):
        session.add_all(
            QuotationIssue(quotation_id=quotation_id, issue_id=issue)
            for issue in (issues[n % 3], "bilateral-relations-state-and-prospects")
        )
        session.add_all(
            EvidenceSpan(article_id=ARTICLE_ID, start=s, end=s + 10, quotation_id=quotation_id)
            for s in (0, 11 + n)
        )
    session.add_all(
        EvidenceSpan(article_id=ARTICLE_ID, start=n, end=n + 20, participant_id=person)
        for n, person in enumerate(people)
    )
    session.flush()


# --- helpers ---------------------------------------------------------------------------------


def search_ranks(session: Session, backend: str, query: str) -> dict[str, float]:
    """Each matching quotation's rank, higher is better, as the backend's own FTS computes it."""
    terms = re.findall(r"\w+", query)
    if backend == "sqlite":
        rows = session.execute(
            text(
                "SELECT quotation_id, -bm25(quotations_fts) FROM quotations_fts"
                " WHERE quotations_fts MATCH :match"
            ),
            {"match": " ".join(f'"{term}"' for term in terms)},
        )
    else:
        rows = session.execute(
            text(
                "SELECT id, CAST(ts_rank(to_tsvector('simple', text),"
                " plainto_tsquery('simple', :q)) AS FLOAT) FROM quotations"
                " WHERE to_tsvector('simple', text) @@ plainto_tsquery('simple', :q)"
            ),
            {"q": " ".join(terms)},
        )
    return {quotation_id: float(rank) for quotation_id, rank in rows}


def expected_ids(
    quotes: list[Quote],
    params: Mapping[str, Any],
    ranks: Mapping[str, float] | None = None,
) -> list[str]:
    """Ids of the matching quotations, in the documented order of the (default) sort.

    said_on sorts by the first day of each period, ties by id; -said_on is its exact reverse
    (ties by id descending); both put undated quotations last.
    """
    found = [q for q in quotes if q.matches(params)]
    sort = params.get("sort") or ("relevance" if params.get("q") else "id")
    if sort == "relevance" and not params.get("q"):
        sort = "id"  # without q every quotation ranks alike
    if sort == "relevance":
        assert ranks is not None
        assert {q.id for q in found} <= set(ranks)
        return [q.id for q in sorted(found, key=lambda q: (-ranks[q.id], q.id))]
    if sort == "id":
        return sorted(q.id for q in found)
    dated = [q for q in found if q.period is not None]
    undated = sorted(q.id for q in found if q.period is None)
    if sort == "said_on":
        return [q.id for q in sorted(dated, key=lambda q: (q.start, q.id))] + undated
    assert sort == "-said_on"
    newest_first = sorted(dated, key=lambda q: (q.start, q.id), reverse=True)
    return [q.id for q in newest_first] + undated[::-1]


def present(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters without the unset ones (httpx would send None as an empty string)."""
    return {name: value for name, value in params.items() if value is not None}


def assert_walks(
    client: TestClient, path: str, params: Mapping[str, Any], expected: list[str]
) -> None:
    """A walk at every page size returns exactly `expected`, in order."""
    for limit in PAGE_LIMITS:
        items = walk(client, path, **present(params), limit=limit)
        assert [item["id"] for item in items] == expected, (limit, params)


def cursor_of(client: TestClient, path: str, **params: Any) -> str:
    """The next_cursor of a first page (which must have a next page)."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    cursor = response.json()["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


def forge(payload: Any) -> str:
    """A cursor this API did not issue, in the same encoding as the real ones."""
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def tamper(cursor: str, keys: list[Any]) -> str:
    """A real cursor (same order and filters) with its sort key values replaced."""
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return forge({**payload, "k": keys})


def assert_names_parameter(response: Any, name: str) -> None:
    """A 422 problem whose `errors` list names the query parameter."""
    body = assert_problem(response, 422)
    assert isinstance(body.get("errors"), list)
    assert body["errors"]
    assert any(error["name"] == name for error in body["errors"]), body["errors"]


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    """Collect every SQL statement sent on the test's connection while the block runs."""
    connection = session.get_bind()
    assert isinstance(connection, Connection)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not is_transaction_control(statement):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def statement_counts(
    client: TestClient, session: Session, path: str, params: Mapping[str, Any]
) -> dict[int, int]:
    """SQL statements a full page costs, by page size (after one warm-up request)."""
    assert client.get(path, params={**params, "limit": 1}).status_code == 200
    counts: dict[int, int] = {}
    for limit in (1, 10, 100):
        with count_statements(session) as statements:
            response = client.get(path, params={**params, "limit": limit})
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == limit
        counts[limit] = len(statements)
    return counts


def assert_conditional_get(client: TestClient, url: str) -> None:
    """A strong ETag; If-None-Match with it gives 304 and no body; a stale one gives 200."""
    first = client.get(url)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[^"]+"', etag), etag  # strong: no W/ prefix
    assert client.get(url).headers["etag"] == etag
    cached = client.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    stale = client.get(url, headers={"If-None-Match": '"not-the-current-tag"'})
    assert stale.status_code == 200
    assert stale.content == first.content


# --- the list ----------------------------------------------------------------------------------


def test_the_list_holds_exactly_the_seed_quotations_in_id_order(client: TestClient) -> None:
    response = client.get("/v1/quotations", params={"limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    assert "link" not in response.headers
    assert [item["id"] for item in body["items"]] == sorted(q.id for q in SEED_QUOTES)


def test_the_default_page_size_is_20(client: TestClient, quotes: list[Quote]) -> None:
    assert len(quotes) > 20
    response = client.get("/v1/quotations")
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == sorted(q.id for q in quotes)[:20]
    assert body["next_cursor"]
    assert response.headers["link"].endswith('>; rel="next"')


@pytest.mark.parametrize("sort", [None, "id", "said_on", "-said_on"])
def test_every_page_size_walks_every_quotation_once_in_sort_order(
    client: TestClient, quotes: list[Quote], sort: str | None
) -> None:
    expected = expected_ids(quotes, present({"sort": sort}))
    assert len(expected) == len(quotes)
    assert_walks(client, "/v1/quotations", {"sort": sort}, expected)


def test_said_on_orders_put_undated_quotations_last(
    client: TestClient, quotes: list[Quote]
) -> None:
    undated = {q.id for q in quotes if q.said_on is None}
    assert len(undated) >= 3
    for sort in ("said_on", "-said_on"):
        items = walk(client, "/v1/quotations", sort=sort, limit=100)
        assert {item["id"] for item in items[-len(undated) :]} == undated
        dates = [period(item["said_on"])[0] for item in items[: -len(undated)]]
        assert dates == sorted(dates, reverse=sort.startswith("-"))


@pytest.mark.parametrize(
    ("q", "sort"),
    [
        ("the", None),
        ("the", "relevance"),
        ("the", "id"),
        ("the", "said_on"),
        ("the", "-said_on"),
        ("We need to clarify things", None),  # two quotations tie on rank
    ],
)
def test_every_page_size_walks_search_results_once_in_sort_order(
    client: TestClient,
    session: Session,
    backend: str,
    quotes: list[Quote],
    q: str,
    sort: str | None,
) -> None:
    params = present({"q": q, "sort": sort})
    expected = expected_ids(quotes, params, search_ranks(session, backend, q))
    assert len(expected) >= 2
    assert_walks(client, "/v1/quotations", params, expected)


def test_relevance_puts_better_matches_first(
    client: TestClient, session: Session, backend: str, quotes: list[Quote]
) -> None:
    """Rank never rises along the list (ranks as the backend's own FTS scores them)."""
    ranks = search_ranks(session, backend, "issues")
    items = walk(client, "/v1/quotations", q="issues", limit=3)
    assert [ranks[item["id"]] for item in items] == sorted(ranks.values(), reverse=True)


def test_a_page_size_may_change_between_pages(client: TestClient, quotes: list[Quote]) -> None:
    first = client.get("/v1/quotations", params={"limit": 2, "sort": "said_on"}).json()
    rest = walk(client, "/v1/quotations", limit=7, sort="said_on", cursor=first["next_cursor"])
    ids = [item["id"] for item in first["items"] + rest]
    assert ids == expected_ids(quotes, {"sort": "said_on"})


def test_the_link_header_is_the_next_page(client: TestClient, quotes: list[Quote]) -> None:
    params = {"q": "the issues", "sort": "-said_on", "speaker": LUKASHENKA, "limit": 1}
    first = client.get("/v1/quotations", params=params)
    link = re.fullmatch(r'<([^>]+)>; rel="next"', first.headers["link"])
    assert link is not None
    by_link = client.get(link.group(1))
    by_cursor = client.get(
        "/v1/quotations", params={**params, "cursor": first.json()["next_cursor"]}
    )
    assert by_link.status_code == 200
    assert by_link.json() == by_cursor.json()
    assert by_link.json()["items"] != first.json()["items"]


# --- filters -----------------------------------------------------------------------------------

FILTER_CASES: list[dict[str, str]] = [
    {"speaker": LUKASHENKA},
    {"speaker": PRESS_SERVICE},
    {"speaker": PUTIN},
    {"speaker": "russia"},
    {"issue": "bilateral-relations-state-and-prospects"},
    {"issue": "food-supplies-to-russia"},
    {"issue": "ministerial-level-issues"},
    {"event": "lukashenka-army-statement-2018-02"},
    {"event": "lukashenka-congratulates-putin-2018-03-19"},
    {"article": ARTICLE_ID},
    {"audience": "georgian-journalists"},
    {"audience": LUKASHENKA},
    {"audience": PUTIN},
    {"kind": "direct"},
    {"kind": "partial"},
    {"kind": "indirect"},
    {"said_from": "2018-03"},
    {"said_to": "2018-03"},
    {"said_from": "2018-03", "said_to": "2018-03"},
    {"said_from": "2018-03-19", "said_to": "2018-03-19"},
    {"said_from": "2018-02-15"},
    {"said_to": "2018-12-30"},
    {"said_from": "2018", "said_to": "2018"},
    {"said_to": "2017"},
    {"q": "Putin"},
    {"q": "RUSSIA market"},
    {"q": "relations Putin"},
    {"q": "nosuchwordanywhere"},
    {"speaker": LUKASHENKA, "kind": "direct", "said_from": "2018-02"},
    {"speaker": LUKASHENKA, "said_to": "2018-02", "issue": "csto-underestimating-situation"},
    {"issue": "bilateral-relations-state-and-prospects", "audience": PUTIN},
    {"event": "lukashenka-remarks-georgian-journalists-2018", "kind": "indirect"},
    {"q": "issues", "speaker": LUKASHENKA, "said_from": "2018"},
    {"q": "the", "kind": "partial", "sort": "said_on"},
    {"q": "the", "article": ARTICLE_ID, "audience": "belarusian-producers"},
    {"kind": "direct", "said_to": "2018-12", "sort": "-said_on"},
]


def test_filters_combine_and_select_what_the_fixture_says(
    client: TestClient, session: Session, backend: str, quotes: list[Quote]
) -> None:
    for params in FILTER_CASES:
        ranks = search_ranks(session, backend, params["q"]) if "q" in params else None
        expected = expected_ids(quotes, params, ranks)
        items = walk(client, "/v1/quotations", **params, limit=3)
        assert [item["id"] for item in items] == expected, params


def test_filters_select_something_and_not_everything(quotes: list[Quote]) -> None:
    """Guard the filter cases themselves: most of them must discriminate."""
    sizes = [len(expected_ids(quotes, {**p, "sort": "id"})) for p in FILTER_CASES]
    assert sum(0 < size < len(quotes) for size in sizes) >= len(FILTER_CASES) - 3


DATE_BOUNDS = [
    None,
    "2017",
    "2018",
    "2018-02",
    "2018-02-15",
    "2018-02-28",
    "2018-03",
    "2018-03-19",
    "2018-03-20",
    "2018-05-14",
    "2018-12-30",
]


def test_date_filters_keep_only_quotations_whose_whole_period_is_in_range(
    client: TestClient, quotes: list[Quote]
) -> None:
    for said_from in DATE_BOUNDS:
        for said_to in DATE_BOUNDS:
            params = present({"said_from": said_from, "said_to": said_to})
            response = client.get("/v1/quotations", params={**params, "limit": 100})
            assert response.status_code == 200, (params, response.text)
            ids = [item["id"] for item in response.json()["items"]]
            assert ids == expected_ids(quotes, params), params


def test_undated_quotations_never_match_a_date_filter(
    client: TestClient, quotes: list[Quote]
) -> None:
    undated = {q.id for q in quotes if q.said_on is None}
    assert undated
    for params in ({"said_from": "0001"}, {"said_to": "9998"}):
        ids = {item["id"] for item in walk(client, "/v1/quotations", **params, limit=100)}
        assert ids == {q.id for q in quotes} - undated


def test_said_to_in_the_last_representable_month_is_accepted(
    client: TestClient, quotes: list[Quote]
) -> None:
    """December 9999 is a valid partial date; its period end must not overflow into 10000."""
    for said_to in ("9999", "9999-12", "9999-12-31", "9999-12-01"):
        response = client.get("/v1/quotations", params={"said_to": said_to, "limit": 100})
        assert response.status_code == 200, (said_to, response.text)
        ids = [item["id"] for item in response.json()["items"]]
        assert ids == expected_ids(quotes, {"said_to": said_to})


def test_a_filter_naming_an_unknown_id_gives_an_empty_list(client: TestClient) -> None:
    for name in ("speaker", "issue", "event", "article", "audience"):
        response = client.get("/v1/quotations", params={name: "no-such-thing"})
        assert response.status_code == 200, name
        assert response.json() == {"items": [], "next_cursor": None}, name


HOSTILE_QUERIES = [
    '"',
    "*",
    "NEAR(",
    "AND",
    ")(",
    "NEAR(issues, Putin)",
    '"Putin',
    "Putin*",
    "issues OR Putin",
    "-Putin",
    "^the",
    "text:Putin",
    "'; DROP TABLE quotations; --",
    "{issues}",
    "issues NOT Putin",
]


def test_search_syntax_in_q_is_web_search_or_text(client: TestClient, quotes: list[Quote]) -> None:
    """Quotes, stars, NEAR, AND/NOT, parentheses: 200 and a web search (phrases, OR, -word),
    anything else a word."""
    for q in HOSTILE_QUERIES:
        response = client.get("/v1/quotations", params={"q": q, "limit": 100})
        assert response.status_code == 200, (q, response.text)
        ids = [item["id"] for item in response.json()["items"]]
        expected = [x.id for x in quotes if x.matches({"q": q})]
        assert sorted(ids) == sorted(expected), q


def test_search_needs_every_word_of_a_long_query(client: TestClient, quotes: list[Quote]) -> None:
    """Words past the 16th must not be dropped: a word no quotation has means no result."""
    sentence = next(q for q in quotes if q.id == "lukashenka-good-relations-with-putin").text
    distinct = list(dict.fromkeys(re.findall(r"\w+", sentence)))
    for count in (15, 16, 17, 20):
        q = " ".join([*distinct[:count], "nosuchwordanywhere"])
        response = client.get("/v1/quotations", params={"q": q, "limit": 100})
        if response.status_code == 422:  # refusing an over-long query is fine too
            assert_names_parameter(response, "q")
            continue
        assert response.status_code == 200, response.text
        assert response.json()["items"] == [], f"{count + 1} words"


def test_search_needs_every_word(client: TestClient, quotes: list[Quote]) -> None:
    one = {i["id"] for i in walk(client, "/v1/quotations", q="Putin", limit=100)}
    both = {i["id"] for i in walk(client, "/v1/quotations", q="Putin president", limit=100)}
    assert both < one
    assert both == {
        q.id for q in quotes if full_text_matches("Putin president", q.text, ARTICLE_LANGUAGE)
    }


# --- representations ---------------------------------------------------------------------------


def assert_quotation(client: TestClient, item: dict[str, Any], quote: Quote) -> None:
    """Exactly the documented fields, the fixture's values, and true evidence."""
    assert set(item) == QUOTATION_KEYS
    expected = quote.representation()
    for key in QUOTATION_KEYS - {"evidence", "issue_ids"}:
        assert item[key] == expected[key], (quote.id, key)
    assert sorted(item["issue_ids"]) == expected["issue_ids"]
    assert_evidence_true(client, item["evidence"])
    texts = [span["text"] for span in item["evidence"]]
    assert quote.text in texts
    assert set(texts) == {quote.text, *quote.evidence}
    assert all(span["article_id"] == quote.article for span in item["evidence"])


def test_every_quotation_reads_as_the_fixture_says(client: TestClient, quotes: list[Quote]) -> None:
    for quote in quotes:
        response = client.get(f"/v1/quotations/{quote.id}")
        assert response.status_code == 200, response.text
        assert_quotation(client, response.json(), quote)


def test_list_items_are_the_detail_representations(client: TestClient, quotes: list[Quote]) -> None:
    items = walk(client, "/v1/quotations", limit=5)
    assert len(items) == len(quotes)
    for item in items:
        assert client.get(f"/v1/quotations/{item['id']}").json() == item


def test_an_unknown_quotation_is_a_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/quotations/no-such-quotation"), 404)
    assert body["instance"] == "/v1/quotations/no-such-quotation"


# --- errors ------------------------------------------------------------------------------------


INVALID_PARAMETERS: list[tuple[dict[str, str], str]] = [
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "-1"}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"kind": "bogus"}, "kind"),
    ({"sort": "bogus"}, "sort"),
    ({"said_from": "2018-13"}, "said_from"),
    ({"said_to": "2018-02-30"}, "said_to"),
    ({"said_from": "18"}, "said_from"),
    ({"said_to": "May 2018"}, "said_to"),
    ({"speakr": "x"}, "speakr"),
    ({"speaker": "Not A Slug"}, "speaker"),
]


def test_invalid_parameters_are_422_problems_naming_them(client: TestClient) -> None:
    for params, name in INVALID_PARAMETERS:
        assert_names_parameter(client.get("/v1/quotations", params=params), name)


def test_relevance_without_q_ranks_everything_alike_so_is_id_order(client: TestClient) -> None:
    by_relevance = walk(client, "/v1/quotations", sort="relevance", kind="direct", limit=2)
    by_id = walk(client, "/v1/quotations", sort="id", kind="direct", limit=2)
    assert [q["id"] for q in by_relevance] == [q["id"] for q in by_id]
    assert by_id


def forged_cursors(client: TestClient) -> dict[str, tuple[dict[str, str], str]]:
    """Cursors this list must refuse, each with the parameters it is replayed on."""
    path = "/v1/quotations"
    by_id = cursor_of(client, path, limit=2)
    by_date = cursor_of(client, path, limit=2, sort="said_on")
    direct = cursor_of(client, path, limit=2, kind="direct")
    searched = cursor_of(client, path, limit=2, q="the")
    people = cursor_of(client, "/v1/participants", limit=2)
    return {
        "random base64": ({}, base64.urlsafe_b64encode(bytes(range(7, 250, 9))).decode()),
        "not base64": ({}, "not-a-cursor!"),
        "base64 of text": ({}, base64.urlsafe_b64encode(b"hello, world").decode()),
        "truncated by one": ({}, by_id[:-1]),
        "truncated by half": ({}, by_id[: len(by_id) // 2]),
        "truncated to four": ({}, by_id[:4]),
        "a number as the id key": ({}, tamper(by_id, [1])),
        "a null id key": ({}, tamper(by_id, [None])),
        "too many keys": ({}, tamper(by_id, ["a", "b"])),
        "no keys": ({}, tamper(by_id, [])),
        "an impossible date key": ({"sort": "said_on"}, tamper(by_date, ["2018-13-01", "x"])),
        "a number as the date key": ({"sort": "said_on"}, tamper(by_date, [2018, "x"])),
        "a list, not an object": ({}, forge(["id", "/", ["x"]])),
        "a string as the rank key": ({"q": "the"}, tamper(searched, ["high", "x"])),
        "another order name": ({}, forge({"o": "name", "s": "/", "k": ["x"]})),
        "from sort=said_on on sort=-said_on": ({"sort": "-said_on"}, by_date),
        "from sort=said_on on the default sort": ({}, by_date),
        "from the default sort on sort=said_on": ({"sort": "said_on"}, by_id),
        "from kind=direct on kind=indirect": ({"kind": "indirect"}, direct),
        "from kind=direct on no filter": ({}, direct),
        "from no filter on kind=direct": ({"kind": "direct"}, by_id),
        "from q=the on q=issues": ({"q": "issues"}, searched),
        "from q=the on sort=id": ({"sort": "id"}, searched),
        "from the participant list": ({}, people),
    }


def test_cursors_this_list_did_not_issue_are_400_problems(
    client: TestClient, quotes: list[Quote]
) -> None:
    for case, (params, cursor) in forged_cursors(client).items():
        response = client.get("/v1/quotations", params={**params, "cursor": cursor})
        assert response.status_code == 400, (case, response.text)
        assert_problem(response, 400)


# --- HTTP caching ------------------------------------------------------------------------------


def test_responses_carry_a_strong_etag_and_honour_if_none_match(client: TestClient) -> None:
    for url in (
        "/v1/quotations",
        "/v1/quotations?limit=2",
        "/v1/quotations?q=Putin&sort=said_on",
        "/v1/quotations/lukashenka-good-relations-with-putin",
    ):
        assert_conditional_get(client, url)


def test_the_etag_changes_with_the_representation(client: TestClient) -> None:
    tags = {
        client.get(url).headers["etag"]
        for url in ("/v1/quotations?limit=1", "/v1/quotations?limit=2", "/v1/quotations")
    }
    assert len(tags) == 3


# --- statement counts --------------------------------------------------------------------------


def test_a_page_costs_the_same_statements_whatever_its_size(
    client: TestClient, session: Session
) -> None:
    """No N+1: 100 quotations with distinct speakers, audiences, issues and spans cost as 1."""
    add_bulk_facts(session)
    for params in (
        {},
        {"sort": "said_on"},
        {"sort": "-said_on"},
        {"q": "bulk relations"},
        {"q": "bulk relations", "sort": "said_on"},
        {"issue": "bilateral-relations-state-and-prospects", "said_from": "2017"},
        {"speaker": LUKASHENKA},
    ):
        counts = statement_counts(client, session, "/v1/quotations", params)
        assert counts[1] == counts[10] == counts[100], (params, counts)
        assert counts[100] <= 5, (params, counts)
