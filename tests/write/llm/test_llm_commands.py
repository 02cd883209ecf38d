"""`zhibao brief --writer llm`, `zhibao doctor`, settings, and an unreachable endpoint."""

from __future__ import annotations

import shutil
import socket
import time

from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.config import DEFAULTS_DIR
from zhibao.runs.briefing import make_brief
from zhibao.runs.demo import DEMO_BRIEF_DATE
from zhibao.runs.demo_sites import demo_sources
from zhibao.write.llm import LLMWriter, load_llm_settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_endpoint_still_writes_a_flagged_draft(settings, store, tmp_path):
    down = settings.model_copy(update={"base_url": f"http://127.0.0.1:{_closed_port()}/v1"})
    started = time.perf_counter()
    run = make_brief(
        DEMO_BRIEF_DATE,
        store=store,
        writer=LLMWriter(down),
        out_dir=tmp_path / "out",
        formats=["md"],
        config_dir=DEFAULTS_DIR,
        sources=demo_sources("http://127.0.0.1"),
    )
    assert time.perf_counter() - started < 10
    assert run.check.ok and run.brief.status == "draft"
    assert all(s.writer == "extractive" and s.needs_review for s in run.brief.sections)
    lines = "\n".join(run.lines())
    assert "模型不可用" in lines and "无法连接" in lines and "needs_review" in lines
    assert (tmp_path / "out" / "brief-2026-05-25.json").is_file()


def test_settings_from_file_environment_and_sdk_fallback(tmp_path):
    (tmp_path / "llm.yaml").write_text(
        "llm:\n  model: file-model\n  base_url: http://file/v1\n  concurrency: 2\n"
        "  prices:\n    file-: {input: 1, output: 2}\n",
        encoding="utf-8",
    )
    env = {"OPENAI_API_KEY": "sk-sdk", "OPENAI_BASE_URL": "http://sdk/v1"}
    settings = load_llm_settings(tmp_path, environ=env)
    assert (settings.model, settings.base_url, settings.api_key) == (
        "file-model",
        "http://file/v1",
        "sk-sdk",
    )
    assert settings.concurrency == 2 and settings.price().output == 2
    env["ZHIBAO_LLM_MODEL"], env["ZHIBAO_LLM_BASE_URL"] = "env-model", "http://env/v1"
    settings = load_llm_settings(tmp_path, environ=env)
    assert (settings.model, settings.base_url) == ("env-model", "http://env/v1")
    assert settings.price() is None
    assert not load_llm_settings(tmp_path / "none", environ={}).configured


def test_brief_command_with_llm_writer_and_doctor(llm, demo_data, tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(demo_data, home / "data", ignore=shutil.ignore_patterns("archive"))
    monkeypatch.setenv("ZHIBAO_HOME", str(home))
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZHIBAO_LLM_BASE_URL", llm.url)
    monkeypatch.setenv("ZHIBAO_LLM_API_KEY", "test-key")
    monkeypatch.setenv("ZHIBAO_LLM_MODEL", "scripted-model")
    runner = CliRunner()
    result = runner.invoke(
        app, ["brief", "--date", "2026-05-25", "--writer", "llm", "-o", str(tmp_path), "-f", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "由模型撰写并通过核验" in result.output and "用量：调用" in result.output
    assert llm.requests

    result = runner.invoke(app, ["doctor"])
    assert "模型端点" in result.output and "scripted-model 在端点的模型列表中" in result.output
    assert "数据库" in result.output

    monkeypatch.setenv("ZHIBAO_LLM_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1 and "无法连接" in result.output
