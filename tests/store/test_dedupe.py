"""One article under two URLs is one document: by its canonical link, or by its long text.

The end-to-end tests fetch real pages from a server on 127.0.0.1 and run the real collection,
extraction and store; the others store ``Document`` values directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zhibao.core.model import Document, Source
from zhibao.core.urls import canonical_url
from zhibao.crawl import FetchSettings
from zhibao.extract import extract_document
from zhibao.runs.collection import collect_run
from zhibao.store import Store
from zhibao.store._store import MIN_DISTINCT_TEXT

LONG_TEXT = "\n".join(
    [
        "国家数据局近日印发通知，部署开展公共数据资源授权运营试点工作，明确试点范围、授权方式和收益分配机制。",
        "通知要求各试点地区建立健全数据安全管理制度，落实数据分类分级保护要求，确保数据在授权范围内合规使用。",
        "通知提出，到2027年底，试点地区要形成一批可复制可推广的授权运营模式，培育一批公共数据开发利用标杆应用。",
        "国家数据局有关负责人表示，将加强对试点工作的跟踪评估，及时总结推广各地经验做法，推动数据要素市场健康发展。",
    ]
)
assert len(LONG_TEXT) >= MIN_DISTINCT_TEXT


def page(title: str, *, canonical: str | None = None, text: str = LONG_TEXT) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="PubDate" content="2026-05-23 10:00">{link}</head><body>'
        f'<div class="article"><h1>{title}</h1><div class="info">发布时间：2026-05-23 10:00</div>'
        f"{body}</div></body></html>"
    )


def doc_at(url: str, **fields) -> Document:
    data = {"url": url, "canonical_url": canonical_url(url), "title": "公共数据授权运营试点"}
    return Document(**(data | {"text": LONG_TEXT} | fields))


# --------------------------------------------------------------------------- canonical link


def test_print_page_naming_the_article_as_canonical_is_that_article(store: Store) -> None:
    article_url = "https://www.nda.gov.cn/sjj/ywpd/copy.html"
    print_url = "https://www.nda.gov.cn/sjj/ywpd/print.html?id=1"
    first = extract_document(page("授权运营试点通知"), article_url)
    printed = extract_document(page("授权运营试点通知", canonical="copy.html"), print_url)
    assert printed.canonical_url == article_url  # extraction reads <link rel=canonical>

    assert store.upsert_document(first) == "new"
    assert store.upsert_document(printed) == "unchanged"
    assert store.count_documents() == 1
    assert store.has_document(canonical_url(print_url))  # the next run will not fetch it again
    assert store.document(print_url).canonical_url == article_url


def test_canonical_link_first_then_the_article_itself(store: Store) -> None:
    # The print page arrives first: stored under the article's URL, the print URL is an alias.
    print_url = "https://www.nda.gov.cn/sjj/ywpd/print.html?id=1"
    printed = extract_document(page("授权运营试点通知", canonical="copy.html"), print_url)
    assert store.upsert_document(printed) == "new"
    assert store.aliases(printed.canonical_url) == [print_url]
    article = extract_document(page("授权运营试点通知"), printed.canonical_url)
    assert store.upsert_document(article) == "unchanged"
    assert store.count_documents() == 1


# --------------------------------------------------------------------------- same text


def test_same_long_text_on_the_same_site_is_one_document(store: Store) -> None:
    first = doc_at("https://www.nda.gov.cn/sjj/ywpd/copy.html", published_at=None)
    second = doc_at(
        "http://nda.gov.cn/sjj/print.html?id=1",
        published_at=None,
        source_org="国家数据局",
    )
    assert store.upsert_document(first) == "new"
    assert store.upsert_document(second) == "unchanged"
    assert store.count_documents() == 1
    assert store.has_document(second.canonical_url)
    kept = store.document(second.canonical_url)
    assert kept.canonical_url == first.canonical_url
    assert kept.source_org == "国家数据局"  # what the second copy knew is kept
    # Fetched again under the alias (an import): still the one document.
    assert store.upsert_document(second) == "unchanged"
    assert store.count_documents() == 1


def test_text_compares_after_whitespace_normalisation(store: Store) -> None:
    store.upsert_document(doc_at("https://www.nda.gov.cn/a.html"))
    spaced = LONG_TEXT.replace("\n", "\n\n  ").replace("，", " ， ")
    assert store.upsert_document(doc_at("https://www.nda.gov.cn/b.html", text=spaced)) == (
        "unchanged"
    )


def test_short_identical_texts_stay_separate_documents(store: Store) -> None:
    stub = "详见附件。"
    assert store.upsert_document(doc_at("https://www.nda.gov.cn/a.html", text=stub)) == "new"
    assert store.upsert_document(doc_at("https://www.nda.gov.cn/b.html", text=stub)) == "new"
    just_short = LONG_TEXT[: MIN_DISTINCT_TEXT - 1]
    assert store.upsert_document(doc_at("https://www.nda.gov.cn/c.html", text=just_short)) == "new"
    assert store.upsert_document(doc_at("https://www.nda.gov.cn/d.html", text=just_short)) == "new"
    assert store.count_documents() == 4


def test_same_text_on_another_site_is_a_reprint_not_a_duplicate(store: Store) -> None:
    assert store.upsert_document(doc_at("https://www.nda.gov.cn/a.html")) == "new"
    assert store.upsert_document(doc_at("https://www.news.cn/politics/a.htm")) == "new"
    assert store.upsert_document(doc_at("http://127.0.0.1:8001/a.html")) == "new"
    assert store.upsert_document(doc_at("http://127.0.0.1:8002/a.html")) == "new"
    assert store.count_documents() == 4
    assert not store.has_document("https://www.news.cn/politics/b.htm")


def test_round_up_stories_never_collapse(store: Store) -> None:
    page_a = "https://tv.cctv.com/2026/05/23/VIDEa.shtml"
    page_b = "https://tv.cctv.com/2026/05/24/VIDEb.shtml"
    story_a = doc_at(page_a + "#story-1", page_url=page_a)
    story_b = doc_at(page_b + "#story-2", page_url=page_b)
    story_a = story_a.model_copy(update={"canonical_url": page_a + "#story-1"})
    story_b = story_b.model_copy(update={"canonical_url": page_b + "#story-2"})
    assert store.upsert_document(story_a) == "new"
    assert store.upsert_document(story_b) == "new"
    assert store.upsert_document(doc_at("https://tv.cctv.com/2026/05/24/ARTIc.shtml")) == "new"
    assert store.count_documents() == 3


def test_a_changed_alias_updates_the_document_without_moving_it(store: Store) -> None:
    first = doc_at("https://www.nda.gov.cn/a.html")
    store.upsert_document(first)
    store.upsert_document(doc_at("https://www.nda.gov.cn/print.html?id=1"))
    changed = doc_at("https://www.nda.gov.cn/print.html?id=1", text=LONG_TEXT + "\n附件：名单。")
    assert store.upsert_document(changed) == "updated"
    current = store.document(first.canonical_url)
    assert current.canonical_url == first.canonical_url and current.url == first.url
    assert current.text.endswith("附件：名单。")
    assert store.count_documents() == 1


# --------------------------------------------------------------------------- a real collection


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook
        self.hits.append(self.path)
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        data = (body or "not found").encode()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    listing = "".join(
        f'<li><a href="{href}">公共数据资源授权运营试点通知</a><span>2026-05-23</span></li>'
        for href in ("/xw/copy.html", "/xw/print.html?id=1", "/xw/mirror.html")
    )
    _Pages.pages = {
        "/xw/": f'<html><head><meta charset="utf-8"><title>新闻</title></head><body>'
        f'<ul class="list">{listing}</ul></body></html>',
        "/xw/copy.html": page("公共数据资源授权运营试点通知"),
        "/xw/print.html?id=1": page("公共数据资源授权运营试点通知", canonical="copy.html"),
        "/xw/mirror.html": page("公共数据资源授权运营试点通知（转载）"),
    }
    _Pages.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_collection_stores_one_document_and_skips_its_aliases_next_run(
    store: Store, server: str
) -> None:
    source = Source(
        id="nda",
        name="国家数据局",
        org="国家数据局",
        tier="central",
        urls=[server + "/xw/"],
        link_selector="ul.list a",
    )
    settings = FetchSettings(delay_seconds=0, connect_timeout=2, read_timeout=2, retries=0)
    report = collect_run([source], store, date=date(2026, 5, 23), settings=settings)
    assert report.totals["new"] == 1, report.sources[0].errors
    assert report.totals["unchanged"] == 2
    assert store.count_documents() == 1
    for path in ("/xw/copy.html", "/xw/print.html?id=1", "/xw/mirror.html"):
        assert store.has_document(canonical_url(server + path)), path

    fetched = len(_Pages.hits)
    again = collect_run([source], store, date=date(2026, 5, 23), settings=settings)
    assert again.totals["new"] == 0
    # Only the list page (and robots.txt) is asked for: every article link is known.
    assert [h for h in _Pages.hits[fetched:] if h.startswith("/xw/") and h != "/xw/"] == []
