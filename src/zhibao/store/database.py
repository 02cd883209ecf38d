"""Opening the database: URL resolution, SQLite pragmas, Alembic migrations to head."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from zhibao.core.errors import ZhibaoError

__all__ = ["DATABASE_URL_ENV", "StoreError", "create_store_engine", "migrate", "resolve_url"]

DB_FILE_NAME = "zhibao.db"

DATABASE_URL_ENV = "ZHIBAO_DATABASE_URL"


class StoreError(ZhibaoError):
    """The database cannot be opened or used (bad URL, unwritable file, unknown run…)."""


def resolve_url(url: str | None = None, *, data_dir: Path | None = None) -> str:
    """``url``, else ``$ZHIBAO_DATABASE_URL``, else the SQLite file ``<data_dir>/zhibao.db``."""
    url = url or os.environ.get(DATABASE_URL_ENV) or None
    if url:
        return url
    if data_dir is None:
        from zhibao.config import resolve_paths

        data_dir = resolve_paths().data_dir
    return f"sqlite:///{Path(data_dir).expanduser().resolve() / DB_FILE_NAME}"


def create_store_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"数据库地址无效 (invalid database URL): {url!r}；"
            "示例：sqlite:////path/zhibao.db 或 postgresql+psycopg://user@host/zhibao"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        # A plain postgresql:// URL would ask SQLAlchemy for psycopg2; zhibao ships psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed)
    except Exception as exc:  # missing DB driver and the like
        raise StoreError(f"无法打开数据库 {parsed.render_as_string()}：{exc}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine, in_memory=parsed.database in (None, "", ":memory:"))
    return engine


def _sqlite_pragmas(engine: Engine, *, in_memory: bool) -> None:
    # SQLite-only SQL, kept here: WAL lets readers (export, web desk) work during a collect run,
    # and SQLite leaves foreign keys off unless asked on every connection.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Several writers (queue workers, the desk during a collect) wait their turn for
            # the write lock instead of failing after the driver's default 5 s.
            cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "zhibao.store:migrations")
    return cfg


def migrate(engine: Engine) -> str | None:
    """Bring the schema to the newest migration; returns the revision it is at."""
    cfg = _alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head:
                return current
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreError(
            f"无法初始化数据库 {engine.url.render_as_string()}：{exc.orig}；"
            "请检查文件权限或数据库地址 (--database-url / ZHIBAO_DATABASE_URL)"
        ) from None
    return head
