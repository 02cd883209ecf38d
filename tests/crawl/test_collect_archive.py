from __future__ import annotations

import asyncio
import gzip
from datetime import UTC, datetime

import pytest

from zhibao.core.errors import InputError
from zhibao.core.model import FetchedPage
from zhibao.crawl import Fetcher, WarcArchive, iter_warc, read_archived
from zhibao.crawl.archive import FEED_ENTRY_HEADER


def test_round_trip_of_written_pages(tmp_path):
    path = tmp_path / "run-1.warc.gz"
    moment = datetime(2026, 5, 23, 11, 23, 52, 123456, tzinfo=UTC)
    pages = [
        FetchedPage(
            url="http://example.test/a",
            final_url="http://example.test/b",
            status=200,
            headers={
                "content-type": "text/html; charset=gbk",
                "etag": '"x1"',
                "set-cookie": "a=1, b=2",
            },
            content="人民网 正文".encode("gbk") + bytes(range(256)),
            fetched_at=moment,
            source_id="people",
        ),
        FetchedPage(
            url="http://example.test/missing",
            final_url="http://example.test/missing",
            status=404,
            headers={"content-type": "text/html"},
            content=b"<html>gone</html>",
            fetched_at=moment,
        ),
        FetchedPage(
            url="http://example.test/entry",
            final_url="http://example.test/entry",
            status=200,
            headers={
                "content-type": "text/html; charset=utf-8",
                FEED_ENTRY_HEADER: "http://example.test/feed",
            },
            content="<html>全文</html>".encode(),
            fetched_at=moment,
            source_id="feed",
        ),
    ]
    with WarcArchive(path) as archive:
        refs = [archive.write(p) for p in pages]
    assert all(ref.startswith("run-1.warc.gz#urn:uuid:") for ref in refs)
    back = list(iter_warc(path))
    assert len(back) == 3
    for original, ref, copy in zip(pages, refs, back, strict=True):
        assert copy.model_dump() == original.model_copy(update={"archive": ref}).model_dump()
    assert read_archived(path, refs[1]).status == 404
    # Standard WARC: gzip members any WARC tool can read.
    with gzip.open(path) as raw:
        assert raw.read().startswith(b"WARC/1.1\r\n")


def test_archive_appends_across_instances_and_plain_warc(tmp_path):
    path = tmp_path / "plain.warc"
    page = FetchedPage(
        url="http://e.test/",
        final_url="http://e.test/",
        status=200,
        content=b"x",
        fetched_at=datetime.now(UTC),
    )
    for _ in range(2):
        with WarcArchive(path) as archive:
            archive.write(page)
    assert [p.content for p in iter_warc(path)] == [b"x", b"x"]
    assert path.read_bytes().startswith(b"WARC/1.1")


def test_bad_warc_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"not a warc at all\r\n\r\n")
    with pytest.raises(InputError, match="不是有效的 WARC"):
        list(iter_warc(bad))
    with pytest.raises(InputError, match="不存在"):
        list(iter_warc(tmp_path / "none.warc.gz"))


def test_fetched_responses_round_trip(site, settings, tmp_path):
    path = tmp_path / "run.warc.gz"

    async def run():
        with WarcArchive(path) as archive:
            async with Fetcher(settings, archive=archive) as fetcher:
                return [
                    await fetcher.get(site(p), source_id="s")
                    for p in (
                        "/ok/a1.html",
                        "/redirect.html",
                        "/fault/gbk-as-utf8.html",
                        "/fault/500.html",
                    )
                ]

    outcomes = asyncio.run(run())
    archived = {p.archive: p for p in iter_warc(path)}
    for outcome in outcomes[:3]:
        copy = archived[outcome.page.archive]
        assert copy.content == outcome.page.content
        assert copy.headers == outcome.page.headers
        assert (copy.url, copy.final_url, copy.status) == (
            outcome.page.url,
            outcome.page.final_url,
            200,
        )
        assert copy.fetched_at == outcome.page.fetched_at
    # the failed response is archived too (each of its three attempts), and robots.txt
    statuses = sorted(p.status for p in archived.values() if p.final_url == site("/fault/500.html"))
    assert statuses == [500, 500, 500] and archived[outcomes[3].archive].status == 500
    assert any(p.final_url.endswith("/robots.txt") for p in archived.values())
