from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.agenda_status import AgendaStatus

T = TypeVar("T", bound="AgendaItemIn")


@_attrs_define
class AgendaItemIn:
    """An event on whose agenda the issue stands.

    Attributes:
        event (str):
        status (AgendaStatus): How far an issue got on an event's agenda.
    """

    event: str
    status: AgendaStatus

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = d.pop("event")

        status = AgendaStatus(d.pop("status"))

        agenda_item_in = cls(
            event=event,
            status=status,
        )

        return agenda_item_in
