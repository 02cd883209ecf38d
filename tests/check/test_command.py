from __future__ import annotations

import json

from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.store import Store


def test_check_command_reads_the_store_and_exits_1_on_failure(
    tmp_path, monkeypatch, make_brief, document
):
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path))
    monkeypatch.delenv("ZHIBAO_DATA_DIR", raising=False)
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    with Store.open(data_dir=tmp_path / "data") as store:
        store.upsert_document(document("https://nda/1"))
    good = make_brief("国家数据局累计发布417个典型案例。").save(tmp_path / "good.json")
    bad = make_brief("国家数据局累计发布418个典型案例。").save(tmp_path / "bad.json")
    runner = CliRunner()

    ok = runner.invoke(app, ["check", str(good)])
    assert ok.exit_code == 0, ok.output

    failed = runner.invoke(app, ["check", str(bad), "--json"])
    assert failed.exit_code == 1
    report = json.loads(failed.stdout)
    assert report["ok"] is False
    assert report["failures"][0]["claim"] == "418"
    assert report["failures"][0]["section"] == 1


def test_check_command_prints_warnings_and_the_status_rules_verdict(
    tmp_path, monkeypatch, make_brief, document
):
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path))
    monkeypatch.delenv("ZHIBAO_DATA_DIR", raising=False)
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    with Store.open(data_dir=tmp_path / "data") as store:
        store.upsert_document(document("https://nda/1"))
    good = make_brief("国家数据局累计发布417个典型案例。")
    flagged = good.model_copy(
        update={"sections": [good.sections[0].model_copy(update={"needs_review": True})]}
    )
    runner = CliRunner()

    ok = runner.invoke(app, ["check", str(good.save(tmp_path / "good.json"))])
    assert ok.exit_code == 0 and "状态 final" in ok.output
    assert "提醒" in ok.output and "短于篇幅下限" in ok.output  # a one-line fact paragraph

    review = runner.invoke(app, ["check", str(flagged.save(tmp_path / "flagged.json")), "--json"])
    assert review.exit_code == 0
    report = json.loads(review.stdout)
    assert report["ok"] is True and report["status"] == "draft" and report["warnings"]
