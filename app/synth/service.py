"""A synthetic corpus for benchmarks: realistic shapes, valid evidence, built by bulk inserts.

Texts are sentences of a Zipf-distributed vocabulary; each article reports an event, quotes
about ten statements (each quotation's evidence is its own quoted text, as in curated data),
and names its speakers, its event and an agenda issue, all with evidence spans whose offsets
are known by construction. Dates spread over ten years. Synthetic rows bypass the change feed:
they are benchmark data, not curated facts. On SQLite the search index is written a batch at a
time (app.quotations.search.bulk_quotation_index), not by its trigger a quotation at a time; on
PostgreSQL the lexeme ranks of one-word search are written at the end, not by a trigger a
statement at a time (bench/README.md has the figures). Articles are in English, but for a
share of them, asked for, spread evenly and in OTHER_LANGUAGES in turn (their words are
searched unstemmed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Engine, insert

from app.core.dates import DatePrecision
from app.core.db import bump_generation, refresh_planner_statistics
from app.core.text import search_key
from app.models.article import Article
from app.models.event import Event, EventKind, EventParticipant, EventStatus
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem, AgendaStatus, Issue, IssueCategory
from app.models.participant import Participant, ParticipantAlias, ParticipantKind
from app.models.quotation import Quotation, QuotationIssue, QuotationKind
from app.quotations.search import bulk_quotation_index

VOCABULARY_SIZE = 6000
SENTENCE_POOL = 30_000
QUOTATIONS_PER_ARTICLE = 10
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 3652  # ten years
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["sh", "ch", "ya", "ov"]
_CYRILLIC = str.maketrans("abdefgiklmnoprstuvz", "абдефгиклмнопрстувз")
OTHER_LANGUAGES = ("de", "pl", "ru", "und")


@dataclass
class SynthReport:
    """How many rows of each kind were written, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < VOCABULARY_SIZE:
        word = _word(rng)
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1.0 / (rank**1.07) for rank in range(1, VOCABULARY_SIZE + 1)]
    return words, list(itertools.accumulate(weights))


def _sentences(rng: random.Random) -> list[str]:
    words, cumulative = _vocabulary(rng)
    pool = []
    for _ in range(SENTENCE_POOL):
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(7, 22))
        pool.append(" ".join(chosen).capitalize() + ".")
    return pool


def _name(rng: random.Random) -> str:
    ending = rng.choice(["a", "o", "ov", "in", ""])
    return f"{_word(rng).capitalize()} {_word(rng).capitalize()}{ending}"


EVENT_WORDS = ["summit", "talks", "forum", "session", "visit"]


@dataclass
class _Pools:
    participants: list[dict[str, Any]]
    aliases: list[dict[str, Any]]
    events: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    agenda: list[dict[str, Any]]
    event_issues: dict[str, list[str]]
    groups: list[str]


def _pools(rng: random.Random, articles: int) -> _Pools:
    participants, aliases = _participant_pool(rng, articles)
    issues = _issue_pool(rng, articles)
    events, agenda, event_issues = _event_pool(rng, articles, issues)
    groups: list[str] = [p["id"] for p in participants if p["kind"] is ParticipantKind.GROUP]
    return _Pools(participants, aliases, events, issues, agenda, event_issues, groups)


Rows = list[dict[str, Any]]


