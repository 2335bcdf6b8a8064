from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.quotation_kind import QuotationKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.span_in import SpanIn


T = TypeVar("T", bound="QuotationIn")


@_attrs_define
class QuotationIn:
    """What a participant said; `text` is verbatim from the article.

    Attributes:
        id (str):
        kind (QuotationKind): How the article renders the utterance.
        speaker (str):
        text (str):
        audience (None | str | Unset):
        event (None | str | Unset):
        evidence (list[SpanIn] | Unset):
        issues (list[str] | Unset):
        occurrence (int | None | Unset):
        said_on (None | str | Unset):
    """

    id: str
    kind: QuotationKind
    speaker: str
    text: str
    audience: None | str | Unset = UNSET
    event: None | str | Unset = UNSET
    evidence: list[SpanIn] | Unset = UNSET
    issues: list[str] | Unset = UNSET
    occurrence: int | None | Unset = UNSET
    said_on: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        speaker = self.speaker

        text = self.text

        audience: None | str | Unset
        if isinstance(self.audience, Unset):
            audience = UNSET
        else:
            audience = self.audience

        event: None | str | Unset
        if isinstance(self.event, Unset):
            event = UNSET
        else:
            event = self.event

        evidence: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item = evidence_item_data.to_dict()
                evidence.append(evidence_item)

        issues: list[str] | Unset = UNSET
        if not isinstance(self.issues, Unset):
            issues = self.issues

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "speaker": speaker,
                "text": text,
            }
        )
        if audience is not UNSET:
            field_dict["audience"] = audience
        if event is not UNSET:
            field_dict["event"] = event
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if issues is not UNSET:
            field_dict["issues"] = issues
        if occurrence is not UNSET:
            field_dict["occurrence"] = occurrence
        if said_on is not UNSET:
            field_dict["said_on"] = said_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.span_in import SpanIn  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        kind = QuotationKind(d.pop("kind"))

        speaker = d.pop("speaker")

        text = d.pop("text")

        def _parse_audience(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        audience = _parse_audience(d.pop("audience", UNSET))

        def _parse_event(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event = _parse_event(d.pop("event", UNSET))

        _evidence = d.pop("evidence", UNSET)
        evidence: list[SpanIn] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:
                evidence_item = SpanIn.from_dict(evidence_item_data)

                evidence.append(evidence_item)

        issues = cast(list[str], d.pop("issues", UNSET))

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

        quotation_in = cls(
            id=id,
            kind=kind,
            speaker=speaker,
            text=text,
            audience=audience,
            event=event,
            evidence=evidence,
            issues=issues,
            occurrence=occurrence,
            said_on=said_on,
        )

        return quotation_in
