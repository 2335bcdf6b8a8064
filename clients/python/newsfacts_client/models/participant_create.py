from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.participant_kind import ParticipantKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alias_in import AliasIn
    from ..models.participant_create_external_ids import ParticipantCreateExternalIds


T = TypeVar("T", bound="ParticipantCreate")


@_attrs_define
class ParticipantCreate:
    """A new participant, with at least one evidence span.

    Attributes:
        evidence (list[Any]):
        id (str):
        kind (ParticipantKind): What kind of actor a participant is.
        name (str):
        affiliation_id (None | str | Unset):
        aliases (list[AliasIn] | Unset):
        description (None | str | Unset):
        external_ids (ParticipantCreateExternalIds | Unset):
        title (None | str | Unset):
    """

    evidence: list[Any]
    id: str
    kind: ParticipantKind
    name: str
    affiliation_id: None | str | Unset = UNSET
    aliases: list[AliasIn] | Unset = UNSET
    description: None | str | Unset = UNSET
    external_ids: ParticipantCreateExternalIds | Unset = UNSET
    title: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item: Any
            evidence_item = evidence_item_data
            evidence.append(evidence_item)

        id = self.id

        kind = self.kind.value

        name = self.name

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
        if affiliation_id is not UNSET:
            field_dict["affiliation_id"] = affiliation_id
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
        from ..models.participant_create_external_ids import ParticipantCreateExternalIds  # noqa: PLC0415

        d = dict(src_dict)
        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:

            def _parse_evidence_item(data: object) -> Any:
                return cast(Any, data)

            evidence_item = _parse_evidence_item(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        kind = ParticipantKind(d.pop("kind"))

        name = d.pop("name")

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

        _external_ids = d.pop("external_ids", UNSET)
        external_ids: ParticipantCreateExternalIds | Unset
        if isinstance(_external_ids, Unset):
            external_ids = UNSET
        else:
            external_ids = ParticipantCreateExternalIds.from_dict(_external_ids)

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        participant_create = cls(
            evidence=evidence,
            id=id,
            kind=kind,
            name=name,
            affiliation_id=affiliation_id,
            aliases=aliases,
            description=description,
            external_ids=external_ids,
            title=title,
        )

        return participant_create
