"""扩搜: search sources against a SearXNG-shaped and a Bing-v7-shaped server on 127.0.0.1.

The backends answer in the real JSON shapes; their results point at article pages of the same
loopback server, which the collector then fetches like any article.
"""

from __future__ import annotations

import json
import socket
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from zhibao.core.model import Source
from zhibao.crawl import CollectError
from zhibao.runs.collection import collect_run
from zhibao.store import Store

DAY = date(2026, 5, 24)


def article(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


def send(h, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


MIIT = "工业和信息化部印发制造业数字化转型行动方案，推动智能工厂梯度培育和工业互联网平台建设。"


def _query(h) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(h.path).query).items()}


def searxng_answer(site, hits: dict[str, list[tuple[str, str]]]):
    """A SearXNG ``/search`` route: query → [(path, title)] as ``results[]``."""

    def handler(h):
        params = _query(h)
        site.requests_seen.append(params)
        if params.get("format") != "json":
            send(h, 403, b"<html>json format disabled</html>")
            return
        results = [
            {
                "url": path if path.startswith("http") else site(path),
                "title": title,
                "content": f"{title}……",
                "publishedDate": "2026-05-24T09:30:00",
                "engine": "bing",
                "engines": ["bing", "sogou"],
                "score": 1.0,
                "category": "general",
            }
            for path, title in hits.get(params.get("q", ""), [])
        ]
        body = {
            "query": params.get("q"),
            "number_of_results": len(results),
            "results": results,
            "answers": [],
            "corrections": [],
            "infoboxes": [],
            "suggestions": [],
            "unresponsive_engines": [],
        }
        send(h, 200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    return handler


@pytest.fixture
def searx(site):
    site.requests_seen = []
    site.page("/news/miit-plan.html", article("工信部印发制造业数字化转型行动方案", MIIT))
    site.page("/news/report.html", article("智能工厂建设提速", MIIT + "记者了解到，多地加快推进。"))
    site.page("/ads/promo.html", article("推广：数字化转型课程", MIIT))
    site.route("/searx/search")(
        searxng_answer(
            site,
            {
                "数字化转型": [
                    ("/news/miit-plan.html", "工信部印发制造业数字化转型行动方案"),
                    ("/ads/promo.html", "推广：数字化转型课程"),
                    ("/news/report.html", "智能工厂建设提速"),
                ],
                "智能工厂": [
                    ("/news/report.html", "智能工厂建设提速"),  # found again by the second query
                    ("/news/report.html?utm_source=feed", "智能工厂建设提速"),
                ],
                "无结果": [],
            },
        )
    )
    return site


def search_source(url: str, **fields) -> Source:
    base = {
        "id": "kuosou",
        "name": "扩搜",
        "kind": "search",
        "engine": "searxng",
        "url": url,
        "queries": ["数字化转型", "智能工厂"],
        "time_range": "week",
        "language": "zh-CN",
        "deny_domains": ["127.0.0.1/ads"],
    }
    return Source.model_validate(base | fields)


def test_results_are_fetched_stored_and_credited_to_their_query(searx, settings, tmp_path):
    source = search_source(searx("/searx"))
    with Store.open(f"sqlite:///{tmp_path / 'z.db'}") as store:
        report = collect_run([source], store, date=DAY, days=3, settings=settings)
        docs = {d.url: d for d in store.documents()}
    assert report.sources[0].errors == []
    # The denied page is never fetched; the page both queries found is fetched once.
    assert searx.hits["/ads/promo.html"] == 0
    assert searx.hits["/news/report.html"] == 1
    assert set(docs) == {searx("/news/miit-plan.html"), searx("/news/report.html")}
    plan = docs[searx("/news/miit-plan.html")]
    assert (plan.search_query, plan.search_engine, plan.source_id) == (
        "数字化转型",
        "searxng",
        "kuosou",
    )
    assert plan.source_org == "127.0.0.1"  # the page names no issuer: credited to its site
    asked = searx.requests_seen[0]
    assert asked["format"] == "json" and asked["time_range"] == "week"
    assert asked["language"] == "zh-CN"


def test_a_second_run_asks_nothing_again_and_skips_stored_pages(searx, settings, tmp_path):
    source = search_source(searx("/searx"))
    with Store.open(f"sqlite:///{tmp_path / 'z.db'}") as store:
        collect_run([source], store, date=DAY, settings=settings)
        asked = searx.hits["/searx/search"]
        again = collect_run([source], store, date=DAY, settings=settings)
        assert store.count_search_results() == 2
    assert searx.hits["/searx/search"] == asked == 2  # answered from the cache
    assert searx.hits["/news/miit-plan.html"] == 1  # already stored: not fetched again
    assert again.sources[0].skipped_seen == 2 and again.sources[0].new == 0


def test_max_results_caps_the_pages_fetched_per_run(searx, settings, tmp_path):
    source = search_source(searx("/searx"), max_results=1)
    with Store.open(f"sqlite:///{tmp_path / 'z.db'}") as store:
        collect_run([source], store, date=DAY, settings=settings)
        assert store.count_documents() == 1


def test_allow_domains_keeps_only_the_listed_places(searx, settings, tmp_path, collect):
    source = search_source(searx("/searx"), allow_domains=["127.0.0.1/news/miit-plan.html"])
    results, stats = collect(source, [DAY])
    fetched = [r.page.url for r in results if not isinstance(r, CollectError)]
    assert fetched == [searx("/news/miit-plan.html")]
    assert stats.items_excluded == 4  # the ad (denied), the report three times (not allowed)


def test_empty_results_are_reported_as_an_empty_list_not_an_error(searx, collect):
    results, stats = collect(search_source(searx("/searx"), queries=["无结果"]), [DAY])
    assert results == [] and stats.lists_fetched == 1 and stats.lists_empty == 1


def test_backend_down_is_a_clear_error_and_the_run_goes_on(searx, settings, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    down = search_source(dead, id="down")
    working = search_source(searx("/searx"))
    with Store.open(f"sqlite:///{tmp_path / 'z.db'}") as store:
        report = collect_run([down, working], store, date=DAY, settings=settings)
    failed, ok = report.sources
    assert failed.failed and "无法连接" in failed.errors[0] and "「数字化转型」" in failed.errors[0]
    assert ok.new == 2


def test_searxng_without_the_json_format_names_the_setting(site, collect):
    site.route("/plain/search")(lambda h: send(h, 200, b"<html>results</html>"))
    results, _ = collect(search_source(site("/plain"), queries=["数字化转型"]), [DAY])
    assert "search: formats: [html, json]" in results[0].message


# --------------------------------------------------------------------------- the Bing shape


@pytest.fixture
def bing(site):
    site.page("/news/miit-plan.html", article("工信部印发制造业数字化转型行动方案", MIIT))
    site.keys_seen = []

    @site.route("/v7.0/search")
    def answer(h):
        site.keys_seen.append(h.headers.get("Ocp-Apim-Subscription-Key"))
        if h.headers.get("Ocp-Apim-Subscription-Key") != "secret-key":
            send(h, 401, b'{"error": {"code": "401"}}', "application/json")
            return
        params = _query(h)
        value = [
            {
                "id": "https://api.bing.microsoft.com/api/v7/#WebPages.0",
                "name": "工信部印发制造业数字化转型行动方案",
                "url": site("/news/miit-plan.html"),
                "displayUrl": "127.0.0.1/news/miit-plan.html",
                "snippet": MIIT,
                "datePublished": "2026-05-24T01:30:00.0000000Z",
                "language": "zh_chs",
            }
        ]
        body = {
            "_type": "SearchResponse",
            "queryContext": {"originalQuery": params["q"]},
            "webPages": {"totalEstimatedMatches": 1, "value": value},
        }
        if params.get("freshness") != "Day":
            body.pop("webPages")
        send(h, 200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    return site


def bing_source(site, **fields) -> Source:
    fields = {
        "engine": "bing",
        "api_key_env": "ZHIBAO_TEST_SEARCH_KEY",
        "time_range": "day",
    } | fields
    return search_source(site("/v7.0/search"), **fields)


def test_bing_shaped_backend_sends_the_key_and_reads_web_pages(
    bing, settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("ZHIBAO_TEST_SEARCH_KEY", "secret-key")
    with Store.open(f"sqlite:///{tmp_path / 'z.db'}") as store:
        report = collect_run([bing_source(bing)], store, date=DAY, settings=settings)
        doc = store.document(bing("/news/miit-plan.html"))
    assert report.sources[0].errors == []
    assert bing.keys_seen[0] == "secret-key"
    assert doc is not None and (doc.search_query, doc.search_engine) == ("数字化转型", "bing")


def test_bing_shaped_backend_without_web_pages_is_an_empty_answer(bing, collect, monkeypatch):
    monkeypatch.setenv("ZHIBAO_TEST_SEARCH_KEY", "secret-key")
    results, stats = collect(bing_source(bing, time_range="week"), [DAY])
    assert results == [] and stats.lists_empty == 2


def test_bing_key_missing_or_refused_is_named(bing, collect, monkeypatch):
    monkeypatch.delenv("ZHIBAO_TEST_SEARCH_KEY", raising=False)
    results, _ = collect(bing_source(bing, queries=["数字化转型"]), [DAY])
    assert "ZHIBAO_TEST_SEARCH_KEY" in results[0].message and bing.keys_seen == []
    monkeypatch.setenv("ZHIBAO_TEST_SEARCH_KEY", "wrong")
    results, _ = collect(bing_source(bing, queries=["数字化转型"]), [DAY])
    assert "HTTP 401" in results[0].message


def test_a_search_source_needs_an_engine_and_one_url():
    with pytest.raises(Exception, match="engine"):
        Source.model_validate({"id": "s", "name": "扩搜", "kind": "search", "url": "http://a"})
    with pytest.raises(Exception, match="一个后端地址"):
        Source.model_validate(
            {
                "id": "s",
                "name": "扩搜",
                "kind": "search",
                "engine": "searxng",
                "urls": ["http://a", "http://b"],
            }
        )
    with pytest.raises(Exception, match="org、tier"):
        Source.model_validate({"id": "s", "name": "站", "urls": ["http://a"]})


# --------------------------------------------------------------------------- sources check


def test_sources_check_probes_search_sources(searx, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from zhibao.cli import app

    home = tmp_path / "home"
    home.mkdir()
    (home / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{id: kuosou, name: 扩搜, kind: search, engine: searxng, url: '{searx('/searx')}',"
        " queries: [数字化转型, 无结果], deny_domains: [127.0.0.1/ads]}\n"
        "  - {id: down, name: 停机, kind: search, engine: searxng, url: 'http://127.0.0.1:9/x',"
        " queries: [数字化转型]}\n",
        "utf-8",
    )
    monkeypatch.setenv("ZHIBAO_HOME", str(home))
    db = f"sqlite:///{tmp_path / 'z.db'}"
    with Store.open(db) as store:
        run_id = store.start_run()
        store.record_source(run_id, "kuosou", lists_fetched=2, new_documents=1)
        store.finish_run(run_id)
        collect_run([search_source(searx("/searx"), queries=["智能工厂"])], store, date=DAY)
    result = CliRunner().invoke(app, ["sources", "check", "--database-url", db])
    assert result.exit_code == 1  # the second backend is down
    out = " ".join(result.output.split())
    assert "kuosou：后端可达，2 个查询，已入库 50%" in out  # 1 of the 2 allowed results
    assert "down：后端不可达" in out and "无法连接" in out
    assert searx.hits["/searx/search"] == 3  # one collection query, then both probed live
