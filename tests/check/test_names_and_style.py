"""Names found with precision, figures written another way, the support measure, and the
warnings (length budget, filler) that never fail a brief."""

from __future__ import annotations

import pytest
from check_world import DOCUMENTS, brief

from zhibao.check import CheckReport, check_brief
from zhibao.check.headings import event_clause
from zhibao.check.style import check_filler
from zhibao.check.support import support, terms
from zhibao.config import LengthBudget, Span, load_profile
from zhibao.core.entities import organisations, persons
from zhibao.core.figures import compact, find_figures
from zhibao.runs import editing

PROFILE = load_profile()


def _check(b, profile=PROFILE):
    by_url = {d.url: d for d in DOCUMENTS}
    return check_brief(b, {r.id: by_url.get(r.url) for r in b.references}, profile=profile)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("记者从国家数据局获悉", {"国家数据局"}),
        ("据国家统计局消息", {"国家统计局"}),
        ("会同省发展改革委", {"省发展改革委"}),
        ("工业和信息化部、农业农村部联合印发", {"工业和信息化部", "农业农村部"}),
        ("海天瑞声以及中金公司等单位", {"中金公司"}),
        ("梯度培育格局基本形成", set()),
        ("会议安排部署下一阶段工作", set()),
        ("各地区各部门推动数据融合应用", set()),
        ("管理办法自发布之日起施行", set()),
        ("中国工程院院士表示", {"中国工程院"}),
        ("决定举办2026年大赛", set()),
        ("新质生产力的外部变量", set()),
    ],
)
def test_organisations_start_where_the_name_starts(text, expected):
    assert organisations(text) == expected


def test_people_after_a_post_or_before_an_act():
    assert persons("国务院副总理丁薛祥在上海调研，国家数据局局长刘烈宏表示") == {"丁薛祥", "刘烈宏"}


@pytest.mark.parametrize(
    ("text", "key"),
    [("两成", "20%"), ("七成以上", "70%"), ("3.5成", "35%"), ("1.67万亿", "1670000000000")],
)
def test_figures_written_in_tenths_and_trillions(text, key):
    assert [f.key for f in find_figures(text)] == [key]


@pytest.mark.parametrize("text", ["一成不变", "建成投产", "成为主线", "形成合力"])
def test_cheng_in_words_is_no_figure(text):
    assert find_figures(text) == []


def test_support_weighs_rare_words_over_common_ones():
    event = "刘烈宏主持召开词元经济座谈会"
    assert terms(event) == ("刘烈宏", "主持", "召开", "词元", "经济", "座谈会")
    other = compact("国家数据局局长刘烈宏主持召开数据领域民营企业座谈会")
    same = compact("刘烈宏主持召开词元经济座谈会，听取企业意见")
    assert support(event, [same]).score == 1.0
    shared = support(event, [other])
    assert 0.4 < shared.score < 0.8 and shared.missing == ("词元", "经济")


def test_the_event_clause_is_before_the_first_comma():
    assert event_clause("国家数据局召开词元经济座谈会，大模型时代的“计量单位”进入政策视野") == (
        "国家数据局召开词元经济座谈会"
    )
    assert event_clause("全国一体化算力网监测调度平台上线") == "全国一体化算力网监测调度平台上线"


# ------------------------------------------------------------------ warnings


def test_a_paragraph_past_the_budget_warns_and_does_not_fail():
    tight = PROFILE.model_copy(update={"length": LengthBudget(fact=Span(min=10, max=60))})
    report = _check(brief(), tight)
    assert report.ok
    long = [w for w in report.warnings if w.place == "第 1 节第 1 段"]
    assert long and "超出篇幅上限 60 字" in long[0].reason
    assert report.verdict(brief()).status == "final"
    assert report.to_dict()["warnings"]


def test_filler_repeated_across_three_sections_warns():
    b = brief()
    for number in (1, 2, 3):
        text = b.sections[number - 1].paragraphs[1].text
        b = editing.edit_paragraph(b, number, 2, text + "对新质生产力而言，这一进展也作了铺垫。")
    report = _check(b)
    assert report.ok
    claims = {w.claim for w in report.warnings if w.where == "全文"}
    assert "对新质生产力而言，这一进展也作了铺垫" in claims


def test_a_repeated_name_is_not_filler():
    b = brief()
    for number in (1, 2, 3):
        text = b.sections[number - 1].paragraphs[1].text
        b = editing.edit_paragraph(
            b, number, 2, text + "国务院副总理丁薛祥。中央广播电视总台、人民日报。"
        )
    report = CheckReport()
    check_filler(report, b)
    assert report.warnings == []
