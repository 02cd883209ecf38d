"""Collection against a fault-injecting server: one test per fault of issue 12.

Each test runs a whole collection (``collect_run`` into a real SQLite store) against the
loopback server of ``conftest.py`` with good and bad pages mixed, and asserts that the run
completes within a bound, that the fault is recorded with its URL, and that every good page
is stored.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from zhibao.crawl import FetchSettings
from zhibao.crawl.robots import ROBOTS_MAX_BYTES
from zhibao.runs.collection import (
    CollectionBusy,
    RunObserver,
    collect_run,
    collection_lock,
    notes,
)
from zhibao.store import Store

DAY = date(2026, 5, 23)


def send(h, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers):
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(body)


def good_article(n: int) -> bytes:
    # Distinct text per page: the store may merge pages whose content is the same.
    paragraphs = "".join(
        f"<p>第{n}篇：国家数据局推进数据要素市场化配置改革，第{k}项举措聚焦公共数据开发利用。</p>"
        for k in range(1, 4)
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>数据要素改革第{n}篇</title>"
        '<meta name="PubDate" content="2026-05-23 09:00:00"></head>'
        f"<body><div class='article'><h1>数据要素改革第{n}篇</h1>{paragraphs}</div></body></html>"
    ).encode()


def serve_articles(site, prefix: str, count: int) -> list[str]:
    """``count`` good articles under ``prefix``; returns their paths."""
    paths = [f"{prefix}/t20260523_{n}.html" for n in range(1, count + 1)]
    for n, path in enumerate(paths, 1):
        site.page(path, good_article(n + 100 * len(prefix)))
    return paths


def listing(site, path: str, articles: list[str]) -> None:
    items = "".join(
        f'<li><a href="{a}">关于数据要素的文章 {a}</a><span>2026-05-23</span></li>'
        for a in articles
    )
    site.page(path, f'<html><meta charset="utf-8"><ul class="u-list">{items}</ul></html>'.encode())


@pytest.fixture
def store(tmp_path):
    store = Store.open(data_dir=tmp_path)
    yield store
    store.close()


def collect(store, tmp_path, sources, settings, **kwargs):
    started = time.monotonic()
    report = collect_run(
        sources,
        store,
        date=DAY,
        settings=settings,
        archive_dir=tmp_path / "archive",
        **kwargs,
    )
    return report, time.monotonic() - started


def stored(store, site, paths):
    return [p for p in paths if store.has_document(site(p))]


def html_source(make_source, site, path, **fields):
    return make_source(urls=[site(path)], link_selector="ul.u-list a", **fields)


# ---------------------------------------------------------------- 1. bad redirects

BAD_TARGETS = {
    "/bad/js.html": "javascript:alert(1)",
    "/bad/mailto.html": "mailto:office@example.gov.cn",
    "/bad/data.html": "data:text/html,<h1>x</h1>",
    "/bad/tel.html": "tel:010-12345678",
    "/bad/about.html": "about:blank",
    "/bad/port.html": "http://127.0.0.1:99999/a.html",
    "/bad/ipv6.html": "http://[::1/broken.html",
}


def test_bad_redirects_are_recorded_and_the_good_articles_stored(
    site, store, tmp_path, make_source, settings
):
    good = serve_articles(site, "/a", 3)
    for path, target in BAD_TARGETS.items():
        site.route(path)(lambda h, target=target: send(h, 302, b"", Location=target))
    # Bad links between the good ones: a failure must not cost the articles after it.
    mixed = [good[0], *list(BAD_TARGETS)[:4], good[1], *list(BAD_TARGETS)[4:], good[2]]
    listing(site, "/list/redirects.html", mixed)
    report, took = collect(
        store, tmp_path, [html_source(make_source, site, "/list/redirects.html")], settings
    )
    errors = report.sources[0].errors
    assert stored(store, site, good) == good
    for path in BAD_TARGETS:
        assert any(e.startswith(site(path)) and "重定向到无法抓取的地址" in e for e in errors), (
            errors
        )
    assert len(errors) == len(BAD_TARGETS)
    assert took < 10


# ---------------------------------------------------------------- 2. overall deadline


def trickle(h, seconds: float = 8.0) -> None:
    """Headers at once, then one byte every 0.2 s: never idle long enough for read_timeout."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.end_headers()
    h.wfile.write(b"<html><body>")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.2)


