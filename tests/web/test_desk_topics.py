"""Many topics, one installation: two topics over one store (the demo sites, collected once)
write two different briefs; an editor of one topic cannot open the other's desk; publishing
one topic leaves the other untouched."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from zhibao.config.settings import load_settings
from zhibao.runs.briefing import make_brief
from zhibao.runs.demo import crawl_demo_sites
from zhibao.runs.demo_server import serve_demo_sites
from zhibao.runs.demo_sites import demo_sources
from zhibao.runs.publishing import publish_approved
from zhibao.store import Accounts, BriefVersions, Publications, Store
from zhibao.web import WebSettings, create_app

DAY_TEXT = "2026-05-25"
DATA = "数据要素"
HOME_TOPIC = "新质生产力"  # the built-in profile, the home's own
PASSWORD = "correct horse battery"

DATA_PROFILE = """\
cadence: daily
sections: {min: 1, max: 4}
min_relevance: 4.0
broad_keywords: []
themes:
  - id: data
    name: 数据要素与数据基础设施
    keywords: {数据要素: 3, 公共数据: 3, 数据交易: 3, 国家数据局: 2, 数据基础设施: 3, 数据资源: 2, 可信数据空间: 3}
  - id: compute
    name: 算力网络
    keywords: {算力: 3, 数据中心: 2, 算力网: 3}
