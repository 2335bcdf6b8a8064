from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.change_summary import ChangeSummary


T = TypeVar("T", bound="ImportResult")


@_attrs_define
class ImportResult:
    """What an import changed; with dry_run, what it would change (nothing was written).

    Attributes:
        article_id (str):
        changes (list[ChangeSummary]): Empty when the data already matched.
        dry_run (bool):
    """

    article_id: str
    changes: list[ChangeSummary]
    dry_run: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        article_id = self.article_id

        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "article_id": article_id,
                "changes": changes,
                "dry_run": dry_run,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.change_summary import ChangeSummary  # noqa: PLC0415

        d = dict(src_dict)
        article_id = d.pop("article_id")

        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:
            changes_item = ChangeSummary.from_dict(changes_item_data)

            changes.append(changes_item)

        dry_run = d.pop("dry_run")

        import_result = cls(
            article_id=article_id,
            changes=changes,
            dry_run=dry_run,
        )

        import_result.additional_properties = d
        return import_result

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
