from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from zhibao.core.model import Source, Tier
from zhibao.extract import ExtractError, canonical_url, extract_document, url_date
from zhibao.extract.dates import SHANGHAI, parse_datetime
from zhibao.extract.metadata import strip_site_suffix

NDA_URL = "https://www.nda.gov.cn/sjj/ywpd/0523/20260523192352930828856_mobile.html?utm_source=wx"


def test_government_meta_page(gov_page: str, paragraph: str) -> None:
    doc = extract_document(gov_page, NDA_URL)
    assert doc.title == "全国数据工作会议在京召开"
    assert doc.published_at == datetime(2026, 5, 23, tzinfo=SHANGHAI)
    assert doc.published_at.utcoffset() == timedelta(hours=8)
    assert doc.source_org == "国家数据局综合司"
    assert doc.canonical_url == (
        "https://www.nda.gov.cn/sjj/ywpd/0523/20260523192352930828856_pc.html"
    )
    assert doc.text.startswith(paragraph)
    assert "责任编辑" not in doc.text and "分享到" not in doc.text and "ICP" not in doc.text
    assert doc.language == "zh"
    assert len(doc.content_hash) == 64


def test_attachments_are_absolute_with_titles(gov_page: str) -> None:
    doc = extract_document(gov_page, NDA_URL)
    assert [(a.url, a.title) for a in doc.attachments] == [
        ("https://www.nda.gov.cn/files/2026/plan.pdf", "数据产业发展行动计划.pdf")
    ]


def test_content_hash_ignores_whitespace(gov_page: str) -> None:
    a = extract_document(gov_page, NDA_URL)
    b = extract_document(gov_page.replace("<p>会议强调", "<p>  会议强调 "), NDA_URL)
    assert a.content_hash == b.content_hash


