from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.draft_quotation_read_kind import DraftQuotationReadKind
from ..models.draft_quotation_read_said_on_precision_type_0 import DraftQuotationReadSaidOnPrecisionType0

if TYPE_CHECKING:
    from ..models.draft_speaker import DraftSpeaker
    from ..models.text_span import TextSpan


T = TypeVar("T", bound="DraftQuotationRead")


@_attrs_define
class DraftQuotationRead:
    """One drafted quotation, with exact spans.

    Attributes:
        confidence (float): How sure the rules are, 0 to 1.
        cue (None | TextSpan): The attribution cue ("said", "told Georgian journalists", "according to").
        end (int):
        kind (DraftQuotationReadKind): `direct`: the whole utterance in quotation marks; `partial`: a quoted fragment
            inside reported speech; `indirect`: reported speech, no marks.
        said_on (None | str): When it was said, when the text dates it, at the precision its words support
            (`2018-03-19`, `2018-02`, `2018`).
        said_on_precision (DraftQuotationReadSaidOnPrecisionType0 | None):
        segments (list[TextSpan]): The quoted pieces: one, or several when the utterance is split around its cue (`"X,"
            he said. "Y."`).
        speaker (DraftSpeaker | None): Null when no speaker was found.
        start (int):
        text (str): The quoted content, `article[start:end]`: quotation marks and the closing comma or period outside. A
            quotation split around its cue spans both parts.
    """

    confidence: float
    cue: None | TextSpan
    end: int
    kind: DraftQuotationReadKind
    said_on: None | str
    said_on_precision: DraftQuotationReadSaidOnPrecisionType0 | None
    segments: list[TextSpan]
    speaker: DraftSpeaker | None
    start: int
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.draft_speaker import DraftSpeaker  # noqa: PLC0415
        from ..models.text_span import TextSpan  # noqa: PLC0415

        confidence = self.confidence

        cue: dict[str, Any] | None
        if isinstance(self.cue, TextSpan):
            cue = self.cue.to_dict()
        else:
            cue = self.cue

        end = self.end

        kind = self.kind.value

        said_on: None | str
        said_on = self.said_on

        said_on_precision: None | str
        if isinstance(self.said_on_precision, DraftQuotationReadSaidOnPrecisionType0):
            said_on_precision = self.said_on_precision.value
        else:
            said_on_precision = self.said_on_precision

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        speaker: dict[str, Any] | None
        if isinstance(self.speaker, DraftSpeaker):
            speaker = self.speaker.to_dict()
        else:
            speaker = self.speaker

        start = self.start

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "confidence": confidence,
                "cue": cue,
                "end": end,
                "kind": kind,
                "said_on": said_on,
                "said_on_precision": said_on_precision,
                "segments": segments,
                "speaker": speaker,
                "start": start,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_speaker import DraftSpeaker  # noqa: PLC0415
        from ..models.text_span import TextSpan  # noqa: PLC0415

        d = dict(src_dict)
        confidence = d.pop("confidence")

        def _parse_cue(data: object) -> None | TextSpan:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cue_type_0 = TextSpan.from_dict(data)

                return cue_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextSpan, data)

        cue = _parse_cue(d.pop("cue"))

        end = d.pop("end")

        kind = DraftQuotationReadKind(d.pop("kind"))

        def _parse_said_on(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        said_on = _parse_said_on(d.pop("said_on"))

        def _parse_said_on_precision(data: object) -> DraftQuotationReadSaidOnPrecisionType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                said_on_precision_type_0 = DraftQuotationReadSaidOnPrecisionType0(data)

                return said_on_precision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftQuotationReadSaidOnPrecisionType0 | None, data)

        said_on_precision = _parse_said_on_precision(d.pop("said_on_precision"))

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = TextSpan.from_dict(segments_item_data)

            segments.append(segments_item)

        def _parse_speaker(data: object) -> DraftSpeaker | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                speaker_type_0 = DraftSpeaker.from_dict(data)

                return speaker_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftSpeaker | None, data)

        speaker = _parse_speaker(d.pop("speaker"))

        start = d.pop("start")

        text = d.pop("text")

        draft_quotation_read = cls(
            confidence=confidence,
            cue=cue,
            end=end,
            kind=kind,
            said_on=said_on,
            said_on_precision=said_on_precision,
            segments=segments,
            speaker=speaker,
            start=start,
            text=text,
        )

        draft_quotation_read.additional_properties = d
        return draft_quotation_read

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