def test_a_trickling_server_is_cut_off_and_finished_sources_are_recorded_at_once(
    site, store, tmp_path, make_source, settings
):
    settings.read_timeout, settings.total_timeout, settings.retries = 1.0, 1.5, 2
    good = serve_articles(site, "/fast", 3)
    listing(site, "/list/fast.html", good)
    slow_good = serve_articles(site, "/slowsite", 2)
    site.route("/slow/t20260523_9.html")(trickle)
    listing(site, "/list/slow.html", [slow_good[0], "/slow/t20260523_9.html", slow_good[1]])
    seen_at_end_of_slow: list[int] = []

    class Watch(RunObserver):
        def source_finished(self, report):
            if report.source_id == "slow":  # the fast source was written when it finished
                health = store.source_health(source_ids=["fast"])
                seen_at_end_of_slow.append(health[0].new_documents)

    sources = [
        html_source(make_source, site, "/list/fast.html", id="fast"),
        html_source(make_source, site, "/list/slow.html", id="slow"),
    ]
    report, took = collect(store, tmp_path, sources, settings, observer=Watch())
    slow = report.sources[1]
    assert any(
        site("/slow/t20260523_9.html") in e and "total_timeout=1.5s" in e for e in slow.errors
    )
    assert stored(store, site, good + slow_good) == good + slow_good
    assert seen_at_end_of_slow == [3]
    assert site.hits["/slow/t20260523_9.html"] == 1  # too slow is not retried
    assert took < 5, f"a 1 byte / 0.2 s server held the run {took:.1f} s"


# ---------------------------------------------------------------- 3. robots.txt


