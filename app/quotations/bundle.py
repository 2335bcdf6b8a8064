"""Quotations in a bundle: checked, applied and exported (the loader loops over sections).

A quotation belongs to its article: a bundle declares its own article's quotations only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.bundles.format import BundleDocument, QuotationIn, SpanIn
from app.bundles.sections import (
    BundleSection,
    Checks,
    ExportContext,
    bundle_date,
    date_precision,
    date_value,
    optional,
    upsert_all,
    where,
)
from app.core.spans import Span, occurrence_of
from app.core.sync import sync_rows
from app.models.kind import RecordKind
from app.models.quotation import Quotation, QuotationIssue


class QuotationSection(BundleSection):
    """A bundle's `quotations`: speaker, audience, occasion and issues, and its own text as
    a span beside its evidence."""

    kind = RecordKind.QUOTATION

    def article_column(self) -> InstrumentedAttribute[str]:
        return Quotation.article_id

    def check(self, items: Sequence[QuotationIn], checks: Checks) -> None:
        for index, quotation in enumerate(items):
            at = where(self.kind, index, quotation.id)
            checks.ref(f"{at}.speaker", RecordKind.PARTICIPANT, quotation.speaker)
            checks.ref(f"{at}.audience", RecordKind.PARTICIPANT, quotation.audience)
            checks.ref(f"{at}.event", RecordKind.EVENT, quotation.event)
            for position, issue_id in enumerate(quotation.issues):
                checks.ref(f"{at}.issues[{position}]", RecordKind.ISSUE, issue_id)
            checks.unique(f"{at}.issues", quotation.issues, "an issue is listed twice")

    def own_spans(self, item: QuotationIn) -> list[tuple[str, SpanIn]]:
        return [("text", SpanIn(text=item.text, occurrence=item.occurrence))]

    def apply(self, session: Session, document: BundleDocument) -> None:
        article_id = document.article.id
        ids = upsert_all(session, Quotation, document.quotations, lambda q: _values(q, article_id))
        sync_rows(
            session,
            QuotationIssue,
            QuotationIssue.quotation_id.in_(ids),
            {(q.id, issue_id) for q in document.quotations for issue_id in q.issues},
            ("quotation_id", "issue_id"),
        )

    def export(
        self, context: ExportContext, spans: Mapping[str, list[Span]]
    ) -> list[dict[str, Any]]:
        rows = context.sorted_rows(
            select(
                Quotation.id,
                Quotation.speaker_id,
                Quotation.kind,
                Quotation.text,
                Quotation.said_on,
                Quotation.said_on_precision,
                Quotation.event_id,
                Quotation.audience_id,
            ).where(Quotation.article_id == context.article_id)
        )
        ids = [q.id for q in rows]
        # Spans here of another article's quotation: a bundle declares only its own article's
        # quotations, so it cannot carry them.
        for quotation_id in sorted(set(spans) - set(ids)):
            for span in spans[quotation_id]:
                context.omitted.append(
                    f"quotation {quotation_id!r} (of another article): evidence [{span.start}:"
                    f"{span.end}] in this article"
                )
        if not ids:
            return []
        linked = _issue_links(context, ids)
        result: list[dict[str, Any]] = []
        for q in rows:
            if q.speaker_id not in context.declared[RecordKind.PARTICIPANT]:
                # The speaker is required, and a speaker with no evidence here cannot be
                # declared.
                context.omitted.append(
                    f"quotation {q.id!r}: the whole quotation, as its speaker {q.speaker_id!r}"
                    " is not evidenced in the article"
                )
                continue
            result.append(_entry(context, q, spans.get(q.id, []), linked[q.id]))
        return result


def _values(quotation_in: QuotationIn, article_id: str) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "speaker_id": quotation_in.speaker,
        "text": quotation_in.text,
        "kind": quotation_in.kind,
        "said_on": date_value(quotation_in.said_on),
        "said_on_precision": date_precision(quotation_in.said_on),
        "event_id": quotation_in.event,
        "audience_id": quotation_in.audience,
    }


def _issue_links(context: ExportContext, ids: list[str]) -> dict[str, list[str]]:
    """The issue ids of these quotations, in id order."""
    linked: dict[str, list[str]] = defaultdict(list)
    for quotation_id, issue_id in context.sorted_rows(
        select(QuotationIssue.quotation_id, QuotationIssue.issue_id).where(
            QuotationIssue.quotation_id.in_(ids)
        )
    ):
        linked[quotation_id].append(issue_id)
    return linked


def _entry(
    context: ExportContext, q: Any, own_spans: list[Span], linked: list[str]
) -> dict[str, Any]:
    """One quotation as its bundle writes it; links the bundle cannot declare are left out."""
    text = context.text
    own = next((s for s in own_spans if text[s.start : s.end] == q.text), None)
    if own is None:
        # Every write stores the quotation's own text as a span; should one be missing, the
        # loader finds the text again (and fails, naming it, if that is ambiguous).
        context.omitted.append(f"quotation {q.id!r}: no evidence span covers its text")
    entry: dict[str, Any] = {
        "id": q.id,
        "speaker": q.speaker_id,
        "kind": q.kind.value,
        "text": q.text,
    }
    optional(entry, occurrence=occurrence_of(text, own) if own is not None else None)
    # Links to records this bundle does not declare are left out, as for events and issues.
    participants = context.declared[RecordKind.PARTICIPANT]
    event = q.event_id if q.event_id in context.declared[RecordKind.EVENT] else None
    audience = q.audience_id if q.audience_id in participants else None
    issues = [issue_id for issue_id in linked if issue_id in context.declared[RecordKind.ISSUE]]
    for name, dropped in (
        ("event", [q.event_id] if q.event_id is not None and event is None else []),
        ("audience", [q.audience_id] if q.audience_id is not None and audience is None else []),
        ("issue", [i for i in linked if i not in context.declared[RecordKind.ISSUE]]),
    ):
        for ref in dropped:
            context.omitted.append(
                f"quotation {q.id!r}: {name} {ref!r} (not evidenced in the article)"
            )
    optional(
        entry,
        said_on=bundle_date(q.said_on, q.said_on_precision),
        event=event,
        audience=audience,
        issues=issues,
        evidence=context.spans([span for span in own_spans if span != own]),
    )
    return entry
