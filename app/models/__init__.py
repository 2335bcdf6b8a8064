"""Every model, imported once so that `Base.metadata` knows the whole schema."""

from app.core.db import Base
from app.models.api_key import ApiKey
from app.models.article import Article
from app.models.change import ChangeRecord, DataGeneration
from app.models.event import Event, EventKind, EventParticipant, EventStatus
from app.models.evidence import EvidenceSpan
from app.models.idempotency import IdempotencyRecord
from app.models.issue import AgendaItem, AgendaStatus, Issue, IssueCategory
from app.models.kind import RecordKind
from app.models.participant import (
    Participant,
    ParticipantAlias,
    ParticipantExternalId,
    ParticipantKind,
)
from app.models.quotation import Quotation, QuotationIssue, QuotationKind

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
    "RecordKind",
]
