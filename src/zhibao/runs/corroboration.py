"""扩搜 around the day's events: search each one, keep what reports the same story.

After analysis, each selected and then each candidate event (best first) is searched once per
search source — its organisation and the theme terms it matched, within its dates — until
``profile.search.max_queries_per_brief`` queries were asked. Answers are cached per engine,
query and day (the store), so rewriting the brief asks nothing again. Each result page is
fetched through a polite ``Fetcher`` (robots.txt, per-host delay, WARC), extracted, and kept
only when the analysis's own same-event test (``analyze.events.cluster_documents``, with the
reprint test of ``analyze.dedup``) puts it with the event's documents; kept pages are stored
with their query and engine, and the day is analysed again so that they count like any
document (``domain_tiers`` gives them their weight).

A kept page on a government domain that is the *original* of what the event's lead reports —
published no later than the lead, by the body the lead names (国家统计局近日发布… → the
国家统计局 release) — becomes the event's lead, so the section's primary reference is the
notice or release itself, not a report or reprint of it.

    >>> analysis, report = corroborate(analysis, store, profile=profile, sources=sources,
    ...                                reanalyse=lambda: analyze_day(...))   # doctest: +SKIP
    >>> print("\\n".join(report.lines()))
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.analyze import Analysis, document_tier
from zhibao.analyze.dedup import near_duplicate_groups
from zhibao.analyze.events import MAX_GAP_DAYS, cluster_documents
from zhibao.analyze.text import is_chinese
from zhibao.config import Profile
from zhibao.core.entities import organisations
from zhibao.core.loops import run_sync
from zhibao.core.model import Document, Event, Source, SourceKind, Tier
from zhibao.core.time import local_date
from zhibao.core.urls import canonical_url
from zhibao.crawl import Fetcher, FetchSettings, WarcArchive, decode_html
from zhibao.crawl.search import (
    Searcher,
    SearchError,
    SearchResult,
    searched_document,
    source_allows,
)
from zhibao.extract import ExtractError, extract_document

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = [
    "CorroborationReport",
    "corroborate",
    "event_query",
    "is_original_of",
    "page_document",
    "same_story",
    "search_sources",
]

GOVERNMENT = frozenset({Tier.central, Tier.ministry, Tier.local})
_MAX_TERMS = 2


@dataclass
class CorroborationReport:
    """What widening the search around the day's events did."""

    queries: int = 0  # queries asked (cached answers included)
    asked: int = 0  # queries that went to a backend
    results: int = 0  # result URLs allowed by the sources' domains
    fetched: int = 0  # result pages fetched
    stored: int = 0  # results the store already had (not fetched again)
    joined: list[str] = field(default_factory=list)  # "event title ← page title"
    rejected: int = 0  # pages that are not the event's story
    originals: list[str] = field(default_factory=list)  # events now led by the original
    errors: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"扩搜：查询 {self.queries} 次（实际请求 {self.asked} 次，其余来自缓存），"
            f"结果 {self.results} 条（已存 {self.stored} 条），抓取 {self.fetched} 页，并入事件 {len(self.joined)} 篇，"
            f"非同一事件 {self.rejected} 篇，改用官方原文为首要来源 {len(self.originals)} 节，"
            f"用时 {self.duration_s:.1f} 秒"
        ]
        out += [f"  并入：{line}" for line in self.joined]
        out += [f"  原文：{line}" for line in self.originals]
        out += [f"  错误：{line}" for line in self.errors]
        return out


def search_sources(sources: Sequence[Source]) -> list[Source]:
    return [s for s in sources if s.kind is SourceKind.search and s.enabled]


# --------------------------------------------------------------------------- what to ask


def event_query(event: Event) -> str:
    """The event's issuing body (named in its lead's headline, else its opening) and the theme
    terms it matched: ``国家统计局 智能制造 工业互联网``; the headline when nothing matched.
    A lead that search found is passed over for the best report the sources gave."""
    # Asked from what the configured sources reported, so that rewriting the brief after a
    # search made an original the lead asks the same (cached) query again.
    lead = next((d for d in event.documents if not d.search_engine), event.lead_document)
    title = (event.focus if lead is event.lead_document else None) or lead.title
    named = sorted(organisations(title), key=title.find) or sorted(
        organisations(lead.text[:300]), key=lead.text.find
    )
    terms: list[str] = []
    for matched in event.reasons.values():
        terms += [t for t in matched if t not in terms and not any(t in n for n in named)]
    words = named[:1] + terms[:_MAX_TERMS]
    return " ".join(words) if len(words) > 1 else title[:30]


