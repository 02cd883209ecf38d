"""An undated document belongs to no day: a date window leaves it out unless asked for."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.core.time import now_utc, today
from zhibao.store import Store


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)


def exported(db_url: str, *args: str) -> list[str]:
    result = CliRunner().invoke(
        app, ["export", "documents", *args, "--database-url", db_url], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line)["title"] for line in result.stdout.splitlines() if line.strip()]


def test_export_since_today_leaves_out_undated_documents(store: Store, db_url: str, make_doc):
    fetched = now_utc()
    store.upsert_document(make_doc(1, title="今天发布", published_at=fetched, fetched_at=fetched))
    store.upsert_document(make_doc(2, title="没有日期", published_at=None, fetched_at=fetched))
    old = fetched - timedelta(days=400)
    store.upsert_document(make_doc(3, title="去年发布", published_at=old, fetched_at=fetched))

    assert exported(db_url, "--since", "today") == ["今天发布"]
    assert exported(db_url, "--since", today().isoformat(), "--until", "today") == ["今天发布"]
    assert sorted(exported(db_url, "--since", "today", "--undated")) == ["今天发布", "没有日期"]
    assert sorted(exported(db_url)) == ["今天发布", "去年发布", "没有日期"]  # no window: all


def test_every_dated_window_of_the_store_skips_undated(store: Store, make_doc):
    fetched = now_utc()
    store.upsert_document(make_doc(1, published_at=None, fetched_at=fetched))
    day = today()
    assert store.documents(day, day) == []
    assert store.documents(since=day) == []
    assert store.documents(until=day) == []
    assert len(store.documents(day, day, undated=True)) == 1
