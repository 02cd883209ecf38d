"""collect_source end to end over loopback HTTP: the three kinds, pagination, windows, faults."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from zhibao.crawl import Collected, CollectError, WarcArchive, decode_html, iter_warc

MAY22, MAY23 = date(2026, 5, 22), date(2026, 5, 23)
LONG = (
    "国家数据局有关负责人介绍，"
    + "各地加快推进公共数据资源开发利用，数据要素市场化配置改革取得积极进展。" * 6
)


def html_list(items, extra=""):
    lis = "".join(f'<li><a href="{h}">{t}</a><span>{d}</span></li>' for h, t, d in items)
    return (
        f'<html><head><meta charset="utf-8"></head><body><a href="/">首页</a>'
        f'<ul class="u-list">{lis}</ul>{extra}</body></html>'
    ).encode()


def pages(results):
    return [r for r in results if isinstance(r, Collected)]


def errors(results):
    return [r for r in results if isinstance(r, CollectError)]


def paths(results):
    return sorted(r.page.final_url.split("/", 3)[3] for r in pages(results))


@pytest.fixture
def news(site):
    for p in (
        "/sjj/0523/20260523100000000000001_pc.html",
        "/sjj/0523/20260523110000000000002_pc.html",
        "/sjj/0522/20260522100000000000003_pc.html",
        "/xwfb/202605/t20260523_11.html",
        "/2026-05/23/c_1781107933166351.htm",
        "/tech/20260522/ab12cd/c.html",
        "/n1/2026/0523/c1004-40123456.html",
    ):
        site.page(
            p,
            f'<html><head><meta charset="utf-8"><title>{p}</title></head><body><p>{p}</p></body></html>'.encode(),
        )
    site.page(
        "/list/selector.html",
        html_list(
            [
                ("/ok/a1.html", "数据要素市场化配置改革推进会召开", "2026-05-23"),
                ("/ok/a2.html", "公共数据资源授权运营实施规范发布", "2026-05-22"),
                ("/ok/a3.html", "一篇早已过时的旧闻标题文字", "2026-05-10"),
            ]
        ),
    )
    site.page(
        "/list/faults.html",
        html_list(
            [
                ("/ok/a1.html", "正常的第一篇文章标题", "2026-05-23"),
                ("/fault/timeout.html", "超时的文章", "2026-05-23"),
                ("/fault/500.html", "服务器错误的文章", "2026-05-23"),
                ("/fault/503-once.html", "暂时不可用的文章", "2026-05-23"),
                ("/fault/429.html", "被限流的文章", "2026-05-23"),
                ("/fault/reset.html", "连接被重置的文章", "2026-05-23"),
                ("/fault/truncated.html", "被截断的文章", "2026-05-23"),
                ("/fault/loop-a.html", "重定向循环的文章", "2026-05-23"),
                ("/fault/big.html", "五十兆的文章", "2026-05-23"),
                ("/fault/pdf.html", "其实是 PDF 的文章", "2026-05-23"),
                ("/fault/gbk-as-utf8.html", "声明 UTF-8 的 GBK 文章", "2026-05-23"),
                ("/private/secret.html", "robots 禁止的文章", "2026-05-23"),
                ("/ok/a2.html", "正常的第二篇文章标题", "2026-05-23"),
            ]
        ),
    )
    site.page(
        "/list/changed.html",
        '<html><body><div class="new-layout"><a href="/ok/a1.html">改版后的列表</a></div></body></html>'.encode(),
    )
    # auto-discovery with "下一页" pagination: three pages, the source reads two
    site.page(
        "/auto/index_pc_1.html",
        html_list(
            [
                (
                    "../sjj/0523/20260523100000000000001_pc.html",
                    "国家数据局召开数据要素市场化配置改革推进会",
                    "2026.05.23",
                ),
                (
                    "/xwfb/202605/t20260523_11.html",
                    "关于加快构建全国一体化算力网的实施意见",
                    "[2026-05-23]",
                ),
                ("/sjj/list/index_pc_2.html", "更多", ""),
            ],
            '<div class="page"><a href="/auto/index_pc_1.html">1</a><a href="/auto/index_pc_2.html">2</a>'
            '<a href="https://www.example.com/2026-05/23/c_99.htm">外站的一篇文章标题链接</a>'
            '<a href="/auto/index_pc_2.html">下一页</a></div>',
        ),
    )
    site.page(
        "/auto/index_pc_2.html",
        html_list(
            [
                (
                    "/2026-05/23/c_1781107933166351.htm",
                    "全国数据工作会议在京召开部署重点任务",
                    "05-23",
                ),
            ],
            '<a href="/auto/index_pc_3.html">下一页</a>',
        ),
    )
    site.page(
        "/auto/index_pc_3.html",
        html_list([("/n1/2026/0523/c1004-40123456.html", "第三页的文章不应读取", "")]),
    )
    # CMS pagination by URL pattern only (no next link); index_3 does not exist
    site.page(
        "/cms/A093702index_1.htm",
        html_list([("/ok/a4.html", "网信办第一页的文章标题", "2026-05-23")]),
    )
    site.page(
        "/cms/A093702index_2.htm",
        html_list([("/ok/a5.html", "网信办第二页的文章标题", "2026-05-22")]),
    )
    # dated: one e-paper-like page per day
    for day, article in (
        ("20260522", "/tech/20260522/ab12cd/c.html"),
        ("20260523", "/n1/2026/0523/c1004-40123456.html"),
    ):
        site.page(f"/paper/{day}.html", html_list([(article, f"{day} 当天版面的头条新闻", "")]))
    return site


def test_html_with_selectors_window_and_titles(news, collect, make_source, tmp_path):
    src = make_source(urls=[news("/list/selector.html")], link_selector="ul.u-list > li a")
    with WarcArchive(tmp_path / "r.warc.gz") as archive:
        results, stats = collect(src, [MAY22, MAY23], archive=archive)
    assert errors(results) == []
    got = {r.listed_title: (r.listed_date, r.list_url) for r in pages(results)}
    assert got == {
        "数据要素市场化配置改革推进会召开": (MAY23, news("/list/selector.html")),
        "公共数据资源授权运营实施规范发布": (MAY22, news("/list/selector.html")),
    }
    assert news.hits["/ok/a3.html"] == 0  # listed 2026-05-10, outside the window: not fetched
    assert (
        stats.lists_fetched,
        stats.items_found,
        stats.items_out_of_window,
        stats.pages_fetched,
    ) == (1, 3, 1, 2)
    assert all(
        r.page.source_id == "test" and r.page.archive.startswith("r.warc.gz#")
        for r in pages(results)
    )
    assert {h.get("referer") for p, h in news.requests if p.startswith("/ok/")} == {
        news("/list/selector.html")
    }


def test_seen_urls_are_not_fetched_again(news, collect, make_source):
    src = make_source(urls=[news("/list/selector.html")], link_selector="ul.u-list > li a")
    results, stats = collect(src, [MAY22, MAY23], seen=lambda url: url.endswith("/ok/a1.html"))
    assert paths(results) == ["ok/a2.html"] and stats.items_seen == 1
    assert news.hits["/ok/a1.html"] == 0


def test_every_fault_recorded_nothing_else_lost(news, collect, make_source):
    src = make_source(urls=[news("/list/faults.html")], link_selector="ul.u-list a")
    results, stats = collect(src, [MAY23])
    assert paths(results) == [
        "fault/429.html",
        "fault/503-once.html",
        "fault/gbk-as-utf8.html",
        "ok/a1.html",
        "ok/a2.html",
    ]
    messages = {e.url.rsplit("/", 1)[1]: e.message for e in errors(results)}
    assert set(messages) == {
        "timeout.html",
        "500.html",
        "reset.html",
        "truncated.html",
        "loop-a.html",
        "big.html",
        "pdf.html",
        "secret.html",
    }
    expected = {
        "timeout.html": "读取超时",
        "500.html": "HTTP 500",
        "reset.html": "连接被重置",
        "truncated.html": "响应体不完整",
        "loop-a.html": "重定向循环",
        "big.html": "响应体过大",
        "pdf.html": "不是 HTML 页面",
        "secret.html": "robots.txt 禁止抓取",
    }
    for name, words in expected.items():
        assert (
            words in messages[name]
            and news(f"/{'private' if name == 'secret.html' else 'fault'}/{name}") in messages[name]
        )
    assert stats.errors == 8 and stats.last_error in messages.values()
    gbk = next(r for r in pages(results) if r.page.url.endswith("gbk-as-utf8.html"))
    assert "工业和信息化部召开新闻发布会" in decode_html(gbk.page.content, gbk.page.content_type)


def test_selector_matching_nothing_is_reported(news, collect, make_source):
    src = make_source(
        urls=[news("/list/changed.html"), news("/list/selector.html")],
        link_selector="ul.u-list > li a",
    )
    results, stats = collect(src, [MAY22, MAY23])
    [error] = errors(results)
    assert "link_selector 'ul.u-list > li a' 未命中" in error.message and error.url == news(
        "/list/changed.html"
    )
    assert stats.lists_empty == 1 and len(pages(results)) == 2  # the other list page still counts


def test_missing_list_page_is_an_error(news, collect, make_source):
    results, _ = collect(make_source(urls=[news("/list/none.html")]), [MAY23])
    assert [e.message for e in errors(results)] == [
        f"{news('/list/none.html')}: HTTP 404（{news('/list/none.html')}）"
    ]


def test_auto_discovery_with_next_page_links(news, collect, make_source):
    src = make_source(urls=[news("/auto/index_pc_1.html")], pages=2)
    results, stats = collect(src, [MAY23])
    assert errors(results) == []
    assert [(r.listed_title, r.listed_date) for r in pages(results)] == [
        ("国家数据局召开数据要素市场化配置改革推进会", MAY23),
        ("关于加快构建全国一体化算力网的实施意见", MAY23),
        ("全国数据工作会议在京召开部署重点任务", MAY23),
    ]
    assert news.hits["/auto/index_pc_3.html"] == 0 and stats.lists_fetched == 2


def test_pagination_by_url_pattern_stops_quietly_at_404(news, collect, make_source):
    src = make_source(urls=[news("/cms/A093702index_1.htm")], link_selector="ul.u-list a", pages=5)
    results, stats = collect(src, [MAY22, MAY23])
    assert paths(results) == ["ok/a4.html", "ok/a5.html"] and errors(results) == []
    assert news.hits["/cms/A093702index_3.htm"] == 1 and stats.lists_fetched == 2


def test_pagination_stops_when_page_is_older_than_window(news, collect, make_source):
    src = make_source(urls=[news("/cms/A093702index_1.htm")], link_selector="ul.u-list a", pages=5)
    results, _ = collect(src, [date(2026, 5, 25)])
    assert pages(results) == [] and news.hits["/cms/A093702index_2.htm"] == 0


def test_dated_template_expanded_per_day(news, collect, make_source):
    src = make_source(kind="dated", urls=[news("/paper/{date:%Y%m%d}.html")])
    results, _ = collect(src, [MAY22, MAY23])
    assert [(r.listed_date, r.list_url.rsplit("/", 1)[1]) for r in pages(results)] == [
        (MAY22, "20260522.html"),
        (MAY23, "20260523.html"),
    ]
    # A bad template is refused when sources.yaml is loaded, not on every run.
    with pytest.raises(ValidationError, match="日期模板"):
        make_source(kind="dated", urls=[news("/paper/{day}.html")])
    with pytest.raises(ValidationError, match="不含"):
        make_source(kind="dated", urls=[news("/paper/today.html")])


def test_max_items_and_include_exclude(news, collect, make_source):
    src = make_source(urls=[news("/list/selector.html")], link_selector="ul.u-list a", max_items=1)
    results, stats = collect(src, [])
    assert len(pages(results)) == 1 and stats.items_over_limit == 2
    src = make_source(
        urls=[news("/list/selector.html")], link_selector="ul.u-list a", exclude=["a1"]
    )
    assert paths(collect(src, [])[0]) == ["ok/a2.html", "ok/a3.html"]
    src = make_source(
        urls=[news("/list/selector.html")], link_selector="ul.u-list a", include=["a[23]"]
    )
    assert paths(collect(src, [])[0]) == ["ok/a2.html", "ok/a3.html"]
    with pytest.raises(ValidationError, match="正则表达式"):
        make_source(urls=[news("/list/selector.html")], include=["(unclosed"])
    with pytest.raises(ValidationError, match="http"):
        make_source(urls=["ftp://127.0.0.1/list.html"])


def test_list_validators_stored_only_when_all_items_kept(news, collect, make_source, memory):
    src = make_source(urls=[news("/etag/list.html")], link_selector="ul.u-list a")
    first, _ = collect(src, [MAY23], validators=memory)
    assert len(pages(first)) == 1 and memory.get(news("/etag/list.html"))
    second, stats = collect(src, [MAY23], validators=memory)
    assert second == [] and stats.lists_not_modified == 1
    assert news.hits["/ok/a1.html"] == 1  # the unchanged list was not read again

    memory.data.clear()
    news.page(
        "/etag/list.html",
        html_list([("/fault/500.html", "会失败的文章标题", "2026-05-23")]),
        ETag='"v2"',
    )
    failed, _ = collect(src, [MAY23], validators=memory)
    assert len(errors(failed)) == 1 and memory.get(news("/etag/list.html")) is None


def test_cookie_gate_and_warmup(news, collect, make_source):
    news.page(
        "/list/cookies.html",
        html_list(
            [
                ("/cookie/article.html", "需要 Cookie 的文章标题", ""),
                ("/needs-home/article.html", "需要先访问首页的文章", ""),
            ]
        ),
    )
    src = make_source(urls=[news("/list/cookies.html")], link_selector="ul a")
    results, _ = collect(src, [])
    assert paths(results) == ["cookie/article.html"]
    assert "HTTP 403" in errors(results)[0].message
    results, _ = collect(src.model_copy(update={"warmup": True}), [])
    assert (
        paths(results) == ["cookie/article.html", "needs-home/article.html"] and news.hits["/"] == 1
    )


# --------------------------------------------------------------------------- feeds

RSS2 = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>新闻</title>
<item><title>工信部发布人形机器人标准体系</title><link>{u}/ok/a1.html</link>
<description>摘要而已</description><pubDate>Fri, 22 May 2026 17:30:00 GMT</pubDate></item>
<item><title>旧闻</title><link>{u}/ok/a3.html</link><pubDate>Sun, 10 May 2026 02:00:00 GMT</pubDate></item>
<item><title>没有链接</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>公众号</title>
<id>urn:x</id><updated>2026-05-23T08:00:00Z</updated>
<entry><title>全文条目</title><link href="{u}/ok/a4.html"/><id>urn:1</id>
<updated>2026-05-23T08:00:00+08:00</updated><author><name>新质生产力工作委员会</name></author>
<content type="html">&lt;p&gt;{long}&lt;/p&gt;</content></entry>
<entry><title>摘要条目</title><link href="/ok/a5.html"/><id>urn:2</id><updated>2026-05-23T09:00:00+08:00</updated>
<summary>短摘要</summary></entry></feed>"""

