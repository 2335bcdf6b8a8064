from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.participant_kind import ParticipantKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alias_in import AliasIn
    from ..models.participant_update_external_ids import ParticipantUpdateExternalIds


T = TypeVar("T", bound="ParticipantUpdate")


@_attrs_define
class ParticipantUpdate:
    """Fields to change; `aliases`, `external_ids` and `evidence` replace the whole list.

    Attributes:
        affiliation_id (None | str | Unset):
        aliases (list[AliasIn] | Unset):
        description (None | str | Unset):
        evidence (list[Any] | Unset):
        external_ids (ParticipantUpdateExternalIds | Unset):
        kind (ParticipantKind | Unset): What kind of actor a participant is.
        name (str | Unset):
        title (None | str | Unset):
    """

    affiliation_id: None | str | Unset = UNSET
    aliases: list[AliasIn] | Unset = UNSET
    description: None | str | Unset = UNSET
    evidence: list[Any] | Unset = UNSET
    external_ids: ParticipantUpdateExternalIds | Unset = UNSET
    kind: ParticipantKind | Unset = UNSET
    name: str | Unset = UNSET
    title: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        affiliation_id: None | str | Unset
        if isinstance(self.affiliation_id, Unset):
            affiliation_id = UNSET
        else:
            affiliation_id = self.affiliation_id

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

        evidence: list[Any] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item: Any
                evidence_item = evidence_item_data
                evidence.append(evidence_item)

        external_ids: dict[str, Any] | Unset = UNSET
        if not isinstance(self.external_ids, Unset):
            external_ids = self.external_ids.to_dict()

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        name = self.name

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if affiliation_id is not UNSET:
            field_dict["affiliation_id"] = affiliation_id
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if description is not UNSET:
            field_dict["description"] = description
        if evidence is not UNSET:
            field_dict["evidence"] = evidence
        if external_ids is not UNSET:
            field_dict["external_ids"] = external_ids
        if kind is not UNSET:
            field_dict["kind"] = kind
        if name is not UNSET:
            field_dict["name"] = name
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alias_in import AliasIn  # noqa: PLC0415
        from ..models.participant_update_external_ids import ParticipantUpdateExternalIds  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_affiliation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        affiliation_id = _parse_affiliation_id(d.pop("affiliation_id", UNSET))

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

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Any] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:

                def _parse_evidence_item(data: object) -> Any:
                    return cast(Any, data)

                evidence_item = _parse_evidence_item(evidence_item_data)

                evidence.append(evidence_item)

        _external_ids = d.pop("external_ids", UNSET)
        external_ids: ParticipantUpdateExternalIds | Unset
        if isinstance(_external_ids, Unset):
            external_ids = UNSET
        else:
            external_ids = ParticipantUpdateExternalIds.from_dict(_external_ids)

        _kind = d.pop("kind", UNSET)
        kind: ParticipantKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ParticipantKind(_kind)

        name = d.pop("name", UNSET)

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        participant_update = cls(
            affiliation_id=affiliation_id,
            aliases=aliases,
            description=description,
            evidence=evidence,
            external_ids=external_ids,
            kind=kind,
            name=name,
            title=title,
        )

        return participant_update
