from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.participant_ref import ParticipantRef


T = TypeVar("T", bound="EventParticipantRead")


@_attrs_define
class EventParticipantRead:
    """A participant of the event and the role they play in it.

    Attributes:
        participant (ParticipantRef): A participant named by id and name.
        role (str):
    """

    participant: ParticipantRef
    role: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        participant = self.participant.to_dict()

        role = self.role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "participant": participant,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.participant_ref import ParticipantRef  # noqa: PLC0415

        d = dict(src_dict)
        participant = ParticipantRef.from_dict(d.pop("participant"))

        role = d.pop("role")

        event_participant_read = cls(
            participant=participant,
            role=role,
        )

        event_participant_read.additional_properties = d
        return event_participant_read

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
