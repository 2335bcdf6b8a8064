"""Every model, imported once so that `Base.metadata` knows the whole schema."""

from app.articles.models import Article
from app.auth.models import ApiKey
from app.changes.models import ChangeRecord, DataGeneration
from app.db import Base
from app.events.models import Event, EventKind, EventParticipant, EventStatus
from app.evidence.models import EvidenceSpan, FactKind
from app.idempotency.models import IdempotencyRecord
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
    "ApiKey",
    "Article",
    "Base",
    "ChangeRecord",
    "DataGeneration",
    "Event",
    "EventKind",
    "EventParticipant",
    "EventStatus",
    "EvidenceSpan",
    "FactKind",
    "IdempotencyRecord",
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
