"""composite indexes for filtered keyset pages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 01:43:45.481990
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_kind"))
        batch_op.drop_index(batch_op.f("ix_events_status"))
        batch_op.create_index("ix_events_kind_id", ["kind", "id"], unique=False)
        batch_op.create_index("ix_events_status_id", ["status", "id"], unique=False)

    with op.batch_alter_table("quotations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotations_article_id"))
        batch_op.drop_index(batch_op.f("ix_quotations_audience_id"))
        batch_op.drop_index(batch_op.f("ix_quotations_event_id"))
        batch_op.drop_index(batch_op.f("ix_quotations_kind"))
        batch_op.drop_index(batch_op.f("ix_quotations_speaker_id"))
        batch_op.create_index("ix_quotations_article_id_id", ["article_id", "id"], unique=False)
        batch_op.create_index("ix_quotations_audience_id_id", ["audience_id", "id"], unique=False)
        batch_op.create_index("ix_quotations_event_id_id", ["event_id", "id"], unique=False)
        batch_op.create_index("ix_quotations_kind_id", ["kind", "id"], unique=False)
        batch_op.create_index("ix_quotations_speaker_id_id", ["speaker_id", "id"], unique=False)
        batch_op.create_index(
            "ix_quotations_speaker_id_said_on", ["speaker_id", "said_on", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("quotations", schema=None) as batch_op:
        batch_op.drop_index("ix_quotations_speaker_id_said_on")
        batch_op.drop_index("ix_quotations_speaker_id_id")
        batch_op.drop_index("ix_quotations_kind_id")
        batch_op.drop_index("ix_quotations_event_id_id")
        batch_op.drop_index("ix_quotations_audience_id_id")
        batch_op.drop_index("ix_quotations_article_id_id")
        batch_op.create_index(batch_op.f("ix_quotations_speaker_id"), ["speaker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotations_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotations_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quotations_audience_id"), ["audience_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quotations_article_id"), ["article_id"], unique=False)

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_status_id")
        batch_op.drop_index("ix_events_kind_id")
        batch_op.create_index(batch_op.f("ix_events_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)
