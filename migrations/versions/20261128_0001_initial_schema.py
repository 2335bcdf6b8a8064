"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 00:27:32.950589
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column(
            "published_precision",
            sa.Enum(
                "day",
                "month",
                "year",
                name="published_precision",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "(published_on IS NULL) = (published_precision IS NULL)",
            name=op.f("ck_articles_published_pair"),
        ),
        sa.CheckConstraint(
            "length(content_sha256) = 64", name=op.f("ck_articles_content_sha256_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_articles_published_on"), ["published_on"], unique=False
        )

    op.create_table(
        "events",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "summit",
                "meeting",
                "visit",
                "session",
                "election",
                "inauguration",
                "statement",
                "congratulation",
                "interview",
                "speech",
                "other",
                name="event_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "expected",
                "deferred",
                "held",
                "cancelled",
                name="event_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column(
            "date_precision",
            sa.Enum(
                "day",
                "month",
                "year",
                name="date_precision",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(date IS NULL) = (date_precision IS NULL)", name=op.f("ck_events_date_pair")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_date_id", ["date", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_location"), ["location"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_status"), ["status"], unique=False)

    op.create_table(
        "issues",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "security",
                "trade",
                "economy",
                "diplomacy",
                "governance",
                "other",
                name="issue_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issues")),
    )
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issues_category"), ["category"], unique=False)

    op.create_table(
        "participants",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "person",
                "organization",
                "country",
                "group",
                name="participant_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("affiliation_id", sa.String(length=100), nullable=True),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["affiliation_id"],
            ["participants.id"],
            name=op.f("fk_participants_affiliation_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participants_affiliation_id"), ["affiliation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_participants_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_participants_name_key"), ["name_key"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("issue_id", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "expected",
                "raised",
                "discussed",
                name="agenda_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_agenda_items_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_agenda_items_issue_id_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "issue_id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_issue_id"), ["issue_id"], unique=False)

    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_participants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_event_participants_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "event_id", "participant_id", "role", name=op.f("pk_event_participants")
        ),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_participants_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "participant_aliases",
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("alias_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_aliases_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "alias", "language", name=op.f("pk_participant_aliases")
        ),
    )
    with op.batch_alter_table("participant_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_aliases_alias_key"), ["alias_key"], unique=False
        )

    op.create_table(
        "participant_external_ids",
        sa.Column("participant_id", sa.String(length=100), nullable=False),
        sa.Column("scheme", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_external_ids_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "scheme", name=op.f("pk_participant_external_ids")
        ),
    )
    op.create_table(
        "quotations",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("article_id", sa.String(length=100), nullable=False),
        sa.Column("speaker_id", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "direct",
                "partial",
                "indirect",
                name="quotation_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("said_on", sa.Date(), nullable=True),
        sa.Column(
            "said_on_precision",
            sa.Enum(
                "day",
                "month",
                "year",
                name="said_on_precision",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("audience_id", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "(said_on IS NULL) = (said_on_precision IS NULL)",
            name=op.f("ck_quotations_said_on_pair"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_quotations_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["audience_id"],
            ["participants.id"],
            name=op.f("fk_quotations_audience_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_quotations_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["participants.id"],
            name=op.f("fk_quotations_speaker_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotations")),
    )
    with op.batch_alter_table("quotations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quotations_article_id"), ["article_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quotations_audience_id"), ["audience_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quotations_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotations_kind"), ["kind"], unique=False)
        batch_op.create_index("ix_quotations_said_on_id", ["said_on", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotations_speaker_id"), ["speaker_id"], unique=False)

    op.create_table(
        "evidence_spans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=100), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=100), nullable=True),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("issue_id", sa.String(length=100), nullable=True),
        sa.Column("quotation_id", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN participant_id IS NULL THEN 0 ELSE 1 END + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END + CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END + CASE WHEN quotation_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_evidence_spans_one_fact"),
        ),
        sa.CheckConstraint(
            'start >= 0 AND "end" > start', name=op.f("ck_evidence_spans_span_bounds")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_evidence_spans_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_evidence_spans_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_evidence_spans_issue_id_issues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_evidence_spans_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quotation_id"],
            ["quotations.id"],
            name=op.f("fk_evidence_spans_quotation_id_quotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_spans")),
        sa.UniqueConstraint(
            "event_id",
            "article_id",
            "start",
            "end",
            name=op.f("uq_evidence_spans_event_id_article_id_start_end"),
        ),
        sa.UniqueConstraint(
            "issue_id",
            "article_id",
            "start",
            "end",
            name=op.f("uq_evidence_spans_issue_id_article_id_start_end"),
        ),
        sa.UniqueConstraint(
            "participant_id",
            "article_id",
            "start",
            "end",
            name=op.f("uq_evidence_spans_participant_id_article_id_start_end"),
        ),
        sa.UniqueConstraint(
            "quotation_id",
            "article_id",
            "start",
            "end",
            name=op.f("uq_evidence_spans_quotation_id_article_id_start_end"),
        ),
    )
    with op.batch_alter_table("evidence_spans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_spans_article_id"), ["article_id"], unique=False
        )

    op.create_table(
        "quotation_issues",
        sa.Column("quotation_id", sa.String(length=100), nullable=False),
        sa.Column("issue_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_quotation_issues_issue_id_issues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quotation_id"],
            ["quotations.id"],
            name=op.f("fk_quotation_issues_quotation_id_quotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quotation_id", "issue_id", name=op.f("pk_quotation_issues")),
    )
    with op.batch_alter_table("quotation_issues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quotation_issues_issue_id"), ["issue_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("quotation_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotation_issues_issue_id"))

    op.drop_table("quotation_issues")
    with op.batch_alter_table("evidence_spans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_spans_article_id"))

    op.drop_table("evidence_spans")
    with op.batch_alter_table("quotations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotations_speaker_id"))
        batch_op.drop_index("ix_quotations_said_on_id")
        batch_op.drop_index(batch_op.f("ix_quotations_kind"))
        batch_op.drop_index(batch_op.f("ix_quotations_event_id"))
        batch_op.drop_index(batch_op.f("ix_quotations_audience_id"))
        batch_op.drop_index(batch_op.f("ix_quotations_article_id"))

    op.drop_table("quotations")
    op.drop_table("participant_external_ids")
    with op.batch_alter_table("participant_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_aliases_alias_key"))

    op.drop_table("participant_aliases")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_participant_id"))

    op.drop_table("event_participants")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_issue_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_name_key"))
        batch_op.drop_index(batch_op.f("ix_participants_kind"))
        batch_op.drop_index(batch_op.f("ix_participants_affiliation_id"))

    op.drop_table("participants")
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issues_category"))

    op.drop_table("issues")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_status"))
        batch_op.drop_index(batch_op.f("ix_events_location"))
        batch_op.drop_index(batch_op.f("ix_events_kind"))
        batch_op.drop_index("ix_events_date_id")

    op.drop_table("events")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_published_on"))

    op.drop_table("articles")
