from __future__ import annotations

import json

import pytest

from zhibao.analyze.evaluation import evaluate_relevance, load_labels
from zhibao.core.errors import InputError


def test_precision_and_recall_against_labels(tmp_path, profile, make_doc, tiers):
    docs = [
        make_doc("https://nda/1", "数据要素大赛启动", "数据要素大赛启动，公共数据开放。", 23),
        make_doc("https://nda/2", "算力网络建设现场会召开", "算力网络建设。", 24),
        make_doc("https://nda/3", "春耕生产有序推进", "各地春耕生产有序推进。", 24),
        make_doc("https://nda/4", "数据局召开座谈会", "会议交流工作。", 24),
    ]
    path = tmp_path / "labels.jsonl"
    rows = [("https://nda/1", 2), ("https://nda/2", 1), ("https://nda/3", 0), ("https://nda/4", 2)]
    path.write_text(
        "\n".join(json.dumps({"url": u, "label": v}) for u, v in rows), encoding="utf-8"
    )
    result = evaluate_relevance(docs, load_labels(path), profile, tiers=tiers)
    page = result.page
    assert result.story is None  # no story labels given
    assert (page.relevant_tp, page.relevant_fp, page.relevant_fn) == (2, 0, 1)
    assert page.relevance_precision == 1.0 and page.relevance_recall == 0.667
    assert page.selection_precision == 1.0 and page.selected == 2
    assert page.core_candidate_recall == 0.5
    assert page.missed_core == ["数据局召开座谈会"]


def test_stories_of_a_split_page_are_scored_per_story_and_per_page(
    tmp_path, profile, make_doc, tiers
):
    page = "https://cctv/kuaixun.shtml"
    story = lambda n, title, text: make_doc(f"{page}#story-{n}", title, text, 24).model_copy(  # noqa: E731
        update={"page_url": page}
    )
    docs = [
        story(1, "全国累计电力市场交易电量同比增长", "国家能源局公布电力市场交易电量数据。"),
        story(2, "数据要素×典型案例发布", "国家数据局发布数据要素×典型案例，公共数据开放。"),
        story(3, "南方多地迎来降雨", "强对流天气影响南方多地。"),
    ]
    path = tmp_path / "stories.jsonl"
    rows = [(f"{page}#story-1", 0), (f"{page}#story-2", 2), (f"{page}#story-3", 0)]
    path.write_text(
        "\n".join(json.dumps({"url": u, "label": v}) for u, v in rows), encoding="utf-8"
    )
    result = evaluate_relevance(docs, load_labels(path), profile, tiers=tiers)
    # Per page: the page is core (its best story) and found when that story is.
    assert (result.page.found, result.page.core, result.page.core_reached) == (1, 1, 1)
    # Per story: three units, one core, reached; the selected section is that story.
    assert (result.story.found, result.story.core, result.story.core_reached) == (3, 1, 1)
    assert result.story.selected == 1 and result.story.selection_precision == 1.0
    assert result.selected_titles[0][1] == "数据要素×典型案例发布"


def test_a_story_label_finds_an_unsplit_page_through_the_page(tmp_path, profile, make_doc):
    page = make_doc("https://cctv/k.shtml", "国内联播快讯", "数据要素×典型案例发布。数据要素。", 24)
    path = tmp_path / "stories.jsonl"
    path.write_text(
        json.dumps({"url": "https://cctv/k.shtml#story-2", "label": 2}), encoding="utf-8"
    )
    result = evaluate_relevance([page], load_labels(path), profile)
    assert result.story.found == 1 and result.story.via_page == 1


def test_bad_label_line_names_file_and_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(
        '{"url": "https://a", "label": 1}\n{"url": "https://b", "label": 5}\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"labels.jsonl:2: label 应为 0、1 或 2"):
        load_labels(path)
