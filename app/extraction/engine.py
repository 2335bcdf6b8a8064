"""The quotation extractor's API: `extract` drafts every quotation of an article with its spans."""

from __future__ import annotations

from collections.abc import Sequence

from . import attribution
from .lexicon import PRONOUNS
from .model import (
    DraftParticipant,
    DraftQuotation,
    Kind,
    KnownParticipant,
    Precision,
    Span,
    Speaker,
)
from .speakers import slug

__all__ = [
    "DraftParticipant",
    "DraftQuotation",
    "Kind",
    "KnownParticipant",
    "Precision",
    "Span",
    "Speaker",
    "draft_participants",
    "extract",
]


def extract(
    text: str, *, published: str | None = None, known: Sequence[KnownParticipant] = ()
) -> list[DraftQuotation]:
    """Every quotation of the article, in text order: direct, partial and indirect."""
    return attribution.draft(text, published, known)


def draft_participants(
    quotations: Sequence[DraftQuotation], known: Sequence[KnownParticipant] = ()
) -> list[DraftParticipant]:
    """The speakers of the quotations that are not known participants, one per slug, in order."""
    known_ids = {k.id for k in known}
    seen: dict[str, DraftParticipant] = {}
    for q in quotations:
        sp = q.speaker
        if sp is None or sp.participant_id is not None:
            continue
        if sp.name.lower() in PRONOUNS or not sp.name[:1].isupper():
            continue  # an unresolved pronoun or a vague description names no one
        pid = slug(sp.name)
        if pid in known_ids or pid in seen:
            continue
        seen[pid] = DraftParticipant(pid, sp.name, sp.kind)
    return list(seen.values())
