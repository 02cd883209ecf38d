"""Document features: scored once per document and profile, kept in the store, reused by briefs."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

import zhibao.runs.briefing as briefing
from zhibao.analyze import analyze, document_features, profile_key
from zhibao.analyze.features import DocumentFeatures
from zhibao.analyze.relevance import RelevanceScorer
from zhibao.config import Theme, load_brand
from zhibao.core.model import Source, Tier
from zhibao.core.time import SHANGHAI
from zhibao.runs.briefing import analyze_day, window_features, write_context
from zhibao.store import Store
from zhibao.write import get_writer

DAY = date(2026, 5, 25)
CONTEST = (
    "5月23日，2026年“数据要素×”大赛在数据安全发展大会开幕式期间正式启动。国家数据局表示，"
    "2026年是“数据要素价值释放年”，本届大赛新增人力资源、体育发展、文物保护利用、中医药、"
    "数据基础设施建设等赛道，共设16个行业赛道。数据要素大赛将通过试点试验、成果认定推进。"
)
SOURCES = [
    Source(id="nda", name="国家数据局", org="国家数据局", tier=Tier.central, urls=["https://nda/"]),
    Source(id="sh", name="上海市数据局", org="上海市数据局", tier=Tier.local, urls=["https://sh/"]),
    Source(
        id="xinhua", name="新华社", org="新华社", tier=Tier.official_media, urls=["https://xinhua/"]
    ),
]


def _documents(make_doc):
    return [
        make_doc("https://nda/1", "刘烈宏启动2026年“数据要素×”大赛", CONTEST, 23, hour=20),
        make_doc(  # a reprint: dedup must group it with the original
            "https://sh/1",
            "“数据要素×”大赛启动",
            CONTEST.replace("正式启动", "启动"),
            24,
            org="上海市数据局",
            source_id="sh",
        ),
        make_doc(
            "https://xinhua/2",
            "全国一体化算力网建设提速",
            "新华社北京5月24日电 国家发展改革委表示，全国算力总规模持续增长，算力网络建设提速，"
            "智能算力占比超过三成，算力调度平台已接入多个枢纽节点。",
            24,
            org="新华社",
            source_id="xinhua",
        ),
        make_doc(
            "https://xinhua/3",
            "春耕生产有序推进",
            "各地抓住时节开展春耕，农机作业进度快于去年同期。",
            24,
            org="新华社",
            source_id="xinhua",
        ),
        make_doc("https://nda/old", "数据要素工作会议召开", "国家数据局召开数据要素工作会议。", 2),
        # No date on the page: the window takes it in on the day it was fetched.
        make_doc(
            "https://nda/undated", "公共数据资源开发利用", "公共数据授权运营规则。", None
        ).model_copy(update={"fetched_at": datetime(2026, 5, 24, 8, 0, tzinfo=SHANGHAI)}),
    ]


@pytest.fixture
def filled(database_url, make_doc):
    with Store.open(database_url) as store:
        for document in _documents(make_doc):
            store.upsert_document(document)
        yield store


@pytest.fixture
def scored(monkeypatch):
    """Counts the documents the brief path scores (the real scoring still runs)."""
    counts: list[int] = []
    real = briefing.document_features

    def counting(documents, profile, **options):
        counts.append(len(documents))
        return real(documents, profile, **options)

    monkeypatch.setattr(briefing, "document_features", counting)
    return counts


def _outcome(analysis):
    def events(items):
        return [
            (
                e.id,
                [d.canonical_url for d in e.documents],
                [d.canonical_url for d in e.background],
                e.score,
                e.theme,
                e.reasons,
                e.merged_by,
            )
            for e in items
        ]

    return (
        events(analysis.selected),
        events(analysis.candidates),
        events(analysis.dropped),
        analysis.relevance,
        analysis.report.counts,
    )


def test_features_are_stored_once_and_reused(filled, profile, scored):
    key = profile_key(profile)
    first = analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    assert filled.count_features(profile.name, key) == 6
    second = analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    assert scored == [6]  # the second brief scored nothing
    assert _outcome(first) == _outcome(second)
    assert first.selected  # the window has news on the topic


def test_a_stored_feature_is_what_the_brief_reads(filled, profile):
    analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    key = profile_key(profile)
    entries = filled.feature_index(date(2026, 4, 1), DAY, topic=profile.name, profile_key=key)
    compute = next(e for e in entries if e.outline.canonical_url == "https://xinhua/2")
    kept = DocumentFeatures.from_data(compute.data, compute.signature)
    assert kept.relevance.relevant
    kept.relevance.score, kept.relevance.relevant = 0.0, False
    filled.save_features(
        profile.name, key, [(compute.document_id, compute.content_hash, kept.to_data(), None)]
    )
    again = analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    assert not again.relevance["https://xinhua/2"].relevant


def test_features_are_recomputed_when_the_keywords_change(filled, profile, scored):
    before = analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    assert not before.relevance["https://xinhua/3"].relevant
    farming = Theme(id="farming", name="农业", keywords={"春耕": 5, "农机": 3})
    changed = profile.model_copy(update={"themes": [*profile.themes, farming]})
    assert profile_key(changed) != profile_key(profile)
    # A change that does not touch relevance keeps the features.
    assert profile_key(profile.model_copy(update={"max_per_theme": 3})) == profile_key(profile)

    after = analyze_day(filled, DAY, profile=changed, sources=SOURCES)
    assert scored == [6, 6]
    assert after.relevance["https://xinhua/3"].relevant
    assert after.relevance["https://xinhua/3"].reasons == {"farming": ["春耕", "农机"]}
    assert filled.count_features(profile.name, profile_key(changed)) == 6
    assert filled.count_features(profile.name, profile_key(profile)) == 0  # replaced, not kept


def test_a_changed_document_is_scored_again(filled, profile, scored, make_doc):
    analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    rewritten = make_doc(
        "https://xinhua/3",
        "春耕生产有序推进",
        "各地春耕进度加快，人工智能大模型进入农机调度。",
        24,
        org="新华社",
        source_id="xinhua",
    )
    assert filled.upsert_document(rewritten) == "updated"
    analysis = analyze_day(filled, DAY, profile=profile, sources=SOURCES)
    assert scored == [6, 1]
    assert analysis.relevance["https://xinhua/3"].reasons == {"ai": ["人工智能", "大模型"]}


def test_a_brief_from_stored_features_equals_a_fresh_one(filled, profile):
    window = profile.window(DAY)
    documents = filled.documents(window.background_start, DAY, undated=True)
    tiers = {s.id: s.tier for s in SOURCES}
    fresh = analyze(documents, profile, brief_date=DAY, tiers=tiers)
    cold = analyze_day(filled, DAY, profile=profile, sources=SOURCES)  # computes, stores
    warm = analyze_day(filled, DAY, profile=profile, sources=SOURCES)  # reads them back
    assert _outcome(fresh) == _outcome(cold) == _outcome(warm)
    assert fresh.report.counts["duplicates"] == 1 and fresh.report.counts["undated"] == 1

    # Only relevant documents were read with their text.
    texts, features = window_features(filled, window.background_start, DAY, profile=profile)
    read = {d.canonical_url for d in texts if d.text}
    assert read == {url for url, f in features.items() if f.relevance.relevant}
    assert "https://xinhua/3" not in read

    brand = load_brand(None)
    context = write_context(filled, DAY, profile=profile, brand=brand, sources=SOURCES)
    writer = get_writer("extractive")
    assert writer.write_brief(fresh, context).model_dump(mode="json") == writer.write_brief(
        warm, context
    ).model_dump(mode="json")


def test_naming_no_term_scores_as_full_tokenisation_would(profile, make_doc):
    scorer = RelevanceScorer(profile)
    tokenising = RelevanceScorer(profile)
    tokenising._may_match = lambda document, chinese: True  # always tokenise
    documents = [
        make_doc("https://a/1", "春耕生产有序推进", "各地抓住时节开展春耕。"),
        make_doc("https://a/2", "AI 赋能制造", "数据 要素 市场与 ＡＩ 应用；数据要素×大赛。"),
        make_doc("https://a/3", "彩票销售", "彩票销售情况。"),
        make_doc("https://a/4", "Data Center boom", "New DATA CENTER capacity.", language="en"),
        make_doc("https://a/5", "Farm news", "Harvest is early this year.", language="en"),
    ]
    for document in documents:
        assert scorer.score(document) == tokenising.score(document), document.url


def test_a_pool_of_processes_gives_the_same_features(profile, make_doc):
    documents = [
        make_doc(f"https://a/{i}", f"第{i}条：国家数据局推进数据要素市场建设", CONTEST[i % 50 :])
        if i % 3 == 0
        else make_doc(f"https://a/{i}", f"第{i}条：春耕", "各地抓住时节开展春耕。")
        for i in range(1000)
    ]
    alone = document_features(documents, profile, processes=1)
    pooled = document_features(documents, profile, processes=2)
    assert [f.relevance for f in alone] == [f.relevance for f in pooled]
    for a, b in zip(alone, pooled, strict=True):
        assert (a.signature is None) == (b.signature is None)
        if a.signature is not None:
            assert np.array_equal(a.signature, b.signature)
    restored = DocumentFeatures.from_data(alone[0].to_data(), alone[0].signature_bytes())
    assert restored.relevance == alone[0].relevance
    assert np.array_equal(restored.signature, alone[0].signature)
