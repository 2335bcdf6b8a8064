from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agenda_status import AgendaStatus

if TYPE_CHECKING:
    from ..models.evidence_read import EvidenceRead
    from ..models.issue_ref import IssueRef
    from ..models.quotation_read import QuotationRead


T = TypeVar("T", bound="AgendaItemRead")


@_attrs_define
class AgendaItemRead:
    """One issue on an event's agenda, how far it got, and what in the event's articles
    supports it: the issue's evidence spans and the quotations on it.

        Attributes:
            all_quotations (str): Where to page through every quotation on the issue, in any article.
            evidence (list[EvidenceRead]): The issue's evidence spans in the articles reporting the event.
            issue (IssueRef): An issue without its agenda and evidence lists; its whole record is at /v1/issues/{id}.
            quotations (list[QuotationRead]): Quotations on the issue said at the event or in the articles reporting it,
                oldest first (undated last): what supports its place on the agenda. At most `quotations_per_issue` of them.
            status (AgendaStatus): How far an issue got on an event's agenda.
    """

    all_quotations: str
    evidence: list[EvidenceRead]
    issue: IssueRef
    quotations: list[QuotationRead]
    status: AgendaStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        all_quotations = self.all_quotations

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        issue = self.issue.to_dict()

        quotations = []
        for quotations_item_data in self.quotations:
            quotations_item = quotations_item_data.to_dict()
            quotations.append(quotations_item)

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "all_quotations": all_quotations,
                "evidence": evidence,
                "issue": issue,
                "quotations": quotations,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evidence_read import EvidenceRead  # noqa: PLC0415
        from ..models.issue_ref import IssueRef  # noqa: PLC0415
        from ..models.quotation_read import QuotationRead  # noqa: PLC0415

        d = dict(src_dict)
        all_quotations = d.pop("all_quotations")

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = EvidenceRead.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        issue = IssueRef.from_dict(d.pop("issue"))

        quotations = []
        _quotations = d.pop("quotations")
        for quotations_item_data in _quotations:
            quotations_item = QuotationRead.from_dict(quotations_item_data)

            quotations.append(quotations_item)

        status = AgendaStatus(d.pop("status"))

        agenda_item_read = cls(
            all_quotations=all_quotations,
            evidence=evidence,
            issue=issue,
            quotations=quotations,
            status=status,
        )

        agenda_item_read.additional_properties = d
        return agenda_item_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
