from __future__ import annotations

import httpx
import pytest

from zhibao.runs.demo_server import LAST_MODIFIED, serve_demo_sites

LIAR = "/people/n1/2026/0524/c1004-40712901.html"
GBK_PAGE = "/people/n1/2026/0524/c1004-40712830.html"


@pytest.fixture(scope="module")
def client(demo_base):
    with httpx.Client(base_url=demo_base) as c:
        yield c


def test_people_pages_are_gbk_and_say_so(client):
    r = client.get(GBK_PAGE)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=GBK"
    assert "以赛促用" in r.content.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")


def test_the_liar_page_claims_utf8_in_header_and_meta_but_is_gbk(client):
    r = client.get(LIAR)
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert b'<meta charset="utf-8">' in r.content
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    assert "省委网信办、省科技厅、省经信厅等22个部门" in r.content.decode("gbk")


def test_conditional_get_answers_304(client):
    first = client.get("/cac/wxzw/wxfb/A093702index_1.htm")
    assert first.status_code == 200 and first.headers["last-modified"] == LAST_MODIFIED
    etag = first.headers["etag"]
    assert client.get(first.url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(first.url, headers={"If-None-Match": '"other"'}).status_code == 200
    since = {"If-Modified-Since": LAST_MODIFIED}
    assert client.get(first.url, headers=since).status_code == 304
    older = {"If-Modified-Since": "Fri, 01 May 2026 00:00:00 GMT"}
    assert client.get(first.url, headers=older).status_code == 200


def test_missing_paths_and_escapes_are_404(client):
    assert client.get("/people/n1/2026/0523/c1004-40712399.html").status_code == 404
    assert client.get("/../../etc/passwd").status_code == 404
    assert client.get("/nda/%2e%2e/%2e%2e/pyproject.toml").status_code == 404


def test_directory_urls_serve_their_index_and_head_works(client):
    r = client.get("/gov/zhengce/zuixin/")
    assert r.status_code == 200 and "news_box" in r.text
    head = client.head("/gov/zhengce/zuixin/")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(r.content)


def test_feeds_carry_this_servers_absolute_urls(client, demo_base):
    rss = client.get("/stcn/rss/yw.xml")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    assert "{base}" not in rss.text and f"<link>{demo_base}/stcn/article/detail/" in rss.text
    atom = client.get("/wire/atom/technology.xml")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert f'href="{demo_base}/wire/2026/05/' in atom.text


def test_robots_txt_disallows_one_path(client):
    from protego import Protego

    robots = Protego.parse(client.get("/robots.txt").text)
    assert not robots.can_fetch("/people/search/?q=1", "zhibao")
    assert robots.can_fetch("/people/GB/1001/index.html", "zhibao")


def test_server_stops_when_the_context_ends():
    with serve_demo_sites() as base:
        assert httpx.get(base + "/index.html").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/index.html", timeout=2)
