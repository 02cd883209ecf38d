from __future__ import annotations

from datetime import date

import pytest

from zhibao.check import check_brief
from zhibao.core.model import Paragraph, Reference, Section


@pytest.mark.parametrize(
    "claim",
    [
        "5月23日",
        "5 月 23 日",
        "2026-05-23",
        "2026年5月23日",
        "五月二十三日",
        "23日",
        "1.67ZB",
        "1.67 ZB",
        "417 个典型案例",
        "４１７个",
        "一千二百亿元",
        "1200亿元",
        "1,200亿元",
        "3.5%",
        "百分之三点五",
        "28.46%",
        "10 家企业",
        "十家企业",
        "《数据要素行动方案》",
        "“用得好、保安全”",
    ],
)
def test_normalised_claims_are_grounded(claim, stored, make_brief):
    report = check_brief(make_brief(f"国家数据局披露：{claim}。"), stored)
    assert report.ok, [f.line() for f in report.failures]
    assert report.claims_checked >= 1


def test_invented_figure_fails_naming_claim_and_expected_reference(stored, make_brief):
    report = check_brief(make_brief("国家数据局累计发布418个典型案例，交易额达1300亿元。"), stored)
    assert not report.ok
    claims = {f.claim: f for f in report.failures}
    assert set(claims) == {"418", "1300亿"}
    failure = claims["418"]
    assert failure.section == 1 and failure.where == "第 1 节"
    assert failure.expected == [1]
    assert "未出现在所引用的文档中" in failure.reason


def test_summary_claims_may_use_any_reference(stored, make_brief):
    assert check_brief(make_brief("417个案例。", summary="数据交易额同比增长28.46%。"), stored).ok
    report = check_brief(make_brief("417个案例。", summary="交易额增长99.9%。"), stored)
    assert [(f.where, f.claim) for f in report.failures] == [("摘要", "99.9%")]


def test_uncited_section_fails(stored, make_brief):
    uncited = Section(
        heading="没有出处的一节", paragraphs=[Paragraph(kind="analysis", text="没有来源。")]
    )
    report = check_brief(make_brief("417个案例。", extra=[uncited]), stored)
    assert [(f.section, f.reason) for f in report.failures] == [(2, "没有引用任何参考文献")]


def test_dangling_reference_is_reported(stored, make_brief, document):
    brief = make_brief("417个案例。")
    brief.references.append(
        Reference(
            id=2, org="新华网", title="未引用的报道", date=date(2026, 5, 22), url="https://xinhua/2"
        )
    )
    report = check_brief(brief, {**stored, 2: document("https://xinhua/2")})
    assert [(f.where, f.reason) for f in report.failures] == [
        ("参考文献 [2]", "未被任何一节正文引用")
    ]


def test_duplicate_event_id_fails(stored, make_brief):
    twin = Section(
        heading="国家数据局发布典型案例，同一事件的第二节",
        event_id="ev-1",
        paragraphs=[Paragraph(kind="fact", text="417个案例。", citations=[1])],
    )
    report = check_brief(make_brief("417个案例。", extra=[twin]), stored)
    assert [f.section for f in report.failures] == [2]
    assert "event_id 重复" in report.failures[0].reason


def test_missing_document_fails_and_claims_cannot_be_verified(make_brief):
    report = check_brief(make_brief("417个案例。"), {1: None})
    reasons = [f.reason for f in report.failures]
    assert "指向的文档未入库 (not stored)" in reasons
    assert any("无从核实" in r for r in reasons)


def test_missing_contact_is_an_anatomy_failure(stored, make_brief):
    brief = make_brief("417个案例。")
    brief.contact.qr_codes = []
    report = check_brief(brief, stored)
    assert [(f.where, f.claim) for f in report.failures] == [("结构", "联系方式")]
