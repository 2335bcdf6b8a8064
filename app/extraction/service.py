"""Drafting an article's quotations: the source text, the stored participants, the engine's run."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.dates import format_optional_date
from app.core.errors import AppError, FieldError, NotFound, ServiceUnavailable, ValidationFailed
from app.extraction.engine import (
    DraftQuotation,
    KnownParticipant,
    Span,
    draft_participants,
)
from app.extraction.schemas import (
    SUPPORTED_LANGUAGES,
    DraftParticipantRead,
    DraftQuotationRead,
    DraftSpeaker,
    ExtractionRequest,
    ExtractionResult,
    ParticipantKindName,
    TextSpan,
)
from app.extraction.worker import EngineBusy, EngineFailed, EnginePool, EngineTimeout
from app.models.article import Article
from app.participants.service import participant_names, participant_records

# The engine runs in child processes: at most two at once per API worker, each stopped at its
# time limit (app/extraction/worker.py says why a thread will not do).
_ENGINES = EnginePool(size=2)
# A turn at an engine, one per process and event loop: a request waits for its turn on the
# event loop, not in a thread of the shared pool that every database call needs.
_TURNS: RunVar[anyio.CapacityLimiter] = RunVar("newsfacts_extraction_turns")
_KINDS: dict[str, ParticipantKindName] = {
    "person": "person",
    "organisation": "organization",
    "organization": "organization",
    "country": "country",
    "group": "group",
}


@dataclass(frozen=True)
class KnownRecord:
    """A stored participant as a bundle declares it, and the names speakers resolve through."""

    id: str
    name: str
    kind: str
    title: str | None = None
    description: str | None = None
    affiliation: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, language)
    external_ids: dict[str, str] = field(default_factory=dict)

    def known(self) -> KnownParticipant:
        """The engine's view of it."""
        return KnownParticipant(
            id=self.id,
            name=self.name,
            aliases=tuple(alias for alias, _ in self.aliases),
            title=self.title,
            kind=self.kind,
        )


@dataclass(frozen=True)
class Source:
    """What an extraction reads: the text, its publication date, the stored participants."""

    text: str
    published: str | None
    known: tuple[KnownParticipant, ...]


def known_records(session: Session) -> list[KnownRecord]:
    """Every stored participant with its names (in id order).

    Sorted here, not by ORDER BY: PostgreSQL's collation orders text by locale, SQLite's by
    code point, and the same data must resolve speakers and write drafts the same on both."""
    aliases, external = participant_names(session)
    rows = participant_records(session)
    return [
        KnownRecord(
            id=row.id,
            name=row.name,
            kind=str(row.kind.value),
            title=row.title,
            description=row.description,
            affiliation=row.affiliation_id,
            # (alias, language), in that order, as drafts have listed them.
            aliases=tuple(sorted((alias, language) for language, alias in aliases.get(row.id, []))),
            external_ids=external.get(row.id, {}),
        )
        for row in rows
    ]


def is_supported(language: str) -> bool:
    """Whether a stored article's BCP 47 tag is a language the extractor reads (`en-GB` is)."""
    return language.split("-")[0].lower() in SUPPORTED_LANGUAGES


def read_source(session: Session, request: ExtractionRequest) -> Source:
    """The text to read (posted, or a stored article's) and the participants already stored."""
    if request.article_id is not None:
        article = session.execute(
            select(
                Article.text, Article.language, Article.published_on, Article.published_precision
            ).where(Article.id == request.article_id)
        ).one_or_none()
        if article is None:
            raise NotFound(f"No article with id {request.article_id!r}.")
        if not is_supported(article.language):
            raise ValidationFailed(
                f"The article's language is {article.language!r}; the extractor reads"
                f" {', '.join(SUPPORTED_LANGUAGES)} only.",
                [
                    FieldError(
                        location="body",
                        name="article_id",
                        message=f"the article's language {article.language!r} is not supported;"
                        f" the supported languages are {', '.join(SUPPORTED_LANGUAGES)}",
                    )
                ],
            )
        text = article.text
        published = format_optional_date(article.published_on, article.published_precision)
    else:
        text = request.text or ""  # the request's validator wants one of the two
        published = str(request.published) if request.published is not None else None
    known = tuple(record.known() for record in known_records(session))
    return Source(text, published, known)


