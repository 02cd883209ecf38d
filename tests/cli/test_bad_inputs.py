"""Malformed files given to the CLI: a clear Chinese error naming the file and the fix, exit
code 2, never a traceback, and quickly (a 10-million-character summary once took 169 s).

Most cases run the real ``zhibao`` entry point in-process (``zhibao.cli.main``: what the
console script calls, with its error handling); the three reported reproductions also run as
a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhibao import SAMPLE_BRIEF
from zhibao.cli import main
from zhibao.core.model import (
    MAX_BRIEF_CHARS,
    MAX_PARAGRAPH_CHARS,
    MAX_SECTIONS,
    MAX_SUMMARY_CHARS,
    parse_brief,
)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def zhibao(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ZHIBAO_DATABASE_URL", f"sqlite:///{tmp_path / 'zhibao.db'}")
    monkeypatch.setenv("COLUMNS", "400")  # one line per message: the path is not folded

    def run(*args: str | Path) -> Result:
        monkeypatch.setattr(sys, "argv", ["zhibao", *map(str, args)])
        capsys.readouterr()
        code = 0
        try:
            main()  # any exception but SystemExit escapes and fails the test
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def sample() -> dict:
    return json.loads(SAMPLE_BRIEF.read_text(encoding="utf-8"))


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def assert_clear_error(result: Result, path: Path | str, *fix: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err + result.out
    assert "错误" in result.err
    assert str(path) in result.err, result.err
    for words in fix:
        assert words in result.err, (words, result.err)


# --------------------------------------------------------------------------- the brief file


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_directory_as_brief_json(zhibao, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "brief.json"
    folder.mkdir()
    assert_clear_error(zhibao(command, folder), folder, "是一个目录", "文件路径")


def test_deeply_nested_json_brief(zhibao, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    assert_clear_error(zhibao("render", deep, "-o", tmp_path), deep, "嵌套过深", "上限")
    arrays = tmp_path / "arrays.json"
    arrays.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert_clear_error(zhibao("check", arrays), arrays, "嵌套过深")


def test_huge_summary_is_refused_in_a_moment(zhibao, tmp_path: Path) -> None:
    data = sample()
    data["summary"] = "长" * 10_000_000
    huge = write_json(tmp_path / "huge.json", data)
    started = time.monotonic()
    result = zhibao("render", huge, "-o", tmp_path / "out", "-f", "pdf")
    assert time.monotonic() - started < 5
    assert_clear_error(result, huge, "过大", "上限")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_over_long_fields_name_the_field_and_the_limit(zhibao, tmp_path: Path) -> None:
    data = sample()
    data["summary"] = "长" * (MAX_SUMMARY_CHARS + 1)
    long_summary = write_json(tmp_path / "summary.json", data)
    assert_clear_error(zhibao("render", long_summary, "-f", "md"), long_summary, "summary", "最多")

    data = sample()
    data["sections"] = data["sections"] * (MAX_SECTIONS // len(data["sections"]) + 1)
    many = write_json(tmp_path / "many.json", data)
    assert_clear_error(zhibao("render", many, "-f", "md"), many, "sections", "最多")

    data = sample()
    paragraph = {"kind": "analysis", "text": "长" * MAX_PARAGRAPH_CHARS, "citations": [1]}
    for section in data["sections"]:
        section["paragraphs"] = [paragraph] * 4
    total = write_json(tmp_path / "total.json", data)
    assert_clear_error(zhibao("render", total, "-f", "md"), total, "超过上限", "删减")


def test_a_real_brief_is_far_inside_the_limits() -> None:
    brief = parse_brief(SAMPLE_BRIEF.read_text(encoding="utf-8"))
    assert brief.text_chars() * 10 < MAX_BRIEF_CHARS
    assert len(brief.summary) * 10 < MAX_SUMMARY_CHARS


@pytest.mark.parametrize(
    ("name", "content", "fix"),
    [
        ("empty.json", b"", "JSON 语法错误"),
        ("binary.json", bytes(range(256)) * 8, "UTF-8"),
        ("list.json", b"[1, 2]", "顶层应是对象"),
        ("string.json", b'"brief"', "顶层应是对象"),
        ("wrong-types.json", b'{"date": 5, "masthead": [], "sections": "x"}', "date"),
        ("gbk.json", '{"summary": "国家数据局发布通知"}'.encode("gbk"), "UTF-8"),
        ("truncated.json", b'{"date": "2026-05-25", "summary": "', "JSON 语法错误"),
    ],
)
def test_malformed_brief_files(zhibao, tmp_path: Path, name: str, content: bytes, fix: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_clear_error(zhibao("render", path, "-f", "md", "-o", tmp_path), path, fix)


def test_missing_and_unreadable_brief(zhibao, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    assert_clear_error(zhibao("render", missing), missing, "不存在")
    if os.geteuid() != 0:  # root reads every file
        locked = write_json(tmp_path / "locked.json", sample())
        locked.chmod(0)
        assert_clear_error(zhibao("render", locked), locked, "权限")


def test_output_folder_that_is_a_file(zhibao, tmp_path: Path) -> None:
    taken = tmp_path / "out.txt"
    taken.write_text("x", encoding="utf-8")
    result = zhibao("render", SAMPLE_BRIEF, "-o", taken, "-f", "md")
    assert_clear_error(result, taken, "不是目录", "输出目录")


def test_other_file_arguments(zhibao, tmp_path: Path) -> None:
    folder = tmp_path / "labels.jsonl"
    folder.mkdir()
    assert_clear_error(zhibao("eval", "relevance", "--labels", folder), folder, "是一个目录")
    assert_clear_error(zhibao("init", SAMPLE_BRIEF), SAMPLE_BRIEF, "不是目录")


# --------------------------------------------------------------------------- JSONL import


def test_jsonl_import_refuses_a_deep_or_huge_line_and_imports_the_rest(
    zhibao, tmp_path: Path
) -> None:
    good = {"url": "https://www.nda.gov.cn/a.html", "title": "国家数据局发布通知", "text": "正文。"}
    other = good | {"url": "https://www.nda.gov.cn/b.html", "title": "国家数据局召开会议"}
    lines = [
        json.dumps(good, ensure_ascii=False),
        "[" * 50_000 + "]" * 50_000,
        json.dumps({"url": "https://x.cn/c.html", "title": "大", "text": "长" * 6_000_000}),
        json.dumps(other, ensure_ascii=False),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = zhibao("import", path)
    assert result.code == 1  # some lines failed: not a success, not a crash
    assert "Traceback" not in result.err + result.out
    report = result.out + result.err
    assert "新增 2" in report
    assert f"{path}:2" in report and "嵌套过深" in report
    assert f"{path}:3" in report and "过长" in report


# --------------------------------------------------------------------------- reported reproductions


def run_zhibao(*args: str | Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIBAO_HOME": str(home), "COLUMNS": "400"}
    return subprocess.run(
        [sys.executable, "-m", "zhibao", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_reported_reproduction_as_a_user_runs_it(tmp_path: Path) -> None:
    # The in-process tests above run the same entry point; this one is the console command.
    data = sample()
    data["summary"] = "长" * 10_000_000
    huge = write_json(tmp_path / "huge.json", data)
    result = run_zhibao("render", huge, "-o", tmp_path / "out", home=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(huge) in result.stderr and "过大" in result.stderr


# --------------------------------------------------------------------------- config files

_BOMB = "\n".join(
    ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 7)]
)
BAD_CONFIGS: dict[str, tuple[bytes, str]] = {
    "binary": (bytes(range(256)) * 8, "UTF-8"),
    "nul": (b"name: \x00\n", "YAML 语法错误"),
    "top-level-list": (b"- a\n- b\n", "顶层应是键值映射"),
    "flow-deep": (b"x: " + b"[" * 5_000 + b"]" * 5_000, "嵌套过深"),
    "block-deep": (
        "".join(f"{' ' * n}k{n}:\n" for n in range(3_000)).encode() + b" " * 3_000 + b"v\n",
        "嵌套过深",
    ),
    "huge": (b"# " + b"x" * 6_000_000 + b"\n", "过大"),
    "alias-bomb": (_BOMB.encode(), "未知字段"),
}
WRONG_TYPES = {
    "sources.yaml": (b"sources: 5\n", "sources"),
    "profile.yaml": (b"window_days: many\n", "window_days"),
    "brand.yaml": (b"report_title: [1, 2]\n", "report_title"),
}


def _config_cases() -> list[tuple[str, str, bytes | None, str]]:
    cases = [
        (name, variant, content, words)
        for name in WRONG_TYPES
        for variant, (content, words) in BAD_CONFIGS.items()
    ]
    cases += [(name, "wrong-types", *WRONG_TYPES[name]) for name in WRONG_TYPES]
    cases += [(name, "directory", None, "是一个目录") for name in WRONG_TYPES]
    return cases


def _place(config_dir: Path, name: str, content: bytes | None) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "variant", "content", "words"),
    _config_cases(),
    ids=[f"{c[0]}-{c[1]}" for c in _config_cases()],
)
def test_malformed_config_file_is_a_clear_config_error(
    tmp_path: Path, name: str, variant: str, content: bytes | None, words: str
) -> None:
    from zhibao.config import load_brand, load_profile, load_sources
    from zhibao.core.errors import ConfigError

    loader = {"sources.yaml": load_sources, "profile.yaml": load_profile, "brand.yaml": load_brand}
    path = _place(tmp_path / "cfg", name, content)
    started = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        loader[name](tmp_path / "cfg")
    assert time.monotonic() - started < 5
    assert str(path) in str(caught.value)
    assert words in str(caught.value), str(caught.value)


def test_an_empty_config_file_means_the_defaults(tmp_path: Path) -> None:
    from zhibao.config import load_brand, load_profile, load_sources

    for name in WRONG_TYPES:
        _place(tmp_path / "cfg", name, b"")
    assert load_brand(tmp_path / "cfg") == load_brand(tmp_path / "none")
    assert load_profile(tmp_path / "cfg") == load_profile(tmp_path / "none")
    assert load_sources(tmp_path / "cfg") == load_sources(tmp_path / "none")


@pytest.mark.parametrize("variant", ["binary", "flow-deep", "directory", "huge"])
def test_commands_report_a_malformed_config_without_a_traceback(
    zhibao, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    content = None if variant == "directory" else BAD_CONFIGS[variant][0]
    sources = _place(tmp_path / "home", "sources.yaml", content)
    assert_clear_error(zhibao("sources", "check"), sources)
    profile = _place(tmp_path / "home2", "profile.yaml", content)
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home2"))
    assert_clear_error(zhibao("check", SAMPLE_BRIEF), profile)
