"""Fetcher against a real loopback server: every fault ends as a clear error, never a crash."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from zhibao.crawl import DEFAULT_USER_AGENT, Fetcher, WarcArchive, decode_html, iter_warc
from zhibao.crawl.responses import not_html_reason, retry_after_seconds


def test_happy_fetch_sends_user_agent_and_follows_redirect(site, fetch):
    outcome = fetch(site("/redirect.html"))
    assert outcome.ok and outcome.error is None
    assert outcome.page.url == site("/redirect.html")
    assert outcome.page.final_url == site("/ok/a1.html")
    assert "正常文章 a1" in decode_html(outcome.page.content, outcome.page.content_type)
    ua = {h["user-agent"] for _, h in site.requests}
    assert ua == {DEFAULT_USER_AGENT}


def test_read_timeout_is_retried_then_reported(site, fetch):
    started = time.monotonic()
    outcome = fetch(site("/fault/timeout.html"))
    assert outcome.page is None
    assert "读取超时" in outcome.error and site("/fault/timeout.html") in outcome.error
    assert "已重试 2 次" in outcome.error
    assert site.hits["/fault/timeout.html"] == 3
    assert time.monotonic() - started < 3


def test_500_retried_then_error_with_status(site, fetch):
    outcome = fetch(site("/fault/500.html"))
    assert outcome.error == f"{site('/fault/500.html')}: HTTP 500（{site('/fault/500.html')}）"
    assert outcome.status == 500
    assert site.hits["/fault/500.html"] == 3


def test_503_once_then_success(site, fetch):
    outcome = fetch(site("/fault/503-once.html"))
    assert outcome.ok and outcome.retries == 1
    assert site.hits["/fault/503-once.html"] == 2


def test_429_honours_retry_after(site, fetch):
    started = time.monotonic()
    outcome = fetch(site("/fault/429.html"))
    assert outcome.ok
    assert (
        time.monotonic() - started >= 0.9
    )  # backoff_base is 0.01 s: the wait came from Retry-After


def test_retry_after_forms():
    assert retry_after_seconds("7") == 7.0
    now = datetime(2026, 5, 23, 8, 0, tzinfo=UTC)
    assert (
        retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now)
        == 30.0
    )
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_connection_reset_retried_then_error(site, fetch):
    assert fetch(site("/fault/reset-once.html")).ok
    outcome = fetch(site("/fault/reset.html"))
    assert "连接被重置或中断" in outcome.error and "已重试 2 次" in outcome.error
    assert site.hits["/fault/reset.html"] == 3


def test_truncated_body_names_sizes(site, fetch):
    outcome = fetch(site("/fault/truncated.html"))
    assert "响应体不完整" in outcome.error
    assert "声明 1000 字节，只收到 100 字节" in outcome.error


def test_redirect_loop_is_named(site, fetch):
    outcome = fetch(site("/fault/loop-a.html"))
    assert "重定向循环" in outcome.error
    assert "loop-a.html → " in outcome.error and "loop-b.html → " in outcome.error
    assert site.hits["/fault/loop-a.html"] == 1


def test_too_many_redirects(site, fetch, settings):
    def hop(n):
        return lambda h: send_redirect(h, f"/hop{n + 1}")

    for n in range(4):
        site.route(f"/hop{n}")(hop(n))
    settings.max_redirects = 2
    outcome = fetch(site("/hop0"), settings=settings)
    assert "重定向次数超过上限 max_redirects=2" in outcome.error
    assert outcome.error.endswith(" → ".join(site(f"/hop{n}") for n in range(4)))
    assert site.hits["/hop3"] == 0


def send_redirect(h, location):
    h.send_response(302)
    h.send_header("Location", location)
    h.send_header("Content-Length", "0")
    h.end_headers()


def test_streamed_50mb_body_stops_at_max_bytes(site, fetch):
    started = time.monotonic()
    outcome = fetch(site("/fault/big.html"))
    assert (
        "响应体过大：已读到" in outcome.error
        and "超过上限 max_bytes=1000000 字节，已中止" in outcome.error
    )
    assert site.hits["/fault/big.html"] == 1  # not retried: it would be just as big again
    assert time.monotonic() - started < 2


def test_declared_50mb_body_refused_before_reading(site, fetch):
    outcome = fetch(site("/fault/big-declared.html"))
    assert "声明 50.0 MB" in outcome.error


def test_pdf_served_as_html_is_refused_but_archived(site, fetch, tmp_path):
    archive = WarcArchive(tmp_path / "run.warc.gz")
    outcome = fetch(site("/fault/pdf.html"), archive=archive)
    archive.close()
    assert "不是 HTML 页面（PDF 文档）" in outcome.error
    assert outcome.page is None and outcome.archive
    kept = list(iter_warc(tmp_path / "run.warc.gz"))
    assert [p.final_url for p in kept if p.content.startswith(b"%PDF")] == [site("/fault/pdf.html")]


def test_binary_detection():
    assert not_html_reason(b"\x89PNG\r\n") == "PNG 图片"
    assert not_html_reason(b"abc\x00\x00\x00" * 100) == "二进制数据"
    assert not_html_reason(b"<html>", "application/pdf") == "Content-Type: application/pdf"
    assert not_html_reason("<html>正文</html>".encode(), "text/html") is None


def test_robots_disallow_and_cached(site, fetch, settings):
    async def run():
        async with Fetcher(settings) as fetcher:
            first = await fetcher.get(site("/private/secret.html"))
            second = await fetcher.get(site("/ok/a2.html"))
            return first, second

    first, second = asyncio.run(run())
    assert "robots.txt 禁止抓取" in first.error
    assert second.ok
    assert site.hits["/private/secret.html"] == 0
    assert site.hits["/robots.txt"] == 1


def test_missing_robots_allows_but_failing_robots_disallows(site, fetch):
    del site.routes["/robots.txt"]
    assert fetch(site("/private/secret.html")).ok
    # RFC 9309: a robots.txt answering 5xx means complete disallow (see tests/crawl/test_faults.py).
    site.route("/robots.txt")(lambda h: h.send_error(503))
    outcome = fetch(site("/private/secret.html"))
    assert not outcome.ok and "HTTP 503" in outcome.error and "/robots.txt" in outcome.error


def test_robots_can_be_ignored_by_setting(site, fetch, settings):
    settings.respect_robots = False
    assert fetch(site("/private/secret.html"), settings=settings).ok


def test_gbk_declared_utf8_page_decodes(site, fetch):
    outcome = fetch(site("/fault/gbk-as-utf8.html"))
    text = decode_html(outcome.page.content, outcome.page.content_type)
    assert "工业和信息化部召开新闻发布会" in text


def test_conditional_get_second_fetch_not_modified(site, fetch, memory):
    first = fetch(site("/etag/list.html"), validators=memory)
    assert first.ok and memory.get(site("/etag/list.html")) == (
        '"v1"',
        "Sat, 23 May 2026 08:00:00 GMT",
    )
    second = fetch(site("/etag/list.html"), validators=memory)
    assert second.not_modified and second.page is None and second.error is None
    assert site.requests[-1][1]["if-modified-since"] == "Sat, 23 May 2026 08:00:00 GMT"


def test_cookie_gate_retried_once_with_cookie(site, fetch):
    outcome = fetch(site("/cookie/article.html"))
    assert outcome.ok
    assert site.hits["/cookie/article.html"] == 2
    assert "gate=ok" in site.requests[-1][1].get("cookie", "")


def test_per_host_concurrency_and_delay(site, settings):
    active = 0
    peak = 0
    starts: list[float] = []

    def slow(h):
        nonlocal active, peak
        with site.lock:
            active += 1
            peak = max(peak, active)
            starts.append(time.monotonic())
        time.sleep(0.05)
        with site.lock:
            active -= 1
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "2")
        h.end_headers()
        h.wfile.write(b"ok")

    for n in range(6):
        site.route(f"/slow/{n}.html")(slow)
    settings.per_host_concurrency = 2

    async def run(delay):
        settings.delay_seconds = delay
        async with Fetcher(settings) as fetcher:
            return await asyncio.gather(*(fetcher.get(site(f"/slow/{n}.html")) for n in range(6)))

    assert all(o.ok for o in asyncio.run(run(0)))
    assert peak == 2
    starts.clear()
    asyncio.run(run(0.1))
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.08


def test_octet_stream_text_is_judged_by_its_bytes():
    assert not_html_reason(b"<?xml version='1.0'?><rss/>", "application/octet-stream") is None
    assert not_html_reason(b"PK\x03\x04rest", "application/octet-stream") == "ZIP/Office 文档"
