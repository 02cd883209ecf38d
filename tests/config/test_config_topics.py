"""Topics of one home: ``<home>/topics/<name>/`` with its own profile (and, optionally, brand
and publish settings) over the home's, the home's sources shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhibao.config import list_topics, load_brand, load_profile, load_publish
from zhibao.config.settings import load_settings, topic_names
from zhibao.core.errors import ConfigError

LOW_ALTITUDE = """\
cadence: weekly
themes:
  - id: uav
    name: 低空经济
    keywords: {低空经济: 3, 无人机: 2, eVTOL: 3}
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "topics" / "低空经济").mkdir(parents=True)
    (home / "topics" / "低空经济" / "profile.yaml").write_text(LOW_ALTITUDE, encoding="utf-8")
    (home / "topics" / "草稿").mkdir()  # no profile.yaml: not a topic
    (home / "brand.yaml").write_text(
        "report_title: 本会每日动态\npublisher: 某促进会\n", encoding="utf-8"
    )
    (home / "publish.yaml").write_text("channels: [site, email]\n", encoding="utf-8")
    return home


def test_topics_are_the_directories_with_a_profile(home: Path) -> None:
    assert list_topics(home) == ["低空经济"]
    assert topic_names(home) == ["新质生产力", "低空经济"]
    assert list_topics(home.parent / "elsewhere") == []


def test_a_topic_loads_its_profile_over_the_homes_and_shares_the_sources(home: Path) -> None:
    own = load_settings(home)
    topic = load_settings(home, topic="低空经济")
    assert topic.topic == "低空经济" and own.topic is None
    assert topic.profile.name == "低空经济"  # the store's key: the directory's name
    assert [t.id for t in topic.profile.themes] == ["uav"]
    assert topic.profile.cadence.judgment_title == "本周判断"
    assert own.profile.name == "新质生产力" and len(own.profile.themes) > 1
    assert [s.id for s in topic.sources] == [s.id for s in own.sources]
    # No brand.yaml of its own: the home's, key by key over the built-in.
    assert topic.brand.report_title == "本会每日动态" and topic.brand.publisher == "某促进会"


def test_a_topic_brand_and_publish_override_the_homes_key_by_key(home: Path) -> None:
    folder = home / "topics" / "低空经济"
    (folder / "brand.yaml").write_text("report_title: 低空经济周报\n", encoding="utf-8")
    (folder / "publish.yaml").write_text("channels: [site]\n", encoding="utf-8")
    brand = load_brand(home, topic="低空经济")
    assert brand.report_title == "低空经济周报" and brand.publisher == "某促进会"
    publish = load_publish(home, topic="低空经济")
    assert publish.channels == ["site"]
    assert load_publish(home).channels == ["site", "email"]


def test_each_topic_publishes_into_its_own_site_unless_it_names_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHIBAO_DATA_DIR", raising=False)
    assert load_publish(home, topic="低空经济").site.dir == home / "data" / "site" / "低空经济"
    (home / "publish.yaml").write_text("site: {dir: /srv/briefs}\n", encoding="utf-8")
    assert load_publish(home, topic="低空经济").site.dir == Path("/srv/briefs/低空经济")
    (home / "topics" / "低空经济" / "publish.yaml").write_text(
        "site: {dir: /srv/dikong}\n", encoding="utf-8"
    )
    assert load_publish(home, topic="低空经济").site.dir == Path("/srv/dikong")


def test_an_unknown_topic_names_the_known_ones(home: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(home, topic="数据要素")
    message = str(raised.value)
    assert "未知主题「数据要素」" in message and "新质生产力、低空经济" in message
    assert "topics/数据要素/profile.yaml" in message
    with pytest.raises(ConfigError, match="未知主题"):
        load_profile(home, topic="../home")


def test_the_homes_own_profile_name_is_a_topic_too(home: Path) -> None:
    assert load_settings(home, topic="新质生产力").topic is None


def test_a_topic_profile_naming_another_topic_is_refused(home: Path) -> None:
    path = home / "topics" / "低空经济" / "profile.yaml"
    path.write_text("name: 数据要素\n" + LOW_ALTITUDE, encoding="utf-8")
    with pytest.raises(ConfigError, match="name 应与主题目录名一致"):
        load_profile(home, topic="低空经济")


def test_a_bad_value_in_a_topic_file_is_reported_against_that_file(home: Path) -> None:
    path = home / "topics" / "低空经济" / "profile.yaml"
    path.write_text(LOW_ALTITUDE + "min_relevance: many\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_profile(home, topic="低空经济")
    assert f"{path}:6" in str(raised.value) and "min_relevance" in str(raised.value)