def event_days(event: Event) -> tuple[date, date] | None:
    days = [d for d in (local_date(doc) for doc in event.documents) if d]
    return (min(days), max(days)) if days else None


def time_range(first_day: date, brief_date: date) -> str:
    """The narrowest of the backends' ranges that reaches back to the event's first day."""
    age = (brief_date - first_day).days
    return "day" if age <= 1 else "week" if age <= 7 else "month"


# --------------------------------------------------------------------------- the tests


def same_story(event: Event, document: Document) -> str | None:
    """Why ``document`` reports the event's story (the analysis's own merge reason), else None."""
    documents = [*event.documents, document]
    groups = near_duplicate_groups(documents)
    clusters = cluster_documents(
        documents,
        list(range(len(documents))),
        groups,
        chinese=lambda d: is_chinese(d.title + d.text[:1000], d.language),
    )
    newcomer = len(documents) - 1
    for cluster in clusters:
        if newcomer in cluster.members and len(cluster.members) > 1:
            return "；".join(cluster.merged_by[-2:]) or "同一事件"
    return None


def is_original_of(candidate: Document, lead: Document, tier: Tier | None) -> bool:
    """Whether ``candidate`` (a government page) is what ``lead`` reports or reprints: not later
    than the lead, by the body the lead names in its headline or opening."""
    if tier not in GOVERNMENT or candidate.canonical_url == lead.canonical_url:
        return False
    if candidate.published_at is None or lead.published_at is None:
        return False
    if candidate.published_at > lead.published_at:
        return False
    body = candidate.issuer or candidate.source_org
    bodies = organisations(f"{candidate.title}\n{body}") | ({body} if body else set())
    opening = f"{lead.title}\n{lead.text[:200]}\n{lead.source_org}"
    return any(name and name in opening for name in bodies)


# --------------------------------------------------------------------------- pages


def page_document(page, source: Source, request_url: str) -> Document:
    """A fetched result page as a ``Document`` credited to its query (raises ExtractError)."""
    html = decode_html(page.content, page.content_type)
    document = extract_document(html, page.final_url, source=source, fetched_at=page.fetched_at)
    updates: dict[str, object] = {"source_id": source.id}
    if page.archive and not document.archive:
        updates["archive"] = page.archive
    return searched_document(document.model_copy(update=updates), source, request_url)


def _archive_dir(store: Store) -> Path | None:
    # Pages fetched here are archived beside the collection's WARC files of the same store.
    url = store.url
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        return Path(url.removeprefix("sqlite:///")).parent / "archive"
    return None


# --------------------------------------------------------------------------- the run


@dataclass
class _Ask:
    event: Event
    source: Source
    query: str
    window: tuple[date, date]


def corroborate(
    analysis: Analysis,
    store: Store,
    *,
    profile: Profile,
    sources: Sequence[Source],
    reanalyse: Callable[[], Analysis],
    settings: FetchSettings | None = None,
    archive_dir: Path | None = None,
) -> tuple[Analysis, CorroborationReport]:
    """Widen the search around ``analysis``'s events (see the module); ``reanalyse`` analyses
    the day again once pages were kept. Without a search source nothing happens."""
    report = CorroborationReport()
    searching = search_sources(sources)
    budget = profile.search.max_queries_per_brief
    if not searching or budget == 0 or analysis.empty:
        return analysis, report
    started = time.monotonic()
    asks: list[_Ask] = []
    for event in [*analysis.selected, *analysis.candidates]:
        days = event_days(event)
        if days is None:
            continue
        query = event_query(event)
        for source in searching:
            if len(asks) < budget:
                asks.append(_Ask(event, source, query, days))
    archive_dir = archive_dir or _archive_dir(store)
    kept = run_sync(
        lambda: _search_and_fetch(
            asks, analysis, store, profile, settings or FetchSettings(), archive_dir, report
        )
    )
    tiers = {s.id: s.tier for s in sources}
    if kept:
        analysis = reanalyse()
    analysis = _lead_with_originals(analysis, profile, tiers, report)
    report.duration_s = time.monotonic() - started
    return analysis, report


