from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.issue_category import IssueCategory

T = TypeVar("T", bound="IssueRef")


@_attrs_define
class IssueRef:
    """An issue without its agenda and evidence lists; its whole record is at /v1/issues/{id}.

    Attributes:
        category (IssueCategory): The broad area an issue belongs to.
        id (str):
        summary (None | str):
        title (str):
    """

    category: IssueCategory
    id: str
    summary: None | str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        id = self.id

        summary: None | str
        summary = self.summary

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "id": id,
                "summary": summary,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = IssueCategory(d.pop("category"))

        id = d.pop("id")

        def _parse_summary(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        summary = _parse_summary(d.pop("summary"))

        title = d.pop("title")

        issue_ref = cls(
            category=category,
            id=id,
            summary=summary,
            title=title,
        )

        issue_ref.additional_properties = d
        return issue_ref

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
