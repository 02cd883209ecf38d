from __future__ import annotations

from datetime import UTC, date, datetime

from zhibao.core.model import Attachment
from zhibao.core.text import content_hash
from zhibao.core.time import SHANGHAI
from zhibao.store import Store


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_same_document_twice_is_one_row(store: Store, make_doc) -> None:
    doc = make_doc()
    assert store.upsert_document(doc) == "new"
    assert store.upsert_document(doc) == "unchanged"
    assert store.count_documents() == 1
    assert store.versions(doc.canonical_url) == []


def test_mobile_twin_with_same_canonical_url_is_the_same_document(store: Store, make_doc) -> None:
    doc = make_doc()
    store.upsert_document(doc)
    twin = make_doc(url=doc.url.replace("_pc", "_mobile"))
    assert store.upsert_document(twin) == "unchanged"
    assert store.count_documents() == 1


def test_changed_page_keeps_the_earlier_version(store: Store, make_doc) -> None:
    first = make_doc(text="第一版正文。", archive="run-1.warc.gz#a")
    store.upsert_document(first)
    second = make_doc(text="第二版正文，补充了名单。", archive="run-2.warc.gz#b")
    assert store.upsert_document(second) == "updated"
    third = make_doc(text="第三版正文。", archive="run-3.warc.gz#c")
    assert store.upsert_document(third) == "updated"

    current = store.document(first.canonical_url)
    assert current is not None and current.text == "第三版正文。"
    assert current.archive == "run-3.warc.gz#c"
    earlier = store.versions(first.canonical_url)
    assert [v.text for v in earlier] == ["第一版正文。", "第二版正文，补充了名单。"]
    assert [v.archive for v in earlier] == ["run-1.warc.gz#a", "run-2.warc.gz#b"]
    assert store.count_documents() == 1


def test_content_hash_decides_what_changed(store: Store, make_doc) -> None:
    store.upsert_document(make_doc(content_hash="h1"))
    assert store.upsert_document(make_doc(content_hash="h1", title="标题改了但哈希相同")) == (
        "unchanged"
    )
    assert store.upsert_document(make_doc(content_hash="h2")) == "updated"
    assert content_hash(make_doc().text) == content_hash(make_doc().text)
    assert content_hash(make_doc().text) != content_hash(make_doc(text="别的正文").text)


def test_update_never_erases_known_metadata(store: Store, make_doc) -> None:
    store.upsert_document(make_doc())
    bare = make_doc(text="新正文", published_at=None, source_id=None, source_org="")
    assert store.upsert_document(bare) == "updated"
    current = store.document(bare.canonical_url)
    assert current.published_at == shanghai(2026, 5, 23, 19, 23)
    assert (current.source_id, current.source_org) == ("nda", "国家数据局")


def test_unchanged_fetch_fills_missing_metadata(store: Store, make_doc) -> None:
    store.upsert_document(make_doc(source_id=None, archive=None))
    assert store.upsert_document(make_doc(archive="run-2.warc.gz#r")) == "unchanged"
    current = store.document(make_doc().canonical_url)
    assert (current.source_id, current.archive) == ("nda", "run-2.warc.gz#r")


def test_round_trip_keeps_every_field(store: Store, make_doc) -> None:
    doc = make_doc(
        attachments=[Attachment(url="https://www.nda.gov.cn/a/附件1.pdf", title="附件1：名单")],
        language="zh",
        content_hash="abc",
        archive="run-1.warc.gz#urn:uuid:1",
    )
    store.upsert_document(doc)
    back = store.document(doc.canonical_url)
    assert back == doc
    assert back.published_at.tzinfo is not None
    assert back.published_at.utcoffset().total_seconds() == 8 * 3600
    assert back.fetched_at == datetime(2026, 5, 23, 12, 0, tzinfo=UTC)


def test_document_by_fetched_url_and_has_document(store: Store, make_doc) -> None:
    doc = make_doc()
    assert not store.has_document(doc.canonical_url)
    store.upsert_document(doc)
    assert store.has_document(doc.canonical_url)
    # The URL it was fetched at names another page as canonical: an alias, seen next time.
    assert store.has_document(doc.url)
    assert not store.has_document("https://www.nda.gov.cn/sjj/ywpd/0523/other.html")
    assert store.document(doc.url).canonical_url == doc.canonical_url
    assert store.document("https://example.org/none") is None


def test_documents_by_asia_shanghai_day(store: Store, make_doc) -> None:
    times = {
        1: shanghai(2026, 5, 22, 23, 59),
        2: shanghai(2026, 5, 23, 0, 30),  # 2026-05-22 16:30 UTC: still the 23rd in Beijing
        3: datetime(2026, 5, 23, 15, 50, tzinfo=UTC),  # 23:50 Beijing
        4: shanghai(2026, 5, 24, 0, 10),
    }
    for n, when in times.items():
        store.upsert_document(make_doc(n, published_at=when))

    def numbers(since, until) -> list[int]:
        return [int(d.canonical_url[-9:-5]) for d in store.documents(since, until)]

    assert numbers(date(2026, 5, 23), date(2026, 5, 23)) == [2, 3]
    assert numbers(date(2026, 5, 23), None) == [2, 3, 4]
    assert numbers(None, date(2026, 5, 22)) == [1]
    assert numbers(None, None) == [1, 2, 3, 4]
    assert all(d.published_at.tzinfo is not None for d in store.documents())
    assert store.documents(date(2026, 5, 23), date(2026, 5, 23))[1].published_at == shanghai(
        2026, 5, 23, 23, 50
    )


def test_undated_document_counts_on_the_day_it_was_fetched_when_asked(
    store: Store, make_doc
) -> None:
    store.upsert_document(
        make_doc(published_at=None, fetched_at=datetime(2026, 5, 23, 17, 0, tzinfo=UTC))
    )
    day = date(2026, 5, 24)  # 01:00 on the 24th in Beijing
    assert store.documents(day, day, undated=True)
    assert not store.documents(date(2026, 5, 23), date(2026, 5, 23), undated=True)
    assert not store.documents(day, day)  # undated belongs to no day unless asked for
    assert len(store.documents()) == 1  # no window: every document


def test_documents_filtered_by_source(store: Store, make_doc) -> None:
    store.upsert_document(make_doc(1))
    store.upsert_document(make_doc(2, source_id="cac"))
    assert [d.source_id for d in store.documents(source_ids=["cac"])] == ["cac"]


def test_writes_are_visible_to_another_connection_at_once(db_url: str, make_doc) -> None:
    # Each upsert commits on its own: what a killed run stored is there for the next one.
    with Store.open(db_url) as writer, Store.open(db_url) as reader:
        writer.upsert_document(make_doc(1))
        assert reader.has_document(make_doc(1).canonical_url)
        writer.upsert_document(make_doc(2))
        assert reader.count_documents() == 2


def test_timestamps_stored_as_utc(store: Store, make_doc) -> None:
    store.upsert_document(make_doc(published_at=shanghai(2026, 5, 23, 8, 0)))
    with store._engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            raw = conn.exec_driver_sql("SELECT published_at FROM documents").scalar()
            assert raw == "2026-05-23T00:00:00.000000Z"
        else:  # a timestamptz: the instant, whatever the session's time zone
            raw = conn.exec_driver_sql(
                "SELECT published_at AT TIME ZONE 'UTC' FROM documents"
            ).scalar()
            assert raw == datetime(2026, 5, 23, 0, 0)
    assert SHANGHAI is store.documents()[0].published_at.tzinfo
