from __future__ import annotations

from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.store import Store


def test_brief_command_prints_paths_and_report(documents, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    with Store.open(data_dir=tmp_path / "home" / "data") as store:
        for document in documents:
            store.upsert_document(document)
    result = CliRunner().invoke(
        app, ["brief", "--date", "2026-05-25", "--out", str(tmp_path / "out"), "-f", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "brief-2026-05-25.json" in result.stdout and "brief-2026-05-25.md" in result.stdout
    assert (tmp_path / "out" / "brief-2026-05-25.json").is_file()


def test_empty_window_exits_non_zero_without_a_brief(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    result = CliRunner().invoke(
        app, ["brief", "--date", "2026-05-25", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "out" / "brief-2026-05-25.json").exists()
