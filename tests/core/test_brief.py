from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhibao import SAMPLE_BRIEF
from zhibao.core.errors import InputError
from zhibao.core.model import Brief, load_brief, parse_brief
from zhibao.core.schema import brief_schema

DOCS_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "brief.schema.json"


def sample_data() -> dict:
    return json.loads(SAMPLE_BRIEF.read_text(encoding="utf-8"))


def test_sample_brief_round_trips_through_json(tmp_path):
    brief = load_brief(SAMPLE_BRIEF)
    again = load_brief(brief.save(tmp_path / "b.json"))
    assert again == brief
    assert json.loads(again.to_json())["sections"][0]["paragraphs"][0]["kind"] == "fact"


def test_sample_brief_is_publishable_and_follows_the_anatomy():
    brief = load_brief(SAMPLE_BRIEF)
    assert brief.publish_problems() == []
    assert 4 <= len(brief.sections) <= 6
    assert 150 <= len(brief.summary) <= 400
    for section in brief.sections:
        assert "，" in section.heading  # event clause，implication clause
        kinds = [p.kind for p in section.paragraphs]
        assert kinds[0] == "fact" and "analysis" in kinds
    assert brief.judgment.title.startswith("今日判断")


def test_brief_json_keeps_the_documented_field_names():
    data = sample_data()
    assert set(data) >= {"date", "masthead", "summary", "sections", "judgment", "references", "contact"}
    assert set(data["sections"][0]) >= {"heading", "paragraphs"}
    assert set(data["sections"][0]["paragraphs"][0]) == {"kind", "text", "citations"}
    assert set(data["judgment"]) == {"title", "text"}
    assert set(data["references"][0]) >= {"id", "org", "title", "date", "url", "purpose"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("summary"), "summary: 缺少必填字段"),
        (lambda d: d.update(date="2026/05/25"), "date: 应为 ISO 日期"),
        (lambda d: d["sections"][2]["paragraphs"][1].update(kind="opinion"), "sections[2].paragraphs[1].kind"),
        (lambda d: d["sections"][1].update(heading=""), "sections[1].heading: 不能为空"),
        (lambda d: d["references"][0].update(date="yesterday"), "references[0].date"),
        (lambda d: d["judgment"].update(titel="x"), "judgment.titel: 未知字段"),
        (lambda d: d.update(sections=[]), "sections: 至少需要 1 项"),
    ],
)
def test_bad_brief_errors_name_the_field_path(mutate, expected):
    data = sample_data()
    mutate(data)
    with pytest.raises(InputError) as info:
        parse_brief(data, origin="brief-x.json")
    assert "brief-x.json" in str(info.value)
    assert expected in str(info.value)


def test_duplicate_reference_ids_are_refused():
    data = sample_data()
    data["references"][1]["id"] = data["references"][0]["id"]
    with pytest.raises(InputError, match="重复"):
        parse_brief(data)


def test_load_brief_reports_json_syntax_with_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "date": "2026-05-25",\n  oops\n}', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json:3:"):
        load_brief(path)


def test_publish_problems_cover_missing_and_dangling_references():
    data = sample_data()
    data["references"] = []
    problems = parse_brief(data).publish_problems()
    assert any("参考文献为空" in p for p in problems)
    assert any("不存在的参考文献 [1]" in p for p in problems)

    data = sample_data()
    data["sections"][0]["paragraphs"] = [{"kind": "fact", "text": "无引用", "citations": []}]
    problems = parse_brief(data).publish_problems()
    assert any("第 1 节" in p and "没有引用" in p for p in problems)
    assert any("[1]" in p and "未被正文引用" in p for p in problems)


def test_committed_schema_matches_the_model():
    assert json.loads(DOCS_SCHEMA.read_text(encoding="utf-8")) == brief_schema()
    assert Brief.model_json_schema()["required"] == [
        "date", "masthead", "summary", "sections", "judgment"
    ]
