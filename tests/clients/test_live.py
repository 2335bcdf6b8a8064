"""The generated client (clients/python) against a live server: reads, writes, the feed."""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Protocol, TypeVar

import httpx
import pytest
from newsfacts_client import AuthenticatedClient, Client
from newsfacts_client.api.articles import get_article, list_articles
from newsfacts_client.api.changes import list_changes
from newsfacts_client.api.events import (
    get_event,
    get_event_agenda,
    list_event_quotations,
    list_events,
)
from newsfacts_client.api.exports import export_records
from newsfacts_client.api.health import get_health, get_problem_type, get_readiness
from newsfacts_client.api.issues import get_issue, list_issue_quotations, list_issues
from newsfacts_client.api.observability import get_metrics
from newsfacts_client.api.participants import (
    get_participant,
    list_participant_quotations,
    list_participants,
)
from newsfacts_client.api.quotations import (
    create_quotation,
    get_quotation,
    list_quotations,
    update_quotation,
)
from newsfacts_client.models import (
    AgendaRead,
    ArticleDetail,
    ArticleRead,
    ChangeRead,
    EventRead,
    EvidenceRead,
    ExportFormat,
    ExportKind,
    Health,
    IssueRead,
    Operation,
    PageArticleRead,
    PageChangeRead,
    PageEventRead,
    PageIssueRead,
    PageParticipantRead,
    PageQuotationRead,
    ParticipantRead,
    Problem,
    ProblemType,
    QuotationCreate,
    QuotationKind,
    QuotationRead,
    QuotationUpdate,
    Readiness,
    RecordKind,
)
from newsfacts_client.types import UNSET, Response, Unset
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.auth.service import Scope, create_key
from app.build import OPENAPI_PATH
from app.core.db import create_db_engine
from app.models.change import ChangeRecord
from tests.databases import ScratchDatabases
from tests.live import live_server

pytestmark = pytest.mark.slow

SPEAKER = "alyaksandr-lukashenka"
ARTICLE = "lukashenka-putin-sochi-2018"
AGENDA_EVENT = "lukashenka-putin-meeting-2018"
README_PATH = OPENAPI_PATH.parent / "README.md"

T = TypeVar("T")


class Page(Protocol[T]):
    """What every list answers: a page of items and the cursor of the next page."""

    items: list[T]
    next_cursor: str | None


@dataclass
class Server:
    """A live server on a scratch database, and a curator's key (write scope) for it."""

    base_url: str
    engine: Engine
    token: str
    key_id: int
    calls: list[tuple[str, str, int]] = field(default_factory=list)

    def record(self, response: httpx.Response) -> None:
        """Note the method, path and status of every answer the client got."""
        request = response.request
        self.calls.append((request.method, request.url.path, response.status_code))

    def reader(self) -> Client:
        """A client without a key, as a public reader has."""
        hooks = {"response": [self.record]}
        return Client(
            self.base_url, raise_on_unexpected_status=True, httpx_args={"event_hooks": hooks}
        )

    def curator(self) -> AuthenticatedClient:
        """A client with the curator's key."""
        hooks = {"response": [self.record]}
        return AuthenticatedClient(
            self.base_url,
            token=self.token,
            raise_on_unexpected_status=True,
            httpx_args={"event_hooks": hooks},
        )


@pytest.fixture(scope="module")
def server(backend: str, scratch_databases: ScratchDatabases) -> Iterator[Server]:
    """`newsfacts serve` on a free port: migrated, the seed loaded, no rate limit."""
    url = scratch_databases.create(backend)
    with live_server(url, env={"NEWSFACTS_RATE_LIMIT_PER_MINUTE": "0"}) as base_url:
        engine = create_db_engine(url)
        try:
            with Session(engine) as session, session.begin():
                key, token = create_key(session, "client-curator", [Scope.WRITE])
                session.flush()
                key_id = key.id
            yield Server(base_url, engine, token, key_id)
        finally:
            engine.dispose()


def ok(response: Response[Any], kind: type[T], status: HTTPStatus = HTTPStatus.OK) -> T:
    """The parsed body of a successful answer, of the documented type."""
    assert response.status_code == status, response.content[:2000]
    assert isinstance(response.parsed, kind), response.parsed
    return response.parsed


def walk(fetch: Callable[[str | Unset], Response[Any]], page: type[Page[T]]) -> list[T]:
    """Every item of a list, following next_cursor page by page to the last page."""
    items: list[T] = []
    cursor: str | Unset = UNSET
    for _ in range(1_000):
        answer = ok(fetch(cursor), page)
        items.extend(answer.items)
        if answer.next_cursor is None:
            return items
        cursor = answer.next_cursor
    raise AssertionError("the list did not end")


def assert_evidence(evidence: list[EvidenceRead], articles: dict[str, ArticleDetail]) -> None:
    """Each span is the exact characters of its article."""
    for span in evidence:
        assert span.text == articles[span.article_id].text[span.start : span.end]


