from __future__ import annotations

import json

from zhibao import SAMPLE_BRIEF
from zhibao.core.model import parse_brief
from zhibao.render.markdown import MarkdownRenderer, escape

NASTY = r"# $x$ *bold* _it_ [link](http://x) @user <script>alert(1)</script> </p> C:\path 😀"


def brief_with(text: str):
    data = json.loads(SAMPLE_BRIEF.read_text(encoding="utf-8"))
    data["sections"][0]["heading"] = text
    data["sections"][0]["paragraphs"][0]["text"] = text
    data["references"][0]["title"] = text
    return parse_brief(data)


def test_escape_keeps_markdown_and_html_literal():
    out = escape(NASTY)
    assert "<script>" not in out
    assert r"\<script\>" in out
    assert r"\*bold\*" in out and r"\_it\_" in out and r"\[link\]" in out
    assert r"C:\\path" in out
    assert "😀" in out


def test_line_starting_like_a_list_stays_text():
    assert escape("1. 第一") == "1\\. 第一"
    assert escape("- 条目") == "\\- 条目"


def test_markdown_structure_and_nasty_text():
    md = MarkdownRenderer().render(brief_with(NASTY)).decode("utf-8")
    assert md.startswith("# 新质生产力每日动态\n")
    assert "2026 年 5 月 25 日" in md
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[0] == "## 摘要"
    assert headings[1] == "## 目录"
    assert headings[2].startswith("## 一、")
    assert headings[7].startswith("## 六、今日判断")
    assert headings[8] == "## 参考文献"
    assert "<script>" not in md
    assert '<a id="ref-1"></a>' in md
    assert "[\\[1\\]](#ref-1)" in md


def test_twenty_sections_and_long_text_render():
    data = json.loads(SAMPLE_BRIEF.read_text(encoding="utf-8"))
    section = data["sections"][0]
    long = dict(section, paragraphs=[dict(section["paragraphs"][0], text="数据要素" * 2500)])
    # One long section among twenty: twenty of them would pass the brief's size limit.
    data["sections"] = [
        dict(long if i == 0 else section, heading=f"第{i}件事，意义{i}") for i in range(20)
    ]
    md = MarkdownRenderer().render(parse_brief(data)).decode("utf-8")
    assert "## 二十、第19件事，意义19" in md
    assert "## 二十一、今日判断" in md
    assert "数据要素" * 2500 in md
