"""Issues in a bundle: checked, applied and exported (the loader loops over sections)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundles.format import BundleDocument, IssueIn
from app.bundles.sections import BundleSection, Checks, ExportContext, optional, upsert_all, where
from app.core.sync import sync_rows
from app.models.issue import AgendaItem, Issue
from app.models.kind import RecordKind


class IssueSection(BundleSection):
    """A bundle's `issues`, with the agendas they stand on."""

    kind = RecordKind.ISSUE

    def check(self, items: Sequence[IssueIn], checks: Checks) -> None:
        for index, issue in enumerate(items):
            at = where(self.kind, index, issue.id)
            for position, item in enumerate(issue.agenda):
                checks.ref(f"{at}.agenda[{position}]", RecordKind.EVENT, item.event)
            checks.unique(
                f"{at}.agenda", [item.event for item in issue.agenda], "an event is listed twice"
            )

    def apply(self, session: Session, document: BundleDocument) -> None:
        ids = upsert_all(
            session,
            Issue,
            document.issues,
            lambda i: {"title": i.title, "summary": i.summary, "category": i.category},
        )
        sync_rows(
            session,
            AgendaItem,
            AgendaItem.issue_id.in_(ids),
            {
                (item.event, issue_in.id, item.status)
                for issue_in in document.issues
                for item in issue_in.agenda
            },
            ("event_id", "issue_id", "status"),
        )

    def entries(self, context: ExportContext, ids: list[str]) -> list[dict[str, Any]]:
        agenda = _agenda(context, ids)
        result: list[dict[str, Any]] = []
        for i in context.sorted_rows(
            select(Issue.id, Issue.title, Issue.summary, Issue.category).where(Issue.id.in_(ids))
        ):
            entry: dict[str, Any] = {"id": i.id, "title": i.title}
            optional(entry, summary=i.summary)
            entry["category"] = i.category.value
            optional(entry, agenda=agenda[i.id])
            result.append(entry)
        return result


def _agenda(context: ExportContext, ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """The agenda entries of these issues on events the bundle declares."""
    declared = context.declared[RecordKind.EVENT]
    agenda: dict[str, list[dict[str, str]]] = defaultdict(list)
    for issue_id, event_id, status in context.sorted_rows(
        select(AgendaItem.issue_id, AgendaItem.event_id, AgendaItem.status).where(
            AgendaItem.issue_id.in_(ids)
        )
    ):
        if event_id not in declared:
            # As for event participants: an event not evidenced here is unknown to this bundle.
            context.omitted.append(
                f"issue {issue_id!r}: agenda of event {event_id!r} (not evidenced in the article)"
            )
            continue
        agenda[issue_id].append({"event": event_id, "status": status.value})
    return agenda
