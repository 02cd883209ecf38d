"""The extractive section on news-programme material: stories cut from a round-up page, video
narration, relative days, off-topic sentences, and context from the archive."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from zhibao.analyze import Analysis, AnalysisReport, analyze
from zhibao.check import CheckReport
from zhibao.check.style import check_filler
from zhibao.config import Profile, SectionCount, Theme
from zhibao.core.model import Document, Event, Source, Tier
from zhibao.core.relative_time import relative_words
from zhibao.runs.briefing import make_brief
from zhibao.store import Store
from zhibao.write import WriteContext, get_writer

CHINA = timezone(timedelta(hours=8))
PAGE = "https://tv.cctv.com/2026/04/09/VIDEroundup.shtml"


def _doc(url, title, text, day, *, month=4, hour=19, org="央视网", source="cctv", **more):
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=datetime(2026, month, day, hour, 0, tzinfo=CHINA),
        source_org=org,
        source_id=source,
        **more,
    )


STORY = _doc(
    f"{PAGE}#story-4",
    "京雄首次开展“人工智能+教育”深度合作",
    "今天（4月9日），北京的首都教育新地图和基础教育AI超市面向雄安新区全部学校开放访问和入驻权限，"
    "两地围绕人工智能通识课、身心健康教育等开展深入对接。\n"
    "北京和雄安新区依托人工智能，实现优质教育资源共享，助力雄安新区构建高水平现代化教育体系。",
    9,
    page_url=PAGE,
)
FEATURE = _doc(
    "https://tv.cctv.com/2026/04/16/VIDEcity.shtml",
    "算力之城：打造算电协同新生态",
    "央视网消息（新闻联播）：眼下，人工智能应用加速落地，算力需求不断增长，电力支撑能不能跟上？"
    "来看记者的一线调研。\n"
    "这是位于贵安的一处数据中心机房。\n"
    "负责人说，今年1月初，公司的词元日调用量还不到30亿，而到了4月，这个数字已经飙升至近120亿。\n"
    "在贵安数据中心集群，一批数据中心正在同时建设，算力规模越大，对电力供应的要求也更高。\n"
    "专家表示，高原地区的游客要注意预防高原反应。\n"
    "贵安新区有关负责人表示，算力与电力协同，将为数据中心绿色低碳发展提供有力支撑。",
    16,
    column="一线调研",
)
TOKENS = _doc(
    "https://tv.cctv.com/2026/03/25/VIDEtokens.shtml",
    "我国人工智能产业日均词元调用量超140万亿",
    "截至目前，我国人工智能产业日均词元调用量超140万亿，算力需求随之快速增长。\n"
    "词元是大模型计算的最小信息单元，算力与词元调用量同步攀升。",
    25,
    month=3,
)
MONGOLIA = _doc(
    "https://tv.cctv.com/2026/03/18/VIDEmongolia.shtml",
    "内蒙古推进绿色算力全产业链发展",
    "内蒙古在呼和浩特、乌兰察布等地布局一批绿色算力项目，推动算力与电力协同发展。",
    18,
    month=3,
)
UNRELATED = _doc(
    "https://tv.cctv.com/2026/03/14/VIDEspring.shtml",
    "各地春耕有序推进",
    "各地抢抓农时开展春耕，农机作业进度快于上年同期。",
    14,
    month=3,
)
ARCHIVE = [UNRELATED, MONGOLIA, TOKENS]


@pytest.fixture
def profile() -> Profile:
    return Profile(
        name="新质生产力",
        sections=SectionCount(min=1, max=4),
        min_relevance=6.0,
        authority={Tier.official_media: 0.8, Tier.central: 1.0},
        themes=[
            Theme(id="compute", name="算力网络与能源", keywords={"算力": 3, "数据中心": 2}),
            Theme(id="ai", name="人工智能与产业应用", keywords={"人工智能": 2, "词元": 3}),
        ],
    )


@pytest.fixture
def cctv() -> list[Source]:
    return [
        Source(
            id="cctv",
            name="新闻联播",
            org="央视网",
            tier=Tier.official_media,
            urls=["https://tv.cctv.com/"],
        )
    ]


def _section(event_document, profile, brand, cctv, *, archive=(), brief_date=date(2026, 4, 17)):
    analysis = analyze(
        [event_document], profile, brief_date=brief_date, tiers={s.id: s.tier for s in cctv}
    )
    context = WriteContext(
        brief_date=brief_date,
        brand=brand,
        profile=profile,
        orgs={s.id: s.org for s in cctv},
        archive=lambda since, until: [
            d for d in archive if since <= d.published_at.date() <= until
        ],
    )
    return get_writer("extractive").write_section(analysis.selected[0], context)


def test_the_fact_paragraph_has_no_narration_question_or_relative_day(profile, brand, cctv):
    written = _section(FEATURE, profile, brand, cctv)
    fact = written.section.paragraphs[0].text
    assert fact.startswith("央视网 4 月 16 日报道，")  # the absolute date, from the source's own
    assert "120亿" in fact and "1月初" in fact  # 今年1月初 → 1月初: no year the source lacks
    for left_out in ("这是位于", "？", "来看记者", "眼下，人工智能", "今年", "高原"):
        assert left_out not in fact
    assert not relative_words(fact)


def test_the_analysis_is_on_topic_attributed_and_new(profile, brand, cctv):
    written = _section(FEATURE, profile, brand, cctv)
    fact, analysis = (p.text for p in written.section.paragraphs)
    # A named view on the event's terms; the altitude-sickness "expert" is off topic.
    assert analysis.startswith("贵安新区有关负责人表示，算力与电力协同")
    assert "高原反应" not in analysis
    sentences = lambda text: {s for s in text.split("。") if s}  # noqa: E731
    assert not sentences(fact) & sentences(analysis)
    assert written.section.heading == "算力之城：打造算电协同新生态"


def test_background_and_counts_come_from_the_archive_each_cited(profile, brand, cctv):
    written = _section(FEATURE, profile, brand, cctv, archive=ARCHIVE)
    analysis = written.section.paragraphs[1]
    # Two earlier reports named 算力 in the month before: this is the third, and the last of
    # them is cited for the count; the most related one (its headline shares the event's
    # words, not only the topic's keywords) is quoted with its own date.
    assert "这是近一个月来央视网第三次报道算力相关进展，上一次在 3 月 25 日。" in analysis.text
    assert "此前 3 月 18 日，央视网曾报道，内蒙古在呼和浩特、乌兰察布等地布局一批绿色算力项目" in (
        analysis.text
    )
    by_url = {r.url: r for r in written.references}
    tokens, mongolia = by_url[TOKENS.canonical_url], by_url[MONGOLIA.canonical_url]
    assert {tokens.id, mongolia.id} <= set(analysis.citations)
    assert tokens.date == date(2026, 3, 25) and mongolia.date == date(2026, 3, 18)
    assert tokens.purpose.startswith(
        "用于背景：央视网 3 月 25 日关于我国人工智能产业日均词元调用量"
    )
    assert tokens.purpose.endswith("（计数依据）")
    assert mongolia.purpose == "用于背景：央视网 3 月 18 日关于内蒙古推进绿色算力全产业链发展的报道"
    assert UNRELATED.canonical_url not in by_url  # the count does not cite what it does not name


def test_nothing_grounded_means_no_analysis_paragraph(profile, brand, cctv):
    plain = _doc(
        "https://tv.cctv.com/2026/04/15/VIDEplain.shtml",
        "贵州新建一批数据中心",
        "贵州新建成12个数据中心，算力总规模达到3万标准机架。\n新建数据中心分布在贵安等地。",
        15,
    )
    written = _section(plain, profile, brand, cctv)
    assert [p.kind for p in written.section.paragraphs] == ["fact"]


def test_a_story_from_a_roundup_links_its_page_and_passes_the_checker(profile, brand, cctv):
    store = Store.open("sqlite://")
    try:
        store.upsert_document(STORY)
        run = make_brief(date(2026, 4, 10), store=store, profile=profile, brand=brand, sources=cctv)
    finally:
        store.close()
    assert run.check.ok, [f.line() for f in run.check.failures]
    (reference,) = run.brief.references
    assert reference.url == PAGE  # what a reader can open
    assert reference.title == "京雄首次开展“人工智能+教育”深度合作"
    fact = run.brief.sections[0].paragraphs[0].text
    assert fact.startswith("4 月 9 日，北京的首都教育新地图") and "今天" not in fact


def test_a_long_headline_is_shortened_at_its_news_not_cut(profile, brand, cctv):
    long = _doc(
        "https://nda/long",
        "刘烈宏出席2026数据安全发展大会开幕式并启动首届全国算力网络与数据中心协同创新大赛",
        "4月15日，2026数据安全发展大会开幕。国家数据局局长刘烈宏出席开幕式，"
        "并启动首届全国算力网络与数据中心协同创新大赛，共设8个赛道。",
        15,
        org="国家数据局",
        source="nda",
    )
    written = _section(long, profile, brand, cctv)
    heading = written.section.heading
    assert heading == "刘烈宏启动首届全国算力网络与数据中心协同创新大赛"
    assert len(heading) <= profile.length.heading.max


def test_connecting_phrases_do_not_repeat_across_sections(profile, brand, cctv):
    stories = [
        ("贵安算力调度平台上线", "贵安算力调度平台上线运行，接入算力10万卡。"),
        ("乌兰察布数据中心集群扩容", "乌兰察布数据中心集群新增机架2万个，绿电占比超过八成。"),
        ("庆阳智算中心投产", "庆阳智算中心一期投产，服务企业30家，年内再建两栋机房。"),
        ("上海发放算力券", "上海向中小企业发放算力券，首批金额5亿元，覆盖模型训练与推理。"),
    ]
    events = []
    for i, (title, text) in enumerate(stories):
        documents = [
            _doc(f"https://{source}/{i}", title, text, 16, org=outlet, source=source)
            for outlet, source in (("央视网", "cctv"), ("人民日报", "people"))
        ]
        events.append(Event(id=f"ev-{i}", documents=documents, theme="compute"))
    analysis = Analysis(
        date(2026, 4, 17),
        events,
        [],
        [],
        {},
        AnalysisReport((date(2026, 4, 14), date(2026, 4, 17))),
    )
    context = WriteContext(brief_date=date(2026, 4, 17), brand=brand, profile=profile)
    brief = get_writer("extractive").write_brief(analysis, context)
    texts = ["".join(p.text for p in s.paragraphs) for s in brief.sections]
    assert all("人民日报" in t for t in texts)  # every other outlet is named …
    report = CheckReport()
    check_filler(report, brief)
    assert report.warnings == []  # … but not in the same words in three sections


def test_a_view_that_only_restates_the_facts_figures_is_not_analysis(profile, brand, cctv):
    text = (
        "央视网消息（新闻联播）：截至目前，全国已建成算力中心50个，算力总规模达到300EFLOPS。\n"
        "国家数据局介绍，全国已建成算力中心50个，算力总规模达300EFLOPS。\n"
        "专家表示，算力网络加快成网，将为人工智能应用提供有力支撑。"
    )
    story = _doc("https://tv.cctv.com/2026/04/16/VIDEnet.shtml", "全国算力网络加快成网", text, 16)
    written = _section(story, profile, brand, cctv)
    fact, analysis = (p.text for p in written.section.paragraphs)
    assert "300EFLOPS" in fact
    assert "国家数据局介绍" not in analysis  # the same two figures in other words
    assert analysis.startswith("专家表示")
