"""analyze: from a window of stored documents to the day's ranked events.

Stages, one module each: ``relevance`` (topic score with reasons), ``dedup`` (reprints),
``events`` (one event per happening, across outlets and days), ``continuity`` (no repeats
without a new development), ``ranking`` (score and theme-diverse selection).

    >>> from zhibao.config import load_profile, load_sources
    >>> tiers = {s.id: s.tier for s in load_sources().sources}
    >>> analysis = analyze(documents, load_profile(), brief_date=date(2026, 5, 25), tiers=tiers)
    >>> [e.lead_document.title for e in analysis.selected]
    ['刘烈宏出席数据安全发展大会开幕式并启动2026年“数据要素×”大赛', …]
    >>> analysis.report.counts["relevant"], analysis.report.timings["total"]
    (31, 0.8)

The writer turns ``analysis.selected`` into sections and records each covered event with
``covered_event(event, brief_date)``; the next day's ``analyze(..., earlier=records)`` (or
``earlier=[yesterdays_brief]``) then skips what was covered unless something new happened.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from zhibao.analyze.continuity import (
    apply_continuity,
    covered_event,
    covered_from_brief,
    document_kinds,
    recent,
)
from zhibao.analyze.dedup import near_duplicate_groups
from zhibao.analyze.events import cluster_documents, event_id
from zhibao.analyze.features import DocumentFeatures, document_features, profile_key
from zhibao.analyze.ranking import corroboration_factor, freshness, select
from zhibao.analyze.relevance import Relevance, RelevanceScorer
from zhibao.analyze.text import is_chinese
from zhibao.config import Profile
from zhibao.core.model import Brief, CoveredEvent, Document, Event, Tier
from zhibao.core.time import local_date, published_moment

__all__ = [
    "Analysis",
    "AnalysisReport",
    "DocumentFeatures",
    "Relevance",
    "RelevanceScorer",
    "analyze",
    "covered_event",
    "covered_from_brief",
    "document_features",
    "document_kinds",
    "document_tier",
    "profile_key",
]

UNKNOWN_AUTHORITY = 0.4  # a document whose tier is not known (no source entry, org not listed)


@dataclass
class AnalysisReport:
    """What each stage did: document and event counts, and seconds per stage."""

    window: tuple[date, date]
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """A short run report in Chinese (for the CLI and logs)."""
        c, t = self.counts, self.timings
        start, end = self.window
        return [
            f"时间窗口 {start.isoformat()} 至 {end.isoformat()}",
            f"读取文档 {c.get('documents', 0)} 篇（无日期 {c.get('undated', 0)} 篇，"
            f"截稿后 {c.get('after_cutoff', 0)} 篇留待下期），"
            f"相关 {c.get('relevant', 0)} 篇，转载合并 {c.get('duplicates', 0)} 篇",
            f"事件 {c.get('events', 0)} 个（窗口内 {c.get('fresh_events', 0)} 个），"
            f"已报道且无新进展 {c.get('covered', 0)} 个，延续报道 {c.get('continuing', 0)} 个",
            f"入选 {c.get('selected', 0)} 个，候选 {c.get('candidates', 0)} 个",
            "用时 " + "，".join(f"{k} {v:.2f}s" for k, v in t.items()),
        ] + self.shortfall()

    def shortfall(self) -> list[str]:
        """Why the brief has fewer sections than the profile asks for, when it has."""
        c = self.counts
        if not c.get("minimum") or c.get("selected", 0) >= c["minimum"]:
            return []
        return [
            f"入选 {c.get('selected', 0)} 节，少于最少 {c['minimum']} 节：窗口内达到相关度阈值、"
            "且未在前几期报道过的事件只有这些；不以无关内容凑数，请编辑从候选中补充或扩大信息源"
        ]


@dataclass
class Analysis:
    """The outcome of ``analyze``: selected events, the editor's candidates, and the report."""

    brief_date: date
    selected: list[Event]
    candidates: list[Event]
    dropped: list[Event]  # covered by an earlier brief, nothing new
    relevance: dict[str, Relevance]  # canonical URL → score with reasons (every document read)
    report: AnalysisReport

    @property
    def empty(self) -> bool:
        """No relevant fresh event: no brief should be written."""
        return not self.selected


