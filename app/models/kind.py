"""The kinds of record: one enum for the change feed, evidence, bundles and the registry."""

from __future__ import annotations

import enum


class RecordKind(enum.StrEnum):
    """The kinds of record the change feed reports."""

    ARTICLE = "article"
    PARTICIPANT = "participant"
    EVENT = "event"
    ISSUE = "issue"
    QUOTATION = "quotation"

    @property
    def collection(self) -> str:
        """The plural that names the kind in URLs and bundles ("events")."""
        return f"{self.value}s"


# The kinds of fact: records that carry evidence spans (an article is what spans point into).
FACT_KINDS = (RecordKind.PARTICIPANT, RecordKind.EVENT, RecordKind.ISSUE, RecordKind.QUOTATION)
