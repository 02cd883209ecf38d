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
    assert (result.relevant_tp, result.relevant_fp, result.relevant_fn) == (2, 0, 1)
    assert result.relevance_precision == 1.0 and result.relevance_recall == 0.667
    assert result.selection_precision == 1.0 and result.selected == 2
    assert result.core_candidate_recall == 0.5
    assert result.missed_core == ["数据局召开座谈会"]


def test_bad_label_line_names_file_and_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(
        '{"url": "https://a", "label": 1}\n{"url": "https://b", "label": 5}\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"labels.jsonl:2: label 应为 0、1 或 2"):
        load_labels(path)