def test_robots_over_the_size_limit_is_obeyed_up_to_the_limit(
    site, store, tmp_path, make_source, settings
):
    padding = b"# " + b"x" * 78 + b"\n"
    body = b"User-agent: *\nDisallow: /private/\n" + padding * (settings.max_bytes // 80 + 100)
    assert len(body) > max(ROBOTS_MAX_BYTES, settings.max_bytes)
    site.page("/robots.txt", body, "text/plain")
    good = serve_articles(site, "/a", 2)
    site.page("/private/t20260523_1.html", good_article(99))
    listing(site, "/list/robots.html", [good[0], "/private/t20260523_1.html", good[1]])
    report, took = collect(
        store, tmp_path, [html_source(make_source, site, "/list/robots.html")], settings
    )
    assert site.hits["/private/t20260523_1.html"] == 0
    errors = report.sources[0].errors
    assert any("robots.txt 禁止抓取" in e and "/private/t20260523_1.html" in e for e in errors)
    assert stored(store, site, good) == good
    assert took < 10


def test_robots_answering_5xx_disallows_that_host_for_the_run(
    site, store, tmp_path, make_source, settings
):
    def robots(h):  # 127.0.0.1 is down for robots.txt; "localhost" (another origin) is fine
        if h.headers.get("Host", "").startswith("localhost"):
            send(h, 404, b"")
        else:
            send(h, 503, b"<html>maintenance</html>")

    site.route("/robots.txt")(robots)
    good = serve_articles(site, "/a", 2)
    listing(site, "/list/a.html", good)
    other = site.url.replace("127.0.0.1", "localhost")
    sources = [
        make_source(id="down", urls=[site("/list/a.html")], link_selector="ul.u-list a"),
        make_source(id="up", urls=[other + "/list/a.html"], link_selector="ul.u-list a"),
    ]
    report, took = collect(store, tmp_path, sources, settings)
    down, up = report.sources
    assert site.hits["/list/a.html"] == 1  # only "up" read it
    assert down.failed and all("HTTP 503" in e for e in down.errors)
    assert site("/robots.txt") in down.errors[0] and "RFC 9309" in down.errors[0]
    assert [store.has_document(other + p) for p in good] == [True, True]
    assert took < 10


# ---------------------------------------------------------------- 6a. empty / malformed feed


def rss(items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>数据要素改革文章 {i}</title><link>{i}</link>"
        "<pubDate>Sat, 23 May 2026 01:00:00 GMT</pubDate></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>测试订阅</title>{entries}</channel></rss>"
    ).encode()


def test_an_empty_or_malformed_feed_costs_only_itself(site, store, tmp_path, make_source, settings):
    good = serve_articles(site, "/a", 3)
    site.page("/feed/empty.xml", b"", "application/rss+xml")
    site.page("/feed/blank.xml", b"  \n\n", "application/rss+xml")
    site.page("/feed/broken.xml", b"\x00\x01<<<rss>>>\xff\xfe", "application/rss+xml")
    site.page("/feed/good.xml", rss([site(p) for p in good]), "application/rss+xml")
    bad = ["/feed/empty.xml", "/feed/blank.xml", "/feed/broken.xml"]
    source = make_source(kind="feed", urls=[site(p) for p in [*bad, "/feed/good.xml"]])
    report, took = collect(store, tmp_path, [source], settings)
    errors = report.sources[0].errors
    assert stored(store, site, good) == good
    for path in bad:
        assert any(e.startswith(site(path)) for e in errors), (path, errors)
    assert not any("AttributeError" in e or "中断" in e for e in errors)
    assert any("订阅源内容为空" in e for e in errors)
    assert took < 10


# ---------------------------------------------------------------- 7. one run per home


def test_a_second_run_on_the_same_home_stops_with_the_holders_pid(
    site, store, tmp_path, make_source, settings
):
    good = serve_articles(site, "/a", 1)
    listing(site, "/list/a.html", good)
    source = html_source(make_source, site, "/list/a.html")
    lock = tmp_path / "collect.lock"
    holding, release = threading.Event(), threading.Event()

    def other_run():  # the lock is per open file: another holder in this process conflicts
        with collection_lock(lock):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert holding.wait(5)
        with pytest.raises(CollectionBusy) as busy:
            collect(store, tmp_path, [source], settings)
        assert str(lock) in str(busy.value) and "PID" in str(busy.value)
        assert site.hits["/list/a.html"] == 0 and store.runs() == []
    finally:
        release.set()
        thread.join(5)
    report, _ = collect(store, tmp_path, [source], settings)
    assert report.sources[0].new == 1


# ---------------------------------------------------------------- 9. per-source cap


def test_a_huge_list_is_capped_and_the_rest_queued_for_the_next_run(
    site, store, tmp_path, make_source, settings
):
    settings.max_per_source = 4
    paths = serve_articles(site, "/a", 10)
    listing(site, "/list/huge.html", paths)
    source = html_source(make_source, site, "/list/huge.html")
    first, _ = collect(store, tmp_path, [source], settings)
    assert first.sources[0].new == 4 and first.sources[0].queued == 6
    assert "test：排队 6 条，下次运行继续" in notes(first)
    assert stored(store, site, paths) == paths[:4]
    second, _ = collect(store, tmp_path, [source], settings)
    # Half the budget goes to the queue (5, 6), the rest to the list's next links (7, 8).
    assert (second.sources[0].dequeued, second.sources[0].new, second.sources[0].queued) == (
        2,
        4,
        2,
    )
    third, _ = collect(store, tmp_path, [source], settings)
    assert third.sources[0].queued == 0 and notes(third) == []
    assert stored(store, site, paths) == paths
    assert all(site.hits[p] == 1 for p in paths)  # no article fetched twice


def test_max_items_of_a_source_keeps_its_meaning_newest_n_and_nothing_queued(
    site, store, tmp_path, make_source, settings
):
    settings.max_per_source = 2
    paths = serve_articles(site, "/a", 6)
    listing(site, "/list/a.html", paths)
    source = html_source(make_source, site, "/list/a.html", max_items=3)
    report, _ = collect(store, tmp_path, [source], settings)
    assert report.sources[0].new == 3 and report.sources[0].queued == 0
    assert store.count_queued() == 0


def test_fetch_settings_default_deadline_and_cap_are_sensible():
    defaults = FetchSettings()
    assert 10 <= defaults.total_timeout <= 120 and defaults.total_timeout > defaults.read_timeout
    assert 50 <= defaults.max_per_source <= 1000
