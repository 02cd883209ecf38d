from __future__ import annotations

from datetime import date

from pipeline_helpers import FAST, broken_urls, expected_urls

from zhibao.crawl import read_archived
from zhibao.extract import canonical_url
from zhibao.runs.collection import collect_run, collection_window
from zhibao.runs.demo_sites import DEMO_DAYS, demo_sources


def stored_urls(store) -> list[str]:
    return [d.canonical_url for d in store.documents()]


def test_collection_window_counts_back_from_the_day():
    assert collection_window(date(2026, 5, 24), 3) == DEMO_DAYS
    assert collection_window(date(2026, 5, 24)) == [date(2026, 5, 24)]


def test_every_site_yields_documents_and_the_run_succeeds(crawl):
    report = crawl.report
    assert not report.all_failed
    for source in report.sources:
        assert source.new > 0, (source.source_id, source.errors)
        assert not source.failed
    assert {d.source_id for d in crawl.store.documents()} >= {s.source_id for s in report.sources}
    runs = crawl.store.runs()
    assert runs[0][0] == report.run_id and runs[0][3] == "finished"


def test_every_article_of_the_window_is_stored_once(crawl, manifest):
    stored = stored_urls(crawl.store)
    assert len(stored) == len(set(stored))  # nothing twice (the _mobile twin included)
    expected = expected_urls(manifest, crawl.base)
    assert expected <= set(stored), sorted(expected - set(stored))
    # Nothing else: no list page, no out-of-window background page.
    assert set(stored) <= expected | broken_urls(manifest, crawl.base)
    assert crawl.report.totals["new"] == len(stored)


def test_the_gbk_page_that_declares_utf8_decodes_right(crawl, manifest):
    liar = next(a for a in manifest.articles if a.get("declares_utf8"))
    doc = crawl.store.document(canonical_url(crawl.base + liar["path"]))
    assert doc is not None
    assert liar["phrase"] in doc.text
    assert doc.title == liar["title"]
    people = crawl.store.document(
        canonical_url(crawl.base + manifest.by_id("people-contest")["path"])
    )
    assert "以赛促用" in people.text


def test_the_old_item_keeps_its_old_date(crawl, manifest):
    old = next(a for a in manifest.articles if a["role"] == "old")
    doc = crawl.store.document(canonical_url(crawl.base + old["path"]))
    assert doc.published_at is not None
    assert doc.published_at.date() == date.fromisoformat(old["date"]) == date(2026, 4, 27)


def test_broken_pages_are_recorded_as_errors_of_their_source(crawl, manifest):
    by_id = {s.source_id: s for s in crawl.report.sources}
    dead = manifest.missing[0]
    assert any(dead["path"] in e and "404" in e for e in by_id["people"].errors)
    empty = manifest.by_id("gov-empty")
    empty_url = crawl.base + empty["path"]
    assert any(empty["path"] in e for e in by_id["gov"].errors), by_id["gov"].errors
    assert not crawl.store.has_document(canonical_url(empty_url))
    # The store's run log has the same counts as the report.
    health = {h.source_id: h for h in crawl.store.source_health()}
    assert set(health) == set(by_id)


def test_every_document_points_at_its_archived_response(crawl):
    archive = crawl.report.archive
    assert archive is not None and archive.is_file()
    docs = [d for d in crawl.store.documents() if d.source_id == "nda"]
    for doc in docs[:3]:
        file_name, _, _ = doc.archive.partition("#")
        assert file_name == archive.name
        page = read_archived(archive, doc.archive)
        assert page is not None and page.final_url == doc.url


def test_a_second_run_adds_no_duplicates(crawl):
    before = stored_urls(crawl.store)
    again = collect_run(
        demo_sources(crawl.base),
        crawl.store,
        date=DEMO_DAYS[-1],
        days=3,
        settings=FAST,
        archive_dir=crawl.data_dir / "archive",
    )
    assert again.totals["new"] == 0
    assert not again.all_failed
    assert sorted(stored_urls(crawl.store)) == sorted(before)


def test_one_failed_source_does_not_hide_the_others(demo_base, tmp_path):
    from zhibao.store import Store

    sources = demo_sources(demo_base)
    broken = sources[1].model_copy(update={"urls": [demo_base + "/cac/no/such/list.htm"]})
    with Store.open(data_dir=tmp_path) as store:
        report = collect_run(
            [sources[0], broken], store, date=DEMO_DAYS[-1], days=3, settings=FAST, archive_dir=None
        )
    nda, cac = report.sources
    assert cac.failed and "/cac/no/such/list.htm" in cac.last_error
    assert not nda.failed and nda.new > 0
    assert not report.all_failed