def test_govcn_firstpublishedtime(make_page, paragraph: str) -> None:
    html = make_page(
        "<title>国务院办公厅关于推进新型基础设施建设的意见_政策_中国政府网</title>"
        "<meta name='firstpublishedtime' content='2026-05-22-10:05:30'>",
        f"<div class='pages_content'><div id='UCAP-CONTENT'><p>{paragraph}</p></div></div>",
    )
    doc = extract_document(html, "https://www.gov.cn/zhengce/content/202605/content_7001.htm")
    assert doc.published_at == datetime(2026, 5, 22, 10, 5, 30, tzinfo=SHANGHAI)
    assert doc.title == "国务院办公厅关于推进新型基础设施建设的意见"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026.05.23", datetime(2026, 5, 23, tzinfo=SHANGHAI)),
        ("2026-05-23 19:23", datetime(2026, 5, 23, 19, 23, tzinfo=SHANGHAI)),
        ("2026-05-23-19:23:52", datetime(2026, 5, 23, 19, 23, 52, tzinfo=SHANGHAI)),
        ("2026年05月23日 19:23", datetime(2026, 5, 23, 19, 23, tzinfo=SHANGHAI)),
        ("发布时间：2026/5/3", datetime(2026, 5, 3, tzinfo=SHANGHAI)),
        ("20260523", datetime(2026, 5, 23, tzinfo=SHANGHAI)),
    ],
)
def test_date_formats(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_date_with_offset_keeps_it() -> None:
    value = parse_datetime("2026-05-23 19:23:52+08:00")
    assert value is not None and value.utcoffset() == timedelta(hours=8)
    assert value.isoformat() == "2026-05-23T19:23:52+08:00"
    assert parse_datetime("第2026-13-45号") is None


def test_visible_source_line_gives_date_and_org(make_page, paragraph: str) -> None:
    html = make_page(
        "<title>工业和信息化部召开新闻发布会</title>",
        "<h1>工业和信息化部召开新闻发布会</h1>"
        "<div class='info'>来源：工业和信息化部 发布时间：2026年05月21日 15:30</div>"
        f"<div id='con_con'><p>{paragraph}</p></div>"
        "<ul class='list'><li><a href='/a'>另一条新闻</a> 2026-04-01</li></ul>",
    )
    doc = extract_document(html, "https://www.miit.gov.cn/xwdt/gxdt/art/2026/art_1.html")
    assert doc.published_at == datetime(2026, 5, 21, 15, 30, tzinfo=SHANGHAI)
    assert doc.source_org == "工业和信息化部"
    assert doc.title == "工业和信息化部召开新闻发布会"


def test_url_date_fallback_and_source_org(make_page, paragraph: str) -> None:
    source = Source(
        id="cac",
        name="中央网信办",
        org="中央网信办",
        tier=Tier.central,
        urls=["https://www.cac.gov.cn/wxzw/wxfb/A093702index_1.htm"],
    )
    html = make_page(
        "<title>网信办发布新规</title>", f"<div id='BodyLabel'><p>{paragraph}</p></div>"
    )
    doc = extract_document(
        html, "https://www.cac.gov.cn/2026-05/20/c_1781107933166351.htm", source=source
    )
    assert doc.published_at == datetime(2026, 5, 20, tzinfo=SHANGHAI)
    assert doc.source_org == "中央网信办"
    assert doc.source_id == "cac"


def test_no_date_is_none_not_invented(make_page, paragraph: str) -> None:
    html = make_page("<title>说明</title>", f"<div id='BodyLabel'><p>{paragraph}</p></div>")
    doc = extract_document(html, "https://example.org/about/page.html")
    assert doc.published_at is None


def test_listed_date_is_last_resort(make_page, paragraph: str) -> None:
    html = make_page("<title>说明</title>", f"<div id='BodyLabel'><p>{paragraph}</p></div>")
    doc = extract_document(
        html, "https://example.org/about/page.html", listed_date=date(2026, 5, 19)
    )
    assert doc.published_at == datetime(2026, 5, 19, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("全国数据工作会议召开_国家数据局", "全国数据工作会议召开"),
        ("新质生产力加快发展-新华网", "新质生产力加快发展"),
        ("人工智能+行动方案发布 | 人民网", "人工智能+行动方案发布"),
        ("2026-2030年规划纲要解读", "2026-2030年规划纲要解读"),
        ("央视快评：凝心聚力——热烈祝贺全国两会召开", "央视快评：凝心聚力——热烈祝贺全国两会召开"),
        ("[视频]全国政协会议在京开幕", "全国政协会议在京开幕"),
    ],
)
def test_site_suffix_stripping(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://WWW.Example.cn:443/a/b.html?id=3&utm_source=x&spm=1.2#frag",
            "https://www.example.cn/a/b.html?id=3",
        ),
        (
            "https://www.nda.gov.cn/sjj/x/0523/2026052319_mobile.html",
            "https://www.nda.gov.cn/sjj/x/0523/2026052319_pc.html",
        ),
        ("http://news.cn/a.htm?from=timeline&shareid=9&page=2", "http://news.cn/a.htm?page=2"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_link_from_other_site_is_ignored(make_page, paragraph: str) -> None:
    html = make_page(
        "<title>标题一二三四</title><link rel='canonical' href='https://other.com/x.html'>",
        f"<div id='BodyLabel'><p>{paragraph}</p></div>",
    )
    doc = extract_document(html, "https://www.cac.gov.cn/2026-05/20/c_1.htm?spm=3")
    assert doc.canonical_url == "https://www.cac.gov.cn/2026-05/20/c_1.htm"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nda.gov.cn/sjj/ywpd/0523/20260523192352930828856_pc.html", date(2026, 5, 23)),
        ("https://www.stats.gov.cn/sj/zxfb/202605/t20260523_1957.html", date(2026, 5, 23)),
        ("https://www.cac.gov.cn/2026-05/23/c_1781107933166351.htm", date(2026, 5, 23)),
        ("https://www.news.cn/politics/20260523/abc/c.html", date(2026, 5, 23)),
        ("https://www.example.com/about.html", None),
    ],
)
def test_url_date(url: str, expected: date | None) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><head><title>404</title></head><body><p>页面不存在</p></body></html>",
        "%PDF-1.7\n1 0 obj <<>>",
        "\x00\x01\x02binary",
    ],
)
def test_broken_pages_raise(html: str) -> None:
    with pytest.raises(ExtractError) as info:
        extract_document(html, "https://example.gov.cn/broken.html")
    assert "https://example.gov.cn/broken.html" in str(info.value)


def test_english_wire_page(make_page) -> None:
    body = (
        "<article><h1>China unveils data industry plan</h1>"
        "<p>BEIJING, May 23 (Reuters) - China's National Data Administration on Friday unveiled "
        "a plan to grow the country's data industry, aiming to build a unified national data "
        "market by 2030, according to a statement published on its website.</p>"
        "<p>The plan calls for more public data to be opened to companies and for new rules on "
        "cross-border data flows, officials told a news conference in the capital.</p>"
        "<p>Reporting by Staff; Editing by Desk</p></article>"
    )
    html = make_page(
        "<title>China unveils data industry plan | Reuters</title>"
        "<meta property='article:published_time' content='2026-05-23T08:15:00Z'>",
        body,
    )
    doc = extract_document(html, "https://www.reuters.com/world/china/china-data-2026-05-23/")
    assert doc.language == "en"
    assert doc.title == "China unveils data industry plan"
    assert doc.published_at == datetime.fromisoformat("2026-05-23T08:15:00+00:00")
    assert "unified national data market" in doc.text


def test_url_date_reads_year_month_folder_then_day_folder():
    assert url_date(
        "https://english.www.gov.cn/news/202605/08/content_WS69fde8e2c6d00ca5f9a0ad49.html"
    ) == date(2026, 5, 8)
