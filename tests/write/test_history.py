from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from zhibao.core.model import Document, Event
from zhibao.write.history import History

CHINA = timezone(timedelta(hours=8))


def _doc(n, title, text, day, month=3):
    return Document(
        url=f"https://cctv/{n}",
        canonical_url=f"https://cctv/{n}",
        title=title,
        text=text,
        published_at=datetime(2026, month, day, 19, 0, tzinfo=CHINA),
        source_org="央视网",
    )


# Enough unrelated reports for word rarity to mean something.
FILLER = [
    _doc(
        100 + i, f"各地春耕有序推进第{i}篇", "各地抢抓农时开展春耕，农机作业进度加快。", 1 + i % 20
    )
    for i in range(200)
]
MONGOLIA = _doc(
    1, "内蒙古推进绿色算力全产业链发展", "内蒙古布局一批绿色算力项目，推动算力与电力协同。", 18
)
ASIDE = _doc(2, "春管进展顺利", "河南周口运用物联网和算力平台推进麦田春管，电力保障有力。", 19)
LATER = _doc(3, "算力调度平台上线", "全国算力调度平台上线。", 20, month=4)
EVENT = Event(
    id="ev-1",
    documents=[
        _doc(
            9,
            "算力之城：打造算电协同新生态",
            "贵安的数据中心集群加快建设，算力需求不断增长。",
            16,
            4,
        )
    ],
)


def test_related_documents_share_a_rare_headline_word_in_their_own_headline():
    history = History([*FILLER, MONGOLIA, ASIDE, LATER], date(2026, 4, 17))
    terms = history.terms(EVENT, ["算力", "数据中心"])
    assert "算力" in terms and "发展" not in terms
    related = history.related(EVENT, terms)
    # The report on green computing is related; the spring-farming one only mentions 算力 in
    # passing (its headline names none of the event's words); a later report is no background.
    assert [d.canonical_url for d, _ in related] == [MONGOLIA.canonical_url]
    assert "算力" in related[0][1]


def test_mentions_count_what_an_outlet_published_on_a_term():
    history = History([*FILLER, MONGOLIA, ASIDE, LATER], date(2026, 4, 17))
    found = history.mentions("算力", date(2026, 3, 17), date(2026, 4, 16), where=lambda d: True)
    assert [d.canonical_url for d in found] == [MONGOLIA.canonical_url, ASIDE.canonical_url]


def test_a_small_archive_weighs_every_word_alike():
    history = History([MONGOLIA], date(2026, 4, 17))
    assert history.idf("算力") == history.idf("春耕") and not history.common("算力")
