"""Participant representations and list parameters."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import (
    LanguageTag,
    ListQuery,
    LongText,
    ParticipantRef,
    SearchText,
    ShortText,
    Slug,
)
from app.evidence.schemas import EvidenceRead
from app.models.participant import ParticipantKind
from app.writes.flows import EvidenceList, PatchModel


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
        description="Matches the name or any alias in any spelling: case, diacritics and"
        " script are ignored (`lukashenko`, `Лукашенко`, `Łukašenka` and `Lukasenka` all find"
        " Alyaksandr Lukashenka). Web-search syntax: each term (a word, or a"
        ' `"quoted phrase"`) is required, `a OR b` either, `-word` excludes.',
    )


class AliasIn(BaseModel):
    """Another name, with its BCP 47 language tag (`und` when unknown)."""

    model_config = ConfigDict(extra="forbid")

    alias: ShortText
    language: LanguageTag = "und"


Aliases = Annotated[list[AliasIn], Field(max_length=100)]
ExternalIds = Annotated[dict[Slug, ShortText], Field(max_length=20)]


class ParticipantCreate(BaseModel):
    """A new participant, with at least one evidence span."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: ShortText
    kind: ParticipantKind
    title: ShortText | None = None
    description: LongText | None = None
    affiliation_id: Slug | None = None
    aliases: Aliases = []
    external_ids: ExternalIds = {}
    evidence: EvidenceList


class ParticipantUpdate(PatchModel):
    """Fields to change; `aliases`, `external_ids` and `evidence` replace the whole list."""

    not_nullable = ("name", "kind", "aliases", "external_ids", "evidence")

    name: ShortText | None = None
    kind: ParticipantKind | None = None
    title: ShortText | None = None
    description: LongText | None = None
    affiliation_id: Slug | None = None
    aliases: Aliases | None = None
    external_ids: ExternalIds | None = None
    evidence: EvidenceList | None = None
