"""Brief fixtures shared by every renderer's tests (pdf, html, wechat, docx, md).

Use the fixtures, not imports: ``make_brief`` is a fixture that returns the builder, so a test
can write ``brief = make_brief(summary="…")``. Ready-made briefs: ``sample_brief``,
``nasty_brief``, ``long_section_brief``, ``many_sections_brief``, ``no_references_brief``.
``NASTY`` (the untrusted-text probe) is exposed as the ``nasty_text`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from zhibao.core.model import Brief, load_brief

# Everything a markup language might interpret, plus an astral-plane emoji.
NASTY = "# $ * _ [ ] @ <script> </p> \\ 😀"

QR_URLS = ("https://example.org/qr/official-account", "https://example.com/qr/site?a=1&b=2")


def _paragraph(text: str, citations: list[int], kind: str = "fact") -> dict[str, Any]:
    return {"kind": kind, "text": text, "citations": citations}


def brief_data(**overrides: Any) -> dict[str, Any]:
    """A small, complete, publishable brief as JSON data: 2 sections, 2 references, 2 QR codes."""
    data: dict[str, Any] = {
        "date": "2026-05-25",
        "masthead": {
            "title": "测试每日动态",
            "publisher": "测试工作委员会",
            "producer": "测试制作方",
        },
        "summary": "本期收录两条测试动态。第一条关于数据要素，第二条关于算力网络。",
        "sections": [
            {
                "heading": "数据要素大赛启动，以赛促用",
                "paragraphs": [
                    _paragraph("5 月 23 日，某机构启动数据要素大赛，新增多个赛道。", [1]),
                    _paragraph("大赛把政策落到具体行业，赛道对应场景。", [1], "analysis"),
                ],
            },
            {
                "heading": "算力网络现场会召开，基础设施进入建设期",
                "paragraphs": [
                    _paragraph("5 月 21 日，某地召开数据基础设施现场会。", [2]),
                    _paragraph("现场会表明建设重心转向落地。", [2], "analysis"),
                ],
            },
        ],
        "judgment": {
            "title": "今日判断：政策重心从搭框架转向找主体",
            "text": "第一段判断。\n\n第二段判断。",
        },
        "references": [
            {
                "id": 1,
                "org": "测试数据局",
                "title": "数据要素大赛启动",
                "date": "2026-05-23",
                "url": "https://example.gov.cn/news/2026/05/23/data-contest.html",
                "purpose": "用于核实大赛启动时间与新增赛道",
            },
            {
                "id": 2,
                "org": "测试发展委员会",
                "title": "数据基础设施现场会",
                "date": "2026-05-21",
                "url": "https://example.gov.cn/news/2026/05/21/infrastructure.html",
                "purpose": "用于核实现场会时间地点",
                "archived": "https://archive.example.org/2026/infrastructure.html",
            },
        ],
        "contact": {
            "heading": "联系我们，请扫描二维码",
            "qr_codes": [
                {"url": QR_URLS[0], "caption": "测试委员会 官方公众号"},
                {"url": QR_URLS[1], "caption": "测试网站 example.com"},
            ],
            "organisations": [
                {"name": "测试工作委员会", "description": "一个用于测试的委员会。"},
                {"name": "测试信息平台", "description": "一个用于测试的信息平台。"},
            ],
            "website": "https://example.com",
            "disclaimer": "本报告仅供测试参考，不构成投资建议",
        },
        "status": "draft",
    }
    data.update(overrides)
    return data


def make_brief(**overrides: Any) -> Brief:
    """``brief_data(**overrides)`` validated into a ``Brief`` (top-level keys replace wholesale)."""
    return Brief.model_validate(brief_data(**overrides))


def nasty_brief() -> Brief:
    """Untrusted characters in heading, paragraph, summary, reference title/URL, contact."""
    data = brief_data()
    data["summary"] = f"摘要 {NASTY} 结束"
    data["sections"][0]["heading"] = f"标题 {NASTY} 结束"
    data["sections"][0]["paragraphs"][0]["text"] = f"段落 {NASTY} 结束"
    data["judgment"]["title"] = f"今日判断：{NASTY}"
    data["references"][0]["title"] = f"文献 {NASTY} 结束"
    # A URL may carry the same characters (already percent-free here on purpose).
    data["references"][0]["url"] = "https://example.org/a#b$c*d_e[f]g@h<script>i</p>j\\k"
    data["references"][0]["org"] = "机构 $x$ *y*"
    data["contact"]["organisations"][0]["description"] = f"说明 {NASTY}"
    return Brief.model_validate(data)


def long_section_brief(chars: int = 10_000) -> Brief:
    """The first section carries one ``chars``-character paragraph plus a few normal ones."""
    sentence = "数据要素市场化配置改革持续推进，各地围绕场景开放与价值释放开展探索。"
    long_text = (sentence * (chars // len(sentence) + 1))[:chars]
    data = brief_data()
    data["sections"][0]["paragraphs"].insert(0, _paragraph(long_text, [1]))
    return Brief.model_validate(data)


def many_sections_brief(count: int = 20) -> Brief:
    """``count`` sections, each citing one of two references, long enough to span pages."""
    data = brief_data()
    data["sections"] = [
        {
            "heading": f"第 {i} 条动态：测试标题{i}，测试影响{i}",
            "paragraphs": [
                _paragraph(f"第 {i} 条动态的事实段落。" * 12, [1 + i % 2]),
                _paragraph(f"第 {i} 条动态的分析段落。" * 8, [1 + i % 2], "analysis"),
            ],
        }
        for i in range(1, count + 1)
    ]
    return Brief.model_validate(data)


def no_references_brief() -> Brief:
    """Citations removed and references empty: a draft with ``publish_problems()``."""
    data = brief_data(references=[])
    for section in data["sections"]:
        for paragraph in section["paragraphs"]:
            paragraph["citations"] = []
    return Brief.model_validate(data)


def sample_brief() -> Brief:
    """The bundled sample ``src/zhibao/samples/brief-2026-05-25.json``."""
    path = resources.files("zhibao") / "samples" / "brief-2026-05-25.json"
    with resources.as_file(path) as real:
        return load_brief(real)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(name="make_brief")
def make_brief_fixture() -> Callable[..., Brief]:
    return make_brief


@pytest.fixture(name="brief_data")
def brief_data_fixture() -> Callable[..., dict[str, Any]]:
    return brief_data


@pytest.fixture(name="nasty_text")
def nasty_text_fixture() -> str:
    return NASTY


@pytest.fixture(name="qr_urls")
def qr_urls_fixture() -> tuple[str, str]:
    return QR_URLS


@pytest.fixture(name="sample_brief")
def sample_brief_fixture() -> Brief:
    return sample_brief()


@pytest.fixture(name="nasty_brief")
def nasty_brief_fixture() -> Brief:
    return nasty_brief()


@pytest.fixture(name="long_section_brief")
def long_section_brief_fixture() -> Brief:
    return long_section_brief()


@pytest.fixture(name="many_sections_brief")
def many_sections_brief_fixture() -> Brief:
    return many_sections_brief()


@pytest.fixture(name="no_references_brief")
def no_references_brief_fixture() -> Brief:
    return no_references_brief()
