"""Initial schema: documents, their earlier versions, HTTP validators, runs and run sources.

Revision ID: 0001
Revises:
Create Date: 2026-05-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

URL = sa.String(2048)


def _when(name: str, *, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical_url", URL, nullable=False),
        sa.Column("url", URL, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _when("published_at"),
        sa.Column("source_id", sa.String(100), nullable=True),
        sa.Column("source_org", sa.String(200), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        _when("fetched_at"),
        sa.Column("archive", sa.Text(), nullable=True),
        _when("first_seen", nullable=False),
        _when("last_seen", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("canonical_url", name="uq_documents_canonical_url"),
    )
    op.create_index("ix_documents_published_at", "documents", ["published_at"])
    op.create_index("ix_documents_source_id", "documents", ["source_id"])

    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("url", URL, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _when("published_at"),
        sa.Column("source_org", sa.String(200), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        _when("fetched_at"),
        sa.Column("archive", sa.Text(), nullable=True),
        _when("first_seen", nullable=False),
        _when("replaced_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_versions"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_document_versions_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_document_versions_document_id", "document_versions", ["document_id"])

    op.create_table(
        "http_validators",
        sa.Column("url", URL, nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        _when("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_http_validators"),
    )

    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        _when("started_at", nullable=False),
        _when("finished_at"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )

    op.create_table(
        "run_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(100), nullable=False),
        sa.Column("lists_fetched", sa.Integer(), nullable=False),
        sa.Column("lists_empty", sa.Integer(), nullable=False),
        sa.Column("new_documents", sa.Integer(), nullable=False),
        sa.Column("updated_documents", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False),
        _when("recorded_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_run_sources"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_run_sources_run_id_runs", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("run_id", "source_id", name="uq_run_sources_run_source"),
    )
    op.create_index("ix_run_sources_source_run", "run_sources", ["source_id", "run_id"])


def downgrade() -> None:
    op.drop_table("run_sources")
    op.drop_table("runs")
    op.drop_table("http_validators")
    op.drop_table("document_versions")
    op.drop_table("documents")
