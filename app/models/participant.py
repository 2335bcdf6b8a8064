"""Participant: a person, organisation, country or group that takes part in the news."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, str_enum


class ParticipantKind(enum.StrEnum):
    """What kind of actor a participant is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    GROUP = "group"


class Participant(Base):
    """An actor named in one or more articles."""

    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ParticipantKind] = mapped_column(
        str_enum(ParticipantKind, "participant_kind"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    affiliation_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    # Case- and diacritics-folded name (app.core.text.search_key), for search.
    name_key: Mapped[str] = mapped_column(String(300), index=True)

    aliases: Mapped[list[ParticipantAlias]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="ParticipantAlias.alias",
    )
    external_ids: Mapped[list[ParticipantExternalId]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="ParticipantExternalId.scheme",
    )


class ParticipantAlias(Base):
    """Another name of a participant: a transliteration, a short form, another script."""

    __tablename__ = "participant_aliases"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    alias: Mapped[str] = mapped_column(String(300), primary_key=True)
    # BCP 47 tag; "und" (undetermined) when unknown. The same spelling may be listed per language.
    language: Mapped[str] = mapped_column(String(35), primary_key=True)
    alias_key: Mapped[str] = mapped_column(String(300), index=True)

    participant: Mapped[Participant] = relationship(back_populates="aliases")


class ParticipantExternalId(Base):
    """An identifier of a participant in another system (e.g. Wikidata), known for certain."""

    __tablename__ = "participant_external_ids"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    scheme: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))

    participant: Mapped[Participant] = relationship(back_populates="external_ids")