def document_tier(
    document: Document, tiers: Mapping[str, Tier | None], profile: Profile
) -> Tier | None:
    """The tier a document weighs with: its source's; for a page a search found (it has no
    source tier) the tier of where it is (``domain_tiers``); else by its organisation's name
    (``org_tiers``); else by where it is."""
    searched = bool(document.search_engine)
    if not searched and (tier := tiers.get(document.source_id or "")):
        return tier
    if searched and (tier := profile.domain_tier(document.link)):
        return tier
    org = document.source_org
    if org in profile.org_tiers:
        return profile.org_tiers[org]
    matches = [name for name in profile.org_tiers if org and (name in org or org in name)]
    if matches:
        return profile.org_tiers[max(matches, key=len)]
    return profile.domain_tier(document.link)


def analyze(
    documents: Iterable[Document],
    profile: Profile,
    *,
    brief_date: date,
    tiers: Mapping[str, Tier | None] | None = None,
    usual_times: Mapping[str, str] | None = None,
    earlier: Iterable[Brief | CoveredEvent] = (),
    features: Mapping[str, DocumentFeatures] | None = None,
) -> Analysis:
    """Rank the events of the window ending on ``brief_date`` and choose the day's sections.

    ``documents`` may include older ones: those before the window become background of the
    events they belong to. Documents published at or after the brief's cut-off
    (``profile.cutoff`` on ``brief_date``) wait for the next brief; a page that gives only its
    day counts at its source's usual hour (``usual_times``: source id → ``"19:00"``), else at
    the end of that day. ``tiers`` maps source ids to tiers
    (``{s.id: s.tier for s in load_sources().sources}``); ``earlier`` holds earlier briefs or
    their ``CoveredEvent`` records.

    ``features`` (canonical URL → ``DocumentFeatures`` under this profile, e.g. kept in the
    store) spare scoring those documents again; the others are scored here. A document whose
    features say it is not relevant is never read past its URL, dates and source, so an
    outline of it (a ``Document`` without its text) is enough.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    tiers = tiers or {}
    usual_times = usual_times or {}
    window = profile.window(brief_date)
    window_start = window.start
    report = AnalysisReport(window=(window_start, brief_date))

    unique: dict[str, Document] = {}
    late = 0
    for document in documents:
        moment = published_moment(document, usual_times.get(document.source_id or ""))
        if moment is not None and moment >= window.cutoff:
            late += 1
            continue
        unique.setdefault(document.canonical_url, document)
    docs = list(unique.values())

    tick = time.perf_counter()
    known = dict(features or {})
    fresh = [d for d in docs if d.canonical_url not in known]
    known.update(
        zip((d.canonical_url for d in fresh), document_features(fresh, profile), strict=True)
    )
    relevance = {d.canonical_url: known[d.canonical_url].relevance for d in docs}
    relevant = [i for i, d in enumerate(docs) if relevance[d.canonical_url].relevant]
    timings["relevance"] = time.perf_counter() - tick

    tick = time.perf_counter()
    relevant_docs = [docs[i] for i in relevant]
    signatures = [known[d.canonical_url].signature for d in relevant_docs]
    groups = [
        [relevant[i] for i in g]
        for g in near_duplicate_groups(relevant_docs, signatures=signatures)
    ]
    timings["dedup"] = time.perf_counter() - tick

    tick = time.perf_counter()
    chinese = {id(d): is_chinese(d.title + d.text[:1000], d.language) for d in relevant_docs}
    clusters = cluster_documents(
        docs,
        relevant,
        groups,
        chinese=lambda d: chinese.get(id(d), True),
        focus=lambda d: relevance[d.canonical_url].focus,
    )
    original = {}  # a reprint counts as its original's outlet for corroboration
    for group in groups:
        for i in group:
            original[docs[i].canonical_url] = docs[group[0]]
    context = _Context(profile, tiers, relevance, original, brief_date, window_start)
    events, stale = [], 0
    for cluster in clusters:
        event = context.event([docs[i] for i in cluster.members], cluster.merged_by)
        if event is None:
            stale += 1
        else:
            events.append(event)
    timings["events"] = time.perf_counter() - tick

    tick = time.perf_counter()
    records: list[CoveredEvent] = []
    for item in earlier:
        records += covered_from_brief(item) if isinstance(item, Brief) else [item]
    records = recent(records, brief_date, profile.continuity_briefs)
    kept, dropped = apply_continuity(events, records)
    kept = [context.finish(e) if e.continuing else e for e in kept]
    timings["continuity"] = time.perf_counter() - tick

    tick = time.perf_counter()
    selected, candidates = select(kept, profile)
    timings["ranking"] = time.perf_counter() - tick
    timings["total"] = time.perf_counter() - started

    report.counts = {
        "documents": len(docs),
        "after_cutoff": late,
        "undated": sum(1 for d in docs if d.published_at is None),
        "relevant": len(relevant),
        "duplicates": sum(len(g) - 1 for g in groups),
        "events": len(clusters),
        "fresh_events": len(events),
        "stale_events": stale,
        "covered": len(dropped),
        "continuing": sum(1 for e in kept if e.continuing),
        "selected": len(selected),
        "candidates": len(candidates),
        "minimum": profile.sections.min,
    }
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    return Analysis(brief_date, selected, candidates, dropped, relevance, report)


class _Context:
    """Turns a cluster of documents into a scored ``Event`` for one brief date."""

    def __init__(self, profile, tiers, relevance, original, brief_date, window_start):
        self.profile = profile
        self.tiers = tiers
        self.relevance: dict[str, Relevance] = relevance
        self.original: dict[str, Document] = original
        self.brief_date: date = brief_date
        self.window_start: date = window_start

    def authority(self, document: Document) -> float:
        tier = document_tier(document, self.tiers, self.profile)
        return self.profile.authority.get(tier, UNKNOWN_AUTHORITY) if tier else UNKNOWN_AUTHORITY

    def _fresh(self, document: Document) -> float:
        return freshness(local_date(document), self.brief_date, self.profile.window_days)

    def event(self, documents: Sequence[Document], merged_by: Sequence[str] = ()) -> Event | None:
        """None when no document of the cluster is dated inside the window."""
        background = [d for d in documents if (day := local_date(d)) and day < self.window_start]
        older = {id(d) for d in background}
        current = [d for d in documents if id(d) not in older]
        if not any(self._fresh(d) > 0 for d in current):
            return None
        lead = self._lead(current)
        event = Event(
            id=event_id(lead), documents=current, background=background, merged_by=list(merged_by)
        )
        return self.finish(event)

    def _lead(self, documents: Sequence[Document]) -> Document:
        # Dated documents first (a reference needs a date), then authority, earliest, longest.
        def key(d: Document) -> tuple:
            published = d.published_at.timestamp() if d.published_at else float("inf")
            return (d.published_at is None, -self.authority(d), published, -len(d.text))

        return min(documents, key=key)

    def finish(self, event: Event) -> Event:
        """(Re)choose the lead and compute the score of ``event`` from its documents."""
        documents = list(event.documents)
        lead = self._lead(documents)
        documents.remove(lead)
        documents.sort(key=lambda d: (-self.authority(d), d.published_at is None, d.canonical_url))
        documents.insert(0, lead)
        scores = [
            self.relevance[d.canonical_url] for d in documents if d.canonical_url in self.relevance
        ]
        relevance = max((r.score for r in scores), default=0.0)
        themes: dict[str, float] = defaultdict(float)
        reasons: dict[str, list[str]] = {}
        for r in scores:
            for theme, value in r.themes.items():
                themes[theme] += value
            for theme, terms in r.reasons.items():
                merged = reasons.setdefault(theme, [])
                merged += [t for t in terms if t not in merged]
        lead_theme = (
            self.relevance[lead.canonical_url].theme
            if lead.canonical_url in self.relevance
            else None
        )
        theme = lead_theme or (max(themes, key=themes.__getitem__) if themes else None)
        outlets = {
            (self.original.get(d.canonical_url) or d).source_org or d.source_id or d.canonical_url
            for d in documents
        }
        fresh = max((self._fresh(d) for d in documents), default=0.0)
        authority = self.authority(lead)
        score = relevance * authority * corroboration_factor(len(outlets)) * fresh
        return event.model_copy(
            update={
                "id": event.id if event.continuing else event_id(lead),
                "documents": documents,
                "lead": 0,
                "theme": theme,
                "focus": self.relevance[lead.canonical_url].focus
                if lead.canonical_url in self.relevance
                else None,
                "reasons": reasons,
                "relevance": round(relevance, 3),
                "authority": authority,
                "corroboration": len(outlets),
                "freshness": fresh,
                "score": round(score, 4),
            }
        )
