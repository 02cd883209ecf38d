"""Cadence is configuration: a weekly brief from ``cadence: weekly`` in profile.yaml alone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from zhibao.config import Cadence, load_profile
from zhibao.core.model import Document
from zhibao.runs.briefing import make_brief
from zhibao.store import Store
from zhibao.write import Wording

CHINA = timezone(timedelta(hours=8))
WEEK_END = date(2026, 5, 30)  # the weekly brief's date; its window reaches back to 5 月 23 日

# One event a day across the week, each with its date in the text as a source would write it.
WEEK = [
    (
        23,
        "nda",
        "国家数据局启动2026年“数据要素×”大赛",
        "5月23日，国家数据局在数据安全发展大会上启动2026年“数据要素×”大赛。"
        "本届大赛共设16个行业赛道，新增数据基础设施建设等赛道。"
        "大赛旨在推动数据要素价值释放，加快培育全国一体化数据市场。",
    ),
    (
        24,
        "nda",
        "国家数据局召开词元经济座谈会",
        "5月24日，国家数据局召开词元经济座谈会，阿里云、腾讯等企业代表参加。"
        "与会代表认为，词元已逐渐成为人工智能服务计量、结算与统计的基本单位。"
        "下一步，国家数据局将从高质量数据集和全国一体化算力网两方面发力。",
    ),
    (
        25,
        "people",
        "全国一体化算力网建设加快推进 绿色电力保障智算中心用能",
        "5月25日，全国一体化算力网建设推进会召开，8个国家枢纽节点的智算规模持续扩大。"
        "会议提出，推动数据中心使用绿色电力，提升算力资源调度和供给能力。"
        "业内人士表示，算力与能源协同将为智算产业带来新的增长空间。",
    ),
    (
        27,
        "nda",
        "国家数据局发布《关于加快培育数据产业的若干措施》",
        "5月27日，国家数据局发布《关于加快培育数据产业的若干措施》，提出支持数据企业做大做强。"
        "措施明确，到2029年培育一批数据产业生态，壮大数商队伍。"
        "国家数据局有关负责人表示，数据产业是数字经济的重要组成部分。",
    ),
    (
        29,
        "people",
        "工业互联网平台赋能智能制造 智能工厂梯度培育成效显现",
        "5月29日，工业和信息化部介绍，全国已建成基础级智能工厂3.5万多家。"
        "工业互联网平台连接的工业设备超过1亿台套，智能制造水平明显提升。"
        "专家认为，智能工厂建设是发展新质生产力的重要抓手。",
    ),
]
NEXT_WEEK = [
    (
        2,
        "nda",
        "国家数据局部署公共数据授权运营试点",
        "6月2日，国家数据局部署公共数据授权运营试点工作，首批选取10个城市开展试点。"
        "试点将探索公共数据资源开发利用的收益分配机制，推动数据流通交易。",
    ),
    (
        4,
        "people",
        "《人工智能应用伦理安全指引》发布 筑牢伦理安全治理屏障",
        "6月4日，《人工智能应用伦理安全指引》正式发布，围绕生成式人工智能和智能体的应用提出伦理安全要求。"
        "专家认为，伦理安全已成为人工智能大规模应用的前提条件。",
    ),
]
ORGS = {"nda": "国家数据局", "people": "人民日报"}


def _document(day: int, source_id: str, title: str, text: str, month: int = 5) -> Document:
    url = f"https://{source_id}/2026-{month:02d}-{day:02d}"
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=datetime(2026, month, day, 10, 0, tzinfo=CHINA),
        source_org=ORGS[source_id],
        source_id=source_id,
    )


@pytest.fixture
def weekly_dir(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "profile.yaml").write_text("cadence: weekly\n", encoding="utf-8")
    return config


def test_a_weekly_brief_needs_only_yaml(weekly_dir, brand, sources, tmp_path):
    profile = load_profile(weekly_dir)
    assert profile.cadence.every == "weekly" and profile.window_days == 7
    daily = load_profile(tmp_path / "no-config")  # the built-in profile: a daily brief
    assert not daily.window(WEEK_END).is_fresh(date(2026, 5, 25))
    with Store.open("sqlite://") as store:
        for day, source_id, title, text in WEEK:
            store.upsert_document(_document(day, source_id, title, text))
        run = make_brief(WEEK_END, store=store, profile=profile, brand=brand, sources=sources)
        for day, source_id, title, text in NEXT_WEEK:
            store.upsert_document(_document(day, source_id, title, text, month=6))
        next_week = make_brief(
            WEEK_END + timedelta(days=7), store=store, profile=profile, brand=brand, sources=sources
        )

    brief = run.brief
    assert run.check.ok, [f.line() for f in run.check.failures]
    assert brief.judgment.title.startswith("本周判断：")
    # Documents five to seven days old are still fresh in a weekly brief: every one of the week
    # is selected or kept as a candidate, and the oldest are written up and cited.
    selected = {e.lead_document.canonical_url for e in run.analysis.selected}
    candidates = {e.lead_document.canonical_url for e in run.analysis.candidates}
    week = {f"https://{source_id}/2026-05-{day}" for day, source_id, *_ in WEEK}
    assert selected | candidates == week
    assert {"https://nda/2026-05-23", "https://people/2026-05-25"} <= selected
    assert {"https://nda/2026-05-23", "https://people/2026-05-25"} <= {
        r.url for r in brief.references
    }
    # The period is the week's, in the summary and in the judgment.
    for text in (brief.summary, brief.judgment.title, brief.judgment.text):
        assert "今日" not in text and "今天" not in text, text
    assert "本周入选的" in brief.judgment.text
    assert "过去四周没有已存档的简报" in brief.judgment.text
    # A week later the trend compares against the briefs of the last four weeks.
    assert next_week.brief.judgment.title.startswith("本周判断：")
    assert "与过去四周的一期简报相比" in next_week.brief.judgment.text


def test_the_daily_wording_is_the_house_format():
    daily = Wording.of(Cadence())
    assert (daily.judgment_title, daily.period, daily.prompt_period) == ("今日判断", "今天", "当天")
    assert (daily.brief_name, daily.trend_span) == ("每日简报", "过去一周")
    weekly = Wording.of(Cadence.model_validate("weekly"))
    assert (weekly.judgment_title, weekly.period, weekly.trend_span) == (
        "本周判断",
        "本周",
        "过去四周",
    )
    monthly = Wording.of(Cadence(period="本月", trend_days=30, judgment_title="本月判断"))
    assert (monthly.period, monthly.trend_span) == ("本月", "过去一个月")
    assert Wording.of(Cadence(trend_days=45)).trend_span == "近期"  # never a bare figure
