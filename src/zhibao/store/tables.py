"""The tables of the store, as SQLAlchemy 2 typed declarative models.

The Alembic migrations in ``migrations/versions`` create exactly these tables; a test compares
the two so that a model change without a migration is caught.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from zhibao.core.time import SHANGHAI

__all__ = [
    "Base",
    "BriefRow",
    "CoveredEventRow",
    "DocumentAliasRow",
    "DocumentFeaturesRow",
    "DocumentRow",
    "DocumentVersionRow",
    "QueuedLinkRow",
    "RunRow",
    "RunSourceRow",
    "SearchCacheRow",
    "UTCDateTime",
    "ValidatorRow",
]

URL_LENGTH = 2048


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes, stored as UTC and read back in Asia/Shanghai.

    SQLite has no timezone type (the value is kept as naive UTC text); PostgreSQL gets a real
    ``timestamptz``. Either way the application only ever sees aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            # Readable ISO 8601 UTC text in the file (``2026-05-23T11:23:52.000000Z``); one fixed
            # width, so comparing the text compares the times.
            return dialect.type_descriptor(
                sqlite.DATETIME(
                    storage_format=(
                        "%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02d"
                        ".%(microsecond)06dZ"
                    ),
                    regexp=r"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z",
                )
            )
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"时间必须带时区 (timezone-aware datetime required): {value!r}")
        utc = value.astimezone(UTC)
        # SQLite keeps naive text (marked Z by the storage format); PostgreSQL a timestamptz.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(SHANGHAI)


class Base(DeclarativeBase):
    # Named constraints let later migrations alter them (SQLite batch mode needs the names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class DocumentRow(Base):
    """The current version of each article, one row per canonical URL."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(URL_LENGTH), unique=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    source_id: Mapped[str | None] = mapped_column(String(100), index=True)
    source_org: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(20), default="zh")
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # Indexed: a new document is looked up by its hash to find the same text at another URL.
    content_hash: Mapped[str] = mapped_column(String(128), default="", index=True)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archive: Mapped[str | None] = mapped_column(Text)
    page_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    column: Mapped[str] = mapped_column(String(200), default="")
    doc_number: Mapped[str] = mapped_column(String(200), default="")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    written_at: Mapped[date | None] = mapped_column(Date)
    index_no: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    search_query: Mapped[str] = mapped_column(Text, default="")
    search_engine: Mapped[str] = mapped_column(String(100), default="")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentVersionRow(Base):
    """An earlier version of a document, kept when the page's content changed."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source_org: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(20), default="zh")
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(128), default="")
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archive: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ValidatorRow(Base):
    """ETag / Last-Modified of a URL, for conditional GET on the next run."""

    __tablename__ = "http_validators"

    url: Mapped[str] = mapped_column(String(URL_LENGTH), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RunRow(Base):
    """One collection run; ``status`` stays ``running`` when the process was killed."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")


class RunSourceRow(Base):
    """What one source gave in one run: the raw material of ``zhibao sources check``."""

    __tablename__ = "run_sources"
    __table_args__ = (
        UniqueConstraint("run_id", "source_id", name="uq_run_sources_run_source"),
        Index("ix_run_sources_source_run", "source_id", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(100))
    lists_fetched: Mapped[int] = mapped_column(Integer, default=0)
    lists_empty: Mapped[int] = mapped_column(Integer, default=0)
    new_documents: Mapped[int] = mapped_column(Integer, default=0)
    updated_documents: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentAliasRow(Base):
    """Another URL of a stored document (its print or copy page, a mirror on the same site).

    Found at store time by canonical link or by identical text; ``has_document`` answers for it.
    """

    __tablename__ = "document_aliases"

    url: Mapped[str] = mapped_column(String(URL_LENGTH), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentFeaturesRow(Base):
    """What analysis keeps of a document for one topic (``zhibao.analyze.features``): its
    relevance with reasons, and for a relevant one its MinHash signature.

    Valid while ``profile_key`` is the topic profile's current key and ``content_hash`` the
    document's: a changed profile or a new version of the page makes the row stale, and the
    next analysis replaces it.
    """

    __tablename__ = "document_features"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(200), primary_key=True)  # the profile's name
    profile_key: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class QueuedLinkRow(Base):
    """An article link found but not fetched because its source hit its per-run cap.

    The next run fetches these first (oldest first), so a list page with thousands of links
    is worked through over several runs instead of holding one run for hours.
    """

    __tablename__ = "queued_links"
    __table_args__ = (UniqueConstraint("source_id", "url", name="uq_queued_links_source_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(100), index=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    title: Mapped[str | None] = mapped_column(Text)
    listed_date: Mapped[date | None] = mapped_column(Date)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SearchCacheRow(Base):
    """One search backend answer (its result list as JSON), kept per engine, query and day."""

    __tablename__ = "search_cache"
    __table_args__ = (
        UniqueConstraint("engine", "query", "day", name="uq_search_cache_engine_query_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engine: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date, index=True)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BriefRow(Base):
    """A written brief (the ``Brief`` JSON), one per topic and date; rewriting replaces it."""

    __tablename__ = "briefs"
    __table_args__ = (UniqueConstraint("topic", "date", name="uq_briefs_topic_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))  # the profile's name: 新质生产力
    date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CoveredEventRow(Base):
    """What a brief said about one event (``CoveredEvent``), for the next days' continuity."""

    __tablename__ = "covered_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"), index=True)
    brief_date: Mapped[date] = mapped_column(Date, index=True)
    event_id: Mapped[str] = mapped_column(String(100), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