def read_operations() -> dict[str, re.Pattern[str]]:
    """Every GET operation of the committed openapi.json, with a pattern of its path."""
    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    return {
        operation["operationId"]: re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)))
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method == "get"
    }


def test_every_read_operation_answers_through_the_client(server: Server) -> None:
    with server.reader() as client:
        # Health, readiness, metrics, problem types.
        assert ok(get_health.sync_detailed(client=client), Health).status == "ok"
        assert ok(get_readiness.sync_detailed(client=client), Readiness).database_revision
        assert "http_requests" in ok(get_metrics.sync_detailed(client=client), str)
        problem = ok(get_problem_type.sync_detailed("not-found", client=client), ProblemType)
        assert problem.type_.endswith("/problems/not-found")

        # Articles: the list page by page, each in full.
        listed_articles = walk(
            lambda c: list_articles.sync_detailed(client=client, limit=1, cursor=c),
            PageArticleRead,
        )
        assert ARTICLE in [a.id for a in listed_articles]
        assert all(isinstance(a, ArticleRead) for a in listed_articles)
        articles = {
            a.id: ok(get_article.sync_detailed(a.id, client=client), ArticleDetail)
            for a in listed_articles
        }
        assert articles[ARTICLE].text

        # Participants, events, issues, quotations: list them all in small pages, get each.
        participants = walk(
            lambda c: list_participants.sync_detailed(client=client, limit=4, cursor=c),
            PageParticipantRead,
        )
        events = walk(
            lambda c: list_events.sync_detailed(client=client, limit=4, cursor=c), PageEventRead
        )
        issues = walk(
            lambda c: list_issues.sync_detailed(client=client, limit=4, cursor=c), PageIssueRead
        )
        quotations = walk(
            lambda c: list_quotations.sync_detailed(client=client, limit=4, cursor=c),
            PageQuotationRead,
        )
        for listing in (participants, events, issues, quotations):
            assert len(listing) > 4  # more than one page
        for p in participants:
            got = ok(get_participant.sync_detailed(p.id, client=client), ParticipantRead)
            assert got == p
            assert_evidence(got.evidence, articles)
        for e in events:
            got_event = ok(get_event.sync_detailed(e.id, client=client), EventRead)
            assert got_event == e
            assert_evidence(got_event.evidence, articles)
        for i in issues:
            got_issue = ok(get_issue.sync_detailed(i.id, client=client), IssueRead)
            assert got_issue == i
            assert_evidence(got_issue.evidence, articles)
        for q in quotations:
            got_quotation = ok(get_quotation.sync_detailed(q.id, client=client), QuotationRead)
            assert got_quotation == q
            assert_evidence(got_quotation.evidence, articles)
            assert q.text in {span.text for span in q.evidence}

        # A speaker's quotations, page by page, are the quotations filtered by speaker.
        spoken = walk(
            lambda c: list_participant_quotations.sync_detailed(
                SPEAKER, client=client, limit=2, cursor=c
            ),
            PageQuotationRead,
        )
        assert len(spoken) > 2
        assert {q.id for q in spoken} == {q.id for q in quotations if q.speaker.id == SPEAKER}

        # An event's agenda and quotations, an issue's quotations.
        agenda = ok(get_event_agenda.sync_detailed(AGENDA_EVENT, client=client), AgendaRead)
        assert agenda.event_id == AGENDA_EVENT
        assert agenda.items
        for item in agenda.items:
            assert_evidence(item.evidence, articles)
            assert all(q.speaker.id for q in item.quotations)
        at_event = walk(
            lambda c: list_event_quotations.sync_detailed(
                AGENDA_EVENT, client=client, limit=2, cursor=c
            ),
            PageQuotationRead,
        )
        assert {q.id for q in at_event} == {q.id for q in quotations if q.event_id == AGENDA_EVENT}
        on_issue = agenda.items[0].issue.id
        about = walk(
            lambda c: list_issue_quotations.sync_detailed(
                on_issue, client=client, limit=2, cursor=c
            ),
            PageQuotationRead,
        )
        assert {q.id for q in about} == {q.id for q in quotations if on_issue in q.issue_ids}

        # Exports hold every record of each kind, in NDJSON and in CSV.
        listed = {
            ExportKind.ARTICLES: {a.id for a in listed_articles},
            ExportKind.PARTICIPANTS: {p.id for p in participants},
            ExportKind.EVENTS: {e.id for e in events},
            ExportKind.ISSUES: {i.id for i in issues},
            ExportKind.QUOTATIONS: {q.id for q in quotations},
        }
        for kind, ids in listed.items():
            ndjson = ok(
                export_records.sync_detailed(client=client, kind=kind, format_=ExportFormat.NDJSON),
                str,
            )
            assert {json.loads(line)["id"] for line in ndjson.splitlines()} == ids
            table = ok(
                export_records.sync_detailed(client=client, kind=kind, format_=ExportFormat.CSV),
                str,
            )
            assert {row["id"] for row in csv.DictReader(io.StringIO(table))} == ids

        # The change feed's first page: the seed's load.
        feed = ok(list_changes.sync_detailed(client=client, limit=5), PageChangeRead)
        assert len(feed.items) == 5
        assert feed.next_cursor
        assert all(c.operation is Operation.CREATED for c in feed.items)

    answered = {(method, path) for method, path, status in server.calls if status == 200}
    missing = {
        operation_id
        for operation_id, pattern in read_operations().items()
        if not any(method == "GET" and pattern.fullmatch(path) for method, path in answered)
    }
    assert not missing, f"read operations the client did not exercise: {sorted(missing)}"


