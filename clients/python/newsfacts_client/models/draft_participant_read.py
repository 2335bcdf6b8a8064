from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.draft_participant_read_kind import DraftParticipantReadKind

if TYPE_CHECKING:
    from ..models.text_span import TextSpan


T = TypeVar("T", bound="DraftParticipantRead")


@_attrs_define
class DraftParticipantRead:
    """A speaker who is not a stored participant yet.

    Attributes:
        id (str): A proposed id (a slug of the name).
        kind (DraftParticipantReadKind):
        mention (TextSpan): A stretch of the article: `text == article[start:end]` (code points).
        name (str):
    """

    id: str
    kind: DraftParticipantReadKind
    mention: TextSpan
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        mention = self.mention.to_dict()

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "mention": mention,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_span import TextSpan  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        kind = DraftParticipantReadKind(d.pop("kind"))

        mention = TextSpan.from_dict(d.pop("mention"))

        name = d.pop("name")

        draft_participant_read = cls(
            id=id,
            kind=kind,
            mention=mention,
            name=name,
        )

        draft_participant_read.additional_properties = d
        return draft_participant_read

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