def _read_and_release(session: Session, request: ExtractionRequest) -> Source:
    """read_source, then the transaction rolled back (it wrote nothing) and the connection
    returned to the pool."""
    try:
        return read_source(session, request)
    finally:
        session.rollback()


async def extract_quotations(
    session: Session, request: ExtractionRequest, *, timeout_s: float
) -> ExtractionResult:
    """Draft the quotations: the database read in one thread hop, then the engine in a child
    process, waited for in another; past timeout_s the run is stopped and the answer is 503.

    The read transaction ends before the engine runs: a pooled connection is not held for up
    to timeout_s while a busy engine is waited for or runs; nor is a thread while a request
    waits for its turn at an engine."""
    source = await run_in_threadpool(_read_and_release, session, request)
    try:
        drafts = await _run_engine(source, timeout_s)
    except EngineTimeout:
        raise ServiceUnavailable(
            f"The extraction did not finish within {timeout_s:g} s and was stopped; send a"
            " shorter text, or retry later.",
            headers={"Retry-After": "5"},
        ) from None
    except EngineBusy:
        raise ServiceUnavailable(
            f"Every extractor stayed busy for {timeout_s:g} s; retry later.",
            headers={"Retry-After": "5"},
        ) from None
    except EngineFailed as exc:
        raise AppError(f"The extractor failed: {exc}") from None
    return to_result(source.text, drafts, source.known)


def _turns() -> anyio.CapacityLimiter:
    try:
        return _TURNS.get()
    except LookupError:
        turns = anyio.CapacityLimiter(_ENGINES.size)
        _TURNS.set(turns)
        return turns


async def _run_engine(source: Source, timeout_s: float) -> list[DraftQuotation]:
    """The engine's drafts, waiting for a turn (on the event loop) and running within timeout_s
    in all; a request still waiting at timeout_s raises EngineBusy."""
    deadline = time.monotonic() + timeout_s
    turns = _turns()
    try:
        turns.acquire_nowait()
    except anyio.WouldBlock:
        with anyio.move_on_after(timeout_s) as waiting:
            await turns.acquire()
        if waiting.cancelled_caught:
            raise EngineBusy from None
    try:
        left = max(deadline - time.monotonic(), 0.0)
        return await anyio.to_thread.run_sync(
            _ENGINES.run, source.text, source.published, source.known, left
        )
    finally:
        turns.release()


def kind_name(kind: str) -> ParticipantKindName:
    """A participant kind as the API spells it (the engine guesses `organisation`)."""
    return _KINDS.get(kind, "person")


def _span(span: Span | None) -> TextSpan | None:
    return None if span is None else TextSpan(start=span.start, end=span.end, text=span.text)


def first_mention(text: str, name: str, quotations: Sequence[DraftQuotation]) -> Span:
    """Where the article names a drafted speaker: the name itself, else a quotation's mention."""
    at = text.find(name)
    if at >= 0:
        return Span(at, at + len(name), name)
    for q in quotations:
        if q.speaker is not None and q.speaker.name == name and q.speaker.mention is not None:
            return q.speaker.mention
    raise LookupError(name)  # every drafted participant is a quotation's speaker


def to_result(
    text: str, drafts: Sequence[DraftQuotation], known: Sequence[KnownParticipant]
) -> ExtractionResult:
    """The API's answer for the engine's drafts."""
    quotations = []
    for q in drafts:
        speaker = None
        if q.speaker is not None:
            speaker = DraftSpeaker(
                name=q.speaker.name,
                participant_id=q.speaker.participant_id,
                kind=kind_name(q.speaker.kind),
                mention=_span(q.speaker.mention),
            )
        segments = q.segments or (Span(q.start, q.end, q.text),)
        quotations.append(
            DraftQuotationRead(
                text=q.text,
                start=q.start,
                end=q.end,
                segments=[TextSpan(start=s.start, end=s.end, text=s.text) for s in segments],
                kind=q.kind,
                speaker=speaker,
                cue=_span(q.cue),
                said_on=q.said_on,
                said_on_precision=q.said_on_precision,
                confidence=q.confidence,
            )
        )
    participants = []
    for p in draft_participants(drafts, known):
        mention = first_mention(text, p.name, drafts)
        participants.append(
            DraftParticipantRead(
                id=p.id,
                name=p.name,
                kind=kind_name(p.kind),
                mention=TextSpan(start=mention.start, end=mention.end, text=mention.text),
            )
        )
    return ExtractionResult(quotations=quotations, participants=participants)
