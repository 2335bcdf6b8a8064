from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_kind import EventKind
from ..models.event_status import EventStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_participant_in import EventParticipantIn


T = TypeVar("T", bound="EventCreate")


@_attrs_define
class EventCreate:
    """A new event, with at least one evidence span.

    Attributes:
        evidence (list[Any]):
        id (str):
        kind (EventKind): What sort of event it is.
        status (EventStatus): Where the event stood as of the article that reports it.
        title (str):
        date (None | str | Unset): `2018-05-14`, `2018-05` or `2018`.
        description (None | str | Unset):
        location (None | str | Unset):
        participants (list[EventParticipantIn] | Unset):
    """

    evidence: list[Any]
    id: str
    kind: EventKind
    status: EventStatus
    title: str
    date: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    participants: list[EventParticipantIn] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item: Any
            evidence_item = evidence_item_data
            evidence.append(evidence_item)

        id = self.id

        kind = self.kind.value

        status = self.status.value

        title = self.title

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "evidence": evidence,
                "id": id,
                "kind": kind,
                "status": status,
                "title": title,
            }
        )
        if date is not UNSET:
            field_dict["date"] = date
        if description is not UNSET:
            field_dict["description"] = description
        if location is not UNSET:
            field_dict["location"] = location
        if participants is not UNSET:
            field_dict["participants"] = participants

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_participant_in import EventParticipantIn  # noqa: PLC0415

        d = dict(src_dict)
        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:

            def _parse_evidence_item(data: object) -> Any:
                return cast(Any, data)

            evidence_item = _parse_evidence_item(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        kind = EventKind(d.pop("kind"))

        status = EventStatus(d.pop("status"))

        title = d.pop("title")

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

        event_create = cls(
            evidence=evidence,
            id=id,
            kind=kind,
            status=status,
            title=title,
            date=date,
            description=description,
            location=location,
            participants=participants,
        )

        return event_create
