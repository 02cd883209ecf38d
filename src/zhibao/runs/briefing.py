"""One brief from stored documents: analyze → write → check → store → render.

The library call behind ``zhibao brief`` and ``zhibao demo`` (and the web desk's
"regenerate"); the CLI only parses arguments and prints.

    >>> from zhibao.store import Store
    >>> with Store.open() as store:
    ...     run = make_brief(date(2026, 5, 25), store=store, out_dir="out")
    >>> run.brief.status, [p.name for p in run.paths][:2]
    ('final', ['brief-2026-05-25.json', 'brief-2026-05-25.pdf'])
    >>> print("\\n".join(run.lines()))

A brief the checker rejects is still written and stored, as ``status="draft"`` with the
failures in ``brief.check_failures`` (renderers show them); nothing is published silently.
An empty window raises ``EmptyWindowError`` and writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.analyze import (
    Analysis,
    DocumentFeatures,
    analyze,
    covered_event,
    document_features,
    profile_key,
)
from zhibao.check import CheckReport
from zhibao.config import Brand, Profile, load_brand, load_profile, load_sources
from zhibao.core.model import Brief, Document, Source
from zhibao.crawl import FetchSettings
from zhibao.render import render_brief
from zhibao.runs.checking import check_stored
from zhibao.runs.corroboration import corroborate, search_sources
from zhibao.write import EmptyWindowError, WriteContext, Writer, get_writer

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = ["BriefRun", "analyze_day", "make_brief", "window_features", "write_context"]

# Documents scored per round when features are missing: bounds the texts held in memory.
FEATURE_BATCH = 20_000


@dataclass
class BriefRun:
    """What one brief run produced and how long each stage took."""

    analysis: Analysis
    brief: Brief
    check: CheckReport
    paths: list[Path] = field(default_factory=list)  # JSON first, then the renderings
    timings: dict[str, float] = field(default_factory=dict)
    writer_lines: list[str] = field(default_factory=list)  # the writer's own report, if any

    def lines(self) -> list[str]:
        """A short run report in Chinese (for standard error and logs)."""
        c = self.analysis.report.counts
        review = sum(s.needs_review for s in self.brief.sections)
        check = (
            f"核验通过（{self.check.claims_checked} 处数字、日期、书名与引语均有出处），状态 final"
            if self.check.ok and not review
            else f"核验通过，但 {review} 节待编辑复核 (needs_review)，已保存为草稿 (draft)"
            if self.check.ok
            else f"核验未通过：{len(self.check.failures)} 个问题，已保存为草稿 (draft)"
        )
        out = [
            f"简报 {self.brief.date}：读取文档 {c.get('documents', 0)} 篇，相关 {c.get('relevant', 0)} 篇，"
            f"事件 {c.get('events', 0)} 个，入选 {c.get('selected', 0)} 个（候选 {c.get('candidates', 0)} 个）",
            check,
            *self.analysis.report.shortfall(),
            *self.writer_lines,
            "用时 " + "，".join(f"{k} {v:.2f}s" for k, v in self.timings.items()),
        ]
        out += [f"  {f.line()}" for f in self.check.failures]
        return out


def window_features(
    store: Store, since: date, until: date, *, profile: Profile
) -> tuple[list[Document], dict[str, DocumentFeatures]]:
    """The documents of ``since``..``until`` (undated ones by their fetch day) with their
    analysis features under ``profile``.

    Features are read from the store; documents without current ones (new, changed, or a
    changed profile) are scored now and their features stored, so each document is tokenised
    once per profile. Only relevant documents come back with their text: analysis reads no
    other document past its URL, dates and source.
    """
    key = profile_key(profile)
    entries = store.feature_index(since, until, topic=profile.name, profile_key=key)
    features = {
        e.outline.canonical_url: DocumentFeatures.from_data(e.data, e.signature)
        for e in entries
        if e.data is not None
    }
    missing = [e for e in entries if e.data is None]
    for start in range(0, len(missing), FEATURE_BATCH):
        batch = missing[start : start + FEATURE_BATCH]
        full = store.documents_by_id([e.document_id for e in batch])
        scored = [(e, full[e.document_id]) for e in batch if e.document_id in full]
        computed = document_features([d for _e, d in scored], profile)
        store.save_features(
            profile.name,
            key,
            [
                (e.document_id, e.content_hash, f.to_data(), f.signature_bytes())
                for (e, _d), f in zip(scored, computed, strict=True)
            ],
        )
        features.update((d.canonical_url, f) for (_e, d), f in zip(scored, computed, strict=True))
    relevant = [
        e.document_id
        for e in entries
        if (f := features.get(e.outline.canonical_url)) is not None and f.relevance.relevant
    ]
    full = store.documents_by_id(relevant)
    # A document deleted while this ran has no features: it is left out, not scored blind.
    documents = [
        full.get(e.document_id, e.outline) for e in entries if e.outline.canonical_url in features
    ]
    return documents, features


def analyze_day(
    store: Store, brief_date: date, *, profile: Profile, sources: Sequence[Source]
) -> Analysis:
    """The ranked events of ``brief_date``: its window's documents, less what was covered.

    Each document is scored once per profile (``window_features``); a brief reads the
    window's stored features and the texts of its relevant documents only.
    """
    window = profile.window(brief_date)
    covered = store.covered_events(window.background_start, topic=profile.name)
    # Undated documents too: analysis may group them with dated reports, never as fresh.
    documents, features = window_features(
        store, window.background_start, brief_date, profile=profile
    )
    return analyze(
        documents,
        profile,
        brief_date=brief_date,
        tiers={s.id: s.tier for s in sources},
        usual_times={s.id: s.usual_time for s in sources if s.usual_time},
        earlier=[c for c in covered if c.brief_date < brief_date],
        features=features,
    )


def write_context(
    store: Store,
    brief_date: date,
    *,
    profile: Profile,
    brand: Brand,
    sources: Sequence[Source],
    archive_base: str | None = None,
) -> WriteContext:
    """What a writer may use for the brief of ``brief_date``, read from config and the store."""
    window = profile.window(brief_date)
    return WriteContext(
        brief_date=brief_date,
        brand=brand,
        profile=profile,
        earlier=store.briefs(
            window.trend_start, brief_date - timedelta(days=1), topic=profile.name
        ),
        document=store.document,
        archive=store.documents,
        orgs={s.id: s.org for s in sources},
        archive_base=archive_base,
        store=store,
    )


def make_brief(
    brief_date: date,
    *,
    store: Store,
    writer: str | Writer = "extractive",
    out_dir: str | Path | None = None,
    formats: Sequence[str] | None = None,
    profile: Profile | None = None,
    brand: Brand | None = None,
    sources: Iterable[Source] | None = None,
    config_dir: str | Path | None = None,
    archive_base: str | None = None,
    search_settings: FetchSettings | None = None,
) -> BriefRun:
    """Write, check, store and (when ``out_dir`` is given) render the brief of ``brief_date``.

    With a ``search`` source configured, the analysed events are searched around first
    (``zhibao.runs.corroboration``); ``search_settings`` fetch its result pages.

    ``formats=None`` renders every format whose renderer is available; naming formats
    makes a missing renderer an error.
    """
    timings: dict[str, float] = {}
    tick = time.perf_counter()
    profile = profile or load_profile(config_dir)
    brand = brand or load_brand(config_dir)
    sources = list(sources) if sources is not None else load_sources(config_dir).sources
    timings["read"] = time.perf_counter() - tick

    tick = time.perf_counter()
    analysis = analyze_day(store, brief_date, profile=profile, sources=sources)
    timings["analyze"] = time.perf_counter() - tick
    search_lines: list[str] = []
    if search_sources(sources):  # 扩搜: search around the events, keep the same stories
        tick = time.perf_counter()
        analysis, found = corroborate(
            analysis,
            store,
            profile=profile,
            sources=sources,
            reanalyse=lambda: analyze_day(store, brief_date, profile=profile, sources=sources),
            settings=search_settings,
        )
        search_lines = found.lines()
        timings["search"] = time.perf_counter() - tick
    if analysis.empty:
        report = "\n".join(f"  {line}" for line in analysis.report.lines())
        raise EmptyWindowError(
            f"{brief_date}：时间窗口内没有与「{profile.name}」相关的新动态，未生成简报"
            f"（no relevant documents in the window）。\n{report}\n"
            "请先采集（zhibao collect）或导入（zhibao import）这几天的文档后重试。"
        )

    tick = time.perf_counter()
    context = write_context(
        store, brief_date, profile=profile, brand=brand, sources=sources, archive_base=archive_base
    )
    author = get_writer(writer) if isinstance(writer, str) else writer
    brief = author.write_brief(analysis, context)
    writer_lines = search_lines + author.report_lines()  # the llm writer: fallbacks, tokens, cost
    timings["write"] = time.perf_counter() - tick

    tick = time.perf_counter()
    check = check_stored(brief, store, profile)
    brief = check.verdict(brief)
    timings["check"] = time.perf_counter() - tick

    tick = time.perf_counter()
    store.save_brief(
        brief,
        topic=profile.name,
        covered=[covered_event(e, brief_date) for e in analysis.selected],
    )
    timings["store"] = time.perf_counter() - tick

    run = BriefRun(
        analysis=analysis, brief=brief, check=check, timings=timings, writer_lines=writer_lines
    )
    if out_dir is not None:
        tick = time.perf_counter()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        run.paths.append(brief.save(out / f"{brief.stem}.json"))
        run.paths += render_brief(brief, out, list(formats) if formats is not None else None)
        timings["render"] = time.perf_counter() - tick
    timings["total"] = sum(timings.values())
    run.timings = {k: round(v, 3) for k, v in timings.items()}
    return run
