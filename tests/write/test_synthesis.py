from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from zhibao.analyze import Relevance, analyze
from zhibao.core.model import Document
from zhibao.write import WriteContext, get_writer
from zhibao.write.synthesis import NEW, RISING, STEADY, judgment, movements
from zhibao.write.text import NEXT_STEP_CUES

CHINA = timezone(timedelta(hours=8))
BRIEF_DATE = date(2026, 5, 25)


def _context(profile, brand, sources, *, earlier=(), archive=()):
    return WriteContext(
        brief_date=BRIEF_DATE,
        brand=brand,
        profile=profile,
        earlier=list(earlier),
        orgs={s.id: s.org for s in sources},
        archive=lambda since, until: [
            d for d in archive if since <= d.published_at.date() <= until
        ],
    )


def _brief(documents, profile, brand, sources, *, on=BRIEF_DATE, **context):
    analysis = analyze(documents, profile, brief_date=on, tiers={s.id: s.tier for s in sources})
    written = get_writer("extractive").write_brief(
        analysis, _context(profile, brand, sources, **context)
    )
    return analysis, written.model_copy(update={"date": on})


def test_two_earlier_briefs_are_liang_and_every_line_names_its_sections(
    documents, profile, brand, sources
):
    token = documents[2:3]
    earlier = [
        _brief(token, profile, brand, sources)[1].model_copy(
            update={"date": BRIEF_DATE - timedelta(days=n)}
        )
        for n in (1, 2)
    ]
    _, brief = _brief(documents, profile, brand, sources, earlier=earlier)
    text = brief.judgment.text
    assert text.startswith("与过去一周的两期简报相比：")
    assert "人工智能与产业应用延续前几期的关注（第二节），过去一周的两期简报中有两期涉及" in text
    assert "数据要素与数据基础设施是新出现的方向（第一节）" in text
    assert "二期" not in text and "二条" not in text


def _archived(n, day, theme):
    return Document(
        url=f"https://archive/{theme}/{n}",
        canonical_url=f"https://archive/{theme}/{n}",
        title=f"存档稿件{n}",
        text="正文。",
        published_at=datetime(2026, 5, day, 10, 0, tzinfo=CHINA),
        source_org="国家数据局",
    )


def test_a_line_with_more_archived_reports_than_the_week_before_is_rising(
    documents, profile, brand, sources
):
    recent = [_archived(i, 18 + i % 6, "ai") for i in range(6)]
    before = [_archived(10, 12, "ai")] + [_archived(20 + i, 11 + i, "data") for i in range(3)]
    analysis, _ = _brief(documents, profile, brand, sources)
    for document in recent + before:
        theme = document.url.split("/")[3]
        analysis.relevance[document.canonical_url] = Relevance(
            score=10.0, themes={theme: 10.0}, relevant=True
        )
    context = _context(profile, brand, sources, archive=recent + before)
    writer = get_writer("extractive")
    book = context.reference_book()
    drafts = [writer.draft(e, context, book) for e in analysis.selected]
    moves = {m.theme: m for m in movements(drafts, context, analysis)}
    assert (moves["ai"].recent, moves["ai"].before, moves["ai"].status) == (6, 1, RISING)
    assert moves["data"].status == STEADY  # three reports the week before, none since
    _, text = judgment(drafts, context, analysis, moves=list(moves.values()))
    assert (
        "人工智能与产业应用升温（第二节），存档中过去一周的相关稿件有六篇，再往前同样长的时间内为一篇"
        in text
    )


def test_without_earlier_briefs_or_archive_nothing_is_called_new(
    documents, profile, brand, sources
):
    analysis, brief = _brief(documents, profile, brand, sources)
    context = _context(profile, brand, sources)
    book = context.reference_book()
    drafts = [get_writer("extractive").draft(e, context, book) for e in analysis.selected]
    assert all(m.status is None for m in movements(drafts, context, analysis))
    assert NEW not in brief.judgment.text and "升温" not in brief.summary


def test_next_steps_are_plans_not_nouns_or_past_plans():
    assert NEXT_STEP_CUES.search("下一步，国家数据局将从两方面发力。")
    assert NEXT_STEP_CUES.search("新标准将从2027年5月1日起实施。")
    assert not NEXT_STEP_CUES.search("五部门启动“人工智能+教育”行动计划。")
    assert not NEXT_STEP_CUES.search("原计划6月30日送电，实际提前三个月投运。")


def test_a_clause_with_its_own_time_is_not_dated_again():
    from zhibao.write.synthesis import _dated

    assert _dated("4 月 17 日", "我国成功立项首项国际标准") == "4 月 17 日，我国成功立项首项国际标准"
    # 近日 is when it happened, 4 月 17 日 when it was reported: say so.
    assert _dated("4 月 17 日", "近日，我国成功立项首项国际标准") == (
        "据 4 月 17 日报道，我国成功立项首项国际标准"
    )
    assert _dated("4 月 16 日", "1月初，日调用量不到30亿") == "1月初，日调用量不到30亿"
