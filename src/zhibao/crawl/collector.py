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
- articles are fetched with plain GET (a 304 would hide a page we do not have yet); list pages
  and feeds are asked "changed since?" and their validators are stored only after every
  article they list was handed over without error, so a killed or failed run is retried in full.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date

from zhibao.core.model import FetchedPage, Source
from zhibao.core.urls import canonical_url
from zhibao.crawl.fetch import Fetcher
from zhibao.crawl.kinds import KINDS, ListedItem, ListingError, ListStats

__all__ = ["CollectError", "Collected", "collect_source"]


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
) -> AsyncIterator[Collected | CollectError]:
    """Expand ``source`` by its kind and yield each article page fetched or each failure.

    ``dates`` is the collection window (items listed with a date outside it are skipped; an
    empty list means no window). ``stats``, when given, is filled in as the source is read.
    """
    stats = stats if stats is not None else ListStats()

    def failure(url: str, message: str) -> CollectError:
        stats.errors += 1
        stats.last_error = message
        return CollectError(source.id, url, message)

    try:
        include = [re.compile(p) for p in source.include]
        exclude = [re.compile(p) for p in source.exclude]
    except re.error as exc:
        yield failure(
            source.urls[0],
            f"信息源 {source.id} 的 include/exclude 正则无效：{exc.pattern!r}（{exc}）",
        )
        return
    if source.warmup:
        await fetcher.warm_up(source.urls[0])
    window = (min(dates), max(dates)) if dates else None
    handled: set[str] = set()
    taken = 0
    async for listing in KINDS[source.kind].listings(source, fetcher, list(dates), stats):
        if isinstance(listing, ListingError):
            yield failure(listing.url, listing.message)
            continue
        stats.items_found += len(listing.items)
        todo: list[ListedItem] = []
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
            elif source.max_items is not None and taken >= source.max_items:
                stats.items_over_limit += 1
            else:
                taken += 1
                todo.append(item)
        # Start every article fetch now; the Fetcher's per-host limits keep it polite.
        tasks = {
            item.url: asyncio.ensure_future(
                fetcher.get(item.url, source_id=source.id, referer=listing.url, conditional=False)
            )
            for item in todo
            if item.page is None
        }
        failed = 0
        try:
            for item in todo:
                if item.page is not None:
                    page = item.page
                    if fetcher.archive is not None and page.archive is None:
                        page = page.model_copy(update={"archive": fetcher.archive.write(page)})
                    yield Collected(page, item.title, item.listed_date, listing.url)
                    continue
                outcome = await tasks[item.url]
                if outcome.page is not None:
                    stats.pages_fetched += 1
                    yield Collected(outcome.page, item.title, item.listed_date, listing.url)
                else:
                    failed += 1
                    yield failure(item.url, outcome.error or f"{item.url}: 未取得页面")
        finally:
            for task in tasks.values():
                task.cancel()
        if not failed and listing.outcome is not None:
            fetcher.remember(listing.outcome)
