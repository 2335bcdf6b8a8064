"""The database renders quotations (app.core.sqljson) exactly as QuotationRead describes them.

The reference here is built in Python from ORM rows, independently of the SQL: every quotation of
the seed, plus one with several issues and spans written in reverse order, dated to the month,
and one dated to the year with an audience, on each backend.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.dates import DatePrecision
from app.core.pagination import RenderedPage
from app.core.sqljson import constant, json_object, prerendered
from app.events.schemas import AgendaRead
from app.models.article import Article
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, Issue, IssueCategory
from app.models.participant import Participant
from app.models.quotation import Quotation, QuotationIssue, QuotationKind
from app.quotations.schemas import QuotationRead
from app.quotations.service import _base_select, quotation_reads
from tests.api import walk

ARTICLE_ID = "lukashenka-putin-sochi-2018"


def reference(session: Session, quotation: Quotation) -> dict[str, Any]:
    """A quotation as QuotationRead says it is served, built from ORM rows in Python."""
    names = {p.id: p.name for p in session.scalars(select(Participant))}
    texts = {a.id: a.text for a in session.scalars(select(Article))}
    spans = session.scalars(
        select(EvidenceSpan).where(EvidenceSpan.quotation_id == quotation.id)
    ).all()
    issues = session.scalars(
        select(QuotationIssue.issue_id).where(QuotationIssue.quotation_id == quotation.id)
    ).all()
    said_on = None
    if quotation.said_on is not None:
        length = {"day": 10, "month": 7, "year": 4}[quotation.said_on_precision or "day"]
        said_on = quotation.said_on.isoformat()[:length]
    return {
        "id": quotation.id,
        "text": quotation.text,
        "kind": quotation.kind.value,
        "speaker": {"id": quotation.speaker_id, "name": names[quotation.speaker_id]},
        "said_on": said_on,
        "said_on_precision": quotation.said_on_precision,
        "event_id": quotation.event_id,
        "audience": (
            {"id": quotation.audience_id, "name": names[quotation.audience_id]}
            if quotation.audience_id
            else None
        ),
        "issue_ids": sorted(issues),
        "article_id": quotation.article_id,
        "evidence": [
            {
                "article_id": s.article_id,
                "start": s.start,
                "end": s.end,
                "text": texts[s.article_id][s.start : s.end],
            }
            for s in sorted(spans, key=lambda s: (s.article_id, s.start, s.end))
        ],
    }


def add_unordered_quotations(session: Session) -> list[str]:
    """Quotations whose issues and spans are written in the reverse of their served order."""
    text = session.get(Article, ARTICLE_ID)
    assert text is not None
    issue_ids = ["zz-last-issue", "mm-middle-issue", "aa-first-issue"]
    session.add_all(Issue(id=i, title=i, category=IssueCategory.OTHER) for i in issue_ids)
    speaker, audience = session.scalars(select(Participant.id).order_by(Participant.id)).all()[:2]
    added = [
        Quotation(
            id="unordered-month",
            article_id=ARTICLE_ID,
            speaker_id=speaker,
            text=text.text[40:60],
            kind=QuotationKind.PARTIAL,
            said_on=dt.date(2017, 11, 1),
            said_on_precision=DatePrecision.MONTH,
        ),
        Quotation(
            id="unordered-year",
            article_id=ARTICLE_ID,
            speaker_id=speaker,
            text=text.text[0:10],
            kind=QuotationKind.INDIRECT,
            said_on=dt.date(987, 1, 1),
            said_on_precision=DatePrecision.YEAR,
            audience_id=audience,
        ),
    ]
    session.add_all(added)
    session.flush()
    for quotation in added:
        for issue_id in issue_ids:  # reverse id order
            session.add(QuotationIssue(quotation_id=quotation.id, issue_id=issue_id))
            session.flush()
        for start, end in ((90, 95), (40, 60), (40, 50), (0, 10)):  # reverse offset order
            session.add(
                EvidenceSpan(article_id=ARTICLE_ID, start=start, end=end, quotation_id=quotation.id)
            )
            session.flush()
    return [quotation.id for quotation in added]


def test_every_quotation_renders_as_its_reference(session: Session) -> None:
    added = add_unordered_quotations(session)
    rows = session.execute(_base_select(session).order_by(Quotation.id)).all()
    quotations = {q.id: q for q in session.scalars(select(Quotation))}
    assert len(rows) == len(quotations) > len(added)
    for row in rows:
        assert json.loads(row.item) == reference(session, quotations[row.id]), row.id
    served = {row.id: json.loads(row.item) for row in rows}
    assert served["unordered-month"]["said_on"] == "2017-11"
    assert served["unordered-year"]["said_on"] == "0987"
    assert served["unordered-year"]["issue_ids"] == [
        "aa-first-issue",
        "mm-middle-issue",
        "zz-last-issue",
    ]
    assert [(s["start"], s["end"]) for s in served["unordered-year"]["evidence"]] == [
        (0, 10),
        (40, 50),
        (40, 60),
        (90, 95),
    ]


MEETING = "lukashenka-putin-meeting-2018"


def test_an_agenda_renders_as_its_model_with_spans_in_order(
    client: TestClient, session: Session
) -> None:
    """The agenda is assembled from the database's JSON: it validates as an AgendaRead, and an
    issue's spans written in reverse come in article and offset order."""
    issue_id = session.scalars(
        select(AgendaItem.issue_id).where(AgendaItem.event_id == MEETING)
    ).first()
    assert issue_id is not None
    session.execute(delete(EvidenceSpan).where(EvidenceSpan.issue_id == issue_id))
    for start, end in ((90, 95), (40, 60), (40, 50), (0, 10)):
        session.add(EvidenceSpan(article_id=ARTICLE_ID, start=start, end=end, issue_id=issue_id))
        session.flush()
    response = client.get(f"/v1/events/{MEETING}/agenda")
    assert response.headers["content-type"] == "application/json"
    agenda = AgendaRead.model_validate_json(response.content)
    item = next(i for i in agenda.items if i.issue.id == issue_id)
    text = session.get(Article, ARTICLE_ID)
    assert text is not None
    assert [(s.start, s.end, s.text) for s in item.evidence] == [
        (start, end, text.text[start:end]) for start, end in ((0, 10), (40, 50), (40, 60), (90, 95))
    ]
    issue = session.get(Issue, issue_id)
    assert issue is not None
    assert item.issue.model_dump() == {
        "id": issue.id,
        "title": issue.title,
        "summary": issue.summary,
        "category": issue.category,
    }
    quotations = {q.id: q for q in session.scalars(select(Quotation))}
    for quotation in item.quotations:
        assert quotation.model_dump(mode="json") == reference(session, quotations[quotation.id])


