"""Briefs and the events they covered (continuity across days).

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_briefs"),
        sa.UniqueConstraint("topic", "date", name="uq_briefs_topic_date"),
    )
    op.create_index("ix_briefs_date", "briefs", ["date"])

    op.create_table(
        "covered_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("brief_date", sa.Date(), nullable=False),
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_covered_events"),
        sa.ForeignKeyConstraint(
            ["brief_id"],
            ["briefs.id"],
            name="fk_covered_events_brief_id_briefs",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_covered_events_brief_id", "covered_events", ["brief_id"])
    op.create_index("ix_covered_events_brief_date", "covered_events", ["brief_date"])


def downgrade() -> None:
    op.drop_table("covered_events")
    op.drop_table("briefs")
