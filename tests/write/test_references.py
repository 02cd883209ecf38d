from __future__ import annotations

from datetime import datetime, timedelta, timezone

from zhibao.core.model import Document
from zhibao.write.references import ReferenceBook

CHINA = timezone(timedelta(hours=8))


def _doc(url, title, **more):
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text="正文。",
        published_at=datetime(2026, 4, 9, 19, 0, tzinfo=CHINA),
        source_org="央视网",
        **more,
    )


def test_a_source_cited_again_for_something_else_says_both():
    book = ReferenceBook(org_of=lambda d: d.source_org)
    lead = _doc("https://a", "词元经济座谈会召开")
    assert book.cite(lead, "lead", "座谈会的时间与参会企业") == 1
    assert book.cite(lead, "corroboration", "刘烈宏对词元经济的表述") == 1
    assert book.cite(lead, "corroboration", "") == 1  # a second use of the same kind adds nothing
    (reference,) = book.references()
    assert reference.purpose == "用于核实座谈会的时间与参会企业；用于补充刘烈宏对词元经济的表述"


def test_purposes_that_would_read_the_same_are_told_apart():
    book = ReferenceBook(org_of=lambda d: d.source_org)
    book.cite(_doc("https://a", "甲"), "corroboration", "同题报道")
    book.cite(_doc("https://b", "乙"), "corroboration", "同题报道")
    purposes = [r.purpose for r in book.references()]
    assert purposes == ["用于补充同题报道", "用于补充同题报道（乙）"]


def test_a_story_of_a_roundup_links_its_page_and_loses_the_site_tags():
    page = "https://tv.cctv.com/2026/04/09/VIDEx.shtml"
    story = _doc(f"{page}#story-2", "[视频]京雄首次开展“人工智能+教育”深度合作", page_url=page)
    book = ReferenceBook(org_of=lambda d: d.source_org)
    book.cite(story, "lead", "合作的时间与内容")
    (reference,) = book.references()
    assert reference.url == page and reference.title == "京雄首次开展“人工智能+教育”深度合作"
    assert book.documents()[1] is story  # what the checker grounds claims in
