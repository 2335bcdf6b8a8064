"""Participant representations and list parameters."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.evidence.schemas import EvidenceRead
from app.participants.models import ParticipantKind
from app.schemas import ListQuery, Ref, SearchText


class ParticipantRef(Ref):
    """A participant named by id and name."""


class AliasRead(BaseModel):
    """Another name of the participant, with its BCP 47 language (`und` if unknown)."""

    alias: str
    language: str


class ParticipantRead(BaseModel):
    """A person, organization, country or group, with the evidence that names it."""

    id: str
    name: str
    kind: ParticipantKind
    title: str | None = Field(description='Role or title, e.g. "President of Belarus".')
    description: str | None
    affiliation: ParticipantRef | None
    aliases: list[AliasRead]
    external_ids: dict[str, str] = Field(
        description="Identifiers in other systems known for certain, e.g. `wikidata`."
    )
    evidence: list[EvidenceRead]


class ParticipantQuery(ListQuery):
    """Filters of the participant list (ordered by id)."""

    kind: ParticipantKind | None = Field(default=None, description="Only this kind.")
    q: SearchText | None = Field(
        default=None,
        description="Matches the name or any alias, ignoring case and diacritics"
        " (`lukashenko` and `Лукашенко` both find Alyaksandr Lukashenka).",
    )
