"""Tables of the web desk: editors, their sessions, failed logins, brief versions, search.

Imported at the bottom of ``tables.py`` so that ``Base.metadata`` (and the migration test)
always knows them; migration ``0003`` creates exactly these.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhibao.store.tables import URL_LENGTH, Base, UTCDateTime

__all__ = [
    "AuditRow",
    "BriefVersionRow",
    "LoginFailureRow",
    "SearchEntryRow",
    "UserRow",
    "UserTopicRow",
    "WebSessionRow",
]


class UserRow(Base):
    """A local account; ``password_hash`` is an argon2id hash, never the password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="editor")  # editor | chief | admin
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by login throttling (per account) and cleared by ``zhibao user unlock``.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserTopicRow(Base):
    """A topic an account works on. An account without any row works on every topic (one-topic
    homes never need these rows)."""

    __tablename__ = "user_topics"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(200), primary_key=True)


class AuditRow(Base):
    """One action on the desk or on accounts (who, what, on which brief or user), for the log."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))  # a user name, or "cli" when run by hand
    action: Mapped[str] = mapped_column(String(50))  # login, approve, publish, user.add…
    target: Mapped[str] = mapped_column(String(200), default="")  # 2026-05-25 v3, user 张三
    detail: Mapped[str] = mapped_column(Text, default="")


class WebSessionRow(Base):
    """A logged-in browser. Only the SHA-256 of the cookie token is kept, so a leaked
    database does not hand out live sessions."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginFailureRow(Base):
    """One wrong password; recent rows per name or address drive the login rate limit."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_name_at", "name", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class BriefVersionRow(Base):
    """Every saved state of a brief on the desk; ``number`` counts from 1 per topic and date.

    ``parked`` keeps excluded sections with their references, so that including the event
    again brings the editor's text back instead of a fresh draft.
    """

    __tablename__ = "brief_versions"
    __table_args__ = (
        UniqueConstraint("topic", "date", "number", name="uq_brief_versions_topic_date_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date, index=True)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    parked: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")  # what changed, in Chinese
    author: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SearchEntryRow(Base):
    """One searchable text (a brief or a document) as space-separated jieba tokens.

    SQLite searches it through the FTS5 table ``search_fts`` (rowid = ``id``); PostgreSQL
    through a GIN index on ``to_tsvector('simple', tokens)``. Both are made by migration 0003.
    """

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "ref", name="uq_search_entries_kind_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # brief | document
    ref: Mapped[str] = mapped_column(String(URL_LENGTH))  # "<topic>/<date>" or canonical URL
    title: Mapped[str] = mapped_column(Text)
    day: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(128), default="")
    tokens: Mapped[str] = mapped_column(Text)