async def _search_and_fetch(
    asks: list[_Ask],
    analysis: Analysis,
    store: Store,
    profile: Profile,
    settings: FetchSettings,
    archive_dir: Path | None,
    report: CorroborationReport,
) -> int:
    known = {
        d.canonical_url for e in [*analysis.selected, *analysis.candidates] for d in e.documents
    }
    archive = None
    if archive_dir is not None:
        archive_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        archive = WarcArchive(archive_dir / f"search-{analysis.brief_date}-{stamp}.warc.gz")
    kept = 0
    try:
        async with Fetcher(settings, archive=archive, validators=store.validators) as fetcher:
            for ask in asks:
                found = await _results(ask, analysis.brief_date, store, settings, report)
                if found is None:
                    continue
                request_url, results = found
                todo = [r for r in results if canonical_url(r.url) not in known]
                todo = todo[: profile.search.results_per_query]
                known.update(canonical_url(r.url) for r in todo)
                documents = await asyncio.gather(
                    *(_document(r, ask, request_url, fetcher, store, report) for r in todo)
                )
                for document in documents:
                    if document is None:
                        continue
                    reason = _joins(ask, document)
                    if reason is None:
                        report.rejected += 1
                        continue
                    store.upsert_document(document)
                    kept += 1
                    report.joined.append(
                        f"「{ask.event.lead_document.title[:24]}」← {document.title[:30]}"
                        f"（{document.link}；{reason}）"
                    )
    finally:
        if archive is not None:
            archive.close()
    return kept


async def _results(
    ask: _Ask, brief_date: date, store: Store, settings: FetchSettings, report: CorroborationReport
) -> tuple[str, list[SearchResult]] | None:
    # An original comes before the reports of it: reach back as far as the same-event test does.
    span = time_range(ask.window[0] - timedelta(days=MAX_GAP_DAYS), brief_date)
    async with Searcher(ask.source, cache=store, user_agent=settings.user_agent) as searcher:
        report.queries += 1
        try:
            results = await searcher.results(ask.query, day=brief_date, time_range=span)
        except SearchError as exc:
            report.errors.append(f"「{ask.query}」：{exc}")
            return None
        finally:
            report.asked += searcher.asked
        request_url = searcher.request_url(ask.query, span)
    earliest = ask.window[0] - timedelta(days=MAX_GAP_DAYS)
    allowed = [
        r
        for r in results
        if source_allows(ask.source, r.url)
        and (r.published_date is None or earliest <= r.published_date <= brief_date)
    ]
    report.results += len(allowed)
    return request_url, allowed


async def _document(
    result: SearchResult,
    ask: _Ask,
    request_url: str,
    fetcher: Fetcher,
    store: Store,
    report: CorroborationReport,
) -> Document | None:
    if store.has_document(canonical_url(result.url)):
        report.stored += 1  # stored before (by a source or an earlier search): not again
        return None
    outcome = await fetcher.get(result.url, source_id=ask.source.id, conditional=False)
    if outcome.page is None:
        report.errors.append(outcome.error or f"{result.url}: 未取得页面")
        return None
    report.fetched += 1
    try:
        return page_document(outcome.page, ask.source, request_url)
    except ExtractError as exc:
        report.errors.append(str(exc))
        return None


def _joins(ask: _Ask, document: Document) -> str | None:
    day = local_date(document)
    first, last = ask.window
    if day is not None and not (
        first - timedelta(days=MAX_GAP_DAYS) <= day <= last + timedelta(days=MAX_GAP_DAYS)
    ):
        return None
    return same_story(ask.event, document)


def _lead_with_originals(
    analysis: Analysis, profile: Profile, tiers: dict[str, Tier | None], report: CorroborationReport
) -> Analysis:
    def upgrade(event: Event) -> Event:
        # The lead the configured sources gave (a report or a reprint), whatever analysis chose.
        reported = next((d for d in event.documents if not d.search_engine), None)
        if reported is None:
            return event
        for document in event.documents:
            if not document.search_engine:
                continue
            tier = document_tier(document, tiers, profile)
            if is_original_of(document, reported, tier):
                report.originals.append(
                    f"「{reported.title[:24]}」→ {document.source_org}「{document.title[:30]}」"
                )
                others = [d for d in event.documents if d is not document]
                return event.model_copy(update={"documents": [document, *others], "lead": 0})
        return event

    analysis.selected = [upgrade(e) for e in analysis.selected]
    analysis.candidates = [upgrade(e) for e in analysis.candidates]
    return analysis
