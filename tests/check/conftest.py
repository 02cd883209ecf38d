from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from zhibao.core.model import (
    Brief,
    Contact,
    Document,
    Judgment,
    Masthead,
    Paragraph,
    QRCode,
    Reference,
    Section,
)

CHINA = timezone(timedelta(hours=8))

SOURCE_TEXT = (
    "国家数据局5月23日发布数据：三年行动计划实施以来，累计发布417个典型案例，"
    "2025年全国活跃数据总量为1.67ZB，同比增长28.46%，交易额达1200亿元，"
    "参与企业十家，增速为百分之三点五。国家数据局印发《数据要素行动方案》，"
    "提出“供得出、流得动、用得好、保安全”。"
)


def _document(url: str, text: str = SOURCE_TEXT, day: int = 23) -> Document:
    return Document(
        url=url,
        canonical_url=url,
        title="关于“数据要素×”国家数据局最新发声",
        text=text,
        published_at=datetime(2026, 5, day, 19, 0, tzinfo=CHINA),
        source_org="国家数据局",
    )


def _make_brief(
    fact: str, *, summary: str = "5月23日，国家数据局发布数据。", extra: list[Section] | None = None
) -> Brief:
    return Brief(
        date=date(2026, 5, 25),
        masthead=Masthead(title="新质生产力每日动态", publisher="工委会"),
        summary=summary,
        sections=[
            Section(
                heading="“数据要素×”成果发布，案例成为抓手",
                event_id="ev-1",
                paragraphs=[
                    Paragraph(kind="fact", text=fact, citations=[1]),
                    Paragraph(kind="analysis", text="这说明数据要素工作进入场景组织阶段。"),
                ],
            ),
            *(extra or []),
        ],
        judgment=Judgment(title="今日判断：要素组织能力", text="数据要素正在走向应用。"),
        references=[
            Reference(
                id=1,
                org="国家数据局",
                title="最新发声",
                date=date(2026, 5, 23),
                url="https://nda/1",
            ),
        ],
        contact=Contact(qr_codes=[QRCode(url="https://gyznswn.cn", caption="工业智能算网")]),
    )


@pytest.fixture
def stored() -> dict[int, Document]:
    return {1: _document("https://nda/1")}


@pytest.fixture
def document():
    """Factory: ``document(url, text=SOURCE_TEXT, day=23)`` — a stored source document."""
    return _document


@pytest.fixture
def make_brief():
    """Factory: ``make_brief(fact, summary=…, extra=[sections])`` — a complete brief citing [1]."""
    return _make_brief
