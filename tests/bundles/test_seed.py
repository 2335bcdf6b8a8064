"""The seed fixture is true to its article and answers the article's headline."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bundles.loader import read_bundle, resolve_bundle, seed_bundle_paths
from app.core.text import search_key
from app.kinds import KINDS
from app.models.article import Article
from app.models.evidence import EvidenceSpan
from app.models.issue import AgendaItem
from app.models.participant import ParticipantAlias
from app.models.quotation import Quotation, QuotationKind

SEED_ARTICLE_ID = "lukashenka-putin-sochi-2018"
# sha256 of the source file the seed article was copied from, verbatim.
SOURCE_SHA256 = "41a6f90e2c50ee61ca1955e920e57d647aec6a80e8ef57a8e0a9161c2541a8ea"


def test_the_article_text_is_the_source_file_verbatim(session: Session) -> None:
    article = session.get(Article, SEED_ARTICLE_ID)
    assert article is not None
    assert hashlib.sha256(article.text.encode("utf-8")).hexdigest() == SOURCE_SHA256
    assert article.content_sha256 == SOURCE_SHA256
    assert "would will visit" in article.text  # typos are kept
    assert article.title == article.text.splitlines()[0]


def test_every_stored_span_reads_the_same_in_sql_and_python(session: Session) -> None:
    rows = session.execute(
        select(
            EvidenceSpan.start,
            EvidenceSpan.end,
            Article.text,
            func.substr(
                Article.text, EvidenceSpan.start + 1, EvidenceSpan.end - EvidenceSpan.start
            ),
        ).join(Article, Article.id == EvidenceSpan.article_id)
    ).all()
    assert len(rows) > 50
    for start, end, text, sql_text in rows:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == sql_text


def test_every_fixture_span_is_stored_with_its_written_text(session: Session) -> None:
    for path in seed_bundle_paths():
        document = read_bundle(path)
        bundle = resolve_bundle(document, source=str(path), kinds=KINDS)
        text = document.article.text
        for quotation in document.quotations:
            first = bundle.spans[("quotation", quotation.id)]  # type: ignore[index]
            assert quotation.text in {text[s.start : s.end] for s in first}
        stored = {
            (span.fact[0].value, span.fact[1], span.start, span.end)
            for span in session.scalars(
                select(EvidenceSpan).where(EvidenceSpan.article_id == document.article.id)
            )
        }
        expected = {
            (kind.value, fact_id, span.start, span.end)
            for (kind, fact_id), spans in bundle.spans.items()
            for span in spans
        }
        assert stored == expected


def test_every_quoted_passage_of_the_article_is_a_quotation(session: Session) -> None:
    article = session.get(Article, SEED_ARTICLE_ID)
    assert article is not None
    # Double quotes hold whole utterances; single quotes hold phrases (’ is also an apostrophe,
    # but an opening ‘ is never one).
    quoted = [
        m.group(1) or m.group(2) for m in re.finditer(r"“(.+?)”|‘(.+?)’(?![a-z])", article.text)
    ]
    assert len(quoted) >= 7
    texts = [
        q.text
        for q in session.scalars(
            select(Quotation).where(
                Quotation.article_id == SEED_ARTICLE_ID,
                Quotation.kind.in_([QuotationKind.DIRECT, QuotationKind.PARTIAL]),
            )
        )
    ]
    for passage in quoted:
        core = passage.rstrip(",.")
        assert any(core == text.rstrip(",.") for text in texts), passage


def test_the_meeting_agenda_answers_the_headline(session: Session) -> None:
    issues = set(
        session.scalars(
            select(AgendaItem.issue_id).where(
                AgendaItem.event_id == "lukashenka-putin-meeting-2018"
            )
        )
    )
    assert len(issues) >= 5
    assert any("food" in issue for issue in issues)
    assert any("army" in issue or "military" in issue for issue in issues)


def test_lukashenka_is_found_by_every_common_spelling(session: Session) -> None:
    keys = set(
        session.scalars(
            select(ParticipantAlias.alias_key).where(
                ParticipantAlias.participant_id == "alyaksandr-lukashenka"
            )
        )
    )
    for spelling in ["Lukashenko", "Alexander Lukashenko", "Лукашенко", "Лукашэнка"]:
        assert any(search_key(spelling) in key for key in keys), spelling
