from __future__ import annotations

from datetime import date

from zhibao.analyze import analyze, covered_event
from zhibao.analyze.dedup import near_duplicate_groups
from zhibao.analyze.ranking import freshness

BRIEF_DATE = date(2026, 5, 25)
CONTEST = (
    "5月23日，2026年“数据要素×”大赛在数据安全发展大会开幕式期间正式启动。国家数据局表示，"
    "2026年是“数据要素价值释放年”，本届大赛新增人力资源、体育发展、文物保护利用、中医药、"
    "数据基础设施建设等赛道，共设16个行业赛道。数据要素大赛将通过试点试验、成果认定推进。"
)


def test_near_verbatim_reprint_is_a_duplicate(make_doc):
    original = make_doc("https://nda/1", "“数据要素×”大赛启动", CONTEST)
    reprint = make_doc(
        "https://sh/1",
        "“数据要素×”大赛启动",
        CONTEST.replace("正式启动", "启动"),
        24,
        org="上海市数据局",
        source_id="sh",
    )
    other = make_doc(
        "https://nda/2", "词元经济座谈会召开", "国家数据局召开词元经济座谈会，阿里云等企业参会。"
    )
    assert near_duplicate_groups([other, reprint, original]) == [[2, 1]]  # original first


def test_event_merges_outlets_and_days_with_authoritative_lead(profile, make_doc, tiers):
    docs = [
        make_doc(
            "https://xinhua/1",
            "2026年“数据要素×”大赛正式启动 新增多个赛道",
            "新华社北京5月23日电 国家数据局23日启动2026年“数据要素×”大赛，共设16个行业赛道，"
            "新增中医药、文物保护利用等赛道。数据要素价值释放年。",
            23,
            org="新华社",
            source_id="xinhua",
            hour=9,
        ),
        make_doc("https://nda/1", "刘烈宏启动2026年“数据要素×”大赛", CONTEST, 23, hour=20),
        make_doc(
            "https://sh/1",
            "上海组织参加2026年“数据要素×”大赛",
            "上海市数据局24日部署参加“数据要素×”大赛，16个行业赛道全部组队，推动公共数据开放。",
            24,
            org="上海市数据局",
            source_id="sh",
        ),
    ]
    analysis = analyze(docs, profile, brief_date=BRIEF_DATE, tiers=tiers)
    assert len(analysis.selected) == 1
    event = analysis.selected[0]
    assert {d.url for d in event.documents} == {"https://xinhua/1", "https://nda/1", "https://sh/1"}
    assert event.lead_document.url == "https://nda/1"  # central beats the earlier official media
    assert event.corroboration == 3
    assert event.reasons["data"][0] == "数据要素×"


def test_undated_document_is_never_fresh(profile, make_doc, tiers):
    assert freshness(None, BRIEF_DATE, 3) == 0
    assert freshness(date(2026, 5, 24), BRIEF_DATE, 3) == 1.0
    assert freshness(date(2026, 5, 21), BRIEF_DATE, 3) == 0
    undated = make_doc(
        "https://nda/9", "数据要素市场建设推进", "数据要素市场建设，公共数据开放。", None
    )
    old = make_doc(
        "https://nda/8", "数据要素市场建设推进会", "数据要素市场建设，公共数据开放。", 10
    )
    analysis = analyze([undated, old], profile, brief_date=BRIEF_DATE, tiers=tiers)
    assert analysis.report.counts["relevant"] == 2
    assert analysis.selected == [] and analysis.candidates == []
    assert analysis.empty


def test_theme_diversity_keeps_one_theme_from_taking_every_section(profile, make_doc, tiers):
    titles = [
        "数据要素市场化改革座谈会",
        "公共数据授权经营试点名单公布",
        "数据要素大赛湖北分赛启动",
        "福建印发数据要素行动方案",
    ]
    data = [
        make_doc(f"https://nda/d{i}", title, f"{title}。数据要素{'，公共数据' * (i + 1)}。", 24)
        for i, title in enumerate(titles)
    ]
    compute = make_doc("https://nda/c", "算力网络建设推进", "算力建设。", 23)
    analysis = analyze([*data, compute], profile, brief_date=BRIEF_DATE, tiers=tiers)
    themes = [e.theme for e in analysis.selected]
    assert themes.count("data") == 2
    assert "compute" in themes
    assert len(analysis.candidates) == 2  # the other data events wait for the editor


def test_continuity_drops_covered_event_and_keeps_expert_follow_up(profile, make_doc, tiers):
    guideline = make_doc(
        "https://cac/1",
        "《人工智能应用伦理安全指引1.0》发布",
        "中央网信办发布《人工智能应用伦理安全指引1.0》，引导人工智能应用以人为本、智能向善。",
        22,
        org="中央网信办",
        source_id="nda",
    )
    day1 = analyze([guideline], profile, brief_date=date(2026, 5, 23), tiers=tiers)
    assert [e.lead_document.url for e in day1.selected] == ["https://cac/1"]
    covered = [covered_event(e, date(2026, 5, 23)) for e in day1.selected]

    reprint = make_doc(
        "https://xinhua/2",
        "《人工智能应用伦理安全指引1.0》发布",
        "记者获悉，《人工智能应用伦理安全指引1.0》发布，引导人工智能应用以人为本。",
        23,
        org="新华社",
        source_id="xinhua",
    )
    day2 = analyze(
        [guideline, reprint], profile, brief_date=date(2026, 5, 24), tiers=tiers, earlier=covered
    )
    assert day2.selected == [] and len(day2.dropped) == 1

    expert = make_doc(
        "https://cac/2",
        "专家解读｜《人工智能应用伦理安全指引1.0》筑牢人工智能伦理屏障",
        "专家指出，《人工智能应用伦理安全指引1.0》识别了六方面伦理安全影响，人工智能应用需全过程治理。",
        24,
        org="中央网信办",
        source_id="nda",
    )
    day3 = analyze(
        [guideline, reprint, expert],
        profile,
        brief_date=date(2026, 5, 25),
        tiers=tiers,
        earlier=covered,
    )
    assert len(day3.selected) == 1
    event = day3.selected[0]
    assert event.continuing
    assert event.lead_document.url == "https://cac/2"
    assert any("专家解读" in d for d in event.developments)
    assert "https://cac/1" in {d.url for d in event.background}
