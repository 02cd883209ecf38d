from __future__ import annotations

import pytest

from zhibao.config import (
    CONFIG_FILES,
    DEFAULTS_DIR,
    init_config,
    load_brand,
    load_profile,
    load_publish,
    load_sources,
    resolve_paths,
)
from zhibao.config.llm import load_llm_settings
from zhibao.core.errors import ConfigError


def test_builtin_defaults_load(tmp_path):
    brand = load_brand(tmp_path)  # empty dir: built-in values only
    assert brand.report_title == "新质生产力每日动态"
    assert len(brand.contact.qr_codes) == 2
    profile = load_profile(tmp_path)
    assert 4 <= profile.sections.min <= profile.sections.max <= 6
    assert {t.id for t in profile.themes} >= {"data-elements", "ai-governance"}
    sources = load_sources(tmp_path)
    assert {s.id for s in sources.sources} >= {"nda", "cac", "gov", "stats", "xinhua"}


def test_user_file_overrides_key_by_key(tmp_path):
    (tmp_path / "brand.yaml").write_text(
        "report_title: 低空经济周报\ncontact:\n  website: https://example.org\n", encoding="utf-8"
    )
    brand = load_brand(tmp_path)
    assert brand.report_title == "低空经济周报"
    assert brand.contact.website == "https://example.org"
    # keys the user did not set keep their built-in values
    assert brand.publisher == "中国高技术产业发展促进会新质生产力工作委员会"
    assert len(brand.contact.qr_codes) == 2


def test_invalid_config_names_file_line_field_and_expectation(tmp_path):
    (tmp_path / "profile.yaml").write_text(
        "name: 测试\nwindow_days: 3\nsections:\n  min: 4\n  max: many\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_profile(tmp_path)
    message = str(info.value)
    assert f"{tmp_path / 'profile.yaml'}:5: sections.max: 应为整数" in message


def test_invalid_source_entry_points_at_its_line(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - id: ok\n    name: 甲\n    org: 甲\n    tier: central\n    urls: [http://a]\n"
        "  - id: bad\n    name: 乙\n    org: 乙\n    tier: galaxy\n    urls: [http://b]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_sources(tmp_path)
    assert "sources.yaml:10: sources[1].tier: 应为" in str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    (tmp_path / "brand.yaml").write_text("report_title: x\ncontact: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"brand.yaml:\d+: YAML 语法错误"):
        load_brand(tmp_path)


def test_init_writes_editable_copies_and_refuses_to_clobber(tmp_path):
    written = init_config(tmp_path / "cfg")
    assert [p.name for p in written] == [
        "brand.yaml",
        "profile.yaml",
        "sources.yaml",
        "publish.yaml",
        "llm.yaml",
    ]
    for path in written:  # comments and all: the shipped file, to edit
        assert path.read_text(encoding="utf-8") == (DEFAULTS_DIR / path.name).read_text(
            encoding="utf-8"
        )
    with pytest.raises(ConfigError, match="已存在"):
        init_config(tmp_path / "cfg")
    assert load_publish(tmp_path / "cfg").channels == ["site"]  # the copy loads as written
    assert load_llm_settings(tmp_path / "cfg", environ={}) == load_llm_settings(
        tmp_path, environ={}
    )
    assert len(init_config(tmp_path / "cfg", overwrite=True)) == len(CONFIG_FILES)


def test_init_refused_writes_nothing(tmp_path):
    (tmp_path / "llm.yaml").write_text("llm: {model: my-model}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="llm.yaml: 已存在"):
        init_config(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["llm.yaml"]


def test_llm_yaml_overrides_key_by_key_under_the_environment(tmp_path):
    (tmp_path / "llm.yaml").write_text(
        "llm:\n  model: file-model\n  prices:\n    file-model: {input: 1, output: 2}\n",
        encoding="utf-8",
    )
    settings = load_llm_settings(tmp_path, environ={"OPENAI_BASE_URL": "http://sdk/v1"})
    assert (settings.model, settings.base_url) == ("file-model", "http://sdk/v1")
    assert settings.timeout == 90 and settings.concurrency == 4  # built-in values stay
    assert settings.price().output == 2
    env = {"ZHIBAO_LLM_MODEL": "env-model", "OPENAI_BASE_URL": "http://sdk/v1"}
    assert load_llm_settings(tmp_path, environ=env).model == "env-model"
    # An endpoint in the file wins over the SDK's variable, not over zhibao's own.
    (tmp_path / "llm.yaml").write_text("llm:\n  base_url: http://file/v1\n", encoding="utf-8")
    assert load_llm_settings(tmp_path, environ=env).base_url == "http://file/v1"
    env["ZHIBAO_LLM_BASE_URL"] = "http://env/v1"
    assert load_llm_settings(tmp_path, environ=env).base_url == "http://env/v1"


def test_invalid_llm_yaml_names_file_line_and_field(tmp_path):
    (tmp_path / "llm.yaml").write_text("llm:\n  model: m\n  concurrency: lots\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_llm_settings(tmp_path, environ={})
    assert f"{tmp_path / 'llm.yaml'}:3: llm.concurrency: 应为整数" in str(info.value)
    (tmp_path / "llm.yaml").write_text("model: m\n", encoding="utf-8")  # not under llm:
    with pytest.raises(ConfigError, match=r"llm.yaml:1: model: 未知字段"):
        load_llm_settings(tmp_path, environ={})


def test_paths_follow_zhibao_home(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATA_DIR", raising=False)
    paths = resolve_paths()
    assert paths.config_dir == tmp_path / "home"
    assert paths.data_dir == tmp_path / "home" / "data"
    monkeypatch.setenv("ZHIBAO_DATA_DIR", str(tmp_path / "big-disk"))
    assert resolve_paths().data_dir == tmp_path / "big-disk"


def test_duplicate_source_ids_are_refused(tmp_path):
    entry = "  - id: nda\n    name: 甲\n    org: 甲\n    tier: central\n    urls: [http://a]\n"
    (tmp_path / "sources.yaml").write_text("sources:\n" + entry + entry, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources 中的 id 重复: \['nda'\]"):
        load_sources(tmp_path)
