from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.date_precision import DatePrecision
from ..models.quotation_kind import QuotationKind

if TYPE_CHECKING:
    from ..models.evidence_read import EvidenceRead
    from ..models.participant_ref import ParticipantRef


T = TypeVar("T", bound="QuotationRead")


@_attrs_define
class QuotationRead:
    """What a participant said, when, to whom, on which issues, with its evidence.

    Attributes:
        article_id (str):
        audience (None | ParticipantRef): Whom it was said to.
        event_id (None | str): The occasion on which it was said.
        evidence (list[EvidenceRead]): Spans supporting the quotation; one of them is exactly its text.
        id (str):
        issue_ids (list[str]): The agenda issues it concerns.
        kind (QuotationKind): How the article renders the utterance.
        said_on (None | str): ISO 8601 date at its precision: `2018-03-19`, `2018-03` or `2018`.
        said_on_precision (DatePrecision | None):
        speaker (ParticipantRef): A participant named by id and name.
        text (str): The quoted (or reported) words, verbatim from the article.
    """

    article_id: str
    audience: None | ParticipantRef
    event_id: None | str
    evidence: list[EvidenceRead]
    id: str
    issue_ids: list[str]
    kind: QuotationKind
    said_on: None | str
    said_on_precision: DatePrecision | None
    speaker: ParticipantRef
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.participant_ref import ParticipantRef  # noqa: PLC0415

        article_id = self.article_id

        audience: dict[str, Any] | None
        if isinstance(self.audience, ParticipantRef):
            audience = self.audience.to_dict()
        else:
            audience = self.audience

        event_id: None | str
        event_id = self.event_id

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        id = self.id

        issue_ids = self.issue_ids

        kind = self.kind.value

        said_on: None | str
        said_on = self.said_on

        said_on_precision: None | str
        if isinstance(self.said_on_precision, DatePrecision):
            said_on_precision = self.said_on_precision.value
        else:
            said_on_precision = self.said_on_precision

        speaker = self.speaker.to_dict()

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "article_id": article_id,
                "audience": audience,
                "event_id": event_id,
                "evidence": evidence,
                "id": id,
                "issue_ids": issue_ids,
                "kind": kind,
                "said_on": said_on,
                "said_on_precision": said_on_precision,
                "speaker": speaker,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evidence_read import EvidenceRead  # noqa: PLC0415
        from ..models.participant_ref import ParticipantRef  # noqa: PLC0415

        d = dict(src_dict)
        article_id = d.pop("article_id")

        def _parse_audience(data: object) -> None | ParticipantRef:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audience_type_0 = ParticipantRef.from_dict(data)

                return audience_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParticipantRef, data)

        audience = _parse_audience(d.pop("audience"))

        def _parse_event_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        event_id = _parse_event_id(d.pop("event_id"))

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = EvidenceRead.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        issue_ids = cast(list[str], d.pop("issue_ids"))

        kind = QuotationKind(d.pop("kind"))

        def _parse_said_on(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        said_on = _parse_said_on(d.pop("said_on"))

        def _parse_said_on_precision(data: object) -> DatePrecision | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                said_on_precision_type_0 = DatePrecision(data)

                return said_on_precision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatePrecision | None, data)

        said_on_precision = _parse_said_on_precision(d.pop("said_on_precision"))

        speaker = ParticipantRef.from_dict(d.pop("speaker"))

        text = d.pop("text")

        quotation_read = cls(
            article_id=article_id,
            audience=audience,
            event_id=event_id,
            evidence=evidence,
            id=id,
            issue_ids=issue_ids,
            kind=kind,
            said_on=said_on,
            said_on_precision=said_on_precision,
            speaker=speaker,
            text=text,
        )

        quotation_read.additional_properties = d
        return quotation_read

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
