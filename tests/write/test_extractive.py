from __future__ import annotations

from datetime import date

import pytest

from zhibao.analyze import analyze
from zhibao.check import check_brief
from zhibao.write import EmptyWindowError, WriteContext, get_writer

BRIEF_DATE = date(2026, 5, 25)


def _write(documents, profile, brand, sources, earlier=(), background=None):
    analysis = analyze(
        documents, profile, brief_date=BRIEF_DATE, tiers={s.id: s.tier for s in sources}
    )
    if background is not None:  # an older document linked to the first event (as from the archive)
        first = analysis.selected[0].model_copy(update={"background": [background]})
        analysis.selected[0] = first
    context = WriteContext(
        brief_date=BRIEF_DATE,
        brand=brand,
        profile=profile,
        earlier=list(earlier),
        orgs={s.id: s.org for s in sources},
        archive_base="data/archive",
    )
    return analysis, get_writer("extractive").write_brief(analysis, context)


def test_brief_is_grounded_and_passes_the_checker(documents, profile, brand, sources):
    analysis, brief = _write(documents, profile, brand, sources)
    by_url = {d.canonical_url: d for d in documents}
    report = check_brief(brief, {r.id: by_url.get(r.url) for r in brief.references})
    assert report.ok, [f.line() for f in report.failures]
    assert [s.event_id for s in brief.sections] == [e.id for e in analysis.selected]
    assert all(s.writer == "extractive" for s in brief.sections)
    for section in brief.sections:
        kinds = [p.kind for p in section.paragraphs]
        assert kinds[0] == "fact" and set(kinds[1:]) <= {"analysis"}
    assert (
        brief.masthead.title == "新质生产力每日动态"
        and brief.contact.website == "https://example.org"
    )


def test_contest_section_merges_outlets_and_reads_like_the_house_format(
    documents, profile, brand, sources
):
    _, brief = _write(documents, profile, brand, sources, background=documents[3])
    contest = next(s for s in brief.sections if "大赛" in s.heading)
    # The event clause is the lead's headline without "出席…开幕式并"; the implication is the
    # other outlet's own second clause (that outlet is cited).
    assert contest.heading == "刘烈宏启动2026年“数据要素×”大赛，赛道扩容激励加码"
    fact, analysis = (p.text for p in contest.paragraphs)
    assert fact.startswith("5 月 23 日，数据安全发展大会开幕。")  # 据悉 dropped, date spaced
    assert "16个行业赛道" in fact and "人民日报" in fact  # figure kept, outlet named
    assert "参加活动" not in fact  # protocol line dropped
    assert "国家数据局指出，大赛旨在推动" in analysis  # the source's own aim, attributed
    assert "此前 4 月 27 日，国家数据局曾发布消息，国家数据局决定举办" in analysis
    assert not {s for s in fact.split("。") if s} & {s for s in analysis.split("。") if s}


def test_references_are_numbered_by_first_citation_with_roles(documents, profile, brand, sources):
    _, brief = _write(documents, profile, brand, sources, background=documents[3])
    order = []
    for section in brief.sections:
        for paragraph in section.paragraphs:
            order += [c for c in paragraph.citations if c not in order]
    assert order == [r.id for r in brief.references] == list(range(1, len(brief.references) + 1))
    purposes = {r.url: r.purpose for r in brief.references}
    assert purposes["https://nda/contest"].startswith("用于核实刘烈宏启动2026年“数据要素×”大赛的")
    assert "用于补充国家数据局对" in purposes["https://nda/contest"]  # also its stated aim
    assert purposes["https://people/contest"].startswith("用于补充")
    assert "2万" in purposes["https://people/contest"]  # the figure it adds
    assert purposes["https://nda/notice"] == (
        "用于背景：国家数据局 4 月 27 日发布的《关于举办2026年“数据要素×”大赛的通知》"
    )
    assert len(set(purposes.values())) == len(purposes)  # each says what this source verifies
    notice = next(r for r in brief.references if r.url == "https://nda/notice")
    assert notice.date == date(2026, 4, 27) and notice.org == "国家数据局"
    assert notice.archived == "data/archive/run-00001.warc.gz#urn:uuid:1"
    people = next(r for r in brief.references if r.url == "https://people/contest")
    assert people.org == "人民日报" and people.archived is None


