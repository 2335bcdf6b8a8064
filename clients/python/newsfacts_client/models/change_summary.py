from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation import Operation
from ..models.record_kind import RecordKind

T = TypeVar("T", bound="ChangeSummary")


@_attrs_define
class ChangeSummary:
    """One record the import created, updated or deleted (or would, in a dry run).

    Attributes:
        id (str):
        kind (RecordKind): The kinds of record the change feed reports.
        operation (Operation): What happened to a record.
    """

    id: str
    kind: RecordKind
    operation: Operation
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        operation = self.operation.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "operation": operation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = RecordKind(d.pop("kind"))

        operation = Operation(d.pop("operation"))

        change_summary = cls(
            id=id,
            kind=kind,
            operation=operation,
        )

        change_summary.additional_properties = d
        return change_summary

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
