from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.draft_speaker_kind import DraftSpeakerKind

if TYPE_CHECKING:
    from ..models.text_span import TextSpan


T = TypeVar("T", bound="DraftSpeaker")


@_attrs_define
class DraftSpeaker:
    """Who said it: the words the article uses, and whom they stand for.

    Attributes:
        kind (DraftSpeakerKind): A guess for a speaker not stored yet.
        mention (None | TextSpan): The words next to the cue that name the speaker ("he", "the Belarusian leader", "Mr.
            Hyers").
        name (str): Who the mention stands for: resolved through the text (a pronoun to its person, a title to the
            person it names) and through the stored participants.
        participant_id (None | str): The stored participant the speaker is, when it is one.
    """

    kind: DraftSpeakerKind
    mention: None | TextSpan
    name: str
    participant_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_span import TextSpan  # noqa: PLC0415

        kind = self.kind.value

        mention: dict[str, Any] | None
        if isinstance(self.mention, TextSpan):
            mention = self.mention.to_dict()
        else:
            mention = self.mention

        name = self.name

        participant_id: None | str
        participant_id = self.participant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "mention": mention,
                "name": name,
                "participant_id": participant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_span import TextSpan  # noqa: PLC0415

        d = dict(src_dict)
        kind = DraftSpeakerKind(d.pop("kind"))

        def _parse_mention(data: object) -> None | TextSpan:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mention_type_0 = TextSpan.from_dict(data)

                return mention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextSpan, data)

        mention = _parse_mention(d.pop("mention"))

        name = d.pop("name")

        def _parse_participant_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        participant_id = _parse_participant_id(d.pop("participant_id"))

        draft_speaker = cls(
            kind=kind,
            mention=mention,
            name=name,
            participant_id=participant_id,
        )

        draft_speaker.additional_properties = d
        return draft_speaker

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
