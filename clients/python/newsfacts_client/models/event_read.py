from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.date_precision import DatePrecision
from ..models.event_kind import EventKind
from ..models.event_status import EventStatus

if TYPE_CHECKING:
    from ..models.event_participant_read import EventParticipantRead
    from ..models.evidence_read import EvidenceRead


T = TypeVar("T", bound="EventRead")


@_attrs_define
class EventRead:
    """An event, with its participants, its agenda issue ids and its evidence.

    Attributes:
        date (None | str): ISO 8601 date at its precision: `2018-05-14`, `2018-05` or `2018`.
        date_precision (DatePrecision | None):
        description (None | str):
        evidence (list[EvidenceRead]):
        id (str):
        issue_ids (list[str]): Issues on the event's agenda.
        kind (EventKind): What sort of event it is.
        location (None | str):
        participants (list[EventParticipantRead]):
        status (EventStatus): Where the event stood as of the article that reports it.
        title (str):
    """

    date: None | str
    date_precision: DatePrecision | None
    description: None | str
    evidence: list[EvidenceRead]
    id: str
    issue_ids: list[str]
    kind: EventKind
    location: None | str
    participants: list[EventParticipantRead]
    status: EventStatus
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date: None | str
        date = self.date

        date_precision: None | str
        if isinstance(self.date_precision, DatePrecision):
            date_precision = self.date_precision.value
        else:
            date_precision = self.date_precision

        description: None | str
        description = self.description

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        id = self.id

        issue_ids = self.issue_ids

        kind = self.kind.value

        location: None | str
        location = self.location

        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)

        status = self.status.value

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "date_precision": date_precision,
                "description": description,
                "evidence": evidence,
                "id": id,
                "issue_ids": issue_ids,
                "kind": kind,
                "location": location,
                "participants": participants,
                "status": status,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_participant_read import EventParticipantRead  # noqa: PLC0415
        from ..models.evidence_read import EvidenceRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_date(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        date = _parse_date(d.pop("date"))

        def _parse_date_precision(data: object) -> DatePrecision | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_precision_type_0 = DatePrecision(data)

                return date_precision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatePrecision | None, data)

        date_precision = _parse_date_precision(d.pop("date_precision"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = EvidenceRead.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        issue_ids = cast(list[str], d.pop("issue_ids"))

        kind = EventKind(d.pop("kind"))

        def _parse_location(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location = _parse_location(d.pop("location"))

        participants = []
        _participants = d.pop("participants")
        for participants_item_data in _participants:
            participants_item = EventParticipantRead.from_dict(participants_item_data)

            participants.append(participants_item)

        status = EventStatus(d.pop("status"))

        title = d.pop("title")

        event_read = cls(
            date=date,
            date_precision=date_precision,
            description=description,
            evidence=evidence,
            id=id,
            issue_ids=issue_ids,
            kind=kind,
            location=location,
            participants=participants,
            status=status,
            title=title,
        )

        event_read.additional_properties = d
        return event_read

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
