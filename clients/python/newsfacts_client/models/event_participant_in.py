from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EventParticipantIn")


@_attrs_define
class EventParticipantIn:
    """A participant's role in an event.

    Attributes:
        participant (str):
        role (str):
    """

    participant: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        participant = self.participant

        role = self.role

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "participant": participant,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        participant = d.pop("participant")

        role = d.pop("role")

        event_participant_in = cls(
            participant=participant,
            role=role,
        )

        return event_participant_in
