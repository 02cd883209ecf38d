"""扩搜 around the day's events, against a SearXNG-shaped server on 127.0.0.1.

The store holds one media report of a ministry's plan; the search answers with the plan itself
(a government page), a page about something else, an ad on a denied path and a page already
stored. Only the plan joins the event, and it becomes the event's lead.
"""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from zhibao.config import DEFAULTS_DIR, Profile, load_profile
from zhibao.core.model import Document, Source
from zhibao.core.time import SHANGHAI
from zhibao.crawl import FetchSettings
from zhibao.runs.briefing import analyze_day
from zhibao.runs.corroboration import corroborate, event_query, same_story
from zhibao.store import Store

BRIEF = date(2026, 5, 25)
FIGURES = (
    "全国建成基础级智能工厂3.5万多家、先进级8200余家、卓越级500余家，工业互联网平台超过340家。"
)
PLAN = [
    "为加快推进新型工业化，工业和信息化部印发《制造业智能制造升级行动方案》，部署智能工厂梯度培育和工业互联网平台建设。",
    "方案提出，" + FIGURES,
    "方案要求，到2027年，重点行业智能制造就绪率明显提升，推动人工智能与制造业深度融合。",
]
REPORT = [
    "记者从工业和信息化部获悉，工业和信息化部日前印发《制造业智能制造升级行动方案》，部署智能工厂梯度培育。",
    "据介绍，" + FIGURES,
    "业内人士认为，方案将推动智能制造和工业互联网规模化发展。",
]
OTHER = [
    "国家数据局召开数据标注产业发展座谈会，研究推动数据标注基地建设和高质量数据集供给。",
    "会议指出，要完善数据标注标准体系，培育一批数据标注龙头企业，服务人工智能大模型训练。",
    "会议要求，各地数据管理部门加强统筹，推动数据标注产业集聚发展，形成可复制的经验。",
]


def page(title: str, org: str, when: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<div class="nav"><a href="/">首页</a></div><h1>{title}</h1>'
        f'<div class="info">发布时间：{when}　来源：{org}</div>'
        f'<div class="article">{body}</div></body></html>'
    ).encode()


class Server:
    def __init__(self):
        self.pages: dict[str, bytes] = {}
        self.results: list[dict[str, str]] = []
        self.hits: Counter[str] = Counter()
        self.queries: list[dict[str, str]] = []
        self.url = ""


