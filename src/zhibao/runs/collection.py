"""One collection run: every source read, every article extracted and stored, counts kept.

``collect_run`` ties the stages together — ``zhibao.crawl.collect_source`` → ``decode_html``
→ ``zhibao.extract.extract_document`` → ``split_stories`` (a round-up page gives one document
per story) → ``Store.upsert_document`` — for each source, and
writes the raw responses of the run into one WARC file under ``archive_dir``. A bad page is an
error of that page, a failed source is an error of that source: neither stops the run. What
each source gave is recorded in the store (``record_source``) and returned as a ``RunReport``.

    >>> from datetime import date
    >>> from zhibao.crawl import FetchSettings
    >>> from zhibao.store import Store
    >>> store = Store.open("sqlite:///zhibao.db")                               # doctest: +SKIP
    >>> report = collect_run(sources, store, date=date(2026, 5, 24), days=3,
    ...                      settings=FetchSettings(), archive_dir=Path("archive"))  # doctest: +SKIP
    >>> report.totals["new"], report.all_failed                                 # doctest: +SKIP
    (58, False)

Resuming is safe: an article the store already has is not fetched again (``seen``), every
document is committed as soon as it is extracted, and a list page's validators are kept only
once all of its articles were handed over, so a killed run is simply run again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zhibao.core.loops import run_sync
from zhibao.core.model import Source
from zhibao.crawl import (
    Collected,
    CollectError,
    Fetcher,
    FetchSettings,
    ListStats,
    WarcArchive,
    collect_source,
    decode_html,
)
from zhibao.extract import ExtractError, IndexPageError, extract_document, split_stories
from zhibao.extract.stories import roundup_patterns, story_url

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = ["RunObserver", "RunReport", "SourceReport", "collect_run", "collection_window"]

Outcome = Literal["new", "updated", "unchanged", "skipped", "error"]


@dataclass
class SourceReport:
    """What one source gave in one run."""

    source_id: str
    name: str
    lists_fetched: int = 0
    lists_empty: int = 0
    lists_not_modified: int = 0
    pages_fetched: int = 0
    skipped_seen: int = 0  # articles already stored, not fetched again
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # pages fetched but not stored: no article in them (broken, empty…)
    index_pages: int = 0  # day lists, channel and whole-episode pages: skipped, not errors
    errors: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def documents(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def failed(self) -> bool:
        """Nothing at all came through: no list read (or confirmed unchanged), no page fetched."""
        reached = self.lists_fetched or self.lists_not_modified or self.pages_fetched
        return bool(self.errors) and not reached

    @property
    def last_error(self) -> str | None:
        return self.errors[-1] if self.errors else None


@dataclass
class RunReport:
    """The whole run: one ``SourceReport`` per source, in the order the sources were given."""

    run_id: int
    sources: list[SourceReport]
    archive: Path | None
    window: list[date]
    duration_s: float = 0.0

    @property
    def all_failed(self) -> bool:
        """True only when every source failed: the one case ``zhibao collect`` exits non-zero."""
        return bool(self.sources) and all(s.failed for s in self.sources)

    @property
    def totals(self) -> dict[str, int]:
        names = (
            "lists_fetched",
            "lists_empty",
            "pages_fetched",
            "new",
            "updated",
            "unchanged",
            "rejected",
            "index_pages",
        )
        totals = {name: sum(getattr(s, name) for s in self.sources) for name in names}
        totals["errors"] = sum(len(s.errors) for s in self.sources)
        return totals


class RunObserver:
    """Hooks for showing progress (the CLI draws a progress bar); every method is optional."""

    def source_started(self, source: Source) -> None:
        """Called when a source begins."""

    def page_done(self, source: Source, outcome: Outcome, url: str) -> None:
        """Called once per article page handled (stored, unchanged, skipped or failed); a
        round-up page's outcome is its stories' best (new > updated > unchanged)."""

    def source_finished(self, report: SourceReport) -> None:
        """Called with the source's report when it is done."""


def collection_window(day: date, days: int = 1) -> list[date]:
    """The ``days`` days ending with ``day``: ``collection_window(date(2026, 5, 24), 3)`` is
    22, 23 and 24 May."""
    if days < 1:
        raise ValueError("days 至少为 1")
    return [day - timedelta(days=n) for n in range(days - 1, -1, -1)]


def collect_run(
    sources: Sequence[Source],
    store: Store,
    *,
    date: date,
    days: int = 1,
    settings: FetchSettings | None = None,
    archive_dir: Path | None = None,
    observer: RunObserver | None = None,
    roundup_titles: Sequence[str] | None = None,
) -> RunReport:
    """Collect ``sources`` for the ``days`` days ending with ``date``, store what they give.

    ``roundup_titles``: the profile's round-up title patterns (``Profile.roundup_titles``;
    default the built-in ones); each source's own ``roundup_titles`` are added to them.

    Safe to call from inside a running event loop (a notebook): the collection then runs on
    its own loop in a worker thread. Async code may ``await collect_run_async(...)`` instead.
    """
    return run_sync(
        lambda: collect_run_async(
            sources,
            store,
            date=date,
            days=days,
            settings=settings,
            archive_dir=archive_dir,
            observer=observer,
            roundup_titles=roundup_titles,
        )
    )


