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

One run per home at a time: ``collect_run`` holds ``<data_dir>/collect.lock`` (an ``flock``,
released by the kernel even on ``kill -9``) for the whole run; a second run on the same home
stops at once with ``CollectionBusy`` naming the lock and the PID holding it. Holding the lock
proves no other run is alive, so runs still marked ``running`` are then marked
``interrupted``. Each source's figures are recorded while it runs (every few seconds) and when
it finishes, so a killed run loses at most the last seconds of figures of the sources in
flight.

A source gives at most ``FetchSettings.max_per_source`` articles per run (unless it sets its
own ``max_items``); the links past that are queued in the store and fetched first, oldest
first, by the next runs, at most half of each run's budget (``SourceReport.queued``:
"排队 N 条，下次运行继续").
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from zhibao.core.errors import ZhibaoError
from zhibao.core.loops import run_sync
from zhibao.core.model import Source
from zhibao.core.urls import canonical_url
from zhibao.crawl import (
    Collected,
    CollectError,
    Fetcher,
    FetchSettings,
    ListedItem,
    ListStats,
    Queued,
    WarcArchive,
    collect_source,
    decode_html,
)
from zhibao.crawl.politeness import HostGates, RedisHostGates
from zhibao.crawl.search import search_context, searched_document
from zhibao.extract import ExtractError, IndexPageError, extract_document, split_stories
from zhibao.extract.stories import roundup_patterns, story_url

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = [
    "LOCK_NAME",
    "CollectionBusy",
    "RunObserver",
    "RunReport",
    "SourceReport",
    "collect_into_run",
    "collect_run",
    "collection_lock",
    "collection_window",
    "describe",
    "notes",
    "record_source_report",
]

Outcome = Literal["new", "updated", "unchanged", "skipped", "error"]
LOCK_NAME = "collect.lock"
PROGRESS_EVERY_S = 2.0  # how often a running source's figures are written to the store


class CollectionBusy(ZhibaoError):
    """Another collection run holds this home's lock."""


