"""clean_title: the headline alone, its column tag apart, site names and media markers gone."""

from __future__ import annotations

import pytest

from zhibao.extract import clean_title, extract_document


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # column tags at the start, after a media marker
        (
            "[视频]【新思想引领新征程】经济实力跃上新台阶",
            ("经济实力跃上新台阶", "新思想引领新征程"),
        ),
        ("【一线调研】春耕备耕农资供应有保障 - 新华网", ("春耕备耕农资供应有保障", "一线调研")),
        (
            "【“十五五”新图景】增绿降碳 加减之间再造新机遇",
            ("增绿降碳 加减之间再造新机遇", "“十五五”新图景"),
        ),
        ("〔政策解读〕数据产业发展行动计划答问", ("数据产业发展行动计划答问", "政策解读")),
        (
            "新华视界｜河北遵化：数字农机服务助力农业生产",
            ("河北遵化：数字农机服务助力农业生产", "新华视界"),
        ),
        # a tag at the end
        ("数据要素市场建设取得新进展【权威发布】", ("数据要素市场建设取得新进展", "权威发布")),
        # media markers are dropped, never a column
        ("[视频]全国政协会议在京开幕", ("全国政协会议在京开幕", "")),
        ("【图文】国家数据局召开专题会议", ("国家数据局召开专题会议", "")),
        ("多地出现强降雨(组图)", ("多地出现强降雨", "")),
        # site suffixes after the usual separators
        ("全国数据工作会议召开_国家数据局", ("全国数据工作会议召开", "")),
        (
            "国务院办公厅关于推进新型基础设施建设的意见_政策_中国政府网",
            ("国务院办公厅关于推进新型基础设施建设的意见", ""),
        ),
        ("新质生产力加快发展-新华网", ("新质生产力加快发展", "")),
        ("人工智能+行动方案发布 | 人民网", ("人工智能+行动方案发布", "")),
        ("郑板桥画了几笔兰花当嫁妆--文化--人民网", ("郑板桥画了几笔兰花当嫁妆", "")),
        ("交通网络建设提速-股票频道-和讯网", ("交通网络建设提速", "")),
        ("华为抢跑5G芯片大战|中国芯|芯片_新浪新闻", ("华为抢跑5G芯片大战", "")),
        ("新版工具发布-CSDN.NET", ("新版工具发布", "")),
        ("政策新闻_新闻频道_央视网(cctv.com)", ("政策新闻", "")),
        ("  全国  数据\u3000工作会议召开 ", ("全国 数据 工作会议召开", "")),
    ],
)
def test_clean_title(raw: str, expected: tuple[str, str]) -> None:
    assert clean_title(raw) == expected


@pytest.mark.parametrize(
    "title",
    [
        "2026-2030年规划纲要解读",  # a dash inside the headline
        "央视快评：凝心聚力——热烈祝贺全国两会召开",
        "数据要素市场化改革提速——访国家数据局",  # a subtitle, not a site
        "关于印发《数据标准【2026】5号》的通知",  # a bracket inside the headline stays
        "中华人民共和国监察法-纪检",
        "1-10月德清县固定资产投资结构趋稳趋优",
    ],
)
def test_headline_content_is_never_stripped(title: str) -> None:
    assert clean_title(title) == (title, "")


def test_a_short_lead_before_a_bar_is_not_mistaken_for_the_headline() -> None:
    # "棱镜|…": the short part is the column, the long one the headline.
    assert clean_title("棱镜|数据业大整顿：用户信息几元不等_财经_腾讯网") == (
        "数据业大整顿：用户信息几元不等",
        "棱镜",
    )


def test_stripping_never_leaves_an_empty_title() -> None:
    assert clean_title("【视频】") == ("【视频】", "")
    assert clean_title("") == ("", "")


def test_extracted_documents_carry_a_clean_title_and_their_column(make_page, paragraph) -> None:
    html = make_page(
        "<title>[视频]【一线调研】春耕备耕农资供应有保障_中国政府网</title>",
        f"<div class='TRS_Editor'><p>{paragraph}</p></div>",
    )
    doc = extract_document(html, "https://www.gov.cn/yaowen/2026-05/18/content_1.htm")
    assert (doc.title, doc.column) == ("春耕备耕农资供应有保障", "一线调研")
