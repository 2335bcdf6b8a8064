from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.participant_kind import ParticipantKind

if TYPE_CHECKING:
    from ..models.alias_read import AliasRead
    from ..models.evidence_read import EvidenceRead
    from ..models.participant_read_external_ids import ParticipantReadExternalIds
    from ..models.participant_ref import ParticipantRef


T = TypeVar("T", bound="ParticipantRead")


@_attrs_define
class ParticipantRead:
    """A person, organization, country or group, with the evidence that names it.

    Attributes:
        affiliation (None | ParticipantRef):
        aliases (list[AliasRead]):
        description (None | str):
        evidence (list[EvidenceRead]):
        external_ids (ParticipantReadExternalIds): Identifiers in other systems known for certain, e.g. `wikidata`.
        id (str):
        kind (ParticipantKind): What kind of actor a participant is.
        name (str):
        title (None | str): Role or title, e.g. "President of Belarus".
    """

    affiliation: None | ParticipantRef
    aliases: list[AliasRead]
    description: None | str
    evidence: list[EvidenceRead]
    external_ids: ParticipantReadExternalIds
    id: str
    kind: ParticipantKind
    name: str
    title: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.participant_ref import ParticipantRef  # noqa: PLC0415

        affiliation: dict[str, Any] | None
        if isinstance(self.affiliation, ParticipantRef):
            affiliation = self.affiliation.to_dict()
        else:
            affiliation = self.affiliation

        aliases = []
        for aliases_item_data in self.aliases:
            aliases_item = aliases_item_data.to_dict()
            aliases.append(aliases_item)

        description: None | str
        description = self.description

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        external_ids = self.external_ids.to_dict()

        id = self.id

        kind = self.kind.value

        name = self.name

        title: None | str
        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "affiliation": affiliation,
                "aliases": aliases,
                "description": description,
                "evidence": evidence,
                "external_ids": external_ids,
                "id": id,
                "kind": kind,
                "name": name,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alias_read import AliasRead  # noqa: PLC0415
        from ..models.evidence_read import EvidenceRead  # noqa: PLC0415
        from ..models.participant_read_external_ids import ParticipantReadExternalIds  # noqa: PLC0415
        from ..models.participant_ref import ParticipantRef  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_affiliation(data: object) -> None | ParticipantRef:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                affiliation_type_0 = ParticipantRef.from_dict(data)

                return affiliation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParticipantRef, data)

        affiliation = _parse_affiliation(d.pop("affiliation"))

        aliases = []
        _aliases = d.pop("aliases")
        for aliases_item_data in _aliases:
            aliases_item = AliasRead.from_dict(aliases_item_data)

            aliases.append(aliases_item)

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = EvidenceRead.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        external_ids = ParticipantReadExternalIds.from_dict(d.pop("external_ids"))

        id = d.pop("id")

        kind = ParticipantKind(d.pop("kind"))

        name = d.pop("name")

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        participant_read = cls(
            affiliation=affiliation,
            aliases=aliases,
            description=description,
            evidence=evidence,
            external_ids=external_ids,
            id=id,
            kind=kind,
            name=name,
            title=title,
        )

        participant_read.additional_properties = d
        return participant_read

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