async def collect_run_async(
    sources: Sequence[Source],
    store: Store,
    *,
    date: date,
    days: int = 1,
    settings: FetchSettings | None = None,
    archive_dir: Path | None = None,
    observer: RunObserver | None = None,
    roundup_titles: Sequence[str] | None = None,
) -> RunReport:
    observer = observer or RunObserver()
    window = collection_window(date, days)
    started = time.monotonic()
    run_id = store.start_run()
    archive = None
    if archive_dir is not None:
        archive_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        archive = WarcArchive(archive_dir / f"run-{run_id:05d}-{stamp}.warc.gz")
    reports = [SourceReport(s.id, s.name) for s in sources]
    status = "failed"
    try:
        async with Fetcher(
            settings or FetchSettings(), archive=archive, validators=store.validators
        ) as fetcher:
            # Sources run side by side; the Fetcher's per-host limits keep each site polite.
            await asyncio.gather(
                *(
                    _collect_one(
                        source, report, fetcher, store, window, run_id, observer, roundup_titles
                    )
                    for source, report in zip(sources, reports, strict=True)
                )
            )
        status = "failed" if reports and all(r.failed for r in reports) else "finished"
    finally:
        if archive is not None:
            archive.close()
        store.finish_run(run_id, status=status)
    return RunReport(
        run_id=run_id,
        sources=reports,
        archive=archive.path if archive is not None else None,
        window=window,
        duration_s=time.monotonic() - started,
    )


async def _collect_one(
    source: Source,
    report: SourceReport,
    fetcher: Fetcher,
    store: Store,
    window: list[date],
    run_id: int,
    observer: RunObserver,
    roundup_titles: Sequence[str] | None = None,
) -> None:
    observer.source_started(source)
    started = time.monotonic()
    stats = ListStats()
    patterns = roundup_patterns(roundup_titles, source)

    def seen(url: str) -> bool:
        # A round-up page is stored as its stories: its first story says it was read.
        return store.has_document(url) or store.has_document(story_url(url, 1))

    try:
        async for item in collect_source(source, fetcher, dates=window, seen=seen, stats=stats):
            if isinstance(item, CollectError):
                report.errors.append(item.message)
                observer.page_done(source, "error", item.url)
                continue
            outcome = _store_page(item, source, store, report, patterns)
            observer.page_done(source, outcome, item.page.url)
    except Exception as exc:  # a failure inside one source must not hide the others
        report.errors.append(f"信息源 {source.id} 中断：{type(exc).__name__}: {exc}")
    report.lists_fetched = stats.lists_fetched
    report.lists_empty = stats.lists_empty
    report.lists_not_modified = stats.lists_not_modified
    report.pages_fetched = stats.pages_fetched
    report.skipped_seen = stats.items_seen
    report.duration_s = time.monotonic() - started
    store.record_source(
        run_id,
        source.id,
        lists_fetched=report.lists_fetched,
        lists_empty=report.lists_empty,
        new_documents=report.new,
        updated_documents=report.updated,
        errors=len(report.errors),
        last_error=report.last_error,
        duration_s=report.duration_s,
    )
    observer.source_finished(report)


def _store_page(
    item: Collected,
    source: Source,
    store: Store,
    report: SourceReport,
    patterns: Sequence[str] = (),
) -> Outcome:
    page = item.page
    try:
        html = decode_html(page.content, page.content_type)
        doc = extract_document(
            html,
            page.final_url,
            source=source,
            fetched_at=page.fetched_at,
            listed_title=item.listed_title,
            listed_date=item.listed_date,
        )
        updates: dict[str, object] = {}
        if page.archive and not doc.archive:
            updates["archive"] = page.archive
        if not doc.source_id:
            updates["source_id"] = source.id
        if updates:
            doc = doc.model_copy(update=updates)
        results = [store.upsert_document(story) for story in split_stories(doc, patterns)]
    except IndexPageError:
        report.index_pages += 1  # a list of articles, not one: nothing wrong with the source
        return "skipped"
    except ExtractError as exc:
        report.rejected += 1
        report.errors.append(str(exc) if page.final_url in str(exc) else f"{page.final_url}: {exc}")
        return "error"
    except Exception as exc:  # one bad page never stops the run
        report.rejected += 1
        report.errors.append(f"{page.final_url}: 处理页面出错 ({type(exc).__name__}: {exc})")
        return "error"
    for result in results:
        setattr(report, result, getattr(report, result) + 1)
    return next((r for r in ("new", "updated") if r in results), "unchanged")


def describe(report: RunReport, echo: Callable[[str], None]) -> None:
    """A few plain lines about a run (used by ``zhibao demo``)."""
    t = report.totals
    echo(
        f"采集 {len(report.sources)} 个信息源（{report.window[0]} 至 {report.window[-1]}）："
        f"列表页 {t['lists_fetched']}，文章页 {t['pages_fetched']}，"
        f"新增 {t['new']}，更新 {t['updated']}，未变 {t['unchanged']}，"
        f"错误 {t['errors']}，用时 {report.duration_s:.1f} 秒"
    )
    for s in report.sources:
        mark = "失败" if s.failed else "完成"
        echo(f"  {s.source_id:<8} {mark}  新增 {s.new:>3}  错误 {len(s.errors)}")
