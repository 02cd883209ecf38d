"""``collect_source``: one source in, fetched article pages (and clear errors) out.

    >>> async with Fetcher(settings, archive=archive, validators=store.validators) as fetcher:
    ...     async for item in collect_source(source, fetcher, dates=[day], seen=store.has_document):
    ...         if isinstance(item, CollectError):
    ...             print(item.message)
    ...         else:
    ...             document = extract_document(...)                     # doctest: +SKIP

Politeness and resume safety live here for every kind alike:
- an article whose list date falls outside the window, or that ``seen`` says is stored, is not
  fetched; each URL is fetched at most once per call;
- at most ``cap`` articles per call: a list page with thousands of links is worked through over
  several runs (the rest come back as ``Queued``, the caller keeps them, the next run passes
  them in as ``backlog`` and they are fetched first);
- articles are fetched with plain GET (a 304 would hide a page we do not have yet); list pages
  and feeds are asked "changed since?" and their validators are stored only after every
  article they list was handed over without error, so a killed or failed run is retried in full.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date

from zhibao.core.model import FetchedPage, Source
from zhibao.core.urls import canonical_url
from zhibao.crawl.fetch import Fetcher
from zhibao.crawl.kinds import KINDS, ListedItem, ListingError, ListStats, url_patterns

__all__ = ["CollectError", "Collected", "Queued", "collect_source"]


@dataclass(frozen=True)
class Collected:
    """An article page fetched for a source, with what its list page said about it."""

    page: FetchedPage
    listed_title: str | None
    listed_date: date | None
    list_url: str


@dataclass(frozen=True)
class CollectError:
    """One failure (a list page, a feed or an article), with a message naming the URL."""

    source_id: str
    url: str
    message: str


@dataclass(frozen=True)
class Queued:
    """Article links left for the next run because the source reached its per-run ``cap``."""

    source_id: str
    items: tuple[ListedItem, ...]


def _canonical(url: str) -> str:
    # The store keys documents by canonical URL, so `seen` must be asked in the same form.
    return canonical_url(url)


def _never_seen(_url: str) -> bool:
    return False


async def collect_source(
    source: Source,
    fetcher: Fetcher,
    *,
    dates: list[date],
    seen: Callable[[str], bool] = _never_seen,
    stats: ListStats | None = None,
    backlog: Sequence[ListedItem] = (),
    cap: int | None = None,
) -> AsyncIterator[Collected | CollectError | Queued]:
    """Expand ``source`` by its kind and yield each article page fetched or each failure.

    ``dates`` is the collection window (items listed with a date outside it are skipped; an
    empty list means no window). ``stats``, when given, is filled in as the source is read.

    ``backlog``: links an earlier run queued (and the caller knows are not stored yet); they
    are fetched first, whatever their date. ``cap``: the most articles to fetch in this call
    when the source sets no ``max_items``; the links past it come back as ``Queued`` for the
    caller to keep for the next run. A source's own ``max_items`` keeps its meaning — "the
    newest N are enough" — and the links past it are skipped, not queued.
    """
    stats = stats if stats is not None else ListStats()

    def failure(url: str, message: str) -> CollectError:
        stats.errors += 1
        stats.last_error = message
        return CollectError(source.id, url, message)

    include, exclude = url_patterns(source)
    if source.warmup:
        await fetcher.warm_up(source.urls[0])
    window = (min(dates), max(dates)) if dates else None
    limit, queue_rest = (source.max_items, False) if source.max_items else (cap, True)
    handled: set[str] = set()
    taken = 0

    if backlog:
        todo = []
        for item in backlog:
            if item.url not in handled:
                handled.add(item.url)
                taken += 1
                todo.append(item)
        stats.items_dequeued += len(todo)
        async for result in _fetch_articles(source, fetcher, todo, source.urls[0], None, stats):
            if isinstance(result, _Failed):
                yield failure(result.url, result.message)
            else:
                yield result

    async for listing in KINDS[source.kind].listings(source, fetcher, list(dates), stats):
        if isinstance(listing, ListingError):
            yield failure(listing.url, listing.message)
            continue
        stats.items_found += len(listing.items)
        todo, over = [], []
        for item in listing.items:
            if item.url in handled:
                continue
            handled.add(item.url)
            if (include and not any(p.search(item.url) for p in include)) or any(
                p.search(item.url) for p in exclude
            ):
                stats.items_excluded += 1
            elif window and item.listed_date and not window[0] <= item.listed_date <= window[1]:
                stats.items_out_of_window += 1
            elif seen(_canonical(item.url)):
                stats.items_seen += 1
            elif item.page is not None and queue_rest:
                # A feed entry that is the article costs no request: the run's cap is about
                # requests. (A source's own max_items still counts it, as it always did.)
                todo.append(item)
            elif limit is not None and taken >= limit:
                over.append(item)
            else:
                taken += 1
                todo.append(item)
        if over and queue_rest:
            stats.items_queued += len(over)
            yield Queued(source.id, tuple(over))
        else:
            stats.items_over_limit += len(over)
        failed = 0
        async for result in _fetch_articles(source, fetcher, todo, listing.url, listing.url, stats):
            if isinstance(result, _Failed):
                failed += 1
                yield failure(result.url, result.message)
            else:
                yield result
        if not failed and listing.outcome is not None:
            fetcher.remember(listing.outcome)


@dataclass(frozen=True)
class _Failed:
    url: str
    message: str


async def _fetch_articles(
    source: Source,
    fetcher: Fetcher,
    todo: list[ListedItem],
    list_url: str,
    referer: str | None,
    stats: ListStats,
) -> AsyncIterator[Collected | _Failed]:
    """Fetch ``todo`` (feed entries that are the article need no request), in list order."""
    # Start every article fetch now; the Fetcher's per-host limits keep it polite.
    tasks = {
        item.url: asyncio.ensure_future(
            fetcher.get(item.url, source_id=source.id, referer=referer, conditional=False)
        )
        for item in todo
        if item.page is None
    }
    try:
        for item in todo:
            if item.page is not None:
                page = item.page
                if fetcher.archive is not None and page.archive is None:
                    page = page.model_copy(update={"archive": fetcher.archive.write(page)})
                yield Collected(page, item.title, item.listed_date, list_url)
                continue
            try:
                outcome = await tasks[item.url]
            except Exception as exc:  # Fetcher.get never raises; a bug must still cost one page
                yield _Failed(item.url, f"{item.url}: 抓取出错（{type(exc).__name__}: {exc}）")
                continue
            if outcome.page is not None:
                stats.pages_fetched += 1
                yield Collected(outcome.page, item.title, item.listed_date, list_url)
            else:
                yield _Failed(item.url, outcome.error or f"{item.url}: 未取得页面")
    finally:
        for task in tasks.values():
            task.cancel()
