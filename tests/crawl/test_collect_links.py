from __future__ import annotations

import re
from datetime import date

from zhibao.crawl.links import (
    ListPage,
    derived_next_page,
    looks_like_article,
    same_site,
    url_date,
)

BASE = "https://www.nda.gov.cn/sjj/ywpd/list/index_pc_1.html"


def test_url_dates_of_known_layouts():
    assert url_date("https://www.nda.gov.cn/sjj/ywpd/0523/20260523192352930828856_pc.html") == date(
        2026, 5, 23
    )
    assert url_date("https://www.stats.gov.cn/sj/zxfb/202605/t20260522_1959.html") == date(
        2026, 5, 22
    )
    assert url_date("https://www.cac.gov.cn/2026-05/23/c_1781107933166351.htm") == date(2026, 5, 23)
    assert url_date("https://www.news.cn/tech/20260521/3f9a0c1d2e/c.html") == date(2026, 5, 21)
    assert url_date("http://finance.people.com.cn/n1/2026/0523/c1004-40123456.html") == date(
        2026, 5, 23
    )
    assert url_date("https://www.cac.gov.cn/c_1781107933166351.htm") is None
    assert url_date("https://e.test/20261345/x.html") is None  # not a real day


def test_article_like_and_same_site():
    assert looks_like_article("https://www.gov.cn/zhengce/content/202605/content_7023456.htm")
    assert not looks_like_article("https://www.gov.cn/zhengce/zuixin/")
    assert same_site("https://www.nda.gov.cn/a", "https://nda.gov.cn/b")
    assert not same_site("https://www.nda.gov.cn/a", "https://www.ndrc.gov.cn/b")
    assert same_site("http://finance.people.com.cn/a", "http://www.people.com.cn/b")


def test_derived_next_page():
    assert derived_next_page(BASE) == BASE.replace("index_pc_1", "index_pc_2")
    assert derived_next_page("https://www.cac.gov.cn/wxzw/wxfb/A093702index_1.htm").endswith(
        "A093702index_2.htm"
    )
    assert (
        derived_next_page("https://www.gov.cn/yaowen/index.htm")
        == "https://www.gov.cn/yaowen/index_1.htm"
    )
    assert derived_next_page("https://www.gov.cn/zhengce/zuixin/") is None


AUTO = """<html><body>
<div class="nav"><a href="/">首页</a><a href="/sjj/swdt/">数据动态</a><a href="list/index_pc_2.html">2</a></div>
<ul>
 <li><a href="../0523/20260523192352930828856_pc.html">国家数据局召开数据要素市场化配置改革推进会</a><span>2026.05.23</span></li>
 <li><a href="/sjj/ywpd/0522/20260522100000000000001_pc.html" title="关于印发《公共数据资源授权运营实施规范》的通知全文">关于印发《公共数据资源授权…</a></li>
 <li><a href="https://www.nda.gov.cn/2026-05/21/c_1781107933166351.htm">全国数据工作会议在京召开部署重点任务</a> <em>05-21</em></li>
 <li><a href="/sjj/ywpd/0520/20260520000000000000002_pc.html">短</a></li>
 <li><a href="https://www.ndrc.gov.cn/xwdt/202605/t20260523_1.html">国家发展改革委发布新闻稿外站链接</a></li>
 <li><a href="/sjj/ywpd/list/index_pc_2.html">下一页</a></li>
</ul></body></html>"""


def test_auto_discovery_titles_dates_and_skips():
    page = ListPage(AUTO, BASE)
    links = page.links(year_hint=2026, month_hint=5)
    assert [(lk.url.rsplit("/", 2)[-2:], lk.title, lk.listed_date) for lk in links] == [
        (
            ["0523", "20260523192352930828856_pc.html"],
            "国家数据局召开数据要素市场化配置改革推进会",
            date(2026, 5, 23),
        ),
        (
            ["0522", "20260522100000000000001_pc.html"],
            "关于印发《公共数据资源授权运营实施规范》的通知全文",
            date(2026, 5, 22),
        ),
        (
            ["21", "c_1781107933166351.htm"],
            "全国数据工作会议在京召开部署重点任务",
            date(2026, 5, 21),
        ),
    ]
    assert page.next_page() == "https://www.nda.gov.cn/sjj/ywpd/list/index_pc_2.html"


def test_include_exclude_and_selector():
    page = ListPage(AUTO, BASE)
    only = page.links(include=[re.compile(r"c_\d+\.htm$")])
    assert [lk.title for lk in only] == ["全国数据工作会议在京召开部署重点任务"]
    no_pc = page.links(exclude=[re.compile(r"_pc\.html$")])
    assert len(no_pc) == 1
    chosen = page.links(link_selector="li:nth-of-type(2)")  # a non-<a> selector: its link is used
    assert [lk.listed_date for lk in chosen] == [date(2026, 5, 22)]  # from the URL
    assert page.links(link_selector="div.gone a") == []


def test_date_selector_and_month_day_in_january():
    html = """<ul class="list"><li><a href="/t20251230_1.html">年末发布的一篇文章标题</a><i class="d">12-30</i></li>
    <li><a href="/x/a.html">没有日期的文章标题示例</a><i class="d">[2026-01-02]</i></li></ul>"""
    page = ListPage(html, "https://www.stats.gov.cn/sj/zxfb/")
    links = page.links(link_selector="ul.list a", date_selector="i.d", year_hint=2026, month_hint=1)
    assert [lk.listed_date for lk in links] == [date(2025, 12, 30), date(2026, 1, 2)]


def test_trs_pager_script():
    html = '<ul></ul><script>createPageHTML(5, 0, "index", "html");</script>'
    assert (
        ListPage(html, "https://www.ndrc.gov.cn/xwdt/xwfb/").next_page()
        == "https://www.ndrc.gov.cn/xwdt/xwfb/index_1.html"
    )
    last = '<script>createPageHTML(2, 1, "index", "html");</script>'
    assert ListPage(last, "https://www.ndrc.gov.cn/xwdt/xwfb/index_1.html").next_page() is None


def test_title_attribute_preferred_over_badged_text():
    html = """<ul><li><a href="https://tv.cctv.com/2026/03/04/VIDEabc260304.shtml"
    title="[视频]全国政协十四届四次会议在京开幕"><i>完整版</i>[视频]全国政协十四届四次会议在京开幕</a></li></ul>"""
    [link] = ListPage(html, "https://tv.cctv.com/lm/xwlb/day/20260304.shtml").links()
    assert link.title == "[视频]全国政协十四届四次会议在京开幕"
    assert link.listed_date == date(2026, 3, 4)
