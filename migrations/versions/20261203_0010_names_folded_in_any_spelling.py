"""Participant search keys folded in any spelling

The name and alias keys dropped case and diacritics only, so Łukašenka (ł is a letter of its
own, not l with a mark) and Lukasenka found nobody. They are now transliterated to ASCII
(anyascii), lower-cased, with `h` dropped after s, c, z and k (sh, ch, zh, kh spell š, č, ž, х),
and whitespace collapsed: Łukašenka, Lukasenka, Lukashenka and Лукашэнка all fold to
`lukasenka`. The keys are computed again here with the folding of this revision (copied, not
imported, so that a later change to app.core.text does not change what this migration did).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:30:00
"""

import re
import unicodedata
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from anyascii import anyascii

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DIGRAPH = re.compile(r"([sczk])h")


def any_spelling_key(value: str) -> str:
    """The folding of this revision (app.core.text.search_key)."""
    spelled = _DIGRAPH.sub(r"\1", anyascii(value).lower())
    return " ".join(spelled.split())[:300]


def diacritics_key(value: str) -> str:
    """The folding before it: case and diacritics only."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", stripped).split())


_participants = sa.table("participants", sa.column("id"), sa.column("name"), sa.column("name_key"))
_aliases = sa.table(
    "participant_aliases",
    sa.column("participant_id"),
    sa.column("alias"),
    sa.column("language"),
    sa.column("alias_key"),
)


def _recompute(key: Callable[[str], str]) -> None:
    connection = op.get_bind()
    for participant_id, name in connection.execute(
        sa.select(_participants.c.id, _participants.c.name)
    ):
        connection.execute(
            _participants.update()
            .where(_participants.c.id == participant_id)
            .values(name_key=key(name))
        )
    aliases = connection.execute(
        sa.select(_aliases.c.participant_id, _aliases.c.alias, _aliases.c.language)
    ).all()
    for participant_id, alias, language in aliases:
        connection.execute(
            _aliases.update()
            .where(
                _aliases.c.participant_id == participant_id,
                _aliases.c.alias == alias,
                _aliases.c.language == language,
            )
            .values(alias_key=key(alias))
        )


def upgrade() -> None:
    _recompute(any_spelling_key)


def downgrade() -> None:
    _recompute(diacritics_key)
