"""Round-up pages stored as stories and index pages skipped, by collection and by import."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zhibao.core.model import Document, FetchedPage, Source
from zhibao.crawl import Collected
from zhibao.runs.collection import SourceReport, _store_page
from zhibao.runs.importing import import_paths
from zhibao.store import Store

FIXTURES = Path(__file__).parents[1] / "extract" / "fixtures"
PAGE = "https://tv.cctv.com/2026/05/18/VIDEabcdefghijklmnopqrst260518.shtml"
DAY = "https://tv.cctv.com/lm/xwlb/day/20260518.shtml"
CCTV = Source(
    id="cctv",
    name="新闻联播",
    org="中央广播电视总台",
    tier="official_media",
    urls=["https://tv.cctv.com/lm/xwlb/day/{date:%Y%m%d}.shtml"],
    roundup_titles=["政务短波"],
)


@pytest.fixture
def store(database_url: str):
    with Store.open(database_url) as opened:
        yield opened


def collected(name: str, url: str) -> Collected:
    page = FetchedPage(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        content=(FIXTURES / name).read_bytes(),
        fetched_at=datetime(2026, 5, 18, 12, tzinfo=UTC),
        archive="run-1.warc.gz#rec",
    )
    return Collected(page=page, listed_title=None, listed_date=None, list_url=DAY)


def test_collection_stores_each_story_once(store: Store) -> None:
    report = SourceReport("cctv", "新闻联播")
    item = collected("cctv_roundup.shtml", PAGE)
    assert _store_page(item, CCTV, store, report, ["联播快讯"]) == "new"
    assert report.new == 4 and not report.errors
    urls = sorted(d.canonical_url for d in store.documents())
    assert urls == [f"{PAGE}#story-{n}" for n in range(1, 5)]
    story = store.document(f"{PAGE}#story-2")
    assert story.page_url == PAGE and story.archive == "run-1.warc.gz#rec"
    assert story.title == "全国中小学科学教育周活动启动" and story.source_id == "cctv"
    # Collected again: the same four, unchanged.
    assert _store_page(item, CCTV, store, report, ["联播快讯"]) == "unchanged"
    assert report.unchanged == 4 and len(store.documents()) == 4


def test_collection_skips_index_pages_without_an_error(store: Store) -> None:
    report = SourceReport("cctv", "新闻联播")
    assert _store_page(collected("cctv_day_list.shtml", DAY), CCTV, store, report) == "skipped"
    assert report.index_pages == 1 and report.rejected == 0
    assert not report.errors and not report.failed
    assert store.documents() == []


def test_import_splits_saved_pages_and_skips_index_pages(store: Store, tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "cctv_roundup.html").write_bytes((FIXTURES / "cctv_roundup.shtml").read_bytes())
    (saved / "cctv_roundup.json").write_text(json.dumps({"url": PAGE}))
    (saved / "day.html").write_bytes((FIXTURES / "cctv_day_list.shtml").read_bytes())
    (saved / "day.json").write_text(json.dumps({"url": DAY}))
    report = import_paths(store, [saved], source=CCTV)
    assert (report.new, report.skipped, report.failed) == (4, 1, 0), report.failures
    again = import_paths(store, [saved], source=CCTV)
    assert (again.new, again.unchanged) == (0, 4)
    assert len(store.documents()) == 4


def test_import_of_jsonl_cleans_titles_and_splits_roundups(store: Store, tmp_path: Path) -> None:
    text = "\n".join(
        [
            "央视网消息（新闻联播）：",
            "前4个月全国新增数据中心算力规模同比增长三成",
            "国家数据局今天发布数据显示，全国新增数据中心算力规模同比增长31.2%。",
            "全国中小学科学教育周活动启动",
            "第五届全国中小学科学教育周今天启动，各地科普场馆向中小学生开放。",
        ]
    )
    rows = [
        {"url": PAGE, "title": "[视频]今日政务短波", "text": text},
        {
            "url": "https://tv.cctv.com/a.shtml",
            "title": "【一线调研】春耕备耕农资供应有保障_央视网",
            "text": "各地抓紧春耕备耕，农资供应总体有保障。",
        },
        {
            "url": "https://tv.cctv.com/b.shtml",
            "title": "《新闻联播》 20260518 19:00",
            "text": "本期节目主要内容：1.…；2.…。",
        },
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = import_paths(store, [path], source=CCTV)  # "政务短波": the source's own pattern
    assert (report.new, report.skipped, report.failed) == (3, 1, 0), report.failures
    story = store.document(f"{PAGE}#story-2")
    assert story.title == "全国中小学科学教育周活动启动" and story.page_url == PAGE
    plain = store.document("https://tv.cctv.com/a.shtml")
    assert (plain.title, plain.column) == ("春耕备耕农资供应有保障", "一线调研")
    assert import_paths(store, [path], source=CCTV).unchanged == 3


def test_an_imported_story_is_not_cut_again(store: Store, tmp_path: Path) -> None:
    story = Document(
        url=f"{PAGE}#story-1",
        canonical_url=f"{PAGE}#story-1",
        page_url=PAGE,
        title="国内联播快讯",
        text="甲\n乙乙乙乙乙乙乙乙\n丙。",
    )
    path = tmp_path / "one.jsonl"
    path.write_text(story.model_dump_json() + "\n", encoding="utf-8")
    assert import_paths(store, [path]).new == 1
    assert [d.canonical_url for d in store.documents()] == [f"{PAGE}#story-1"]
