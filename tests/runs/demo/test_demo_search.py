"""扩搜 in the demo: a page only search finds is cited, and it leads its section."""

from __future__ import annotations

from urllib.parse import urlsplit

from zhibao.runs.demo_sites import load_manifest


def test_the_demo_brief_cites_the_official_original_only_search_found(demo):
    search_only = {p["path"] for p in load_manifest().search_only}
    cited = [r for r in demo.brief.references if urlsplit(r.url).path in search_only]
    assert cited, "the demo brief cites no page that only search found"
    original = cited[0]
    stored = demo.store.document(original.url)
    assert stored.search_engine == "searxng" and stored.search_query
    assert stored.archive  # fetched through the polite fetcher, kept in a WARC file
    # It is the primary reference of its section: the first citation of the first paragraph.
    leads = [s.paragraphs[0].citations[0] for s in demo.brief.sections]
    assert original.id in leads and original.org == "国家统计局"
    assert any(
        line.startswith("扩搜：") and "改用官方原文为首要来源 1 节" in line for line in demo.lines
    )
