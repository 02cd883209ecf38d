from __future__ import annotations

import pytest

from zhibao.analyze import RelevanceScorer


def test_title_terms_count_more_and_reasons_name_them(profile, make_doc):
    scorer = RelevanceScorer(profile)
    titled = make_doc("https://a/1", "数据要素大赛启动", "比赛今天开始。")
    body_only = make_doc("https://a/2", "大赛启动", "数据要素大赛今天开始。")
    a, b = scorer.score(titled), scorer.score(body_only)
    assert a.score > b.score
    assert a.reasons == {"data": ["数据要素"]}
    assert a.theme == "data" and a.relevant
    assert not b.relevant


def test_longest_phrase_wins_and_phrase_stays_whole(profile, make_doc):
    scorer = RelevanceScorer(profile)
    r = scorer.score(make_doc("https://a/3", "2026年“数据要素×”大赛", "推进公共数据开发。"))
    assert r.reasons["data"] == ["数据要素×", "公共数据"]  # not also 数据要素


def test_negative_keywords_lower_the_score(profile, make_doc):
    scorer = RelevanceScorer(profile)
    clean = scorer.score(make_doc("https://a/4", "人工智能大模型发布", "人工智能大模型。"))
    spoiled = scorer.score(
        make_doc("https://a/5", "人工智能大模型发布", "人工智能大模型。娱乐彩票。")
    )
    assert spoiled.negatives == ["娱乐", "彩票"]
    assert spoiled.score < clean.score - 5.0  # global 娱乐 weighs 5 against every theme
    assert spoiled.themes["data"] == -8.0  # its own 彩票 (default weight 3) and the global 娱乐


def test_english_document_uses_word_boundaries(profile, make_doc):
    scorer = RelevanceScorer(profile)
    doc = make_doc(
        "https://reuters/1",
        "Europe's AI stocks shine as data center spending grows",
        "Investors bought AI and data center names. OpenAI and MAIL are not matches.",
        org="Reuters",
        source_id=None,
        language="en",
    )
    r = scorer.score(doc)
    assert r.reasons["ai"] == ["AI", "data center"]
    assert r.relevant
    # "AI" inside a word (OpenAI, MAIL) never matches
    other = scorer.score(make_doc("https://x/2", "OpenAI MAIL", "OpenAI MAIL", language="en"))
    assert other.score == 0


def test_long_text_needs_more_mentions(profile, make_doc):
    scorer = RelevanceScorer(profile)
    filler = "会议强调要坚持稳中求进，推动高质量发展。" * 60
    short = scorer.score(make_doc("https://a/6", "会议召开", "会议研究算力建设。"))
    long = scorer.score(make_doc("https://a/7", "会议召开", filler + "会议研究算力建设。"))
    assert short.score > long.score > 0


def test_round_up_item_is_scored_on_its_own(profile, make_doc):
    scorer = RelevanceScorer(profile)
    other_items = "\n".join(
        f"第{i}条其他新闻\n今天各地举行活动，群众踊跃参加，气氛热烈祥和。" * 3 for i in range(5)
    )
    text = (
        other_items + "\n我国将加快算力产业发展\n我国将加快算力产业发展，促进算力与卫星互联网融合。"
    )
    r = scorer.score(make_doc("https://a/8", "国内联播快讯", text))
    assert r.relevant
    assert r.focus == "我国将加快算力产业发展"


def test_a_term_in_the_opening_sentence_counts_more_than_one_further_down(profile, make_doc):
    scorer = RelevanceScorer(profile)
    filler = "各地加强春耕生产，农资供应总体充足。" * 3
    lead = make_doc(
        "https://a/6", "行动计划发布", "交通运输部印发计划，推进人工智能应用。" + filler
    )
    later = make_doc(
        "https://a/7", "行动计划发布", "交通运输部印发计划。" + filler + "推进人工智能应用。"
    )
    assert scorer.score(lead).score > scorer.score(later).score


def test_umbrella_terms_alone_weigh_less_than_with_a_specific_term(profile, make_doc):
    broad = profile.model_copy(update={"broad_keywords": ["算力"], "broad_factor": 0.5})
    plain, damped = RelevanceScorer(profile), RelevanceScorer(broad)
    only_umbrella = make_doc("https://a/8", "提升算力水平", "各地提升算力水平。")
    with_specific = make_doc("https://a/9", "提升算力水平", "建设数据要素市场，提升算力水平。")
    assert damped.score(only_umbrella).score == pytest.approx(
        0.5 * plain.score(only_umbrella).score, abs=0.01
    )
    assert damped.score(with_specific).score == plain.score(with_specific).score