RSS1 = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{u}/"><title>RSS1</title><link>{u}/</link><description>d</description></channel>
<item rdf:about="{u}/ok/a2.html"><title>RSS 1.0 条目</title><link>{u}/ok/a2.html</link><dc:date>2026-05-23T10:00:00+08:00</dc:date></item>
</rdf:RDF>"""


@pytest.fixture
def feeds(news):
    u = news.url
    news.page("/feed/rss2.xml", RSS2.format(u=u).encode(), "application/rss+xml")
    news.page("/feed/atom.xml", ATOM.format(u=u, long=LONG).encode(), "application/atom+xml")
    news.page("/feed/rss1.rdf", RSS1.format(u=u).encode(), "application/rdf+xml")
    news.page(
        "/feed/items.json",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "JSON",
                "items": [
                    {
                        "id": "1",
                        "url": f"{u}/ok/a1.html",
                        "title": "JSON 摘要条目",
                        "summary": "短",
                        "date_published": "2026-05-23T09:00:00+08:00",
                    },
                    {
                        "id": "2",
                        "url": f"{u}/ok/a5.html",
                        "title": "JSON 全文条目",
                        "content_text": LONG,
                        "date_published": "2026-05-22T20:00:00Z",
                        "authors": [{"name": "记者"}],
                    },
                    {"id": "3", "title": "无链接"},
                ],
            },
            ensure_ascii=False,
        ).encode(),
        "application/feed+json",
    )
    news.page(
        "/feed/broken.xml",
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>\xe5\x9d\x8f'
        b"</title><link>" + u.encode() + b"/ok/a2.html</link><pubDate>Sat, 23 May 2026 01:00:00 GMT"
        b"</pubDate></item><item><title>unclosed & broken</channel>",
        "application/rss+xml",
    )
    news.page("/feed/not-a-feed.xml", b"<html><body>hello</body></html>", "text/html")
    return news


def test_rss2_follows_links_and_applies_window(feeds, collect, make_source):
    results, stats = collect(make_source(kind="feed", urls=[feeds("/feed/rss2.xml")]), [MAY23])
    # 17:30 GMT on the 22nd is 01:30 on the 23rd in Beijing
    assert [(r.listed_title, r.listed_date, r.page.final_url) for r in pages(results)] == [
        ("工信部发布人形机器人标准体系", MAY23, feeds("/ok/a1.html"))
    ]
    assert (
        stats.items_out_of_window == 1 and feeds.hits["/ok/a3.html"] == 0 and errors(results) == []
    )


def test_atom_full_content_is_not_fetched(feeds, collect, make_source, tmp_path):
    with WarcArchive(tmp_path / "f.warc.gz") as archive:
        results, _ = collect(
            make_source(kind="feed", urls=[feeds("/feed/atom.xml")]), [MAY23], archive=archive
        )
    full, summary = pages(results)
    assert feeds.hits["/ok/a4.html"] == 0 and feeds.hits["/ok/a5.html"] == 1
    assert full.page.url == feeds("/ok/a4.html") and summary.page.final_url == feeds("/ok/a5.html")
    html = full.page.content.decode()
    assert LONG in html and '<meta name="PubDate" content="2026-05-23T08:00:00+08:00">' in html
    assert '<meta name="Author" content="新质生产力工作委员会">' in html
    kept = {p.archive: p for p in iter_warc(tmp_path / "f.warc.gz")}
    assert kept[full.page.archive].content == full.page.content


def test_rss1_and_json_feed(feeds, collect, make_source):
    results, _ = collect(
        make_source(kind="feed", urls=[feeds("/feed/rss1.rdf"), feeds("/feed/items.json")]), [MAY23]
    )
    got = [
        (r.listed_title, r.listed_date, r.page.final_url.rsplit("/", 1)[1]) for r in pages(results)
    ]
    assert got == [
        ("RSS 1.0 条目", MAY23, "a2.html"),
        ("JSON 摘要条目", MAY23, "a1.html"),
        ("JSON 全文条目", MAY23, "a5.html"),
    ]
    assert feeds.hits["/ok/a5.html"] == 0  # content_text is the article: built from the entry
    assert errors(results) == []


def test_malformed_and_non_feeds_are_reported(feeds, collect, make_source):
    src = make_source(
        kind="feed",
        urls=[feeds("/feed/broken.xml"), feeds("/feed/not-a-feed.xml"), feeds("/feed/rss2.xml")],
    )
    results, stats = collect(src, [MAY23])
    messages = [e.message for e in errors(results)]
    assert any(m.startswith(feeds("/feed/broken.xml")) and "订阅源格式错误" in m for m in messages)
    assert any(
        m.startswith(feeds("/feed/not-a-feed.xml")) and "不是 RSS/Atom/JSON Feed" in m
        for m in messages
    )
    # what the broken feed still gave, and the healthy feed after it, are not lost
    assert paths(results) == ["ok/a1.html", "ok/a2.html"]
