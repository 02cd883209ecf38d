from __future__ import annotations

from datetime import date

from zhibao.write.text import (
    compress,
    prose_date,
    short_org,
    space_dates,
    split_sentences,
    title_parts,
)


def test_sentences_split_on_full_stops_and_keep_closing_quotes():
    text = "他说：“数据要素价值释放年。”大赛启动；共设16个赛道。\n第二段"
    assert split_sentences(text) == [
        "他说：“数据要素价值释放年。”",
        "大赛启动；共设16个赛道。",
        "第二段",
    ]


def test_compress_drops_boilerplate_and_keeps_figures():
    assert (
        compress("据悉，5月23日，大赛启动，共设16个赛道。")
        == "5 月 23 日，大赛启动，共设16个赛道。"
    )
    assert compress("记者从国家数据局获悉，累计发布417个典型案例。") == "累计发布417个典型案例。"
    assert compress("本报北京5月22日电 国家数据局22日召开座谈会。") == "国家数据局22日召开座谈会。"
    assert compress("《指引》（以下简称《指引》）正式发布。") == "《指引》正式发布。"


def test_dates_in_prose_are_spaced():
    assert space_dates("2026年5月23日与5月3日") == "2026 年 5 月 23 日与5 月 3 日"
    assert prose_date(date(2026, 5, 3)) == "5 月 3 日"


def test_short_org_names_the_issuing_body():
    assert short_org("国家统计局网站") == "国家统计局"
    assert short_org("人民网－人民日报") == "人民日报"
    assert short_org("中国网信网", "中央网信办") == "中央网信办"
    assert short_org("", "国家数据局") == "国家数据局"


def test_title_parts_split_headline_clauses():
    assert title_parts("专家解读｜秉持以人为本 统筹发展与安全") == [
        "秉持以人为本",
        "统筹发展与安全",
    ]
    assert title_parts("国家统计局：智能制造规模化发展") == ["国家统计局", "智能制造规模化发展"]
