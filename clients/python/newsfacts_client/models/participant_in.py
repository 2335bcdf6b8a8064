from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.participant_kind import ParticipantKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alias_in import AliasIn
    from ..models.participant_in_external_ids import ParticipantInExternalIds
    from ..models.span_in import SpanIn


T = TypeVar("T", bound="ParticipantIn")


@_attrs_define
class ParticipantIn:
    """A person, organisation, country or group named by the article.

    Attributes:
        evidence (list[SpanIn]):
        id (str):
        kind (ParticipantKind): What kind of actor a participant is.
        name (str):
        affiliation (None | str | Unset):
        aliases (list[AliasIn] | Unset):
        description (None | str | Unset):
        external_ids (ParticipantInExternalIds | Unset):
        title (None | str | Unset):
    """

    evidence: list[SpanIn]
    id: str
    kind: ParticipantKind
    name: str
    affiliation: None | str | Unset = UNSET
    aliases: list[AliasIn] | Unset = UNSET
    description: None | str | Unset = UNSET
    external_ids: ParticipantInExternalIds | Unset = UNSET
    title: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        id = self.id

        kind = self.kind.value

        name = self.name

        affiliation: None | str | Unset
        if isinstance(self.affiliation, Unset):
            affiliation = UNSET
        else:
            affiliation = self.affiliation

        aliases: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.aliases, Unset):
            aliases = []
            for aliases_item_data in self.aliases:
                aliases_item = aliases_item_data.to_dict()
                aliases.append(aliases_item)

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        external_ids: dict[str, Any] | Unset = UNSET
        if not isinstance(self.external_ids, Unset):
            external_ids = self.external_ids.to_dict()

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "evidence": evidence,
                "id": id,
                "kind": kind,
                "name": name,
            }
        )
        if affiliation is not UNSET:
            field_dict["affiliation"] = affiliation
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if description is not UNSET:
            field_dict["description"] = description
        if external_ids is not UNSET:
            field_dict["external_ids"] = external_ids
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alias_in import AliasIn  # noqa: PLC0415
        from ..models.participant_in_external_ids import ParticipantInExternalIds  # noqa: PLC0415
        from ..models.span_in import SpanIn  # noqa: PLC0415

        d = dict(src_dict)
        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = SpanIn.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        kind = ParticipantKind(d.pop("kind"))

        name = d.pop("name")

        def _parse_affiliation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        affiliation = _parse_affiliation(d.pop("affiliation", UNSET))

        _aliases = d.pop("aliases", UNSET)
        aliases: list[AliasIn] | Unset = UNSET
        if _aliases is not UNSET:
            aliases = []
            for aliases_item_data in _aliases:
                aliases_item = AliasIn.from_dict(aliases_item_data)

                aliases.append(aliases_item)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _external_ids = d.pop("external_ids", UNSET)
        external_ids: ParticipantInExternalIds | Unset
        if isinstance(_external_ids, Unset):
            external_ids = UNSET
        else:
            external_ids = ParticipantInExternalIds.from_dict(_external_ids)

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        participant_in = cls(
            evidence=evidence,
            id=id,
            kind=kind,
            name=name,
            affiliation=affiliation,
            aliases=aliases,
            description=description,
            external_ids=external_ids,
            title=title,
        )

        return participant_in