def test_writes_with_if_match_and_idempotency_key_then_the_feed_to_its_end(
    server: Server,
) -> None:
    with server.curator() as client:
        body = QuotationCreate(
            id="client-quotation",
            article_id=ARTICLE,
            speaker_id=SPEAKER,
            text="We need to clarify things",
            kind=QuotationKind.PARTIAL,
        )
        # A POST retried with the same Idempotency-Key gets the first answer; nothing twice.
        first = create_quotation.sync_detailed(
            client=client, body=body, idempotency_key="client-create-1"
        )
        created = ok(first, QuotationRead, HTTPStatus.CREATED)
        retry = create_quotation.sync_detailed(
            client=client, body=body, idempotency_key="client-create-1"
        )
        assert ok(retry, QuotationRead, HTTPStatus.CREATED) == created
        assert retry.content == first.content
        assert retry.headers["idempotent-replayed"] == "true"

        # A PATCH needs the ETag of a GET: with it, the update applies; with a stale one, 412.
        read = get_quotation.sync_detailed(created.id, client=client)
        etag = read.headers["etag"]
        change = QuotationUpdate(kind=QuotationKind.DIRECT, said_on="2018-05-14")
        updated = ok(
            update_quotation.sync_detailed(created.id, client=client, body=change, if_match=etag),
            QuotationRead,
        )
        assert updated.kind is QuotationKind.DIRECT
        assert updated.said_on == "2018-05-14"
        undo = QuotationUpdate(kind=QuotationKind.PARTIAL)
        stale = update_quotation.sync_detailed(created.id, client=client, body=undo, if_match=etag)
        assert ok(stale, Problem, HTTPStatus.PRECONDITION_FAILED).status == 412
        assert ok(get_quotation.sync_detailed(created.id, client=client), QuotationRead) == updated

        # The change feed, walked to its end with cursors in small pages, is the whole audit
        # log in commit order, ending with this test's one create and one update.
        changes: list[ChangeRead] = walk(
            lambda since: list_changes.sync_detailed(client=client, since=since, limit=7),
            PageChangeRead,
        )
        with Session(server.engine) as session:
            logged = list(session.scalars(select(ChangeRecord.seq).order_by(ChangeRecord.seq)))
        assert [c.seq for c in changes] == logged
        assert len(changes) > 7
        mine = [(c.operation, c.kind, c.id) for c in changes if c.id == created.id]
        assert mine == [
            (Operation.CREATED, RecordKind.QUOTATION, created.id),
            (Operation.UPDATED, RecordKind.QUOTATION, created.id),
        ]
        last = changes[-1]
        assert last.after is not None
        assert last.after["kind"] == "direct"
        # A reader without the admin scope sees the key's id, not its name.
        assert last.actor == f"key-{server.key_id}"

        # From the last cursor there is nothing new, until the next write.
        tail = ok(list_changes.sync_detailed(client=client, since=last.cursor), PageChangeRead)
        assert tail.items == []
        assert tail.next_cursor is None


def test_the_readme_example_runs(server: Server) -> None:
    """The README's client example, against the live server, prints what it says it does."""
    blocks = re.findall(r"```python\n(.*?)```", README_PATH.read_text(encoding="utf-8"), re.S)
    example = next(block for block in blocks if "newsfacts_client" in block)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(example.replace("http://127.0.0.1:8000", server.base_url), {})
    *pages, last = printed.getvalue().splitlines()
    texts = [ast.literal_eval(line) for line in pages]
    assert len(texts) > 1
    assert all(len(page) == 5 for page in texts[:-1])
    with server.reader() as client:
        spoken = ok(
            list_quotations.sync_detailed(client=client, speaker=SPEAKER, limit=100),
            PageQuotationRead,
        )
        outpost = ok(
            get_quotation.sync_detailed("lukashenka-main-outpost", client=client), QuotationRead
        )
    assert [text for page in texts for text in page] == [q.text for q in spoken.items]
    assert last.startswith(f"{outpost.speaker.name} {outpost.text} [(")
