from __future__ import annotations

import pytest

from zhibao.config import (
    DEFAULTS_DIR,
    init_config,
    load_brand,
    load_profile,
    load_publish,
    load_sources,
    resolve_paths,
)
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
    assert [p.name for p in written] == ["brand.yaml", "profile.yaml", "sources.yaml", "publish.yaml"]
    assert written[0].read_text(encoding="utf-8") == (DEFAULTS_DIR / "brand.yaml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="已存在"):
        init_config(tmp_path / "cfg")
    assert load_publish(tmp_path / "cfg").channels == ["site"]  # the copy loads as written
    assert len(init_config(tmp_path / "cfg", overwrite=True)) == 4


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
