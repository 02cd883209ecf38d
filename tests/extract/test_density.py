from __future__ import annotations

from datetime import datetime

import pytest
from lxml.html import document_fromstring

from zhibao.extract import ExtractError, extract_document
from zhibao.extract.body import article_text, chosen_text
from zhibao.extract.dates import SHANGHAI, byline_date, find_visible_date, title_line
from zhibao.extract.density import densest_node, drop_stream_lines, text_units

ARTICLE = [
    "路透月度调查显示，日本企业信心五月保持稳定，但制造业及服务业反映，日圆疲弱带来的通胀压力正损害利润。",
    "调查显示，五月制造业景气判断指数维持于正九，未来三个月预计略有改善。",
]
# Teasers longer and more punctuated than the article itself, as on portal pages.
TEASERS = [
    "最新港产片热播，好评如潮，不少人建议政府复刻片中场景作为旅游景点。事实上，现今旅游业讲求差异化特色，"
    "港产片正是香港文化最大特色之一；但单独营运一个场景管理不易，吸引力亦有限，当局不妨考虑兴建影城。",
    "强积金研究机构指，在本港及内地股市引领下，强积金有望在五月录得正回报，将是今年第三个月的正回报。"
    "五月迄今，各类基金表现分化，股票基金领涨，债券基金持平，保守基金小幅上升，整体回报约为百分之二。",
    "评级机构再次下调一家地产商评级，长期外币及本地货币发行人违约评级由BB+下调至BB，展望负面。"
    "机构认为，该公司销售持续疲弱，融资渠道收窄，短期偿债压力上升，流动性缓冲正在减少，需密切留意。",
]


def portal_page() -> str:
    items = "".join(
        f"<li class='stream-item'><h3><a href='/news/{n}.html'>其他新闻标题第{n}条</a></h3>"
        f"<div class='summary'><p>{text}</p></div></li>"
        for n, text in enumerate(TEASERS)
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in ARTICLE)
    return (
        "<html><head><meta charset='utf-8'><title>日本企业五月信心保持稳定 - 示例财经</title></head>"
        "<body><div class='nav'><a href='/'>首页</a> <a href='/news'>新闻</a></div>"
        "<main><article><h1>日本企业五月信心保持稳定</h1>"
        f"<div class='body-wrapper'><div class='body'>{paragraphs}</div></div></article>"
        f"<div class='more'><ul class='stream'>{items}</ul></div></main></body></html>"
    )


def test_text_units_count_cjk_characters_and_latin_words() -> None:
    assert text_units("国家数据局 data industry 2026") == 8


def test_densest_node_prefers_article_over_longer_teasers() -> None:
    tree = document_fromstring(portal_page())
    node = densest_node(tree)
    assert node is not None and node.get("class") == "body"


def test_teaser_lines_outside_article_are_dropped() -> None:
    tree = document_fromstring(portal_page())
    node = densest_node(tree)
    kept = drop_stream_lines([*ARTICLE, *TEASERS, "短行"], tree, node)
    assert kept == [*ARTICLE, "短行"]


def test_article_text_leaves_related_stream_out() -> None:
    tree = document_fromstring(portal_page())
    text = article_text(tree, "https://finance.example.com/news/japan-confidence.html")
    assert ARTICLE[0] in text and ARTICLE[1] in text
    assert "强积金" not in text and "港产片" not in text


def test_dense_node_wins_when_trafilatura_misses_part_of_the_article() -> None:
    # A long article in one table cell of an old layout, with a short teaser-like intro
    # paragraph elsewhere: whatever trafilatura returns, the article cell must be kept whole.
    sentences = [
        f"第{n}段：国家数据局部署推进数据要素市场化配置改革，要求加快公共数据资源开发利用，培育数据产业。"
        for n in range(1, 13)
    ]
    cell = "<br>".join(sentences)
    html = (
        "<html><head><meta charset='utf-8'><title>数据工作会议</title></head><body>"
        "<table><tr><td class='menu'><a href='/a'>首页</a><br><a href='/b'>新闻</a></td>"
        f"<td>{cell}</td></tr></table></body></html>"
    )
    text = chosen_text(document_fromstring(html), "https://old.example.cn/read.asp?id=1")
    assert all(sentence in text for sentence in sentences)
    assert "首页" not in text


