"""Government document fields, search provenance, links queued past a source's cap, search cache.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (
    ("doc_number", 200),
    ("issuer", 200),
    ("index_no", 200),
    ("subject", 200),
    ("search_engine", 100),
)


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        for name, length in _TEXT_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch.add_column(sa.Column("written_at", sa.Date(), nullable=True))
        batch.add_column(sa.Column("search_query", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "queued_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("listed_date", sa.Date(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_queued_links"),
        sa.UniqueConstraint("source_id", "url", name="uq_queued_links_source_url"),
    )
    op.create_index("ix_queued_links_source_id", "queued_links", ["source_id"])
    op.create_table(
        "search_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_cache"),
        sa.UniqueConstraint("engine", "query", "day", name="uq_search_cache_engine_query_day"),
    )
    op.create_index("ix_search_cache_day", "search_cache", ["day"])


def downgrade() -> None:
    op.drop_index("ix_search_cache_day", table_name="search_cache")
    op.drop_table("search_cache")
    op.drop_index("ix_queued_links_source_id", table_name="queued_links")
    op.drop_table("queued_links")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("search_query")
        batch.drop_column("written_at")
        for name, _length in reversed(_TEXT_COLUMNS):
            batch.drop_column(name)
