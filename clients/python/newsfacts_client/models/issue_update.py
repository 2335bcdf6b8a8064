from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.issue_category import IssueCategory
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agenda_entry_in import AgendaEntryIn


T = TypeVar("T", bound="IssueUpdate")


@_attrs_define
class IssueUpdate:
    """Fields to change; `agenda` and `evidence` replace the whole list.

    Attributes:
        agenda (list[AgendaEntryIn] | Unset):
        category (IssueCategory | Unset): The broad area an issue belongs to.
        evidence (list[Any] | Unset):
        summary (None | str | Unset):
        title (str | Unset):
    """

    agenda: list[AgendaEntryIn] | Unset = UNSET
    category: IssueCategory | Unset = UNSET
    evidence: list[Any] | Unset = UNSET
    summary: None | str | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agenda: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.agenda, Unset):
            agenda = []
            for agenda_item_data in self.agenda:
                agenda_item = agenda_item_data.to_dict()
                agenda.append(agenda_item)

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value

        evidence: list[Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item: Any
                evidence_item = evidence_item_data
                evidence.append(evidence_item)

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if agenda is not UNSET:
            field_dict["agenda"] = agenda
        if category is not UNSET:
            field_dict["category"] = category
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if summary is not UNSET:
            field_dict["summary"] = summary
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agenda_entry_in import AgendaEntryIn  # noqa: PLC0415

        d = dict(src_dict)
        _agenda = d.pop("agenda", UNSET)
        agenda: list[AgendaEntryIn] | Unset = UNSET
        if _agenda is not UNSET:
            agenda = []
            for agenda_item_data in _agenda:
                agenda_item = AgendaEntryIn.from_dict(agenda_item_data)

                agenda.append(agenda_item)

        _category = d.pop("category", UNSET)
        category: IssueCategory | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = IssueCategory(_category)

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Any] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:

                def _parse_evidence_item(data: object) -> Any:
                    return cast(Any, data)

                evidence_item = _parse_evidence_item(evidence_item_data)

                evidence.append(evidence_item)

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        title = d.pop("title", UNSET)

        issue_update = cls(
            agenda=agenda,
            category=category,
            evidence=evidence,
            summary=summary,
            title=title,
        )

        return issue_update
