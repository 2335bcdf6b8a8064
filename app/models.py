"""Every model, imported once so that `Base.metadata` knows the whole schema."""

from app.articles.models import Article
from app.db import Base
from app.events.models import Event, EventKind, EventParticipant, EventStatus
from app.evidence.models import EvidenceSpan, FactKind
from app.issues.models import AgendaItem, AgendaStatus, Issue, IssueCategory
from app.participants.models import (
    Participant,
    ParticipantAlias,
    ParticipantExternalId,
    ParticipantKind,
)
from app.quotations.models import Quotation, QuotationIssue, QuotationKind

__all__ = [
    "AgendaItem",
    "AgendaStatus",
    "Article",
    "Base",
    "Event",
    "EventKind",
    "EventParticipant",
    "EventStatus",
    "EvidenceSpan",
    "FactKind",
    "Issue",
    "IssueCategory",
    "Participant",
    "ParticipantAlias",
    "ParticipantExternalId",
    "ParticipantKind",
    "Quotation",
    "QuotationIssue",
    "QuotationKind",
]