"""


@dataclass
class TopicWorld:
    home: Path
    data_dir: Path
    database_url: str


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> TopicWorld:
    """Collected and written once: the home (built-in profile) and topic 数据要素 (its own
    profile, brand and publish settings) share one store and the demo sources."""
    home = tmp_path_factory.mktemp("topics") / "home"
    topic = home / "topics" / DATA
    topic.mkdir(parents=True)
    (topic / "profile.yaml").write_text(DATA_PROFILE, encoding="utf-8")
    (topic / "brand.yaml").write_text("report_title: 数据要素每日动态\n", encoding="utf-8")
    (topic / "publish.yaml").write_text("channels: [site]\n", encoding="utf-8")
    data_dir = home / "data"
    database_url = f"sqlite:///{data_dir / 'zhibao.db'}"
    with serve_demo_sites() as base_url, Store.open(database_url, data_dir=data_dir) as store:
        crawl_demo_sites(base_url, store, data_dir / "archive")
        for name in (None, DATA):
            settings = load_settings(home, topic=name)
            make_brief(
                load_day(),
                store=store,
                profile=settings.profile,
                brand=settings.brand,
                sources=demo_sources(base_url),
            )
        accounts = Accounts(store)
        accounts.add_user("li", PASSWORD, role="chief")  # works on 数据要素 only
        accounts.set_topics("li", add=[DATA])
        accounts.add_user("wang", PASSWORD, role="editor")  # no topics of their own: all
    return TopicWorld(home, data_dir, database_url)


def load_day():
    from datetime import date

    return date.fromisoformat(DAY_TEXT)


@pytest.fixture
def world(template: TopicWorld, tmp_path: Path) -> TopicWorld:
    """A copy per test (publishing and switching change it)."""
    home = tmp_path / "home"
    shutil.copytree(template.home, home, ignore=shutil.ignore_patterns("zhibao.db*"))
    target = home / "data" / "zhibao.db"
    source = template.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as copy:
        src.backup(copy)
    return TopicWorld(home, home / "data", f"sqlite:///{target}")


@pytest.fixture
def app_client(world: TopicWorld) -> Iterator[TestClient]:
    app = create_app(
        WebSettings(database_url=world.database_url, config_dir=world.home, data_dir=world.data_dir)
    )
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def login(client: TestClient, name: str) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    desk = client.get(f"/desk/{DAY_TEXT}")
    return re.search(r'"X-CSRF-Token": "([^"]+)"', desk.text).group(1)


def test_two_topics_over_one_store_write_two_different_briefs(world: TopicWorld) -> None:
    with Store.open(world.database_url) as store:
        home = store.brief(load_day(), topic=HOME_TOPIC)
        data = store.brief(load_day(), topic=DATA)
    assert home is not None and data is not None
    assert data.masthead.title == "数据要素每日动态"
    assert home.masthead.title == "新质生产力每日动态"
    home_headings = [s.heading for s in home.sections]
    data_headings = [s.heading for s in data.sections]
    assert data_headings and home_headings != data_headings
    # Each brief is about its own topic: the 数据要素 brief's sections all cite its themes.
    themes = ("数据", "算力")
    assert all(any(t in s.heading for t in themes) for s in data.sections), data_headings


def test_an_editor_of_one_topic_cannot_open_the_other_topics_desk(
    app_client: TestClient,
) -> None:
    csrf = login(app_client, "li")
    # Their only topic is the default: the desk shows 数据要素's brief and masthead.
    mine = app_client.get(f"/desk/{DAY_TEXT}")
    assert mine.status_code == 200 and "数据要素每日动态" in mine.text
    other = app_client.get(f"/desk/{DAY_TEXT}", params={"topic": HOME_TOPIC})
    assert other.status_code == 403 and "不负责主题" in other.text
    assert app_client.get(f"/topic/{HOME_TOPIC}").status_code == 403
    # An edit sent with the other topic's header is refused before anything is saved.
    header = {"X-CSRF-Token": csrf, "X-Zhibao-Topic": "%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B"}
    refused = app_client.post(f"/desk/{DAY_TEXT}/summary", data={"text": "改写"}, headers=header)
    assert refused.status_code == 403
    unknown = app_client.get(f"/desk/{DAY_TEXT}", params={"topic": "不存在"})
    assert unknown.status_code == 404 and DATA in unknown.text  # lists the known topics


def test_an_editor_of_every_topic_switches_between_them(app_client: TestClient) -> None:
    csrf = login(app_client, "wang")
    first = app_client.get(f"/desk/{DAY_TEXT}")
    assert "新质生产力每日动态" in first.text
    assert f'href="/topic/{DATA}' in first.text.replace("%E6%95%B0%E6%8D%AE%E8%A6%81%E7%B4%A0", DATA)
    switched = app_client.get(f"/topic/{DATA}", params={"next": "/desk"})
    assert switched.status_code == 200 and "数据要素每日动态" in switched.text
    # An edit goes to the topic the page names (the htmx header), not to another tab's.
    header = {"X-CSRF-Token": csrf, "X-Zhibao-Topic": "%E6%95%B0%E6%8D%AE%E8%A6%81%E7%B4%A0"}
    saved = app_client.post(f"/desk/{DAY_TEXT}/summary", data={"text": "数据要素摘要，编辑改写。"}, headers=header)
    assert saved.status_code == 200, saved.text


def test_publishing_one_topic_leaves_the_other_untouched(world: TopicWorld) -> None:
    day = load_day()
    settings = load_settings(world.home, topic=DATA)
    with Store.open(world.database_url) as store:
        versions = BriefVersions(store, topic=DATA)
        latest = versions.latest(day)
        versions.approve(day, latest.number, user="li")
        report, record = publish_approved(
            day,
            store=store,
            config=settings.publish,
            brand=settings.brand,
            topic=DATA,
            user="li",
        )
        assert report.ok and record is not None, report.lines()
        assert Publications(store, topic=HOME_TOPIC).delivered(day, 1) == {}
        assert BriefVersions(store, topic=HOME_TOPIC).approved(day) is None
    site = settings.publish.site.dir
    assert site == world.data_dir / "site" / DATA  # each topic's own static site
    assert any(site.rglob("*.html"))
    home_site = load_settings(world.home).publish.site.dir or world.data_dir / "site"
    assert not (home_site / "index.html").exists()  # the home's site was not written


def test_user_topics_command(world: TopicWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhibao.cli import app

    monkeypatch.setenv("ZHIBAO_HOME", str(world.home))

    def run(*args: str):
        return CliRunner().invoke(
            app, ["user", "topics", *args, "--database-url", world.database_url]
        )

    shown = run("wang")
    assert shown.exit_code == 0 and f"全部主题（{HOME_TOPIC}、{DATA}）" in shown.output
    added = run("wang", "--add", DATA)
    assert added.exit_code == 0 and f"wang 负责：{DATA}" in added.output
    unknown = run("wang", "--add", "低空经济")
    message = str(unknown.exception)  # zhibao.cli.main prints it as 错误：…
    assert unknown.exit_code != 0 and "未知主题「低空经济」" in message
    assert DATA in message  # the known topics are listed
    removed = run("wang", "--remove", DATA)
    assert removed.exit_code == 0 and "全部主题" in removed.output


def test_the_daily_run_of_a_topic_writes_that_topics_brief(world: TopicWorld) -> None:
    # ``zhibao schedule --topic``: the same store and sources, the topic's profile and brand.
    from zhibao.config import load_publish
    from zhibao.runs.daily import daily_run

    day = load_day()
    with Store.open(world.database_url, data_dir=world.data_dir) as store:
        before = store.brief(day, topic=HOME_TOPIC)
        store.save_brief(
            store.brief(day, topic=DATA).model_copy(update={"summary": "旧的摘要"}), topic=DATA
        )
        result = daily_run(
            day,
            load_publish(world.home, topic=DATA),
            store=store,
            sources=[],
            data_dir=world.data_dir,
            config_dir=world.home,
            collect=False,
            echo=lambda _line: None,
            topic=DATA,
        )
        written = store.brief(day, topic=DATA)
        after = store.brief(day, topic=HOME_TOPIC)
    assert result.action == "notified", result.lines
    assert written is not None and written.masthead.title == "数据要素每日动态"
    assert written.summary != "旧的摘要"  # rewritten by the topic's run
    assert after == before  # the home's own brief is not touched
