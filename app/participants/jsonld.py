"""schema.org JSON-LD of a participant; app.jsonld holds what every kind shares.

**Participant** → `Person`, `Organization`, `Country`; a **group** (e.g. "Belarusian producers")
is an `Organization`, the closest schema.org type for people acting together. Aliases are
`alternateName` (language-tagged unless `und`), a person's title is `jobTitle` (others':
`disambiguatingDescription`), affiliation is `affiliation` for a person and `memberOf`
otherwise; a `wikidata` external id becomes a `sameAs` Wikidata URL, and every external id is
also an `identifier` `PropertyValue`.
"""

from __future__ import annotations

from typing import Any

from app.jsonld import PARTICIPANT_TYPES, Nodes, compact
from app.participants.schemas import ParticipantRead

WIKIDATA_ENTITY = "https://www.wikidata.org/wiki/"


def participant_node(nodes: Nodes, participant: ParticipantRead) -> dict[str, Any]:
    """The schema.org node of a participant."""
    kind = participant.kind.value
    is_person = kind == "person"
    affiliation = (
        nodes.participant_refs([(participant.affiliation.id, participant.affiliation.name)])[0]
        if participant.affiliation is not None
        else None
    )
    return compact(
        {
            "@type": PARTICIPANT_TYPES[kind],
            "@id": nodes.url("participants", participant.id),
            "name": participant.name,
            "alternateName": [
                alias.alias
                if alias.language == "und"
                else {"@value": alias.alias, "@language": alias.language}
                for alias in participant.aliases
            ],
            "jobTitle" if is_person else "disambiguatingDescription": participant.title,
            "description": participant.description,
            "affiliation" if is_person else "memberOf": affiliation,
            "sameAs": [
                WIKIDATA_ENTITY + value
                for scheme, value in sorted(participant.external_ids.items())
                if scheme == "wikidata"
            ],
            "identifier": [
                {"@type": "PropertyValue", "propertyID": scheme, "value": value}
                for scheme, value in sorted(participant.external_ids.items())
            ],
            "subjectOf": nodes.spans(participant.evidence),
        }
    )