def test_summary_opens_with_the_main_line_then_a_clause_per_section(
    documents, profile, brand, sources
):
    _, brief = _write(documents, profile, brand, sources)
    assert brief.summary.startswith("今天的新质生产力动态以数据要素为主线，兼及人工智能。")
    # The clause of a section is what happened (the heading's event), with its day.
    assert (
        "5 月 23 日，国家数据局局长刘烈宏出席开幕式，并启动2026年“数据要素×”大赛" in brief.summary
    )
    assert "5 月 22 日，国家数据局召开词元经济座谈会" in brief.summary
    assert not any(s.heading in brief.summary for s in brief.sections if "，" in s.heading)
    assert brief.judgment.title.startswith("今日判断：")
    assert "过去一周没有已存档的简报" in brief.judgment.text


def test_rising_themes_against_last_week(documents, profile, brand, sources):
    _, yesterday = _write(documents[2:3], profile, brand, sources)  # only the token meeting
    yesterday = yesterday.model_copy(update={"date": date(2026, 5, 24)})
    _, brief = _write(documents, profile, brand, sources, earlier=[yesterday])
    assert brief.judgment.text.startswith("与过去一周的一期简报相比：")
    assert (
        "数据要素与数据基础设施是新出现的方向（第一节），过去一周的简报未曾涉及"
        in brief.judgment.text
    )
    assert "人工智能与产业应用延续前几期的关注（第二节），过去一周的一期简报中有一期涉及" in (
        brief.judgment.text
    )
    assert brief.judgment.title == "今日判断：数据要素进入视野，人工智能延续"
    assert "数据要素是新出现的方向" in brief.summary


def test_what_to_watch_is_quoted_from_a_stated_next_step(documents, profile, brand, sources):
    _, brief = _write(documents, profile, brand, sources)
    watch = brief.judgment.paragraphs[-1]
    assert watch.startswith("后续看点来自第一节、第二节的来源。")
    assert "预计吸引超过2万支队伍参赛" in watch  # 预计…
    assert "下一步，国家数据局将从高质量数据集和全国一体化算力网两方面发力" in watch


def test_one_relevant_event_gives_a_short_brief_that_says_so(documents, profile, brand, sources):
    _, brief = _write(documents[2:3], profile, brand, sources)
    assert len(brief.sections) == 1
    assert "只有一条" in brief.summary
    span = profile.length.summary
    assert span.min <= len(brief.summary) <= span.max


def test_empty_window_refuses_to_write(documents, profile, brand, sources):
    with pytest.raises(EmptyWindowError, match="没有与主题相关的新动态"):
        _write(documents[4:], profile, brand, sources)


def test_unknown_writer_is_named():
    from zhibao.core.errors import ZhibaoError

    with pytest.raises(ZhibaoError, match="extractive"):
        get_writer("gpt")


def test_one_section_comes_with_the_references_it_cites(documents, profile, brand, sources):
    analysis, brief = _write(documents, profile, brand, sources)
    context = WriteContext(
        brief_date=BRIEF_DATE, brand=brand, profile=profile, orgs={s.id: s.org for s in sources}
    )
    written = get_writer("extractive").write_section(analysis.selected[0], context)
    assert written.section == brief.sections[0]  # the same text the brief has
    cited = {c for p in written.section.paragraphs for c in p.citations}
    assert cited == {r.id for r in written.references} == set(range(1, len(cited) + 1))
    assert {r.url for r in written.references} <= {r.url for r in brief.references}
