from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.issue_category import IssueCategory
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agenda_entry_in import AgendaEntryIn


T = TypeVar("T", bound="IssueCreate")


@_attrs_define
class IssueCreate:
    """A new agenda issue, with at least one evidence span.

    Attributes:
        category (IssueCategory): The broad area an issue belongs to.
        evidence (list[Any]):
        id (str):
        title (str):
        agenda (list[AgendaEntryIn] | Unset):
        summary (None | str | Unset):
    """

    category: IssueCategory
    evidence: list[Any]
    id: str
    title: str
    agenda: list[AgendaEntryIn] | Unset = UNSET
    summary: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item: Any
            evidence_item = evidence_item_data
            evidence.append(evidence_item)

        id = self.id

        title = self.title

        agenda: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.agenda, Unset):
            agenda = []
            for agenda_item_data in self.agenda:
                agenda_item = agenda_item_data.to_dict()
                agenda.append(agenda_item)

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "evidence": evidence,
                "id": id,
                "title": title,
            }
        )
        if agenda is not UNSET:
            field_dict["agenda"] = agenda
        if summary is not UNSET:
            field_dict["summary"] = summary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agenda_entry_in import AgendaEntryIn  # noqa: PLC0415

        d = dict(src_dict)
        category = IssueCategory(d.pop("category"))

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:

            def _parse_evidence_item(data: object) -> Any:
                return cast(Any, data)

            evidence_item = _parse_evidence_item(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        title = d.pop("title")

        _agenda = d.pop("agenda", UNSET)
        agenda: list[AgendaEntryIn] | Unset = UNSET
        if _agenda is not UNSET:
            agenda = []
            for agenda_item_data in _agenda:
                agenda_item = AgendaEntryIn.from_dict(agenda_item_data)

                agenda.append(agenda_item)

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        issue_create = cls(
            category=category,
            evidence=evidence,
            id=id,
            title=title,
            agenda=agenda,
            summary=summary,
        )

        return issue_create
