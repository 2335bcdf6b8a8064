from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_kind import EventKind
from ..models.event_status import EventStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_participant_in import EventParticipantIn


T = TypeVar("T", bound="EventUpdate")


@_attrs_define
class EventUpdate:
    """Fields to change; `participants` and `evidence` replace the whole list.

    Attributes:
        date (None | str | Unset):
        description (None | str | Unset):
        evidence (list[Any] | Unset):
        kind (EventKind | Unset): What sort of event it is.
        location (None | str | Unset):
        participants (list[EventParticipantIn] | Unset):
        status (EventStatus | Unset): Where the event stood as of the article that reports it.
        title (str | Unset):
    """

    date: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    evidence: list[Any] | Unset = UNSET
    kind: EventKind | Unset = UNSET
    location: None | str | Unset = UNSET
    participants: list[EventParticipantIn] | Unset = UNSET
    status: EventStatus | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        else:
            date = self.date

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        evidence: list[Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item: Any
                evidence_item = evidence_item_data
                evidence.append(evidence_item)

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        participants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.participants, Unset):
            participants = []
            for participants_item_data in self.participants:
                participants_item = participants_item_data.to_dict()
                participants.append(participants_item)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if date is not UNSET:
            field_dict["date"] = date
        if description is not UNSET:
            field_dict["description"] = description
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if kind is not UNSET:
            field_dict["kind"] = kind
        if location is not UNSET:
            field_dict["location"] = location
        if participants is not UNSET:
            field_dict["participants"] = participants
        if status is not UNSET:
            field_dict["status"] = status
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_participant_in import EventParticipantIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Any] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:

                def _parse_evidence_item(data: object) -> Any:
                    return cast(Any, data)

                evidence_item = _parse_evidence_item(evidence_item_data)

                evidence.append(evidence_item)

        _kind = d.pop("kind", UNSET)
        kind: EventKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = EventKind(_kind)

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        _participants = d.pop("participants", UNSET)
        participants: list[EventParticipantIn] | Unset = UNSET
        if _participants is not UNSET:
            participants = []
            for participants_item_data in _participants:
                participants_item = EventParticipantIn.from_dict(participants_item_data)

                participants.append(participants_item)

        _status = d.pop("status", UNSET)
        status: EventStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = EventStatus(_status)

        title = d.pop("title", UNSET)

        event_update = cls(
            date=date,
            description=description,
            evidence=evidence,
            kind=kind,
            location=location,
            participants=participants,
            status=status,
            title=title,
        )

        return event_update
