"""Agenda issue endpoints: list, filters, paging, detail and the quotations on an issue."""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.loader import seed_bundle_paths
from app.models.event import EventParticipant
from app.models.issue import AgendaItem, Issue, IssueCategory
from app.models.quotation import Quotation, QuotationIssue
from tests.api import assert_evidence_true, assert_problem, walk

SEED_PATH = next(p for p in seed_bundle_paths() if p.name == "lukashenka-putin-sochi-2018.yaml")
SEED: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
ARTICLE_ID: str = SEED["article"]["id"]
LIMITS = [1, 2, 7, 100]
ISSUE_KEYS = {"id", "title", "summary", "category", "agenda", "evidence"}


def span_texts(entries: list[Any]) -> list[str]:
    """The texts of a fixture's evidence entries (plain strings or {text, occurrence})."""
    return [entry if isinstance(entry, str) else entry["text"] for entry in entries]


def seed_evidence(evidence: list[dict[str, Any]]) -> list[str]:
    """The texts of the spans a representation cites from the seed article, sorted."""
    return sorted(span["text"] for span in evidence if span["article_id"] == ARTICLE_ID)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def forge(payload: Any) -> str:
    raw = json.dumps(payload).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


# --- the database, as the filters see it ---------------------------------------------------------


@dataclass
class IssueRow:
    id: str
    title: str
    summary: str | None
    category: str
    agenda: dict[str, str]  # event id -> agenda status
    speakers: set[str]  # who was quoted on it


def issue_rows(session: Session) -> list[IssueRow]:
    agenda: dict[str, dict[str, str]] = defaultdict(dict)
    for item in session.scalars(select(AgendaItem)):
        agenda[item.issue_id][item.event_id] = str(item.status)
    speakers: dict[str, set[str]] = defaultdict(set)
    for issue_id, speaker_id in session.execute(
        select(QuotationIssue.issue_id, Quotation.speaker_id).join(
            Quotation, Quotation.id == QuotationIssue.quotation_id
        )
    ):
        speakers[issue_id].add(speaker_id)
    return [
        IssueRow(
            id=i.id,
            title=i.title,
            summary=i.summary,
            category=str(i.category),
            agenda=agenda[i.id],
            speakers=speakers[i.id],
        )
        for i in session.scalars(select(Issue))
    ]


def event_participants(session: Session) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for event_id, participant_id in session.execute(
        select(EventParticipant.event_id, EventParticipant.participant_id)
    ):
        found[event_id].add(participant_id)
    return found


def issue_matches(row: IssueRow, params: dict[str, str], attendees: dict[str, set[str]]) -> bool:
    """The documented meaning of the issue filters."""
    if "event" in params and params["event"] not in row.agenda:
        return False
    if "participant" in params:
        who = params["participant"]
        raised_with = any(
            status in {"raised", "discussed"} and who in attendees[event_id]
            for event_id, status in row.agenda.items()
        )
        if who not in row.speakers and not raised_with:
            return False
    if "category" in params and params["category"] != row.category:
        return False
    if "q" in params:
        needle = params["q"].lower()
        if needle not in row.title.lower() and needle not in (row.summary or "").lower():
            return False
    return True


@dataclass
class QuotationRow:
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


