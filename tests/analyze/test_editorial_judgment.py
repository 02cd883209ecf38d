"""Seeing the stream as an editor does: the morning deadline, and one event per happening."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from zhibao.analyze import analyze
from zhibao.core.model import Document
from zhibao.core.time import published_moment

CHINA = timezone(timedelta(hours=8))
BRIEF_DATE = date(2026, 5, 25)

INSPECTION_A = (
    "中共中央政治局常委、国务院总理李强5月24日在浙江调研。他走进人形机器人企业，察看机器人"
    "整机与关键零部件研发，强调要加快人工智能与机器人产业融合，推动具身智能产品规模化应用。"
    "中共中央政治局委员、国务院有关部门负责同志陪同调研。"
)
INSPECTION_B = (
    "中共中央政治局常委、中央书记处书记蔡奇5月24日在贵州调研。他来到全国一体化算力网络"
    "国家枢纽节点，了解算力调度与数据中心集群建设，强调要统筹算力基础设施布局，提升算力"
    "供给能力。中共中央政治局委员、国务院有关部门负责同志陪同调研。"
)


def _doc(url, title, text, moment: datetime | None, source_id="cctv", org="中央广播电视总台"):
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=moment,
        source_id=source_id,
        source_org=org,
    )


def _at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=CHINA)


# ------------------------------------------------------------------------ the deadline


@pytest.mark.parametrize(
    ("moment", "usual", "in_brief"),
    [
        (_at(24, 19), None, True),  # the evening before: this morning's brief
        (_at(25, 7, 59), None, True),  # just before the 08:00 cut-off
        (_at(25, 8, 0), None, False),  # at the cut-off: tomorrow's
        (_at(25, 19), None, False),  # this evening's broadcast: tomorrow's brief
        (_at(25), "06:30", True),  # day only; the source publishes at 06:30
        (_at(25), "19:00", False),  # day only; 新闻联播 at 19:00 belongs to the next brief
        (_at(25), None, False),  # day only, no usual hour: counts at the end of its day
        (_at(24), None, True),  # the day before, day only
    ],
)
def test_brief_reads_only_what_was_published_before_its_morning_cutoff(
    profile, moment, usual, in_brief
):
    story = _doc("https://cctv/1", "国家数据局发布数据要素×典型案例", "数据要素" * 5, moment)
    analysis = analyze(
        [story], profile, brief_date=BRIEF_DATE, usual_times={"cctv": usual} if usual else {}
    )
    assert (story.canonical_url in analysis.relevance) is in_brief
    assert analysis.report.counts["after_cutoff"] == (0 if in_brief else 1)


def test_published_moment_keeps_a_real_time_and_places_a_bare_day():
    story = _doc("https://x/1", "标题", "正文", _at(24, 10, 30))
    assert published_moment(story, "19:00") == _at(24, 10, 30)
    bare = story.model_copy(update={"published_at": _at(24)})
    assert published_moment(bare, "19:00") == _at(24, 19)
    assert published_moment(bare) == _at(24, 23, 59).replace(second=59)


def test_cutoff_is_configurable(profile):
    story = _doc("https://cctv/1", "国家数据局发布数据要素×典型案例", "数据要素" * 5, _at(25, 9))
    late_profile = profile.model_copy(update={"cutoff": "10:00"})
    assert story.canonical_url not in analyze([story], profile, brief_date=BRIEF_DATE).relevance
    assert story.canonical_url in analyze([story], late_profile, brief_date=BRIEF_DATE).relevance


# ------------------------------------------------------------------------ one event per happening


def test_two_leaders_inspections_the_same_evening_stay_two_events(profile):
    profile = profile.model_copy(update={"min_relevance": 2.0})
    robots = _doc(
        "https://cctv/a",
        "李强在浙江调研时强调 加快人工智能与机器人产业融合发展",
        INSPECTION_A,
        _at(24, 19),
    )
    compute = _doc(
        "https://cctv/b",
        "蔡奇在贵州调研时强调 统筹算力基础设施布局",
        INSPECTION_B,
        _at(24, 19),
    )
    analysis = analyze([robots, compute], profile, brief_date=BRIEF_DATE)
    events = analysis.selected + analysis.candidates
    assert sorted(len(e.documents) for e in events) == [1, 1]
    assert {e.lead_document.url for e in events} == {robots.url, compute.url}


def test_one_inspection_reported_by_two_outlets_is_one_event_with_its_reason(profile):
    profile = profile.model_copy(update={"min_relevance": 2.0})
    cctv = _doc(
        "https://cctv/a",
        "李强在浙江调研时强调 加快人工智能与机器人产业融合发展",
        INSPECTION_A,
        _at(24, 19),
    )
    xinhua = _doc(
        "https://xinhua/a",
        "李强在浙江调研 推动人工智能与机器人产业融合",
        "新华社杭州5月24日电 " + INSPECTION_A.replace("他走进", "李强走进"),
        _at(24, 20),
        source_id="xinhua",
        org="新华社",
    )
    analysis = analyze([cctv, xinhua], profile, brief_date=BRIEF_DATE)
    (event,) = analysis.selected
    assert len(event.documents) == 2
    assert event.merged_by and "李强" in event.merged_by[0]
