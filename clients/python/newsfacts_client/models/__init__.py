"""Contains all the data models used in inputs/outputs"""

from .agenda_entry_in import AgendaEntryIn
from .agenda_entry_read import AgendaEntryRead
from .agenda_item_in import AgendaItemIn
from .agenda_item_read import AgendaItemRead
from .agenda_read import AgendaRead
from .agenda_status import AgendaStatus
from .alias_in import AliasIn
from .alias_read import AliasRead
from .article_create import ArticleCreate
from .article_detail import ArticleDetail
from .article_in import ArticleIn
from .article_read import ArticleRead
from .article_update import ArticleUpdate
from .bundle_document import BundleDocument
from .change_read import ChangeRead
from .change_read_after_type_0 import ChangeReadAfterType0
from .change_read_before_type_0 import ChangeReadBeforeType0
from .change_summary import ChangeSummary
from .date_precision import DatePrecision
from .draft_participant_read import DraftParticipantRead
from .draft_participant_read_kind import DraftParticipantReadKind
from .draft_quotation_read import DraftQuotationRead
from .draft_quotation_read_kind import DraftQuotationReadKind
from .draft_quotation_read_said_on_precision_type_0 import DraftQuotationReadSaidOnPrecisionType0
from .draft_speaker import DraftSpeaker
from .draft_speaker_kind import DraftSpeakerKind
from .event_create import EventCreate
from .event_in import EventIn
from .event_kind import EventKind
from .event_participant_in import EventParticipantIn
from .event_participant_read import EventParticipantRead
from .event_read import EventRead
from .event_sort import EventSort
from .event_status import EventStatus
from .event_update import EventUpdate
from .evidence_read import EvidenceRead
from .export_format import ExportFormat
from .export_kind import ExportKind
from .extraction_request import ExtractionRequest
from .extraction_result import ExtractionResult
from .field_error import FieldError
from .health import Health
from .import_result import ImportResult
from .issue_category import IssueCategory
from .issue_create import IssueCreate
from .issue_in import IssueIn
from .issue_read import IssueRead
from .issue_ref import IssueRef
from .issue_update import IssueUpdate
from .operation import Operation
from .page_article_read import PageArticleRead
from .page_change_read import PageChangeRead
from .page_event_read import PageEventRead
from .page_issue_read import PageIssueRead
from .page_participant_read import PageParticipantRead
from .page_quotation_read import PageQuotationRead
from .participant_create import ParticipantCreate
from .participant_create_external_ids import ParticipantCreateExternalIds
from .participant_in import ParticipantIn
from .participant_in_external_ids import ParticipantInExternalIds
from .participant_kind import ParticipantKind
from .participant_read import ParticipantRead
from .participant_read_external_ids import ParticipantReadExternalIds
from .participant_ref import ParticipantRef
from .participant_update import ParticipantUpdate
from .participant_update_external_ids import ParticipantUpdateExternalIds
from .problem import Problem
from .problem_type import ProblemType
from .quotation_create import QuotationCreate
from .quotation_in import QuotationIn
from .quotation_kind import QuotationKind
from .quotation_read import QuotationRead
from .quotation_sort import QuotationSort
from .quotation_update import QuotationUpdate
from .readiness import Readiness
from .record_kind import RecordKind
from .replica_readiness import ReplicaReadiness
from .replica_readiness_status import ReplicaReadinessStatus
from .span_in import SpanIn
from .text_span import TextSpan

__all__ = (
    "AgendaEntryIn",
    "AgendaEntryRead",
    "AgendaItemIn",
    "AgendaItemRead",
    "AgendaRead",
    "AgendaStatus",
    "AliasIn",
    "AliasRead",
    "ArticleCreate",
    "ArticleDetail",
    "ArticleIn",
    "ArticleRead",
    "ArticleUpdate",
    "BundleDocument",
    "ChangeRead",
    "ChangeReadAfterType0",
    "ChangeReadBeforeType0",
    "ChangeSummary",
    "DatePrecision",
    "DraftParticipantRead",
    "DraftParticipantReadKind",
    "DraftQuotationRead",
    "DraftQuotationReadKind",
    "DraftQuotationReadSaidOnPrecisionType0",
    "DraftSpeaker",
    "DraftSpeakerKind",
    "EventCreate",
    "EventIn",
    "EventKind",
    "EventParticipantIn",
    "EventParticipantRead",
    "EventRead",
    "EventSort",
    "EventStatus",
    "EventUpdate",
    "EvidenceRead",
    "ExportFormat",
    "ExportKind",
    "ExtractionRequest",
    "ExtractionResult",
    "FieldError",
    "Health",
    "ImportResult",
    "IssueCategory",
    "IssueCreate",
    "IssueIn",
    "IssueRead",
    "IssueRef",
    "IssueUpdate",
    "Operation",
    "PageArticleRead",
    "PageChangeRead",
    "PageEventRead",
    "PageIssueRead",
    "PageParticipantRead",
    "PageQuotationRead",
    "ParticipantCreate",
    "ParticipantCreateExternalIds",
    "ParticipantIn",
    "ParticipantInExternalIds",
    "ParticipantKind",
    "ParticipantRead",
    "ParticipantReadExternalIds",
    "ParticipantRef",
    "ParticipantUpdate",
    "ParticipantUpdateExternalIds",
    "Problem",
    "ProblemType",
    "QuotationCreate",
    "QuotationIn",
    "QuotationKind",
    "QuotationRead",
    "QuotationSort",
    "QuotationUpdate",
    "Readiness",
    "RecordKind",
    "ReplicaReadiness",
    "ReplicaReadinessStatus",
    "SpanIn",
    "TextSpan",
)