@pytest.fixture
def server():
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = urlsplit(self.path).path
            state.hits[path] += 1
            if path == "/searx/search":
                params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                state.queries.append(params)
                body = json.dumps({"query": params.get("q"), "results": state.results}).encode()
                self._send(200, body, "application/json")
            elif path in state.pages:
                self._send(200, state.pages[path], "text/html; charset=utf-8")
            elif path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

        def _send(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    plan_title = "工业和信息化部关于印发《制造业智能制造升级行动方案》的通知"
    state.pages["/gov/miit/plan.html"] = page(
        plan_title, "工业和信息化部", "2026-05-23 09:00", PLAN
    )
    state.pages["/gov/nda/meeting.html"] = page(
        "国家数据局召开数据标注产业发展座谈会", "国家数据局", "2026-05-24 11:00", OTHER
    )
    state.pages["/ads/plan.html"] = page(plan_title, "推广", "2026-05-23 09:00", PLAN)

    def result(path: str, title: str, when: str) -> dict[str, str]:
        return {
            "url": state.url + path,
            "title": title,
            "content": "…",
            "publishedDate": when,
            "engine": "bing",
        }

    state.results = [
        result("/gov/miit/plan.html", plan_title, "2026-05-23T09:00:00"),
        result(
            "/gov/nda/meeting.html", "国家数据局召开数据标注产业发展座谈会", "2026-05-24T11:00:00"
        ),
        result("/ads/plan.html", plan_title, "2026-05-23T09:00:00"),
        result("/media/report.html", "工信部印发智能制造升级行动方案", "2026-05-24T10:00:00"),
    ]
    yield state
    httpd.shutdown()
    httpd.server_close()


def media_source() -> Source:
    return Source(
        id="media", name="某报", org="某报", tier="official_media", urls=["http://127.0.0.1/media/"]
    )


def search_source(url: str, **fields) -> Source:
    return Source.model_validate(
        {
            "id": "kuosou",
            "name": "扩搜",
            "kind": "search",
            "engine": "searxng",
            "url": url,
            "deny_domains": ["127.0.0.1/ads"],
        }
        | fields
    )


def make_profile(**search) -> Profile:
    base = load_profile(DEFAULTS_DIR)
    return Profile.model_validate(
        base.model_dump()
        | {
            "domain_tiers": {"127.0.0.1/gov": "ministry"},
            "search": base.search.model_dump() | search,
        }
    )


FAST = FetchSettings(delay_seconds=0, retries=0, connect_timeout=2, read_timeout=2)


@pytest.fixture
def store(server, tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'z.db'}") as store:
        store.upsert_document(
            Document(
                url=server.url + "/media/report.html",
                canonical_url=server.url + "/media/report.html",
                title="工信部印发智能制造升级行动方案 智能工厂梯度培育提速",
                text="\n".join(REPORT),
                published_at=datetime(2026, 5, 24, 10, 0, tzinfo=SHANGHAI),
                source_id="media",
                source_org="某报",
            )
        )
        yield store


def run(store, server, profile=None, sources=None):
    profile = profile or make_profile()
    sources = sources or [media_source(), search_source(server.url + "/searx")]
    analysis = analyze_day(store, BRIEF, profile=profile, sources=sources)
    return corroborate(
        analysis,
        store,
        profile=profile,
        sources=sources,
        reanalyse=lambda: analyze_day(store, BRIEF, profile=profile, sources=sources),
        settings=FAST,
        archive_dir=None,
    )


def test_the_government_original_joins_and_becomes_the_lead(store, server):
    analysis, report = run(store, server)
    event = analysis.selected[0]
    lead = event.lead_document
    assert lead.url == server.url + "/gov/miit/plan.html"
    assert (lead.search_engine, lead.source_org) == ("searxng", "工业和信息化部")
    assert lead.search_query == event_query(event) == "工信部 智能制造 智能工厂"
    assert [d.url for d in event.documents][1:] == [server.url + "/media/report.html"]
    assert len(report.originals) == 1 and len(report.joined) == 1
    assert server.queries[0]["q"] == lead.search_query  # the report's body and matched terms


def test_a_page_about_something_else_is_rejected_and_not_stored(store, server):
    _, report = run(store, server)
    assert server.hits["/gov/nda/meeting.html"] == 1  # fetched, then refused
    assert report.rejected == 1
    assert store.document(server.url + "/gov/nda/meeting.html") is None


def test_denied_and_already_stored_results_are_not_fetched(store, server):
    _, report = run(store, server)
    assert server.hits["/ads/plan.html"] == 0
    assert server.hits["/media/report.html"] == 0  # the event's own report: known already
    assert report.results == 3  # the ad is dropped before anything else


def test_answers_are_cached_per_query_and_day_and_queries_are_bounded(store, server):
    run(store, server)
    assert len(server.queries) == 1
    _, again = run(store, server)
    assert len(server.queries) == 1 and again.asked == 0 and again.queries == 1
    # The plan is in the event now: not fetched again; the page refused is (it was not kept).
    assert server.hits["/gov/miit/plan.html"] == 1 and again.fetched == 1
    assert len(again.originals) == 1  # the rerun's brief keeps the original as its lead
    _, none = run(store, server, profile=make_profile(max_queries_per_brief=0))
    assert none.queries == 0


def test_backend_down_leaves_the_analysis_as_it_was(store, server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    analysis, report = run(store, server, sources=[media_source(), search_source(dead)])
    assert analysis.selected[0].lead_document.source_id == "media"
    assert report.errors and "无法连接" in report.errors[0]


def test_without_a_search_source_nothing_is_asked(store, server):
    analysis, report = run(store, server, sources=[media_source()])
    assert report.queries == 0 and server.queries == []
    assert analysis.selected[0].lead_document.source_id == "media"


def test_same_story_uses_the_analysis_merge_test(store, server):
    analysis, _ = run(store, server, sources=[media_source()])
    event = analysis.selected[0]
    plan = event.documents[0].model_copy(
        update={
            "url": "http://x/plan",
            "canonical_url": "http://x/plan",
            "text": "\n".join(PLAN),
            "title": "工业和信息化部关于印发《制造业智能制造升级行动方案》的通知",
        }
    )
    other = plan.model_copy(
        update={"text": "\n".join(OTHER), "title": "国家数据局召开数据标注产业发展座谈会"}
    )
    assert same_story(event, plan)
    assert same_story(event, other) is None