def test_rendered_quotations_are_valid_models(session: Session) -> None:
    rows = session.execute(_base_select(session)).all()
    reads = quotation_reads(rows)
    assert [read.id for read in reads] == [row.id for row in rows]
    for read, row in zip(reads, rows, strict=True):
        assert read == QuotationRead.model_validate(json.loads(row.item))


def test_a_list_answer_is_the_rendered_page(client: TestClient, session: Session) -> None:
    added = add_unordered_quotations(session)
    items = walk(client, "/v1/quotations", limit=3)
    quotations = {q.id: q for q in session.scalars(select(Quotation))}
    assert sorted(quotations) == [item["id"] for item in items]
    for item in items:
        assert item == reference(session, quotations[item["id"]])
    assert set(added) <= {item["id"] for item in items}


def test_a_rendered_page_is_json_with_its_cursor() -> None:
    page = RenderedPage(items=['{"id":"a"}', '{"id":"b"}'], next_cursor="eyJv")
    assert json.loads(page.body()) == {"items": [{"id": "a"}, {"id": "b"}], "next_cursor": "eyJv"}
    assert json.loads(RenderedPage(items=[], next_cursor=None).body()) == {
        "items": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize("name", ["", "a'b", "1st", "two words"])
def test_only_field_names_become_keys(name: str) -> None:
    with pytest.raises(ValueError, match="not a field name"):
        json_object("sqlite", {name: Quotation.id})


def test_other_dialects_are_refused() -> None:
    with pytest.raises(ValueError, match="mysql"):
        json_object("mysql", {"id": Quotation.id})


def test_a_prerendered_expression_may_not_bind_a_value() -> None:
    with pytest.raises(ValueError, match="binds"):
        prerendered("bad", func.substr(Quotation.text, 1, 2))
    with pytest.raises(ValueError, match="not a plain constant"):
        constant("it's")
    with pytest.raises(ValueError, match="has this name already"):
        prerendered("quotation_item_sqlite", constant(1))


def test_a_page_statement_is_keyed_by_its_shape_not_its_item(session: Session) -> None:
    """Two speakers' pages share one cache key (their values are bound), and each gets its own
    rows: the prerendered item is keyed by name, the filter value still binds."""
    base = _base_select(session)
    speakers = session.scalars(select(Quotation.speaker_id).distinct()).all()[:2]
    assert len(speakers) == 2
    statements = [base.where(Quotation.speaker_id == s) for s in speakers]
    keys = [statement._generate_cache_key() for statement in statements]
    assert keys[0] is not None
    assert keys[1] is not None
    assert keys[0].key == keys[1].key
    # The item appears in the key as its name, not as the JSON expression it stands for.
    key_text = str(keys[0].key)
    assert f"quotation_item_{session.get_bind().dialect.name}" in key_text
    assert "json_object" not in key_text
    assert "json_build_object" not in key_text
    for speaker, statement in zip(speakers, statements, strict=True):
        items = [json.loads(row.item) for row in session.execute(statement)]
        assert items
        assert {item["speaker"]["id"] for item in items} == {speaker}
