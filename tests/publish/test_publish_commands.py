from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhibao.cli import app
from zhibao.config import load_publish
from zhibao.core.errors import ConfigError
from zhibao.store import BriefVersions, Store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZHIBAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ZHIBAO_DATA_DIR", raising=False)
    monkeypatch.delenv("ZHIBAO_DATABASE_URL", raising=False)
    return tmp_path / "home"


def test_publish_command_puts_the_stored_brief_on_the_site(brief, home: Path, tmp_path: Path) -> None:
    with Store.open(data_dir=home / "data") as store:
        store.save_brief(brief, topic="新质生产力")
        versions = BriefVersions(store, topic="新质生产力")
        versions.approve(brief.date, versions.latest(brief.date).number, user="zhang")
    result = CliRunner().invoke(app, ["publish", "--date", "2026-05-25", "--site", str(tmp_path / "public")])
    assert result.exit_code == 0, result.output
    assert "✓ site" in result.output
    assert (tmp_path / "public" / "briefs" / "brief-2026-05-25.html").is_file()


def test_publish_command_without_a_brief_says_what_to_run(home: Path) -> None:
    result = CliRunner().invoke(app, ["publish", "--date", "2026-05-24"])
    assert result.exit_code != 0
    assert "zhibao brief --date 2026-05-24" in str(result.exception)


def test_publish_yaml_overrides_key_by_key(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "publish.yaml").write_text(
        "site:\n  base_url: https://brief.example.org\nwebhooks:\n  team:\n    kind: feishu\n    url: https://open.feishu.cn/x\n"
        "channels: [site, team]\n",
        encoding="utf-8",
    )
    config = load_publish(home)
    assert config.site.base == "https://brief.example.org/"
    assert config.site.downloads == ["pdf", "docx", "md"]  # default kept
    assert config.channels == ["site", "team"] and config.webhooks["team"].kind == "feishu"


def test_publish_yaml_errors_name_file_and_field(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "publish.yaml").write_text("channels: [site, slack]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"publish.yaml.*slack"):
        load_publish(home)
    (home / "publish.yaml").write_text("email:\n  security: tls\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"publish.yaml:2: email.security"):
        load_publish(home)
