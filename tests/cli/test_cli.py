from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from zhibao import SAMPLE_BRIEF


def run(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIBAO_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "zhibao", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_help_is_chinese_and_lists_commands(tmp_path):
    result = run("--help", home=tmp_path)
    assert result.returncode == 0
    for command in ("init", "render", "demo", "schema"):
        assert command in result.stdout
    assert "简报" in result.stdout


def test_init_then_config_in_that_dir_is_used(tmp_path):
    result = run("init", str(tmp_path / "cfg"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("brand.yaml", "profile.yaml", "sources.yaml", "publish.yaml", "llm.yaml"):
        assert (tmp_path / "cfg" / name).is_file(), name
    again = run("init", str(tmp_path / "cfg"), home=tmp_path)
    assert again.returncode == 2
    assert "已存在" in again.stderr


def test_render_markdown_prints_the_path(tmp_path):
    result = run("render", str(SAMPLE_BRIEF), "--out", str(tmp_path), "-f", "md", home=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "brief-2026-05-25.md"
    assert result.stdout.strip() == str(out)
    assert "新质生产力每日动态" in out.read_text(encoding="utf-8")


def test_render_bad_brief_exits_2_naming_the_field(tmp_path):
    data = json.loads(SAMPLE_BRIEF.read_text(encoding="utf-8"))
    data["sections"][0]["paragraphs"][0]["kind"] = "facts"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("render", str(bad), "--out", str(tmp_path), "-f", "md", home=tmp_path)
    assert result.returncode == 2
    assert "sections[0].paragraphs[0].kind" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "brief-2026-05-25.md").exists()


def test_render_unknown_format_is_refused_before_writing(tmp_path):
    result = run("render", str(SAMPLE_BRIEF), "--out", str(tmp_path), "-f", "md,pptx", home=tmp_path)
    assert result.returncode == 2
    assert "pptx" in result.stderr
    assert list(tmp_path.glob("brief-*")) == []


def test_publish_refuses_a_brief_without_references(tmp_path):
    data = json.loads(SAMPLE_BRIEF.read_text(encoding="utf-8"))
    data["references"] = []
    path = tmp_path / "noref.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    strict = run("render", str(path), "--out", str(tmp_path / "o"), "-f", "md", "--publish", home=tmp_path)
    assert strict.returncode == 2
    assert "参考文献为空" in strict.stderr
    draft = run("render", str(path), "--out", str(tmp_path / "o"), "-f", "md", home=tmp_path)
    assert draft.returncode == 0
    assert "草稿" in draft.stderr
    assert "草稿" in (tmp_path / "o" / "brief-2026-05-25.md").read_text(encoding="utf-8")


def test_schema_command_matches_committed_schema(tmp_path):
    result = run("schema", home=tmp_path)
    committed = Path(__file__).resolve().parents[2] / "docs" / "brief.schema.json"
    assert json.loads(result.stdout) == json.loads(committed.read_text(encoding="utf-8"))
