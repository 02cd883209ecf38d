"""Several writers on one database at once (collect runs, editors): no duplicate, no lost row.

Each writer opens its own ``Store`` (its own engine and connections), as separate processes
would; on PostgreSQL the races between read and insert really happen.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier

from zhibao.core.model import Brief, Judgment, Masthead, Paragraph, Section
from zhibao.store import Store

WRITERS = 4
TOPIC = "新质生产力"


def _brief(heading: str) -> Brief:
    return Brief(
        date=date(2026, 5, 25),
        masthead=Masthead(title="新质生产力每日动态"),
        summary="今日要点。",
        sections=[Section(heading=heading, paragraphs=[Paragraph(kind="fact", text="事实。")])],
        judgment=Judgment(title="今日判断：稳中有进", text="判断。"),
    )


def test_concurrent_writers_store_each_document_once(db_url: str, make_doc) -> None:
    Store.open(db_url).close()  # migrate once, before the race
    docs = [make_doc(n) for n in range(1, 31)]
    start = Barrier(WRITERS)

    def write(_: int) -> list[str]:
        with Store.open(db_url) as store:
            start.wait()
            return [store.upsert_document(d) for d in docs]

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(write, range(WRITERS)))
    by_doc = list(zip(*results, strict=True))
    assert all(outcomes.count("new") == 1 for outcomes in by_doc)
    assert all(set(outcomes) <= {"new", "unchanged"} for outcomes in by_doc)
    with Store.open(db_url) as store:
        assert store.count_documents() == 30
        assert store.versions(docs[0].canonical_url) == []


def test_concurrent_saves_of_one_brief_keep_one_row(db_url: str) -> None:
    Store.open(db_url).close()
    start = Barrier(WRITERS)

    def save(n: int) -> int:
        with Store.open(db_url) as store:
            start.wait()
            return store.save_brief(_brief(f"编辑{n}的标题"), topic=TOPIC)

    with ThreadPoolExecutor(WRITERS) as pool:
        ids = list(pool.map(save, range(WRITERS)))
    assert len(set(ids)) == 1
    with Store.open(db_url) as store:
        stored = store.briefs(topic=TOPIC)
        assert len(stored) == 1
        assert stored[0].sections[0].heading in {f"编辑{n}的标题" for n in range(WRITERS)}