@contextlib.contextmanager
def collection_lock(path: Path) -> Iterator[None]:
    """Hold the collection lock ``path`` for the ``with`` block, or raise ``CollectionBusy``.

    An ``flock`` on the file, not the file's existence: the kernel drops it when the process
    dies, however it dies, so a killed run never leaves a stale lock behind. The file keeps
    the holder's PID for the message a second run prints.
    """
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="ascii") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "未知"
            raise CollectionBusy(
                f"另一个采集正在运行（PID {holder}，锁文件 {path}）：同一数据目录同时只能运行一个"
                " zhibao collect，请等它结束后再运行 (collection already running)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()  # the PID of a finished run would only mislead
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    dequeued: int = 0  # links queued by an earlier run, taken up in this one
    queued: int = 0  # links waiting for the next run (the source reached its per-run cap)
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
    interrupted_runs: list[int] = field(default_factory=list)  # found "running", marked

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
            "dequeued",
            "queued",
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
    search_keywords: Sequence[str] | None = None,
    lock: Path | None = None,
    gates: HostGates | RedisHostGates | None = None,
) -> RunReport:
    """Collect ``sources`` for the ``days`` days ending with ``date``, store what they give.

    ``roundup_titles``: the profile's round-up title patterns (``Profile.roundup_titles``;
    default the built-in ones); each source's own ``roundup_titles`` are added to them.

    ``search_keywords``: what ``queries: from_profile`` search sources ask for
    (``Profile.search_keywords()``); default the keywords of the home's profile.

    ``lock``: the home's collection lock file; default ``collect.lock`` in the data dir (the
    parent of ``archive_dir``). Without either, no lock is taken and no stale run is marked.
    Raises ``CollectionBusy`` when another run holds the lock.

    ``gates``: per-host politeness shared with a fleet of workers (``RedisHostGates``);
    default this process's own.

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
            search_keywords=search_keywords,
            lock=lock,
            gates=gates,
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
    search_keywords: Sequence[str] | None = None,
    lock: Path | None = None,
    gates: HostGates | RedisHostGates | None = None,
) -> RunReport:
    if lock is None and archive_dir is not None:
        lock = archive_dir.parent / LOCK_NAME
    with collection_lock(lock) if lock is not None else contextlib.nullcontext():
        # Holding the lock proves that runs still "running" died without a word.
        interrupted = store.mark_interrupted_runs() if lock is not None else []
        keywords = list(search_keywords) if search_keywords is not None else None
        # Search sources keep their backend answers in the store.
        with search_context(cache=store, keywords=keywords):
            report = await _run(
                sources,
                store,
                window=collection_window(date, days),
                settings=settings or FetchSettings(),
                archive_dir=archive_dir,
                observer=observer or RunObserver(),
                roundup_titles=roundup_titles,
                gates=gates,
            )
    report.interrupted_runs = interrupted
    return report


async def _run(
    sources: Sequence[Source],
    store: Store,
    *,
    window: list[date],
    settings: FetchSettings,
    archive_dir: Path | None,
    observer: RunObserver,
    roundup_titles: Sequence[str] | None,
    gates: HostGates | RedisHostGates | None = None,
) -> RunReport:
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
            settings, archive=archive, validators=store.validators, gates=gates
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
    except (KeyboardInterrupt, asyncio.CancelledError):
        status = "interrupted"  # stopped by hand (Ctrl-C) or cancelled: nothing went wrong
        raise
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
    *,
    use_backlog: bool = True,
) -> None:
    from zhibao.store.queue import QueuedLink  # the store loads lazily (see zhibao.store)

    observer.source_started(source)
    started = time.monotonic()
    stats = ListStats()
    patterns = roundup_patterns(roundup_titles, source)
    last_recorded = started

    def seen(url: str) -> bool:
        # A round-up page is stored as its stories: its first story says it was read.
        return store.has_document(url) or store.has_document(story_url(url, 1))

    def record() -> None:
        nonlocal last_recorded
        _take_stats(report, stats, started)
        record_source_report(store, run_id, report)
        last_recorded = time.monotonic()

    try:
        backlog = (
            _backlog(store, source, seen, fetcher.settings.max_per_source) if use_backlog else {}
        )
        queued_before = store.count_queued(source.id) > len(backlog)
        async for item in collect_source(
            source,
            fetcher,
            dates=window,
            seen=seen,
            stats=stats,
            backlog=list(backlog.values()),
            cap=fetcher.settings.max_per_source,
        ):
            if isinstance(item, Queued):
                store.queue_links(
                    source.id,
                    (QueuedLink(source.id, i.url, i.title, i.listed_date) for i in item.items),
                )
                continue
            if isinstance(item, CollectError):
                report.errors.append(item.message)
                observer.page_done(source, "error", item.url)
                url = item.url
            else:
                outcome = _store_page(item, source, store, report, patterns)
                observer.page_done(source, outcome, item.page.url)
                url = item.page.url
            if url in backlog or queued_before:
                # Fetched (or failed, and said so): done, whether it came from the queue or
                # from a list that still shows a link an earlier run queued.
                store.dequeue_link(source.id, url)
            if time.monotonic() - last_recorded >= PROGRESS_EVERY_S:
                record()  # a run killed now keeps this source's figures so far
    except Exception as exc:  # a failure inside one source must not hide the others
        report.errors.append(f"信息源 {source.id} 中断：{type(exc).__name__}: {exc}")
    with contextlib.suppress(Exception):
        report.queued = store.count_queued(source.id)
    record()
    observer.source_finished(report)


async def collect_into_run(
    source: Source,
    store: Store,
    run_id: int,
    *,
    window: list[date],
    settings: FetchSettings,
    archive: WarcArchive | None = None,
    observer: RunObserver | None = None,
    roundup_titles: Sequence[str] | None = None,
    search_keywords: Sequence[str] | None = None,
    gates: HostGates | RedisHostGates | None = None,
    use_backlog: bool = True,
) -> SourceReport:
    """Collect one ``source`` into the run ``run_id`` another process started: what one queue
    job does (``zhibao.runs.queue``). Its figures are recorded for the run as it goes.

    ``gates``: the per-host politeness to keep (``RedisHostGates`` for a fleet of workers).
    ``use_backlog=False``: leave the source's queued links to another job of the same source
    (a search source runs one job per query; only the first takes the backlog).
    """
    report = SourceReport(source.id, source.name)
    keywords = list(search_keywords) if search_keywords is not None else None
    with search_context(cache=store, keywords=keywords):
        async with Fetcher(
            settings, archive=archive, validators=store.validators, gates=gates
        ) as fetcher:
            await _collect_one(
                source,
                report,
                fetcher,
                store,
                window,
                run_id,
                observer or RunObserver(),
                roundup_titles,
                use_backlog=use_backlog,
            )
    return report


def _backlog(
    store: Store, source: Source, seen: Callable[[str], bool], cap: int
) -> dict[str, ListedItem]:
    """The source's queued links to fetch first, oldest first; those stored meanwhile (by
    another source, or an import) are dropped from the queue here.

    The backlog takes at most half the run's budget: a daily brief needs the day's new links
    more than last week's leftovers, so those are never crowded out by a long queue.
    """
    backlog: dict[str, ListedItem] = {}
    budget = max(1, (source.max_items or cap) // 2)
    for link in store.queued_links(source.id, limit=budget):
        if seen(canonical_url(link.url)):
            store.dequeue_link(source.id, link.url)
        else:
            backlog[link.url] = ListedItem(link.url, link.title, link.listed_date)
    return backlog


def _take_stats(report: SourceReport, stats: ListStats, started: float) -> None:
    report.lists_fetched = stats.lists_fetched
    report.lists_empty = stats.lists_empty
    report.lists_not_modified = stats.lists_not_modified
    report.pages_fetched = stats.pages_fetched
    report.skipped_seen = stats.items_seen
    report.dequeued = stats.items_dequeued
    report.duration_s = time.monotonic() - started


def record_source_report(store: Store, run_id: int, report: SourceReport) -> None:
    """Write one source's figures of run ``run_id`` (the rows ``zhibao sources check`` reads)."""
    store.record_source(
        run_id,
        report.source_id,
        lists_fetched=report.lists_fetched,
        lists_empty=report.lists_empty,
        new_documents=report.new,
        updated_documents=report.updated,
        errors=len(report.errors),
        last_error=report.last_error,
        duration_s=report.duration_s,
    )


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
        doc = searched_document(doc, source, item.list_url)  # 扩搜: query and engine
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
    """A few plain lines about a run (used by ``zhibao demo`` and ``zhibao daily``)."""
    t = report.totals
    echo(
        f"采集 {len(report.sources)} 个信息源（{report.window[0]} 至 {report.window[-1]}）："
        f"列表页 {t['lists_fetched']}，文章页 {t['pages_fetched']}，"
        f"新增 {t['new']}，更新 {t['updated']}，未变 {t['unchanged']}，"
        f"错误 {t['errors']}，用时 {report.duration_s:.1f} 秒"
    )
    for line in notes(report):
        echo(line)
    for s in report.sources:
        mark = "失败" if s.failed else "完成"
        echo(f"  {s.source_id:<8} {mark}  新增 {s.new:>3}  错误 {len(s.errors)}")


def notes(report: RunReport) -> list[str]:
    """What a reader of the run should know besides the counts: runs found interrupted, links
    left for the next run."""
    lines = []
    if report.interrupted_runs:
        ids = "、".join(f"#{n}" for n in report.interrupted_runs)
        lines.append(
            f"上次未正常结束的运行 {ids} 已标记为“中断”(interrupted)，其已入库的文档均保留"
        )
    for s in report.sources:
        if s.queued:
            lines.append(f"{s.source_id}：排队 {s.queued} 条，下次运行继续")
    return lines
