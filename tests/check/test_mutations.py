"""What an editor catches, the checker catches: a realistic brief passes without a false alarm,
and each single change an editor would object to fails at the right place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from check_world import BRIEF_DATE, DOCUMENTS, brief, documents

from zhibao.check import CheckReport, Failure, check_brief
from zhibao.config import load_profile
from zhibao.core.model import Brief, Paragraph, Reference
from zhibao.runs import editing

PROFILE = load_profile()


def _check(b: Brief, docs: dict | None = None) -> CheckReport:
    by_url = {d.url: d for d in DOCUMENTS}
    docs = docs if docs is not None else {r.id: by_url.get(r.url) for r in b.references}
    return check_brief(b, docs, profile=PROFILE)


def _lines(report: CheckReport) -> list[str]:
    return [f.line() for f in report.failures]


def test_the_realistic_brief_passes_without_a_false_alarm():
    report = _check(brief())
    assert report.ok, _lines(report)
    assert report.claims_checked >= 30
    assert report.verdict(brief()).status == "final"


@pytest.mark.parametrize(
    ("written", "instead"),
    [
        ("16700亿元", "1.67万亿元"),
        ("16700亿元", "一万六千七百亿元"),
        ("两成", "20%"),
        ("两成", "百分之二十"),
        ("5 月 24 日", "2026-05-24"),
        ("5 月 24 日", "2026年5月24日"),
        ("5 月 24 日", "五月二十四日"),
        ("417个典型案例", "４１７个典型案例"),
    ],
)
def test_the_same_figure_written_another_way_passes(written, instead):
    b = brief()
    fact = b.sections[0].paragraphs[0].text
    assert written in fact
    b = editing.edit_paragraph(b, 1, 1, fact.replace(written, instead, 1))
    report = _check(b)
    assert report.ok, _lines(report)


@pytest.mark.parametrize(
    "heading",
    [
        "“数据要素×”行动交出阶段成绩单，417个案例成为落地抓手",
        "国家数据局：“数据要素×”三年行动累计发布417个典型案例",
        "数据要素典型案例累计达417个，场景指引覆盖11个行业领域",
    ],
)
def test_a_paraphrased_heading_passes(heading):
    report = _check(editing.edit_heading(brief(), 1, heading))
    assert report.ok, _lines(report)


def _edit_paragraph(number: int, index: int, change: Callable[[str], str]):
    def mutate(b: Brief) -> Brief:
        text = b.sections[number - 1].paragraphs[index - 1].text
        return editing.edit_paragraph(b, number, index, change(text))

    return mutate


def _edit_heading(number: int, change: Callable[[Brief], str]):
    return lambda b: editing.edit_heading(b, number, change(b))


def _exclude(event_id: str):
    return lambda b: editing.exclude_event(b, event_id)[0]


def _uncited_reference(b: Brief) -> Brief:
    extra = Reference(
        id=6, org="国家数据局", title="未被引用的通知", date=date(2026, 5, 24), url=DOCUMENTS[0].url
    )
    return b.model_copy(update={"references": [*b.references, extra]})


def _uncited_section(b: Brief) -> Brief:
    section = b.sections[2]
    paragraphs = [p.model_copy(update={"citations": []}) for p in section.paragraphs]
    sections = list(b.sections)
    sections[2] = section.model_copy(update={"paragraphs": paragraphs})
    return b.model_copy(update={"sections": sections})


# (mutation, place the failure is reported at, a piece of the claim it names)
MUTATIONS = {
    "figure in a heading": (
        _edit_heading(1, lambda b: b.sections[0].heading.replace("417", "999")),
        "第 1 节标题",
        "999",
    ),
    "date in the summary": (
        lambda b: editing.edit_summary(b, b.summary.replace("5 月 22 日至", "5 月 20 日至")),
        "摘要第 1 段",
        "5 月 20 日",
    ),
    "title in the judgment": (
        lambda b: editing.edit_judgment(
            b, "今日判断：《数据安全条例》带动要素组织", b.judgment.text
        ),
        "今日判断标题",
        "《数据安全条例》",
    ),
    "quote in a heading": (
        _edit_heading(2, lambda b: "丁薛祥在上海调研人工智能产业，提出“数据飞轮”"),
        "第 2 节标题",
        "“数据飞轮”",
    ),
    "another section's heading": (
        _edit_heading(1, lambda b: b.sections[2].heading),
        "第 1 节标题",
        "全国一体化算力网监测调度平台上线",
    ),
    "heading from a document the section does not cite": (
        _edit_heading(3, lambda b: "人工智能应用伦理安全指引发布，治理进入应用环节"),
        "第 3 节标题",
        "人工智能应用伦理安全指引发布",
    ),
    "a leader's name on another leader's story": (
        _edit_paragraph(2, 1, lambda t: t.replace("丁薛祥", "何立峰")),
        "第 2 节第 1 段",
        "何立峰",
    ),
    "a leader's name in a heading": (
        _edit_heading(2, lambda b: b.sections[1].heading.replace("丁薛祥", "李强")),
        "第 2 节标题",
        "李强",
    ),
    "an organisation added to an analysis paragraph": (
        _edit_paragraph(3, 2, lambda t: "工业和信息化部在会上指出，" + t),
        "第 3 节第 2 段",
        "工业和信息化部",
    ),
    "the summary tells an excluded section's event": (
        _exclude("ev-compute"),
        "摘要第 1 段",
        "算力网监测调度平台上线",
    ),
    "the summary tells another meeting of the same leader": (
        lambda b: editing.edit_summary(
            b,
            b.summary.replace(
                "丁薛祥在上海调研人工智能产业发展", "丁薛祥在上海主持召开集成电路产业座谈会"
            ),
        ),
        "摘要第 1 段",
        "集成电路产业座谈会",
    ),
    "the judgment speaks of an excluded section's agency": (
        _exclude("ev-compute"),
        "今日判断第 2 段",
        "国家发展改革委接下来将推动",
    ),
    "the judgment names an excluded section's theme": (
        _exclude("ev-ethics"),
        "今日判断第 1 段",
        "人工智能治理与伦理",
    ),
    "a count of six for four sections": (
        lambda b: editing.edit_judgment(
            b, b.judgment.title, b.judgment.text.replace("四条动态", "六条动态")
        ),
        "今日判断第 1 段",
        "六条动态",
    ),
    "an Arabic count": (
        lambda b: editing.edit_summary(b, b.summary.replace("四条动态", "3 个事件")),
        "摘要第 1 段",
        "3 个事件",
    ),
    "a stale count after an exclusion": (
        _exclude("ev-leader"),
        "摘要第 1 段",
        "四条动态",
    ),
    "a section reference after a reorder": (
        lambda b: editing.move_section(b, 1, 1),
        "今日判断第 1 段",
        "数据要素与数据基础设施",
    ),
    "今天 in a fact paragraph": (
        _edit_paragraph(1, 1, lambda t: t.replace("5 月 24 日，", "今天，")),
        "第 1 节第 1 段",
        "今天",
    ),
    "昨天 in a section dated two days before the brief": (
        _edit_paragraph(2, 2, lambda t: "昨天，" + t),
        "第 2 节第 2 段",
        "昨天",
    ),
    "昨天 in a heading two days late": (
        _edit_heading(2, lambda b: "丁薛祥昨天在上海调研人工智能产业，强调场景牵引与应用导向"),
        "第 2 节标题",
        "昨天",
    ),
    "an uncited reference": (_uncited_reference, "参考文献 [6]", "未被引用的通知"),
    "a section that cites nothing": (_uncited_section, "第 3 节", "全国一体化算力网"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_mutation_fails_at_its_place(name):
    mutate, place, claim = MUTATIONS[name]
    report = _check(mutate(brief()))
    hits = [f for f in report.failures if f.place == place and claim in f.claim]
    assert hits, f"{name}: expected a failure at {place} on {claim!r}; got {_lines(report)}"
    assert report.verdict(brief()).status == "draft"


def test_each_heading_placed_in_another_section_fails_there():
    headings = [s.heading for s in brief().sections]
    for i, heading in enumerate(headings, start=1):
        for j in range(1, len(headings) + 1):
            report = _check(editing.edit_heading(brief(), j, heading))
            at_heading = [f for f in report.failures if f.section == j and f.paragraph == 0]
            if i == j:
                assert report.ok, _lines(report)
            else:
                assert at_heading, f"heading {i} in section {j} passed"


def test_a_failure_names_part_paragraph_claim_and_expected_references():
    report = _check(MUTATIONS["an organisation added to an analysis paragraph"][0](brief()))
    [failure] = report.failures
    assert failure == Failure("第 3 节", "工业和信息化部", "机构未出现在所引用的文档中", [4], 3, 2)
    assert failure.line() == (
        "第 3 节第 2 段：「工业和信息化部」机构未出现在所引用的文档中（应见于参考文献 [4]）"
    )


# ------------------------------------------------------------------ no false alarms


@pytest.mark.parametrize(
    "text",
    [
        "国家数据局表示，",  # the publisher
        "数据局表示，",  # its short form
        "国家数据局局长表示，",  # with a post
        "记者从国家数据局获悉，",  # a sentence around it
        "有关部门表示，",  # no body named
        "多家上市公司表示，",  # a kind of firm, not a firm
    ],
)
def test_names_are_matched_tolerantly(text):
    b = editing.edit_paragraph(brief(), 1, 2, text + brief().sections[0].paragraphs[1].text)
    report = _check(b)
    assert report.ok, _lines(report)


def test_the_reference_org_counts_as_named_in_the_section():
    # 中央广播电视总台 is the publisher of [4], named in the reference, not in the story text.
    assert "中央广播电视总台" not in DOCUMENTS[3].text
    assert _check(brief()).ok


@pytest.mark.parametrize(
    ("number", "text", "fails"),
    [
        (1, "今年以来，数据要素工作正从制度搭建转向场景组织。", False),  # 2026 on both dates
        (4, "本月，人工智能治理从原则倡议走向操作指引。", False),  # May on both dates
        # Its documents are of 5月24日: 昨天 there is 5月23日, in the brief 5月24日.
        (1, "昨天，国家数据局介绍了三年行动的成效。", True),
        (3, "本周，算力资源走向统筹调度。", True),  # Sunday 5/24 and Monday 5/25
    ],
)
def test_relative_words_only_where_they_read_the_same_on_the_brief_date(number, text, fails):
    report = _check(editing.edit_paragraph(brief(), number, 2, text))
    assert [f.claim for f in report.failures] == ([text[:2]] if fails else []), _lines(report)


def test_today_in_the_summary_means_the_brief():
    assert "今天的四条动态" in brief().summary and _check(brief()).ok


def test_a_subset_count_must_match_its_list():
    text = (
        brief().judgment.text
        + "其中人工智能方向有两条（丁薛祥在上海调研人工智能产业、《人工智能应用伦理安全指引1.0》发布）。"
    )
    assert _check(editing.edit_judgment(brief(), brief().judgment.title, text)).ok
    wrong = text.replace("有两条", "有三条")
    report = _check(editing.edit_judgment(brief(), brief().judgment.title, wrong))
    assert [f.place for f in report.failures] == ["今日判断第 2 段"]


def test_a_reserve_count_is_not_a_count_of_sections():
    text = brief().judgment.text + "另有三条相关动态未入选，留作编辑备选。"
    assert _check(editing.edit_judgment(brief(), brief().judgment.title, text)).ok


def test_a_section_number_that_does_not_exist():
    text = brief().judgment.text.replace("（第四节）", "（第五节）")
    report = _check(editing.edit_judgment(brief(), brief().judgment.title, text))
    assert [(f.place, f.claim) for f in report.failures] == [("今日判断第 1 段", "第五节")]


# ------------------------------------------------------------------ the status rule


def test_final_only_when_the_check_passes_and_nothing_needs_review():
    good = brief()
    assert _check(good).verdict(good).status == "final"
    flagged = good.model_copy(
        update={
            "sections": [
                good.sections[0].model_copy(update={"needs_review": True}),
                *good.sections[1:],
            ]
        }
    )
    verdict = _check(flagged).verdict(flagged)
    assert verdict.status == "draft" and verdict.check_failures == []


def test_without_a_profile_there_is_no_theme_check_but_everything_else():
    b = _exclude("ev-ethics")(brief())
    by_url = {d.url: d for d in DOCUMENTS}
    report = check_brief(b, {r.id: by_url[r.url] for r in b.references})
    places = {f.place for f in report.failures}
    assert "今日判断第 1 段" in places  # 四条动态 and 第四节 still fail
    assert not any(f.claim == "人工智能治理与伦理" and "方向" in f.reason for f in report.failures)


def test_documents_keyed_by_reference_id():
    # The checker reads the mapping it is given: a missing document is reported, not guessed.
    docs = documents()
    docs[4] = None
    report = _check(brief(), docs)
    assert any(f.where == "参考文献 [4]" for f in report.failures)
    assert brief().date == BRIEF_DATE


def test_uncited_paragraph_citations_still_ground_the_heading():
    # A fact paragraph citing [1] and an analysis paragraph citing nothing: the heading is
    # checked against the section's citations as a whole.
    b = brief()
    section = b.sections[0]
    paragraphs = [section.paragraphs[0], Paragraph(kind="analysis", text="案例成为抓手。")]
    sections = [section.model_copy(update={"paragraphs": paragraphs}), *b.sections[1:]]
    b = b.model_copy(update={"sections": sections})
    assert _check(b).ok, _lines(_check(b))