def _participant_pool(rng: random.Random, articles: int) -> tuple[Rows, Rows]:
    """The participants and their aliases (the order of the random draws is the corpus's)."""
    kinds = (
        [ParticipantKind.PERSON] * 14
        + [ParticipantKind.ORGANIZATION] * 3
        + [ParticipantKind.COUNTRY] * 2
        + [ParticipantKind.GROUP]
    )
    participants: Rows = []
    aliases: Rows = []
    names: set[str] = set()
    for number in range(max(200, articles // 10)):
        name = _name(rng)
        while name in names:
            name = _name(rng)
        names.add(name)
        pid = f"synth-p{number}"
        participants.append(
            {
                "id": pid,
                "name": name,
                "kind": kinds[number % len(kinds)],
                "title": None,
                "description": None,
                "affiliation_id": None,
                "name_key": search_key(name),
            }
        )
        variants = {
            name.split()[-1],
            name.replace("a ", "o ").replace("ov", "off"),
            name.lower().translate(_CYRILLIC),
        }
        for alias in sorted(variants - {name}):
            language = "ru" if alias != alias.encode("ascii", "ignore").decode() else "en"
            aliases.append(
                {
                    "participant_id": pid,
                    "alias": alias,
                    "language": language,
                    "alias_key": search_key(alias),
                }
            )
    return participants, aliases


def _issue_pool(rng: random.Random, articles: int) -> Rows:
    return [
        {
            "id": f"synth-i{number}",
            "title": f"{_word(rng).capitalize()} {_word(rng)} policy",
            "summary": None,
            "category": list(IssueCategory)[number % len(IssueCategory)],
        }
        for number in range(max(20, articles // 50))
    ]


def _event_pool(
    rng: random.Random, articles: int, issues: Rows
) -> tuple[Rows, Rows, dict[str, list[str]]]:
    """The events, their agenda items, and each event's issue ids."""
    events: Rows = []
    agenda: Rows = []
    event_issues: dict[str, list[str]] = {}
    for number in range(max(50, articles // 5)):
        eid = f"synth-e{number}"
        date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        events.append(
            {
                "id": eid,
                "title": f"{_word(rng).capitalize()} {rng.choice(EVENT_WORDS)} {number}",
                "kind": list(EventKind)[number % len(EventKind)],
                "status": list(EventStatus)[number % len(EventStatus)],
                "date": date,
                "date_precision": DatePrecision.DAY if number % 4 else DatePrecision.MONTH,
                "location": _word(rng).capitalize(),
                "description": None,
            }
        )
        chosen = rng.sample(issues, k=rng.randint(1, 3))
        event_issues[eid] = [issue["id"] for issue in chosen]
        for issue in chosen:
            agenda.append(
                {
                    "event_id": eid,
                    "issue_id": issue["id"],
                    "status": list(AgendaStatus)[number % len(AgendaStatus)],
                }
            )
    return events, agenda, event_issues


@dataclass
class _Batch:
    articles: list[dict[str, Any]] = field(default_factory=list)
    quotations: list[dict[str, Any]] = field(default_factory=list)
    quotation_issues: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    roles: set[tuple[str, str, str]] = field(default_factory=set)


def _span(article_id: str, start: int, end: int, **fact: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "article_id": article_id,
        "start": start,
        "end": end,
        "participant_id": None,
        "event_id": None,
        "issue_id": None,
        "quotation_id": None,
    }
    row.update(fact)
    return row


def _language(number: int, other_languages: float) -> str:
    """The language of article `number` when a share `other_languages` of them is not in
    English: every article where the running count of those reaches a whole number more."""
    if int((number + 1) * other_languages) > int(number * other_languages):
        return OTHER_LANGUAGES[int(number * other_languages) % len(OTHER_LANGUAGES)]
    return "en"


def _article(
    number: int,
    rng: random.Random,
    sentences: list[str],
    pools: _Pools,
    batch: _Batch,
    language: str,
) -> None:
    article_id = f"synth-a{number}"
    event = pools.events[rng.randrange(len(pools.events))]
    issue_id = rng.choice(pools.event_issues[event["id"]])
    issue = pools.issues[int(issue_id.removeprefix("synth-i"))]
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    parts: list[str] = []
    length = 0

    def add(piece: str) -> int:
        nonlocal length
        start = length
        parts.append(piece)
        length += len(piece)
        return start

    add(f"{event['title']}: {issue['title']}\n\n")
    event_start = 0
    issue_start = len(event["title"]) + 2
    batch.evidence.append(_span(article_id, event_start, len(event["title"]), event_id=event["id"]))
    batch.evidence.append(
        _span(article_id, issue_start, issue_start + len(issue["title"]), issue_id=issue_id)
    )
    speakers = rng.sample(pools.participants, k=3)
    named: set[str] = set()
    for index in range(QUOTATIONS_PER_ARTICLE):
        add(rng.choice(sentences) + " ")
        speaker = speakers[index % 3]
        name_start = add(speaker["name"])
        if speaker["id"] not in named:
            named.add(speaker["id"])
            batch.evidence.append(
                _span(
                    article_id,
                    name_start,
                    name_start + len(speaker["name"]),
                    participant_id=speaker["id"],
                )
            )
            batch.roles.add((event["id"], speaker["id"], "speaker"))
        add(" said: “")
        quoted = rng.choice(sentences)
        quote_start = add(quoted)
        add("”\n\n")
        quotation_id = f"{article_id}-q{index}"
        batch.quotations.append(
            _quotation_row(
                rng,
                {"id": quotation_id, "article_id": article_id, "speaker_id": speaker["id"]},
                quoted,
                published,
                event["id"] if index % 2 == 0 else None,
                pools.groups,
            )
        )
        batch.quotation_issues.append({"quotation_id": quotation_id, "issue_id": issue_id})
        batch.evidence.append(
            _span(article_id, quote_start, quote_start + len(quoted), quotation_id=quotation_id)
        )
    title = f"{event['title']}: {issue['title']}"
    batch.articles.append(
        _article_row(article_id, title, "".join(parts).rstrip(), published, language)
    )


def _quotation_row(
    rng: random.Random,
    names: dict[str, Any],
    quoted: str,
    published: dt.date,
    event_id: str | None,
    groups: list[str],
) -> dict[str, Any]:
    """A quotation's row (`names`: its id, article and speaker), its kind, date and audience
    drawn at random; said in the 30 days before its article."""
    said = published - dt.timedelta(days=rng.randrange(30))
    roll = rng.random()
    return {
        **names,
        "text": quoted,
        "kind": QuotationKind.DIRECT if roll < 0.8 else QuotationKind.PARTIAL,
        "said_on": None if roll > 0.95 else (said if roll < 0.7 else said.replace(day=1)),
        "said_on_precision": None
        if roll > 0.95
        else (DatePrecision.DAY if roll < 0.7 else DatePrecision.MONTH),
        "event_id": event_id,
        "audience_id": rng.choice(groups) if groups and roll < 0.2 else None,
    }


def _article_row(
    article_id: str, title: str, text: str, published: dt.date | None, language: str = "en"
) -> Any:
    """An article's row, published by the synthetic wire (a roster is undated)."""
    return {
        "id": article_id,
        "title": title,
        "text": text,
        "language": language,
        "publisher": "Synthetic Wire",
        "url": None,
        "published_on": published,
        "published_precision": DatePrecision.DAY if published else None,
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def synthesize(
    engine: Engine,
    articles: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
    other_languages: float = 0.0,
) -> SynthReport:
    """Write a synthetic corpus of `articles` articles (about ten quotations each), a share
    `other_languages` of them (0 to 1) not in English."""
    began = time.perf_counter()
    # Reproducible benchmark data, not security.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    sentences = _sentences(rng)
    pools = _pools(rng, articles)
    counts: dict[str, int] = {}

    def put(connection: Any, model: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            if connection.dialect.name == "sqlite":
                _insert_sqlite(connection, model, rows)
            else:
                connection.execute(insert(model), rows)
            counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)

    with (
        engine.begin() as connection,
        _large_page_cache(connection),
        bulk_quotation_index(connection) as index_quotations,
    ):
        bump_generation(connection)
        put(connection, Participant, pools.participants)
        put(connection, ParticipantAlias, pools.aliases)
        put(connection, Issue, pools.issues)
        put(connection, Event, pools.events)
        put(connection, AgendaItem, pools.agenda)
        # Every participant, event and issue has evidence: the pools' own first mentions are
        # added as the articles are written; those never mentioned get one in a roster article.
        roles: set[tuple[str, str, str]] = set()
        for numbers in _chunks(articles, batch_size):
            batch = _Batch()
            for number in numbers:
                _article(number, rng, sentences, pools, batch, _language(number, other_languages))
            put(connection, Article, batch.articles)
            put(connection, Quotation, batch.quotations)
            index_quotations([(row["id"], row["text"]) for row in batch.quotations])
            put(connection, QuotationIssue, batch.quotation_issues)
            put(connection, EvidenceSpan, batch.evidence)
            roles |= batch.roles
            if progress is not None:
                progress(len(numbers))
        put(
            connection,
            EventParticipant,
            [{"event_id": e, "participant_id": p, "role": r} for e, p, r in sorted(roles)],
        )
        _roster(connection, pools, put)
    refresh_planner_statistics(engine)
    return SynthReport(counts=counts, seconds=time.perf_counter() - began)


@contextmanager
def _large_page_cache(connection: Any) -> Iterator[None]:
    """On SQLite, a 256 MiB page cache while the corpus is written: a quotation touches several
    indexes (its table's and the search index's), and the default 2 MB cache re-read their
    pages from the OS. The pooled connection gets its own size back afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    size = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {size}")


def _insert_sqlite(connection: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows through the driver: SQLAlchemy's per-row parameter processing was a large
    share of writing the corpus (bench/README.md). Dates are written as SQLAlchemy writes them
    on SQLite (ISO), string enums as their values; every other value is stored as it is."""
    table = model.__table__
    columns = list(rows[0])
    dates = [index for index, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    values = [[row[name] for name in columns] for row in rows]
    for row_values in values:
        for index in dates:
            if row_values[index] is not None:
                row_values[index] = row_values[index].isoformat()
    # Table and column names come from the models, never from input.
    sql = 'INSERT INTO "%s" (%s) VALUES (%s)' % (table.name, names, marks)  # noqa: S608, UP031  # nosec B608
    connection.exec_driver_sql(sql, [tuple(row_values) for row_values in values])


ROSTER_LINES = 100  # names per roster article: about the size of an ordinary article


def _roster(connection: Any, pools: _Pools, put: Callable[..., None]) -> None:
    """Roster articles naming every participant, event and issue, so each has evidence."""
    facts = (
        [("participant_id", p["id"], p["name"]) for p in pools.participants]
        + [("event_id", e["id"], e["title"]) for e in pools.events]
        + [("issue_id", i["id"], i["title"]) for i in pools.issues]
    )
    articles, spans = [], []
    for number, first in enumerate(range(0, len(facts), ROSTER_LINES)):
        article_id = f"synth-roster-{number}"
        heading = f"Roster {number}\n\n"
        position = len(heading)
        lines = []
        for column, fact_id, line in facts[first : first + ROSTER_LINES]:
            spans.append(_span(article_id, position, position + len(line), **{column: fact_id}))
            lines.append(line)
            position += len(line) + 1
        text = heading + "\n".join(lines)
        articles.append(_article_row(article_id, f"Roster {number}", text, None))
    put(connection, Article, articles)
    put(connection, EvidenceSpan, spans)