def test_short_article_from_dense_node_is_not_replaced_by_recall_mode() -> None:
    # One summary sentence under a video player: the recall fallback would add player chrome.
    html = (
        "<html><head><meta charset='utf-8'><title>视频：大美中国</title></head><body>"
        "<div class='player'><ul><li>倍速</li><li>2.0X</li><li>1.5X</li><li>1.0X</li></ul>"
        "<div>很抱歉，您的浏览器不支持播放</div></div>"
        "<div class='summary'><p>央视网消息：神州大地春意渐浓，让我们一起领略大美中国。</p></div>"
        "</body></html>"
    )
    doc = extract_document(html, "https://tv.example.com/2026/03/04/VIDE123.shtml")
    assert doc.text == "央视网消息：神州大地春意渐浓，让我们一起领略大美中国。"


# ---------------------------------------------------------------------------- dates


def test_title_line_prefers_the_exact_heading() -> None:
    lines = ["博客 » 数据产业发展行动计划发布", "首页 | 新闻", "数据产业发展行动计划发布", "正文"]
    assert title_line(lines, "数据产业发展行动计划发布") == 2
    assert title_line(lines, "完全无关的标题") is None


def test_byline_date_under_title_beats_comment_date_below() -> None:
    lines = [
        "首页 >> 会议",
        "第四届经济学年会会议议程",
        "2004-12-10 阅读10544次",
        "会议于南开大学举行，来自全国的三百余位学者参加。",
        "相关评论:",
        "发表时间：2004-12-11 9:51:00",
        "怎样能看到论文全文？",
    ]
    title_at = title_line(lines, "第四届经济学年会会议议程")
    assert byline_date(lines, title_at) == datetime(2004, 12, 10, tzinfo=SHANGHAI)
    assert find_visible_date(lines, title_at=title_at) == datetime(2004, 12, 10, tzinfo=SHANGHAI)
    # Without a title to anchor on, the labelled comment date is all there is to go by.
    assert find_visible_date(lines) == datetime(2004, 12, 11, 9, 51, tzinfo=SHANGHAI)


def test_byline_zone_stops_at_the_article_text() -> None:
    prose = "正文" * 50 + "，2004年3月20日至5月7日，一位老中医在玻璃房中绝食。"
    lines = ["标题一二三四", prose, "2004-12-30"]
    assert byline_date(lines, 0) is None


def test_english_blog_date_with_time() -> None:
    lines = [
        "2006年12月27日（京港台时间）",
        "Saturday, September 10th, 2005 10:56 am",
        "播客热潮迅速蔓延",
        "每个人都可以当主持人，任何人都可以通过软件免费下载播客提供的节目。" * 3,
    ]
    # The timed post date outranks the bare "today" banner above it.
    assert find_visible_date(lines) == datetime(2005, 9, 10, 10, 56, tzinfo=SHANGHAI)


def test_english_dates_in_bylines() -> None:
    lines = ["China unveils data plan", "Posted Dec. 3, 2004 at 5:04 p.m. by Staff"]
    assert find_visible_date(lines, title_at=0) == datetime(2004, 12, 3, 17, 4, tzinfo=SHANGHAI)
    assert find_visible_date(["we may 2005 plan things"]) is None


def test_page_with_heading_and_byline_but_no_body_has_no_article() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>关于优化政务服务的意见_中国政府网</title></head><body>"
        "<div class='article'><h1>国务院办公厅关于进一步优化政务服务提升行政效能的意见</h1>"
        "<div class='pages-date'>2026-05-23 18:00 来源：中国政府网</div>"
        "<div id='UCAP-CONTENT'> </div><div class='editor'>【我要纠错】 责任编辑：王明</div>"
        "</div></body></html>"
    )
    with pytest.raises(ExtractError):
        extract_document(html, "https://www.gov.cn/zhengce/content/202605/content_1.htm")
    # The same page with one paragraph of prose is an article.
    filled = html.replace(
        "<div id='UCAP-CONTENT'> </div>",
        "<div id='UCAP-CONTENT'><p>为进一步优化政务服务、提升行政效能，经国务院同意，现提出如下意见。</p></div>",
    )
    assert "提升行政效能" in extract_document(filled, "https://www.gov.cn/zhengce/c_2.htm").text
