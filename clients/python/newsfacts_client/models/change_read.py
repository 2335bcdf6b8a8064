from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation import Operation
from ..models.record_kind import RecordKind

if TYPE_CHECKING:
    from ..models.change_read_after_type_0 import ChangeReadAfterType0
    from ..models.change_read_before_type_0 import ChangeReadBeforeType0


T = TypeVar("T", bound="ChangeRead")


@_attrs_define
class ChangeRead:
    """One record created, updated or deleted, with its state before and after.

    Attributes:
        actor (str): Who wrote it: `cli` for loads; for an API key, its name when the reader's key has the admin scope,
            else `key-<id>`.
        after (ChangeReadAfterType0 | None): The record after; null for a deletion (a tombstone).
        before (ChangeReadBeforeType0 | None): The record before (null if created).
        cursor (str): Pass as `since` to get the changes after this one.
        id (str):
        kind (RecordKind): The kinds of record the change feed reports.
        occurred_at (datetime.datetime):
        operation (Operation): What happened to a record.
        seq (int): Position in commit order.
    """

    actor: str
    after: ChangeReadAfterType0 | None
    before: ChangeReadBeforeType0 | None
    cursor: str
    id: str
    kind: RecordKind
    occurred_at: datetime.datetime
    operation: Operation
    seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.change_read_after_type_0 import ChangeReadAfterType0  # noqa: PLC0415
        from ..models.change_read_before_type_0 import ChangeReadBeforeType0  # noqa: PLC0415

        actor = self.actor

        after: dict[str, Any] | None
        if isinstance(self.after, ChangeReadAfterType0):
            after = self.after.to_dict()
        else:
            after = self.after

        before: dict[str, Any] | None
        if isinstance(self.before, ChangeReadBeforeType0):
            before = self.before.to_dict()
        else:
            before = self.before

        cursor = self.cursor

        id = self.id

        kind = self.kind.value

        occurred_at = self.occurred_at.isoformat()

        operation = self.operation.value

        seq = self.seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "after": after,
                "before": before,
                "cursor": cursor,
                "id": id,
                "kind": kind,
                "occurred_at": occurred_at,
                "operation": operation,
                "seq": seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.change_read_after_type_0 import ChangeReadAfterType0  # noqa: PLC0415
        from ..models.change_read_before_type_0 import ChangeReadBeforeType0  # noqa: PLC0415

        d = dict(src_dict)
        actor = d.pop("actor")

        def _parse_after(data: object) -> ChangeReadAfterType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = ChangeReadAfterType0.from_dict(data)

                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChangeReadAfterType0 | None, data)

        after = _parse_after(d.pop("after"))

        def _parse_before(data: object) -> ChangeReadBeforeType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_0 = ChangeReadBeforeType0.from_dict(data)

                return before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChangeReadBeforeType0 | None, data)

        before = _parse_before(d.pop("before"))

        cursor = d.pop("cursor")

        id = d.pop("id")

        kind = RecordKind(d.pop("kind"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        operation = Operation(d.pop("operation"))

        seq = d.pop("seq")

        change_read = cls(
            actor=actor,
            after=after,
            before=before,
            cursor=cursor,
            id=id,
            kind=kind,
            occurred_at=occurred_at,
            operation=operation,
            seq=seq,
        )

        change_read.additional_properties = d
        return change_read

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
