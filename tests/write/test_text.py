from __future__ import annotations

from datetime import date, datetime

from zhibao.core.model import Document
from zhibao.core.time import SHANGHAI
from zhibao.write.text import (
    attributed,
    cn_count,
    cn_ordinal,
    compress,
    head,
    is_complete,
    is_multipart,
    is_narration,
    prose_date,
    quantities,
    quotable,
    short_org,
    space_dates,
    split_sentences,
    story_text,
    strip_tags,
    subjectless,
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
    assert space_dates("2026年5月23日与5月3日") == "2026 年 5 月 23 日与 5 月 3 日"
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


def test_counts_are_words_and_two_is_liang():
    assert [cn_count(n) for n in (1, 2, 3, 9, 10)] == ["一", "两", "三", "九", "多"]
    assert [cn_ordinal(n) for n in (1, 2, 10, 11)] == ["一", "二", "十", ""]


def test_only_whole_sentences_are_complete():
    assert is_complete("国家数据局召开座谈会。")
    assert is_complete("他说：“好。”")
    assert not is_complete("前两个月我国电子信息制造业增加值同比增长14.2%")  # a headline line
    assert not is_complete("开年以来，我国农业科技创新成果加速涌现：")  # a list follows
    assert not is_complete("电力支撑能不能跟上？")
    assert not is_complete("他说：“数据是新的生产要素。")  # the quote never closes


def test_video_narration_is_recognised():
    for line in (
        "这是位于贵安的一处数据中心机房。",
        "画面中，机械臂正在焊接。",
        "跟着他，记者来到了科创城。",
    ):
        assert is_narration(line)
    assert not is_narration("这是我国首次发布化妆品行业标准。")  # a statement of significance
    assert not is_narration("国家数据局召开座谈会。")


def test_quotable_sentences_anchor_days_and_drop_what_a_brief_cannot_quote():
    document = Document(
        url="u",
        canonical_url="u",
        title="t",
        text=(
            "央视网消息（新闻联播）：今天（4月9日），两地开展对接。\n"
            "国内联播快讯\n"
            "昨天起，多地开启降雨。今年以来，累计发布12项标准。今年一季度，增加值增长8.9%。\n"
            "今年是开局之年，意义重大。《规则》今起正式施行。这是位于贵安的机房。能跟上吗？"
        ),
        published_at=datetime(2026, 4, 9, 19, 0, tzinfo=SHANGHAI),
    )
    assert quotable(document) == [
        "4 月 9 日，两地开展对接。",
        "4 月 8 日起，多地开启降雨。",
        "年初以来，累计发布12项标准。",  # no "2026年" that the source does not print
        "一季度，增加值增长8.9%。",
        "《规则》4 月 9 日起正式施行。",
    ]


def test_a_story_of_an_uncut_roundup_is_read_alone():
    document = Document(
        url="u",
        canonical_url="u",
        title="国内联播快讯",
        text="电子信息制造业快速增长\n前两个月增加值增长14.2%。\n京雄开展合作\n两地开展对接。",
    )
    assert story_text(document, "京雄开展合作") == "两地开展对接。"
    assert story_text(document, "不在页面上的标题") == document.text
    assert is_multipart(document)


def test_tags_quantities_heads_and_speakers():
    assert (
        strip_tags("【新思想引领新征程】推进数字中国建设 打造新引擎")
        == "推进数字中国建设 打造新引擎"
    )
    assert strip_tags("[视频]国内联播快讯") == "国内联播快讯"
    assert [f.text for f in quantities("2026年冠军成绩50分26秒，增长8.9%，共12家")] == [
        "8.9%",
        "12",
    ]
    assert head("4 月 20 日，国家统计局发布数据显示，一季度增加值增长8.9%。", 20) == (
        "4 月 20 日，国家统计局发布数据显示"
    )
    assert attributed("习近平总书记强调，数字经济健康发展意义重大。") == "习近平总书记"
    assert attributed("刘烈宏指出，词元经济是新形态。") == "刘烈宏"
    assert attributed("我们认为，要加快发展。") == ""


def test_a_sentence_opening_on_a_verb_has_lost_its_subject():
    assert subjectless("吸引一批芯片制造企业加速集聚。")
    assert not subjectless("内蒙古吸引一批芯片制造企业加速集聚。")
