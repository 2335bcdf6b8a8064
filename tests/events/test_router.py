"""Event endpoints: list, filters, sorts, paging, detail, agenda and quotations at an event."""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.core.dates import DatePrecision
from app.models.article import Article
from app.models.event import Event, EventKind, EventParticipant, EventStatus
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, AgendaStatus, Issue, IssueCategory
from app.models.participant import Participant
from app.models.quotation import Quotation, QuotationIssue, QuotationKind
from tests.api import assert_evidence_true, assert_problem, is_transaction_control, walk

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
MEETING = "lukashenka-putin-meeting-2018"
LIMITS = [1, 2, 7, 100]
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


# --- expectations from the seed YAML and the database -------------------------------------------


def span_texts(entries: list[Any]) -> list[str]:
    """The texts of a fixture's evidence entries (plain strings or {text, occurrence})."""
    return [entry if isinstance(entry, str) else entry["text"] for entry in entries]


def seed_evidence(evidence: list[dict[str, Any]]) -> list[str]:
    """The texts of the spans a representation cites from the seed article, sorted."""
    return sorted(span["text"] for span in evidence if span["article_id"] == ARTICLE_ID)


def period(start: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """First and last day of a dated period (computed independently of app.core.dates)."""
    if precision == "day":
        return start, start
    if precision == "month":
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start, start.replace(month=12, day=31)


def bounds(raw: str) -> tuple[dt.date, dt.date]:
    """The period a `YYYY[-MM[-DD]]` query value names."""
    parts = [int(part) for part in raw.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    start = dt.date(year, month, day)
    return period(start, ("year", "month", "day")[len(parts) - 1])


@dataclass
class EventRow:
    """An event as stored, with what the filters look at."""

    id: str
    title: str
    description: str | None
    kind: str
    status: str
    date: dt.date | None
    precision: str | None
    location: str | None
    participants: set[str]
    issues: set[str]


def event_rows(session: Session) -> list[EventRow]:
    """Every event in the database (seed plus whatever the test added)."""
    participants: dict[str, set[str]] = defaultdict(set)
    for event_id, participant_id in session.execute(
        select(EventParticipant.event_id, EventParticipant.participant_id)
    ):
        participants[event_id].add(participant_id)
    issues: dict[str, set[str]] = defaultdict(set)
    for event_id, issue_id in session.execute(select(AgendaItem.event_id, AgendaItem.issue_id)):
        issues[event_id].add(issue_id)
    return [
        EventRow(
            id=e.id,
            title=e.title,
            description=e.description,
            kind=str(e.kind),
            status=str(e.status),
            date=e.date,
            precision=None if e.date_precision is None else str(e.date_precision),
            location=e.location,
            participants=participants[e.id],
            issues=issues[e.id],
        )
        for e in session.scalars(select(Event))
    ]


def event_matches(row: EventRow, params: dict[str, str]) -> bool:
    """The documented meaning of the event filters."""
    if "participant" in params and params["participant"] not in row.participants:
        return False
    if "issue" in params and params["issue"] not in row.issues:
        return False
    if "status" in params and params["status"] != row.status:
        return False
    if "kind" in params and params["kind"] != row.kind:
        return False
    if "date_from" in params or "date_to" in params:
        if row.date is None or row.precision is None:
            return False
        start, end = period(row.date, row.precision)
        if "date_from" in params and start < bounds(params["date_from"])[0]:
            return False
        if "date_to" in params and end > bounds(params["date_to"])[1]:
            return False
    if "location" in params and params["location"].lower() not in (row.location or "").lower():
        return False
    if "q" in params:
        needle = params["q"].lower()
        if needle not in row.title.lower() and needle not in (row.description or "").lower():
            return False
    return True


def sorted_ids(rows: list[EventRow], sort: str) -> list[str]:
    """Event ids in a documented order: by id, or by date (undated last) with id tie-breaks."""
    if sort == "id":
        return sorted(r.id for r in rows)
    dated = [r for r in rows if r.date is not None]
    undated = [r for r in rows if r.date is None]
    descending = sort == "-date"
    ordered = sorted(dated, key=lambda r: (r.date, r.id), reverse=descending)
    return [r.id for r in ordered] + sorted((r.id for r in undated), reverse=descending)


def expected_event(seed: dict[str, Any]) -> dict[str, Any]:
    """The representation fields of a seed event that the YAML fixes."""
    date = seed.get("date")
    return {
        "id": seed["id"],
        "title": seed["title"],
        "kind": seed["kind"],
        "status": seed["status"],
        "date": date,
        "date_precision": None if date is None else PRECISION_BY_LENGTH[len(date)],
        "location": seed.get("location"),
        "description": seed.get("description"),
    }


def participant_names() -> dict[str, str]:
    return {p["id"]: p["name"] for p in SEED["participants"]}


def seed_agenda(event_id: str) -> dict[str, str]:
    """issue id -> agenda status, for the seed issues on an event's agenda."""
    return {
        issue["id"]: entry["status"]
        for issue in SEED["issues"]
        for entry in issue.get("agenda", [])
        if entry["event"] == event_id
    }


def seed_said_on(quotation: dict[str, Any]) -> tuple[int, dt.date, str]:
    """The "oldest first" key of a seed quotation: by start of its period, undated last, id."""
    raw = quotation.get("said_on")
    if raw is None:
        return (1, dt.date.max, quotation["id"])
    return (0, bounds(raw)[0], quotation["id"])


@dataclass
class QuotationRow:
    """A quotation as stored, with what the filters look at."""

    id: str
    text: str
    kind: str
    speaker: str
    audience: str | None
    event: str | None
    article: str
    said_on: dt.date | None
    precision: str | None
    issues: set[str]


def quotation_rows(session: Session) -> list[QuotationRow]:
    issues: dict[str, set[str]] = defaultdict(set)
    for quotation_id, issue_id in session.execute(
        select(QuotationIssue.quotation_id, QuotationIssue.issue_id)
    ):
        issues[quotation_id].add(issue_id)
    return [
        QuotationRow(
            id=q.id,
            text=q.text,
            kind=str(q.kind),
            speaker=q.speaker_id,
            audience=q.audience_id,
            event=q.event_id,
            article=q.article_id,
            said_on=q.said_on,
            precision=None if q.said_on_precision is None else str(q.said_on_precision),
            issues=issues[q.id],
        )
        for q in session.scalars(select(Quotation))
    ]


def quotation_matches(row: QuotationRow, params: dict[str, str]) -> bool:
    """The documented meaning of the quotation filters (q: every word occurs in the text)."""
    for name, value in (
        ("speaker", row.speaker),
        ("audience", row.audience),
        ("event", row.event),
        ("article", row.article),
        ("kind", row.kind),
    ):
        if name in params and params[name] != value:
            return False
    if "issue" in params and params["issue"] not in row.issues:
        return False
    if "said_from" in params or "said_to" in params:
        if row.said_on is None or row.precision is None:
            return False
        start, end = period(row.said_on, row.precision)
        if "said_from" in params and start < bounds(params["said_from"])[0]:
            return False
        if "said_to" in params and end > bounds(params["said_to"])[1]:
            return False
    if "q" in params:
        words = set(re.findall(r"\w+", row.text.lower()))
        if not set(re.findall(r"\w+", params["q"].lower())) <= words:
            return False
    return True


def quotation_order(rows: list[QuotationRow], sort: str) -> list[str]:
    if sort == "id":
        return sorted(r.id for r in rows)
    dated = [r for r in rows if r.said_on is not None]
    undated = [r for r in rows if r.said_on is None]
    descending = sort == "-said_on"
    ordered = sorted(dated, key=lambda r: (r.said_on, r.id), reverse=descending)
    return [r.id for r in ordered] + sorted((r.id for r in undated), reverse=descending)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def forge(payload: Any) -> str:
    raw = json.dumps(payload).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(cursor: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    )
    return payload


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    """Record every SQL statement sent on the session's connection."""
    bind = session.get_bind()
    statements: list[str] = []

    def record(*args: Any) -> None:
        if not is_transaction_control(args[2]):
            statements.append(args[2])

    event.listen(bind, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(bind, "before_cursor_execute", record)


# --- list, order and paging ---------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["id", "date", "-date"])
def test_walk_returns_every_event_once_in_the_documented_order(
    client: TestClient, session: Session, sort: str
) -> None:
    rows = event_rows(session)
    for limit in LIMITS:
        params: dict[str, Any] = {"limit": limit}
        if sort != "id":
            params["sort"] = sort
        items = walk(client, "/v1/events", **params)
        assert ids(items) == sorted_ids(rows, sort), limit
        assert len(set(ids(items))) == len(rows)


def test_date_sort_puts_undated_events_last_and_breaks_ties_by_id(client: TestClient) -> None:
    # The seed has ties (three events dated 2018-05, three dated 2018) and undated events.
    for sort, descending in (("date", False), ("-date", True)):
        items = walk(client, "/v1/events", sort=sort, limit=3)
        dated = [i for i in items if i["date"] is not None]
        assert [i["date"] for i in items[len(dated) :]] == [None] * (len(items) - len(dated))
        assert len(dated) < len(items), "the seed has undated events"
        keys = [(bounds(i["date"])[0], i["id"]) for i in dated]
        assert keys == sorted(keys, reverse=descending)
        assert len({k[0] for k in keys}) < len(keys), "the seed has events on the same date"


def test_default_limit_is_20_and_link_header_points_to_the_next_page(
    client: TestClient, session: Session
) -> None:
    session.add_all(
        Event(
            id=f"extra-event-{n:02d}", title="Extra", kind=EventKind.OTHER, status=EventStatus.HELD
        )
        for n in range(10)
    )
    session.flush()
    total = len(event_rows(session))
    assert total > 20
    first = client.get("/v1/events")
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 20
    assert body["next_cursor"]
    link = first.headers["link"]
    match = re.fullmatch(r"<([^>]+)>; rel=\"next\"", link)
    assert match, link
    second = client.get(match.group(1))
    assert second.status_code == 200
    rest = second.json()
    assert rest["next_cursor"] is None
    assert "link" not in second.headers
    assert ids(body["items"]) + ids(rest["items"]) == sorted_ids(event_rows(session), "id")


def test_link_header_keeps_the_filters(client: TestClient, session: Session) -> None:
    params = {"participant": "alyaksandr-lukashenka", "sort": "-date", "limit": "2"}
    expected = sorted_ids(
        [r for r in event_rows(session) if event_matches(r, params)], params["sort"]
    )
    assert len(expected) > 4
    seen: list[str] = []
    response = client.get("/v1/events", params=params)
    while True:
        assert response.status_code == 200, response.text
        seen += ids(response.json()["items"])
        if "link" not in response.headers:
            break
        url = re.fullmatch(r"<([^>]+)>; rel=\"next\"", response.headers["link"])
        assert url
        assert "participant=alyaksandr-lukashenka" in url.group(1)
        assert "sort=-date" in url.group(1)
        response = client.get(url.group(1))
    assert seen == expected


# --- filters --------------------------------------------------------------------------------------


def filter_cases(session: Session) -> dict[str, list[dict[str, str]]]:
    rows = event_rows(session)
    participants = sorted({p for r in rows for p in r.participants})
    issues = sorted({i for r in rows for i in r.issues})
    dates = [
        ("2018-05", "2018-05"),
        ("2018", None),
        (None, "2018-03"),
        ("2018-03", "2018-03"),
        ("2018-03-19", "2018-03-19"),
        ("2018-02", "2018-03"),
        ("2018-05-14", "2018-05-14"),
        ("2018-05-01", "2018-05-31"),
        ("2018-05-01", "2018-05-30"),
        ("2018-01-01", "2018-12-31"),
        ("2018", "2018"),
        ("2019", None),
        (None, "2017"),
        ("2018-06", "2018-01"),
    ]
    return {
        "participant": [{"participant": p} for p in [*participants, "no-such-participant"]],
        "issue": [{"issue": i} for i in [*issues, "no-such-issue"]],
        "status": [{"status": s.value} for s in EventStatus],
        "kind": [{"kind": k.value} for k in EventKind],
        "date": [
            {k: v for k, v in (("date_from", f), ("date_to", t)) if v is not None} for f, t in dates
        ],
        "location": [
            {"location": v}
            for v in ["sochi", "SOCHI", "Russia", "georgia", "minsk, BEL", "%", "_", "nowhere"]
        ],
        "q": [
            {"q": v} for v in ["meeting", "PUTIN", "inauguration", "deferred", "EAEU", "%", "zzz"]
        ],
        "combined": [
            {"participant": "alyaksandr-lukashenka", "status": "held", "date_from": "2018-03"},
            {"participant": "vladimir-putin", "kind": "session"},
            {"participant": "vladimir-putin", "kind": "visit"},
            {"issue": "bilateral-relations-state-and-prospects", "location": "georgia"},
            {"q": "lukashenka", "date_to": "2018-03", "status": "held"},
            {"participant": "russia", "issue": "ministerial-level-issues", "q": "joint"},
            {"kind": "visit", "status": "scheduled", "location": "sochi", "date_to": "2018-05"},
        ],
    }


@pytest.mark.parametrize(
    "group", ["participant", "issue", "status", "kind", "date", "location", "q", "combined"]
)
def test_event_filters_match_their_documented_meaning(
    client: TestClient, session: Session, group: str
) -> None:
    rows = event_rows(session)
    cases = filter_cases(session)[group]
    nonempty = 0
    for params in cases:
        expected = sorted(r.id for r in rows if event_matches(r, params))
        nonempty += bool(expected)
        limit = 2 if group == "combined" else 100  # combined filters also page
        assert ids(walk(client, "/v1/events", limit=limit, **params)) == expected, params
    assert nonempty > 0
    assert nonempty < len(cases), "some case must filter everything out"


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_filters_combine_with_date_sorts(client: TestClient, session: Session, sort: str) -> None:
    params = {"participant": "alyaksandr-lukashenka", "date_from": "2018", "sort": sort}
    expected = sorted_ids([r for r in event_rows(session) if event_matches(r, params)], sort)
    assert len(expected) > 3
    assert ids(walk(client, "/v1/events", limit=2, **params)) == expected


def test_may_2018_holds_events_dated_in_may_but_not_those_dated_only_2018(
    client: TestClient,
) -> None:
    items = walk(client, "/v1/events", date_from="2018-05", date_to="2018-05")
    in_may = {e["id"] for e in SEED["events"] if (e.get("date") or "").startswith("2018-05")}
    only_year = {e["id"] for e in SEED["events"] if e.get("date") == "2018"}
    assert {len(e["date"]) for e in SEED["events"] if e["id"] in in_may} == {7, 10}
    assert only_year
    assert set(ids(items)) == in_may
    assert all(item["date"].startswith("2018-05") for item in items)


def test_undated_events_never_match_a_date_filter(client: TestClient) -> None:
    undated = {e["id"] for e in SEED["events"] if e.get("date") is None}
    assert undated
    for params in ({"date_from": "0001"}, {"date_to": "9998"}, {"date_from": "2018"}):
        found = set(ids(walk(client, "/v1/events", **params)))
        assert found
        assert not found & undated


def test_location_and_q_are_case_insensitive_beyond_ascii(
    client: TestClient, session: Session
) -> None:
    session.add(
        Event(
            id="minsk-forum",
            title="Форум регионов",
            kind=EventKind.OTHER,
            status=EventStatus.HELD,
            location="Мінск, Беларусь",
            description="ÉCONOMIE et coopération",
        )
    )
    session.flush()
    for params in ({"location": "мінск"}, {"q": "ФОРУМ"}, {"q": "économie"}):
        assert ids(client.get("/v1/events", params=params).json()["items"]) == ["minsk-forum"], (
            params
        )


# --- representations ----------------------------------------------------------------------------


def test_every_event_detail_matches_the_seed(client: TestClient) -> None:
    names = participant_names()
    for seed in SEED["events"]:
        event_id = seed["id"]
        response = client.get(f"/v1/events/{event_id}")
        assert response.status_code == 200, event_id
        body = response.json()
        assert set(body) == {*expected_event(seed), "participants", "issue_ids", "evidence"}
        assert {k: body[k] for k in expected_event(seed)} == expected_event(seed)
        assert sorted(
            (p["participant"]["id"], p["participant"]["name"], p["role"])
            for p in body["participants"]
        ) == sorted(
            (p["participant"], names[p["participant"]], p["role"]) for p in seed["participants"]
        ), event_id
        assert all(set(p) == {"participant", "role"} for p in body["participants"])
        assert sorted(body["issue_ids"]) == sorted(seed_agenda(event_id)), event_id
        assert len(set(body["issue_ids"])) == len(body["issue_ids"])
        assert seed_evidence(body["evidence"]) == sorted(span_texts(seed["evidence"])), event_id
        assert_evidence_true(client, body["evidence"])


def test_list_items_are_the_detail_representation_with_true_evidence(
    client: TestClient,
) -> None:
    items = walk(client, "/v1/events", limit=100)
    assert items
    for item in items:
        assert client.get(f"/v1/events/{item['id']}").json() == item
        assert_evidence_true(client, item["evidence"])
        assert all(p["participant"]["name"] for p in item["participants"])


def test_dates_are_served_at_their_precision(client: TestClient) -> None:
    seen = set()
    for item in walk(client, "/v1/events", limit=100):
        if item["date"] is None:
            assert item["date_precision"] is None
            continue
        pattern = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
        assert re.fullmatch(pattern[item["date_precision"]], item["date"]), item
        seen.add(item["date_precision"])
    assert seen == {"day", "month", "year"}


# --- agenda ---------------------------------------------------------------------------------------


def expected_agenda_quotations(issue_id: str) -> list[str]:
    """Seed quotations concerning an issue, oldest first."""
    return [
        q["id"]
        for q in sorted(SEED["quotations"], key=seed_said_on)
        if issue_id in q.get("issues", [])
    ]


def event_articles(client: TestClient, event_id: str) -> list[str]:
    """The articles holding an event's evidence, as its own representation cites them."""
    event = client.get(f"/v1/events/{event_id}").json()
    return sorted({span["article_id"] for span in event["evidence"]})


def test_meeting_agenda_answers_which_issues_will_be_raised(client: TestClient) -> None:
    response = client.get(f"/v1/events/{MEETING}/agenda")
    assert response.status_code == 200
    body = response.json()
    assert body["event_id"] == MEETING
    assert body["article_ids"] == event_articles(client, MEETING) == [ARTICLE_ID]
    agenda = seed_agenda(MEETING)
    assert len(agenda) >= 5
    assert {item["issue"]["id"]: item["status"] for item in body["items"]} == agenda
    assert len(body["items"]) == len(agenda)
    seed_quotations = {q["id"]: q for q in SEED["quotations"]}
    seed_issues = {i["id"]: i for i in SEED["issues"]}
    names = participant_names()
    for item in body["items"]:
        assert set(item) == {"issue", "status", "evidence", "quotations", "all_quotations"}
        issue = item["issue"]
        record = client.get(f"/v1/issues/{issue['id']}").json()
        assert issue == {k: record[k] for k in ("id", "title", "summary", "category")}
        # The issue's evidence in the articles reporting the meeting: here, all of it.
        assert item["evidence"] == record["evidence"]
        assert seed_evidence(item["evidence"]) == sorted(
            span_texts(seed_issues[issue["id"]]["evidence"])
        )
        assert_evidence_true(client, item["evidence"])
        everything = walk(client, item["all_quotations"].split("?")[0], sort="said_on")
        assert ids(everything) == expected_agenda_quotations(issue["id"])
        assert ids(item["quotations"]) == expected_agenda_quotations(issue["id"])
        for quotation in item["quotations"]:
            assert issue["id"] in quotation["issue_ids"]
            seed = seed_quotations[quotation["id"]]
            assert quotation["text"] == seed["text"]
            assert quotation["speaker"] == {"id": seed["speaker"], "name": names[seed["speaker"]]}
            assert quotation["said_on"] == seed.get("said_on")
            assert sorted(quotation["issue_ids"]) == sorted(seed["issues"])
            assert seed["text"] in seed_evidence(quotation["evidence"])
            assert_evidence_true(client, quotation["evidence"])
    assert any(item["quotations"] for item in body["items"])


OTHER_TEXT = "Elsewhere, the minister said: \u201cgas prices must fall\u201d. Talks resume in June."


def test_the_agenda_keeps_to_what_reports_the_event(client: TestClient, session: Session) -> None:
    """Another article quoting a participant on an agenda issue does not enter the agenda,
    unless the quotation was said at the event; nor does the issue's evidence there."""
    issue_id = next(iter(seed_agenda(MEETING)))
    before = client.get(f"/v1/events/{MEETING}/agenda").json()
    session.add(
        Article(
            id="other-article",
            title="Another article",
            text=OTHER_TEXT,
            language="en",
            content_sha256="0" * 64,
        )
    )
    session.flush()
    speaker = SEED["quotations"][0]["speaker"]
    start = OTHER_TEXT.index("gas prices must fall")
    for quotation_id, event_id, said_on in (
        ("elsewhere-not-at-meeting", None, dt.date(2000, 1, 1)),
        ("elsewhere-at-meeting", MEETING, dt.date(2000, 1, 2)),
    ):
        session.add(
            Quotation(
                id=quotation_id,
                article_id="other-article",
                speaker_id=speaker,
                text="gas prices must fall",
                kind=QuotationKind.DIRECT,
                said_on=said_on,
                said_on_precision=DatePrecision.DAY,
                event_id=event_id,
            )
        )
        session.flush()
        session.add(QuotationIssue(quotation_id=quotation_id, issue_id=issue_id))
        session.add(
            EvidenceSpan(
                article_id="other-article",
                start=start,
                end=start + len("gas prices must fall"),
                quotation_id=quotation_id,
            )
        )
    talks = OTHER_TEXT.index("Talks resume")
    session.add(
        EvidenceSpan(article_id="other-article", start=talks, end=talks + 12, issue_id=issue_id)
    )
    session.flush()

    after = client.get(f"/v1/events/{MEETING}/agenda").json()
    assert after["article_ids"] == before["article_ids"] == [ARTICLE_ID]
    item = next(i for i in after["items"] if i["issue"]["id"] == issue_id)
    old = next(i for i in before["items"] if i["issue"]["id"] == issue_id)
    # Said at the meeting, and oldest: first; the other one is not on this agenda.
    assert ids(item["quotations"]) == ["elsewhere-at-meeting", *ids(old["quotations"])]
    assert item["evidence"] == old["evidence"]
    assert all(span["article_id"] == ARTICLE_ID for span in item["evidence"])
    # The issue's own record, and every quotation on it, still hold both.
    record = client.get(f"/v1/issues/{issue_id}").json()
    assert "other-article" in {span["article_id"] for span in record["evidence"]}
    everything = ids(walk(client, f"/v1/issues/{issue_id}/quotations", sort="said_on"))
    assert everything[:2] == ["elsewhere-not-at-meeting", "elsewhere-at-meeting"]


def test_an_event_reported_nowhere_has_issues_but_no_evidence(
    client: TestClient, session: Session
) -> None:
    event_id = "event-without-evidence"
    session.add(
        Event(id=event_id, title="Unreported", kind=EventKind.MEETING, status=EventStatus.EXPECTED)
    )
    session.flush()
    issue_id = next(iter(seed_agenda(MEETING)))
    session.add(AgendaItem(event_id=event_id, issue_id=issue_id, status=AgendaStatus.EXPECTED))
    session.flush()
    body = client.get(f"/v1/events/{event_id}/agenda").json()
    assert body["article_ids"] == []
    assert [(i["issue"]["id"], i["evidence"], i["quotations"]) for i in body["items"]] == [
        (issue_id, [], [])
    ]


def test_the_agenda_bounds_the_quotations_per_issue(client: TestClient) -> None:
    for per_issue in (0, 1, 2):
        body = client.get(
            f"/v1/events/{MEETING}/agenda", params={"quotations_per_issue": per_issue}
        ).json()
        for item in body["items"]:
            expected = expected_agenda_quotations(item["issue"]["id"])[:per_issue]
            assert ids(item["quotations"]) == expected
    assert_problem(
        client.get(f"/v1/events/{MEETING}/agenda", params={"quotations_per_issue": 51}), 422
    )


def test_every_agenda_matches_the_seed(client: TestClient) -> None:
    for event_id in (e["id"] for e in SEED["events"]):
        body = client.get(f"/v1/events/{event_id}/agenda").json()
        assert body["event_id"] == event_id
        agenda = {item["issue"]["id"]: item["status"] for item in body["items"]}
        assert agenda == seed_agenda(event_id), event_id
        for item in body["items"]:
            assert set(item["issue"]) == {"id", "title", "summary", "category"}
            assert all(span["article_id"] in body["article_ids"] for span in item["evidence"])
            assert ids(item["quotations"]) == expected_agenda_quotations(item["issue"]["id"])
            assert all(item["issue"]["id"] in q["issue_ids"] for q in item["quotations"])


# --- quotations at an event -----------------------------------------------------------------------


def test_event_quotations_are_those_said_at_the_event(client: TestClient, session: Session) -> None:
    rows = quotation_rows(session)
    for event_id in (e["id"] for e in SEED["events"]):
        expected = sorted(r.id for r in rows if r.event == event_id)
        items = walk(client, f"/v1/events/{event_id}/quotations", limit=2)
        assert ids(items) == expected, event_id
        for item in items:
            assert item["event_id"] == event_id
            assert_evidence_true(client, item["evidence"])
    assert any(r.event for r in rows)


@pytest.mark.parametrize("sort", ["id", "said_on", "-said_on"])
def test_event_quotations_walk_in_order(client: TestClient, session: Session, sort: str) -> None:
    event_id = "lukashenka-army-statement-2018-02"
    rows = [r for r in quotation_rows(session) if r.event == event_id]
    assert len(rows) > 2
    for limit in LIMITS:
        items = walk(client, f"/v1/events/{event_id}/quotations", limit=limit, sort=sort)
        assert ids(items) == quotation_order(rows, sort), limit


QUOTATION_FILTERS: list[dict[str, str]] = [
    {"speaker": "alyaksandr-lukashenka"},
    {"speaker": "belarus-president-press-service"},
    {"kind": "direct"},
    {"kind": "partial"},
    {"kind": "indirect"},
    {"audience": "georgian-journalists"},
    {"audience": "vladimir-putin"},
    {"article": ARTICLE_ID},
    {"article": "no-such-article"},
    {"issue": "csto-underestimating-situation"},
    {"issue": "bilateral-relations-state-and-prospects"},
    {"said_from": "2018-03"},
    {"said_to": "2018-02"},
    {"said_from": "2018-03-19", "said_to": "2018-03-19"},
    {"said_from": "2018", "said_to": "2018"},
    {"q": "issues"},
    {"q": "market economy"},
    {"q": "backfire", "sort": "id"},
    {"event": "no-such-event"},
]


def test_event_quotations_take_every_quotation_filter(client: TestClient, session: Session) -> None:
    rows = quotation_rows(session)
    events = sorted({r.event for r in rows if r.event})
    for params in QUOTATION_FILTERS:
        found: set[str] = set()
        for event_id in events:
            expected = {r.id for r in rows if r.event == event_id and quotation_matches(r, params)}
            items = walk(client, f"/v1/events/{event_id}/quotations", limit=100, **params)
            assert sorted(ids(items)) == sorted(expected), (event_id, params)
            if "q" not in params or params.get("sort") == "id":
                assert ids(items) == sorted(expected), (event_id, params)
            found |= expected
        expect_some = "no-such" not in "".join(params.values())
        assert bool(found) == expect_some, params


def test_event_quotations_of_unknown_event_is_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/events/no-such-event/quotations"), 404)


def test_event_quotations_reject_bad_parameters(client: TestClient) -> None:
    path = "/v1/events/lukashenka-army-statement-2018-02/quotations"
    for params, name in [
        ({"kind": "shouted"}, "kind"),
        ({"sort": "loudness"}, "sort"),
        ({"said_from": "2018-13"}, "said_from"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"speaker": "Not A Slug"}, "speaker"),
        ({"colour": "red"}, "colour"),
    ]:
        body = assert_problem(client.get(path, params=params), 422)
        assert name in {e["name"] for e in body["errors"]}, (params, body)


def test_event_quotations_cursor_is_bound_to_its_event(client: TestClient) -> None:
    first = client.get("/v1/events/lukashenka-army-statement-2018-02/quotations?limit=1").json()
    assert first["next_cursor"]
    other = client.get(
        "/v1/events/lukashenka-remarks-georgian-journalists-2018/quotations",
        params={"limit": 1, "cursor": first["next_cursor"]},
    )
    assert_problem(other, 400)


# --- errors ---------------------------------------------------------------------------------------


def test_unknown_event_is_a_404_problem(client: TestClient) -> None:
    for suffix in ["", "/agenda", "/quotations"]:
        body = assert_problem(client.get(f"/v1/events/no-such-event{suffix}"), 404)
        assert body["instance"] == f"/v1/events/no-such-event{suffix}"


BAD_LIST_PARAMETERS: list[tuple[dict[str, str], str]] = [
    ({"status": "postponed"}, "status"),
    ({"kind": "party"}, "kind"),
    ({"sort": "title"}, "sort"),
    ({"date_from": "2018-13"}, "date_from"),
    ({"date_to": "May 2018"}, "date_to"),
    ({"date_from": "2018-02-30"}, "date_from"),
    ({"date_to": "18"}, "date_to"),
    ({"date_from": "2018-5"}, "date_from"),
    ({"date_to": "2018\n"}, "date_to"),
    ({"date_from": "２０１８"}, "date_from"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"participant": "Vladimir Putin"}, "participant"),
    ({"issue": "no_such_issue"}, "issue"),
    ({"location": " "}, "location"),
    ({"cursor": "x" * 513}, "cursor"),
    ({"speaker": "vladimir-putin"}, "speaker"),
]


def test_bad_event_list_parameters_are_422_problems_naming_them(client: TestClient) -> None:
    for params, name in BAD_LIST_PARAMETERS:
        body = assert_problem(client.get("/v1/events", params=params), 422)
        assert any(e["location"] == "query" and e["name"] == name for e in body["errors"]), (
            params,
            body,
        )


def test_extreme_date_bounds_are_answered_not_500(client: TestClient, session: Session) -> None:
    rows = event_rows(session)
    for date_to in ["9999", "9999-12", "9999-12-31", "0001-01", "0001-01-01"]:
        response = client.get("/v1/events", params={"date_to": date_to, "limit": 100})
        assert response.status_code == 200, response.text
        expected = sorted(r.id for r in rows if event_matches(r, {"date_to": date_to}))
        assert ids(response.json()["items"]) == expected, date_to


def test_filters_naming_missing_ids_give_an_empty_list(client: TestClient) -> None:
    for params in ({"participant": "nobody-at-all"}, {"issue": "no-such-issue"}):
        response = client.get("/v1/events", params=params)
        assert response.status_code == 200
        assert response.json() == {"items": [], "next_cursor": None}


def test_forged_cursors_are_400_problems(client: TestClient) -> None:
    first = client.get("/v1/events", params={"limit": 2, "sort": "date"}).json()
    cursor = first["next_cursor"]
    payload = decode(cursor)
    forged = [
        "abc",
        "!!!!",
        forge(["not", "a", "dict"]),
        forge({**payload, "o": "id"}),
        forge({**payload, "s": "0" * 12}),
        forge({**payload, "k": [123, "x"]}),
        forge({**payload, "k": ["2018-02-30", "x"]}),
        forge({**payload, "k": ["2018-05-01", None]}),
        forge({**payload, "k": ["2018-05-01"]}),
        forge({**payload, "k": ["2018-05-01", 7]}),
    ]
    for value in forged:
        response = client.get("/v1/events", params={"limit": 2, "sort": "date", "cursor": value})
        assert_problem(response, 400)
    # A cursor is bound to its sort order and to its filters.
    assert_problem(client.get("/v1/events", params={"limit": 2, "cursor": cursor}), 400)
    other_filter = {"limit": 2, "sort": "date", "status": "held", "cursor": cursor}
    assert_problem(client.get("/v1/events", params=other_filter), 400)
    # The genuine cursor works.
    assert client.get(
        "/v1/events", params={"limit": 2, "sort": "date", "cursor": cursor}
    ).is_success


# --- no N+1 ---------------------------------------------------------------------------------------


def add_events(session: Session, count: int) -> list[str]:
    """Add events with participants, agenda items and evidence spans; return their ids."""
    participants = list(session.scalars(select(Participant.id).order_by(Participant.id)))[:4]
    issues = list(session.scalars(select(Issue.id).order_by(Issue.id)))[:3]
    new = [f"nplusone-event-{n:02d}" for n in range(count)]
    session.add_all(
        Event(
            id=event_id,
            title=f"Event {n}",
            kind=EventKind.MEETING,
            status=EventStatus.HELD,
            date=dt.date(2018, 5, 1 + n),
            date_precision=DatePrecision.DAY,
            location="Sochi, Russia",
        )
        for n, event_id in enumerate(new)
    )
    session.flush()
    for n, event_id in enumerate(new):
        session.add_all(
            EventParticipant(event_id=event_id, participant_id=p, role="attendee")
            for p in participants
        )
        session.add_all(
            AgendaItem(event_id=event_id, issue_id=i, status=AgendaStatus.DISCUSSED) for i in issues
        )
        session.add_all(
            EvidenceSpan(article_id=ARTICLE_ID, start=s, end=s + 10 + n, event_id=event_id)
            for s in (0, 20, 40)
        )
    session.flush()
    return new


def test_event_list_runs_a_fixed_number_of_queries(client: TestClient, session: Session) -> None:
    client.get("/v1/events?limit=100")  # warm up: the session's transaction is begun
    with count_statements(session) as before:
        client.get("/v1/events?limit=100")
    new = add_events(session, 8)
    with count_statements(session) as after:
        response = client.get("/v1/events?limit=100")
    items = {item["id"]: item for item in response.json()["items"]}
    assert set(new) <= set(items)
    assert all(len(items[e]["participants"]) == 4 for e in new)
    assert all(len(items[e]["issue_ids"]) == 3 for e in new)
    assert all(len(items[e]["evidence"]) == 3 for e in new)
    assert_evidence_true(client, items[new[0]]["evidence"])
    assert before
    assert len(after) == len(before), after


def test_agenda_runs_a_fixed_number_of_queries(client: TestClient, session: Session) -> None:
    path = f"/v1/events/{MEETING}/agenda"
    client.get(path)
    with count_statements(session) as before:
        client.get(path)
    new_issues = [f"nplusone-issue-{n}" for n in range(5)]
    session.add_all(
        Issue(id=i, title=f"Issue {i}", category=IssueCategory.OTHER) for i in new_issues
    )
    session.add_all(
        Quotation(
            id=f"{i}-quote-{k}",
            article_id=ARTICLE_ID,
            speaker_id="vladimir-putin",
            text=f"Words {k} on {i}",
            kind=QuotationKind.INDIRECT,
            said_on=dt.date(2018, 5, 1),
            said_on_precision=DatePrecision.MONTH,
            event_id=MEETING,
            audience_id="alyaksandr-lukashenka",
        )
        for i in new_issues
        for k in range(3)
    )
    session.flush()
    for n, issue_id in enumerate(new_issues):
        session.add(AgendaItem(event_id=MEETING, issue_id=issue_id, status=AgendaStatus.RAISED))
        session.add_all(
            EvidenceSpan(article_id=ARTICLE_ID, start=s, end=s + 5 + n, issue_id=issue_id)
            for s in (0, 30)
        )
        for k in range(3):
            quotation_id = f"{issue_id}-quote-{k}"
            session.add(QuotationIssue(quotation_id=quotation_id, issue_id=issue_id))
            session.add_all(
                EvidenceSpan(
                    article_id=ARTICLE_ID, start=s, end=s + 7 + k, quotation_id=quotation_id
                )
                for s in (10, 50)
            )
    session.flush()
    with count_statements(session) as after:
        response = client.get(path)
    items = {item["issue"]["id"]: item for item in response.json()["items"]}
    assert set(new_issues) <= set(items)
    assert all(len(items[i]["quotations"]) == 3 for i in new_issues)
    assert all(len(items[i]["evidence"]) == 2 for i in new_issues)
    assert all(len(q["evidence"]) == 2 for i in new_issues for q in items[i]["quotations"])
    assert before
    assert len(after) == len(before), after
