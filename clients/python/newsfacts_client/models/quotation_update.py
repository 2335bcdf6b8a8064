from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.quotation_kind import QuotationKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="QuotationUpdate")


@_attrs_define
class QuotationUpdate:
    """Fields to change; `issue_ids` and `evidence` replace the whole list.

    Attributes:
        audience_id (None | str | Unset):
        event_id (None | str | Unset):
        evidence (list[Any] | Unset):
        issue_ids (list[str] | Unset):
        kind (QuotationKind | Unset): How the article renders the utterance.
        occurrence (int | None | Unset):
        said_on (None | str | Unset):
        speaker_id (str | Unset):
        text (str | Unset):
    """

    audience_id: None | str | Unset = UNSET
    event_id: None | str | Unset = UNSET
    evidence: list[Any] | Unset = UNSET
    issue_ids: list[str] | Unset = UNSET
    kind: QuotationKind | Unset = UNSET
    occurrence: int | None | Unset = UNSET
    said_on: None | str | Unset = UNSET
    speaker_id: str | Unset = UNSET
    text: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        audience_id: None | str | Unset
        if isinstance(self.audience_id, Unset):
            audience_id = UNSET
        else:
            audience_id = self.audience_id

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        evidence: list[Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item: Any
                evidence_item = evidence_item_data
                evidence.append(evidence_item)

        issue_ids: list[str] | Unset = UNSET
        if not isinstance(self.issue_ids, Unset):
            issue_ids = self.issue_ids

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        occurrence: int | None | Unset
        if isinstance(self.occurrence, Unset):
            occurrence = UNSET
        else:
            occurrence = self.occurrence

        said_on: None | str | Unset
        if isinstance(self.said_on, Unset):
            said_on = UNSET
        else:
            said_on = self.said_on

        speaker_id = self.speaker_id

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if audience_id is not UNSET:
            field_dict["audience_id"] = audience_id
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if issue_ids is not UNSET:
            field_dict["issue_ids"] = issue_ids
        if kind is not UNSET:
            field_dict["kind"] = kind
        if occurrence is not UNSET:
            field_dict["occurrence"] = occurrence
        if said_on is not UNSET:
            field_dict["said_on"] = said_on
        if speaker_id is not UNSET:
            field_dict["speaker_id"] = speaker_id
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_audience_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        audience_id = _parse_audience_id(d.pop("audience_id", UNSET))

        def _parse_event_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Any] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:

                def _parse_evidence_item(data: object) -> Any:
                    return cast(Any, data)

                evidence_item = _parse_evidence_item(evidence_item_data)

                evidence.append(evidence_item)

        issue_ids = cast(list[str], d.pop("issue_ids", UNSET))

        _kind = d.pop("kind", UNSET)
        kind: QuotationKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = QuotationKind(_kind)

        def _parse_occurrence(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        occurrence = _parse_occurrence(d.pop("occurrence", UNSET))

        def _parse_said_on(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        said_on = _parse_said_on(d.pop("said_on", UNSET))

        speaker_id = d.pop("speaker_id", UNSET)

        text = d.pop("text", UNSET)

        quotation_update = cls(
            audience_id=audience_id,
            event_id=event_id,
            evidence=evidence,
            issue_ids=issue_ids,
            kind=kind,
            occurrence=occurrence,
            said_on=said_on,
            speaker_id=speaker_id,
            text=text,
        )

        return quotation_update
