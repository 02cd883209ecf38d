from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from zhibao.core.time import now_utc
from zhibao.store import Store, StoreError
from zhibao.store.database import _alembic_config
from zhibao.store.metadata import metadata
from zhibao.store.search import is_search_table
from zhibao.store.tables import RunSourceRow

TABLES = {"documents", "document_versions", "http_validators", "runs", "run_sources"}


def test_fresh_file_gets_the_schema_at_head(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "zhibao.db"
    Store.open(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert names >= TABLES
    assert version == ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert journal == "wal"


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store._engine.connect() as conn:
        # The FTS5 search table and its shadow tables are made by SQL, not by models.
        skip_fts = {
            "include_name": lambda name, kind, _parent: not is_search_table(name),
            # On PostgreSQL the FTS is a GIN index over to_tsvector(...) made by migration SQL
            # (``*_tsv``); a model cannot declare it for both databases.
            "include_object": lambda _obj, name, kind, reflected, model: (
                not (kind == "index" and reflected and model is None and name.endswith("_tsv"))
            ),
        }
        diff = compare_metadata(MigrationContext.configure(conn, opts=skip_fts), metadata)
    assert diff == []


def test_reopening_keeps_data_and_does_not_migrate_again(db_url: str, make_doc) -> None:
    with Store.open(db_url) as first:
        first.upsert_document(make_doc())
    with Store.open(db_url) as again:
        assert again.count_documents() == 1


def test_foreign_keys_are_enforced(store: Store) -> None:
    with store._engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(IntegrityError):
            conn.execute(
                insert(RunSourceRow).values(
                    run_id=999,
                    source_id="nda",
                    lists_fetched=0,
                    lists_empty=0,
                    new_documents=0,
                    updated_documents=0,
                    errors=0,
                    duration_s=0.0,
                    recorded_at=now_utc(),
                )
            )


def test_default_location_is_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    with Store.open(data_dir=tmp_path / "data") as store:
        assert store.url.endswith("data/zhibao.db")
    assert (tmp_path / "data" / "zhibao.db").is_file()


def test_database_url_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere.db"
    monkeypatch.setenv("ZHIBAO_DATABASE_URL", f"sqlite:///{target}")
    Store.open(data_dir=tmp_path / "unused").close()
    assert target.is_file()
    assert not (tmp_path / "unused" / "zhibao.db").exists()


def test_bad_url_is_reported_with_an_example() -> None:
    with pytest.raises(StoreError, match="sqlite:///"):
        Store.open("not a url")
