from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agenda_status import AgendaStatus

T = TypeVar("T", bound="AgendaEntryRead")


@_attrs_define
class AgendaEntryRead:
    """An event whose agenda holds the issue, and how far the issue got there.

    Attributes:
        event_id (str):
        status (AgendaStatus): How far an issue got on an event's agenda.
    """

    event_id: str
    status: AgendaStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        status = AgendaStatus(d.pop("status"))

        agenda_entry_read = cls(
            event_id=event_id,
            status=status,
        )

        agenda_entry_read.additional_properties = d
        return agenda_entry_read

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