def bounds(raw: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period a `YYYY[-MM[-DD]]` value names."""
    parts = [int(part) for part in raw.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    start = dt.date(year, month, day)
    if len(parts) == 3:
        return start, start
    if len(parts) == 2:
        return start, start.replace(day=calendar.monthrange(year, month)[1])
    return start, start.replace(month=12, day=31)


def quotation_matches(row: QuotationRow, params: dict[str, str]) -> bool:
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
        raw = row.said_on.isoformat()[: {"year": 4, "month": 7, "day": 10}[row.precision]]
        start, end = bounds(raw)
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


# --- list and paging ----------------------------------------------------------------------------


def test_walk_returns_every_issue_once_by_id(client: TestClient, session: Session) -> None:
    expected = sorted(session.scalars(select(Issue.id)))
    assert len(expected) > 7
    for limit in LIMITS:
        assert ids(walk(client, "/v1/issues", limit=limit)) == expected, limit


def test_default_limit_is_20(client: TestClient, session: Session) -> None:
    session.add_all(
        Issue(id=f"extra-issue-{n:02d}", title="Extra", category=IssueCategory.OTHER)
        for n in range(15)
    )
    session.flush()
    response = client.get("/v1/issues")
    body = response.json()
    assert len(body["items"]) == 20
    assert body["next_cursor"]
    assert response.headers["link"].endswith('>; rel="next"')
    assert ids(walk(client, "/v1/issues")) == sorted(session.scalars(select(Issue.id)))


# --- representations ----------------------------------------------------------------------------


def test_every_issue_detail_matches_the_seed(client: TestClient) -> None:
    for seed in SEED["issues"]:
        response = client.get(f"/v1/issues/{seed['id']}")
        assert response.status_code == 200, seed["id"]
        body = response.json()
        assert set(body) == ISSUE_KEYS
        expected = {k: seed.get(k) for k in ("id", "title", "summary", "category")}
        assert {k: body[k] for k in expected} == expected
        assert sorted((a["event_id"], a["status"]) for a in body["agenda"]) == sorted(
            (a["event"], a["status"]) for a in seed["agenda"]
        ), seed["id"]
        assert seed_evidence(body["evidence"]) == sorted(span_texts(seed["evidence"]))
        assert_evidence_true(client, body["evidence"])


def test_list_items_are_the_detail_representation_with_true_evidence(
    client: TestClient,
) -> None:
    items = walk(client, "/v1/issues", limit=100)
    assert items
    for item in items:
        assert client.get(f"/v1/issues/{item['id']}").json() == item
        assert_evidence_true(client, item["evidence"])
        for entry in item["agenda"]:
            assert set(entry) == {"event_id", "status"}
            assert item["id"] in client.get(f"/v1/events/{entry['event_id']}").json()["issue_ids"]


# --- filters --------------------------------------------------------------------------------------


def filter_cases(session: Session) -> dict[str, list[dict[str, str]]]:
    rows = issue_rows(session)
    events = sorted({e for r in rows for e in r.agenda})
    attendees = event_participants(session)
    speakers = set(session.scalars(select(Quotation.speaker_id)))
    participants = sorted({p for ps in attendees.values() for p in ps} | speakers)
    return {
        "event": [{"event": e} for e in [*events, "no-such-event"]],
        "participant": [{"participant": p} for p in [*participants, "no-such-participant"]],
        "category": [{"category": c.value} for c in IssueCategory],
        "q": [{"q": v} for v in ["army", "CSTO", "relations", "belarusian-russian", "%", "zzz"]],
        "combined": [
            {"event": "lukashenka-putin-meeting-2018", "category": "diplomacy"},
            {"participant": "alyaksandr-lukashenka", "category": "security"},
            {"participant": "vladimir-putin", "event": "lukashenka-putin-meeting-2018"},
            {"event": "seec-session-sochi-2018", "q": "cooperation"},
            {"participant": "georgian-journalists", "q": "market", "category": "economy"},
            {"event": "seec-session-sochi-2018", "category": "security"},
        ],
    }


@pytest.mark.parametrize("group", ["event", "participant", "category", "q", "combined"])
def test_issue_filters_match_their_documented_meaning(
    client: TestClient, session: Session, group: str
) -> None:
    rows = issue_rows(session)
    attendees = event_participants(session)
    cases = filter_cases(session)[group]
    nonempty = 0
    for params in cases:
        expected = sorted(r.id for r in rows if issue_matches(r, params, attendees))
        nonempty += bool(expected)
        limit = 2 if group == "combined" else 100  # combined filters also page
        assert ids(walk(client, "/v1/issues", limit=limit, **params)) == expected, params
    assert 0 < nonempty < len(cases)


def test_participant_filter_counts_raised_issues_not_merely_expected_ones(
    client: TestClient,
) -> None:
    # Putin is not quoted in the seed; he takes part in the expected meeting (where every issue
    # is only "expected") and in events where some issues were raised.
    assert not any(q["speaker"] == "vladimir-putin" for q in SEED["quotations"])
    with_putin = {
        e["id"]
        for e in SEED["events"]
        if any(p["participant"] == "vladimir-putin" for p in e["participants"])
    }
    raised = {
        i["id"]
        for i in SEED["issues"]
        if any(a["event"] in with_putin and a["status"] != "expected" for a in i["agenda"])
    }
    only_expected = {
        i["id"] for i in SEED["issues"] if any(a["event"] in with_putin for a in i["agenda"])
    } - raised
    assert raised
    assert only_expected
    found = set(ids(walk(client, "/v1/issues", participant="vladimir-putin")))
    assert found == raised


def test_participant_filter_counts_issues_they_were_quoted_on(client: TestClient) -> None:
    speaker = "belarus-president-press-service"
    quoted = {i for q in SEED["quotations"] if q["speaker"] == speaker for i in q["issues"]}
    assert quoted
    assert set(ids(walk(client, "/v1/issues", participant=speaker))) == quoted


def test_filters_naming_missing_ids_give_an_empty_list(client: TestClient) -> None:
    for params in ({"event": "no-such-event"}, {"participant": "nobody-at-all"}):
        response = client.get("/v1/issues", params=params)
        assert response.status_code == 200
        assert response.json() == {"items": [], "next_cursor": None}


# --- quotations on an issue -----------------------------------------------------------------------


def test_issue_quotations_are_those_concerning_the_issue(
    client: TestClient, session: Session
) -> None:
    rows = quotation_rows(session)
    for issue_id in (i["id"] for i in SEED["issues"]):
        expected = sorted(r.id for r in rows if issue_id in r.issues)
        items = walk(client, f"/v1/issues/{issue_id}/quotations", limit=2)
        assert ids(items) == expected, issue_id
        for item in items:
            assert issue_id in item["issue_ids"]
            assert_evidence_true(client, item["evidence"])


@pytest.mark.parametrize("sort", ["id", "said_on", "-said_on"])
def test_issue_quotations_walk_in_order(client: TestClient, session: Session, sort: str) -> None:
    issue_id = "bilateral-relations-state-and-prospects"
    rows = [r for r in quotation_rows(session) if issue_id in r.issues]
    assert len(rows) > 4
    for limit in LIMITS:
        items = walk(client, f"/v1/issues/{issue_id}/quotations", limit=limit, sort=sort)
        assert ids(items) == quotation_order(rows, sort), limit


QUOTATION_FILTERS: list[dict[str, str]] = [
    {"speaker": "alyaksandr-lukashenka"},
    {"speaker": "belarus-president-press-service"},
    {"kind": "direct"},
    {"kind": "indirect"},
    {"audience": "georgian-journalists"},
    {"event": "lukashenka-army-statement-2018-02"},
    {"event": "no-such-event"},
    {"article": "no-such-article"},
    {"article": ARTICLE_ID, "kind": "partial"},
    {"said_from": "2018-03"},
    {"said_to": "2018-03"},
    {"said_from": "2018-02", "said_to": "2018-02"},
    {"issue": "competition-and-market-economy"},
    {"q": "relations"},
    {"q": "issues", "sort": "id"},
]


def test_issue_quotations_take_every_quotation_filter(client: TestClient, session: Session) -> None:
    rows = quotation_rows(session)
    issues = sorted({i for r in rows for i in r.issues})
    for params in QUOTATION_FILTERS:
        found: set[str] = set()
        for issue_id in issues:
            expected = {r.id for r in rows if issue_id in r.issues and quotation_matches(r, params)}
            items = walk(client, f"/v1/issues/{issue_id}/quotations", limit=100, **params)
            assert sorted(ids(items)) == sorted(expected), (issue_id, params)
            if "q" not in params or params.get("sort") == "id":
                assert ids(items) == sorted(expected), (issue_id, params)
            found |= expected
        assert bool(found) == ("no-such" not in "".join(params.values())), params


def test_issue_quotations_reject_bad_parameters(client: TestClient) -> None:
    path = "/v1/issues/food-supplies-to-russia/quotations"
    for params, name in [
        ({"kind": "shouted"}, "kind"),
        ({"said_to": "May 2018"}, "said_to"),
        ({"limit": "101"}, "limit"),
        ({"colour": "red"}, "colour"),
    ]:
        body = assert_problem(client.get(path, params=params), 422)
        assert name in {e["name"] for e in body["errors"]}, (params, body)


def test_issue_quotations_cursor_is_bound_to_its_issue(client: TestClient) -> None:
    first = client.get("/v1/issues/bilateral-relations-state-and-prospects/quotations?limit=1")
    cursor = first.json()["next_cursor"]
    assert cursor
    other = client.get(
        "/v1/issues/csto-underestimating-situation/quotations",
        params={"limit": 1, "cursor": cursor},
    )
    assert_problem(other, 400)


# --- errors ---------------------------------------------------------------------------------------


def test_unknown_issue_is_a_404_problem(client: TestClient) -> None:
    for suffix in ["", "/quotations"]:
        body = assert_problem(client.get(f"/v1/issues/no-such-issue{suffix}"), 404)
        assert body["instance"] == f"/v1/issues/no-such-issue{suffix}"


def test_bad_issue_list_parameters_are_422_problems_naming_them(client: TestClient) -> None:
    for params, name in [
        ({"category": "sport"}, "category"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"event": "Not A Slug"}, "event"),
        ({"participant": "vladimir_putin"}, "participant"),
        ({"q": " "}, "q"),
        ({"status": "raised"}, "status"),
        ({"sort": "id"}, "sort"),
    ]:
        body = assert_problem(client.get("/v1/issues", params=params), 422)
        assert any(e["location"] == "query" and e["name"] == name for e in body["errors"]), (
            params,
            body,
        )


def test_forged_cursors_are_400_problems(client: TestClient) -> None:
    cursor = client.get("/v1/issues", params={"limit": 2}).json()["next_cursor"]
    assert cursor
    for value in [
        "abc",
        forge({"o": "date", "s": "", "k": ["x"]}),
        forge({"o": "id", "s": "", "k": [1]}),
        forge({"o": "id", "s": "", "k": ["a", "b"]}),
        forge({"o": "id", "s": "", "k": [None]}),
        forge({"o": "id", "s": "", "k": ["x" * 301]}),
    ]:
        assert_problem(client.get("/v1/issues", params={"limit": 2, "cursor": value}), 400)
    assert client.get("/v1/issues", params={"limit": 2, "cursor": cursor}).is_success


def test_cursor_is_bound_to_its_filters(client: TestClient) -> None:
    first = client.get("/v1/issues", params={"limit": 1, "category": "economy"}).json()
    assert first["next_cursor"]
    replayed = client.get(
        "/v1/issues", params={"limit": 1, "category": "trade", "cursor": first["next_cursor"]}
    )
    assert_problem(replayed, 400)
