from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.agenda_status import AgendaStatus

T = TypeVar("T", bound="AgendaEntryIn")


@_attrs_define
class AgendaEntryIn:
    """An event whose agenda holds the issue, and how far the issue got there.

    Attributes:
        event_id (str):
        status (AgendaStatus): How far an issue got on an event's agenda.
    """

    event_id: str
    status: AgendaStatus

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        status = self.status.value

        field_dict: dict[str, Any] = {}

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

        agenda_entry_in = cls(
            event_id=event_id,
            status=status,
        )

        return agenda_entry_in
