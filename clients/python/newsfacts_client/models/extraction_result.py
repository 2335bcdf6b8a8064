from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.draft_participant_read import DraftParticipantRead
    from ..models.draft_quotation_read import DraftQuotationRead


T = TypeVar("T", bound="ExtractionResult")


@_attrs_define
class ExtractionResult:
    """The drafted quotations of an article, and the speakers not stored yet.

    Attributes:
        participants (list[DraftParticipantRead]): Speakers of the quotations that are not stored participants.
        quotations (list[DraftQuotationRead]): In text order.
    """

    participants: list[DraftParticipantRead]
    quotations: list[DraftQuotationRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)

        quotations = []
        for quotations_item_data in self.quotations:
            quotations_item = quotations_item_data.to_dict()
            quotations.append(quotations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "participants": participants,
                "quotations": quotations,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_participant_read import DraftParticipantRead  # noqa: PLC0415
        from ..models.draft_quotation_read import DraftQuotationRead  # noqa: PLC0415

        d = dict(src_dict)
        participants = []
        _participants = d.pop("participants")
        for participants_item_data in _participants:
            participants_item = DraftParticipantRead.from_dict(participants_item_data)

            participants.append(participants_item)

        quotations = []
        _quotations = d.pop("quotations")
        for quotations_item_data in _quotations:
            quotations_item = DraftQuotationRead.from_dict(quotations_item_data)

            quotations.append(quotations_item)

        extraction_result = cls(
            participants=participants,
            quotations=quotations,
        )

        extraction_result.additional_properties = d
        return extraction_result

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
