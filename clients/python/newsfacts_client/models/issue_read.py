from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.issue_category import IssueCategory

if TYPE_CHECKING:
    from ..models.agenda_entry_read import AgendaEntryRead
    from ..models.evidence_read import EvidenceRead


T = TypeVar("T", bound="IssueRead")


@_attrs_define
class IssueRead:
    """An agenda issue: a topic that was, or will be, raised.

    Attributes:
        agenda (list[AgendaEntryRead]): Events with this issue on their agenda.
        category (IssueCategory): The broad area an issue belongs to.
        evidence (list[EvidenceRead]):
        id (str):
        summary (None | str):
        title (str):
    """

    agenda: list[AgendaEntryRead]
    category: IssueCategory
    evidence: list[EvidenceRead]
    id: str
    summary: None | str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agenda = []
        for agenda_item_data in self.agenda:
            agenda_item = agenda_item_data.to_dict()
            agenda.append(agenda_item)

        category = self.category.value

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        id = self.id

        summary: None | str
        summary = self.summary

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agenda": agenda,
                "category": category,
                "evidence": evidence,
                "id": id,
                "summary": summary,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agenda_entry_read import AgendaEntryRead  # noqa: PLC0415
        from ..models.evidence_read import EvidenceRead  # noqa: PLC0415

        d = dict(src_dict)
        agenda = []
        _agenda = d.pop("agenda")
        for agenda_item_data in _agenda:
            agenda_item = AgendaEntryRead.from_dict(agenda_item_data)

            agenda.append(agenda_item)

        category = IssueCategory(d.pop("category"))

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = EvidenceRead.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        def _parse_summary(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        summary = _parse_summary(d.pop("summary"))

        title = d.pop("title")

        issue_read = cls(
            agenda=agenda,
            category=category,
            evidence=evidence,
            id=id,
            summary=summary,
            title=title,
        )

        issue_read.additional_properties = d
        return issue_read

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
