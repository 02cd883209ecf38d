"""A real loopback HTTP server that plays well-behaved and misbehaving news sites.

Every route is a small function; faults (timeouts, resets, truncation, huge bodies…) happen on
the wire, so the tests exercise httpx exactly as a run against real sites would.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zhibao.core.model import Source
from zhibao.crawl import Fetcher, FetchSettings, ListStats, collect_source

ARTICLE_TEXT = "国家数据局发布数据要素市场化配置改革举措，推动公共数据资源开发利用。"
GBK_TEXT = "人民网讯 工业和信息化部召开新闻发布会，介绍制造业数字化转型进展。"
BIG = 50 * 1024 * 1024


def article(title: str, body: str = ARTICLE_TEXT) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


def list_page(items: list[tuple[str, str, str]], extra: str = "") -> bytes:
    lis = "".join(f'<li><a href="{h}">{t}</a><span>{d}</span></li>' for h, t, d in items)
    return (
        '<html><head><meta charset="utf-8"><title>列表</title></head><body>'
        '<div class="nav"><a href="/">首页</a><a href="/xwfb/">新闻发布</a></div>'
        f'<ul class="u-list">{lis}</ul>{extra}</body></html>'
    ).encode()


class Site:
    """Routes, hit counts and per-route state of the test server."""

    def __init__(self):
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.url = ""

    def route(self, path: str):
        def register(handler):
            self.routes[path] = handler
            return handler

        return register

    def page(self, path: str, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str):
        def handler(h):
            send(h, 200, body, ctype, **headers)

        self.routes[path] = handler

    def __call__(self, path: str) -> str:
        return self.url + path


def send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    ctype: str = "text/html; charset=utf-8",
    **headers: str,
):
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        h.send_header(name.replace("_", "-"), value)
    h.end_headers()
    h.wfile.write(body)


def reset_connection(h: BaseHTTPRequestHandler) -> None:
    # SO_LINGER 0: close() sends RST instead of FIN, as a crashing server or middlebox does.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def stream_body(h: BaseHTTPRequestHandler, total: int, *, declare: bool) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    if declare:
        h.send_header("Content-Length", str(total))
    h.end_headers()
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    sent = 0
    while sent < total:  # generated as it goes: 50 MB are never held in memory
        h.wfile.write(chunk)
        sent += len(chunk)


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] += 1
                site.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            handler = site.routes.get(path)
            if handler is None:
                send(self, 404, b"<html><body>not found</body></html>")
            else:
                handler(self)

        def handle(self):
            # The client hung up (timeouts, max_bytes) or we reset on purpose.
            with contextlib.suppress(ConnectionError, OSError, ValueError):
                super().handle()

        def finish(self):
            with contextlib.suppress(ConnectionError, OSError, ValueError):
                super().finish()

        def log_message(self, *args):
            pass

    return Handler


def default_routes(site: Site) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5"):
        site.page(f"/ok/{name}.html", article(f"正常文章 {name}"))
    site.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.page("/private/secret.html", article("禁止抓取"))
    site.page("/", b"<html><body>home</body></html>", **{"Set-Cookie": "home=1; Path=/"})

    @site.route("/fault/timeout.html")
    def _timeout(h):
        time.sleep(1.2)
        send(h, 200, article("太慢了"))

    site.route("/fault/500.html")(lambda h: send(h, 500, b"<html>server error</html>"))

    @site.route("/fault/503-once.html")
    def _503(h):
        if site.hits["/fault/503-once.html"] == 1:
            send(h, 503, b"<html>busy</html>")
        else:
            send(h, 200, article("恢复正常"))

    @site.route("/fault/429.html")
    def _429(h):
        if site.hits["/fault/429.html"] == 1:
            send(h, 429, b"slow down", "text/plain", Retry_After="1")
        else:
            send(h, 200, article("限流之后"))

    site.route("/fault/reset.html")(reset_connection)

    @site.route("/fault/reset-once.html")
    def _reset_once(h):
        if site.hits["/fault/reset-once.html"] == 1:
            reset_connection(h)
        else:
            send(h, 200, article("重置之后"))

    @site.route("/fault/truncated.html")
    def _truncated(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(b"<html><body>" + b"a" * 88)
        h.close_connection = True

    site.route("/fault/loop-a.html")(lambda h: send(h, 302, b"", Location="/fault/loop-b.html"))
    site.route("/fault/loop-b.html")(lambda h: send(h, 302, b"", Location="/fault/loop-a.html"))
    site.route("/redirect.html")(lambda h: send(h, 301, b"", Location="/ok/a1.html"))
    site.route("/fault/big.html")(lambda h: stream_body(h, BIG, declare=False))
    site.route("/fault/big-declared.html")(lambda h: stream_body(h, BIG, declare=True))
    site.page(
        "/fault/pdf.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256))
    )
    gbk = (
        '<html><head><meta charset="utf-8"><title>人民网</title></head>'
        f"<body><h1>人民网</h1><p>{GBK_TEXT}</p></body></html>"
    ).encode("gbk")
    site.page("/fault/gbk-as-utf8.html", gbk)

    @site.route("/cookie/article.html")
    def _cookie_gate(h):
        if "gate=ok" in (h.headers.get("Cookie") or ""):
            send(h, 200, article("过了 Cookie 关"))
        else:
            send(h, 412, b"<html>precondition</html>", Set_Cookie="gate=ok; Path=/")

    @site.route("/needs-home/article.html")
    def _needs_home(h):
        if "home=1" in (h.headers.get("Cookie") or ""):
            send(h, 200, article("先访问首页"))
        else:
            send(h, 403, b"<html>forbidden</html>")

    @site.route("/etag/list.html")
    def _etag(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.send_header("ETag", '"v1"')
            h.end_headers()
        else:
            send(
                h,
                200,
                list_page([("/ok/a1.html", "条件请求的文章一", "2026-05-23")]),
                ETag='"v1"',
                Last_Modified="Sat, 23 May 2026 08:00:00 GMT",
            )


@pytest.fixture
def site():
    site = Site()
    default_routes(site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings() -> FetchSettings:
    return FetchSettings(
        delay_seconds=0,
        connect_timeout=1,
        read_timeout=0.3,
        max_bytes=1_000_000,
        retries=2,
        backoff_base=0.01,
        max_retry_after=3,
    )


class Memory:
    """An in-memory ValidatorStore."""

    def __init__(self):
        self.data: dict[str, tuple[str | None, str | None]] = {}

    def get(self, url):
        return self.data.get(url)

    def put(self, url, etag, last_modified):
        self.data[url] = (etag, last_modified)


@pytest.fixture
def memory() -> Memory:
    return Memory()


@pytest.fixture
def make_source():
    def make(**fields) -> Source:
        base = {"id": "test", "name": "测试源", "org": "测试机构", "tier": "central"}
        return Source.model_validate(base | fields)

    return make


@pytest.fixture
def collect(settings):
    """Run ``collect_source`` to the end; returns (results, stats)."""

    def run_collect(
        src: Source, dates, *, archive=None, validators=None, seen=None, settings=settings
    ):
        stats = ListStats()

        async def run():
            async with Fetcher(settings, archive=archive, validators=validators) as fetcher:
                kwargs = {"seen": seen} if seen else {}
                return [
                    r
                    async for r in collect_source(src, fetcher, dates=dates, stats=stats, **kwargs)
                ]

        return asyncio.run(run()), stats

    return run_collect


@pytest.fixture
def fetch(settings):
    """One ``Fetcher.get`` in a fresh Fetcher."""

    def run_fetch(url: str, *, archive=None, validators=None, settings=settings, **kwargs):
        async def run():
            async with Fetcher(settings, archive=archive, validators=validators) as fetcher:
                return await fetcher.get(url, source_id="test", **kwargs)

        return asyncio.run(run())

    return run_fetch
