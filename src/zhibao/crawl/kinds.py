"""The three source kinds behind one small interface.

A kind turns a ``Source`` into *listings*: one per list page or feed fetched, each holding the
article links it shows (and, for feeds with full text, the finished pages). What to do with
those links — window, seen, include/exclude, fetching — is the same for every kind and lives
in ``collector.py``, so it never branches on the kind.

- ``html``: each URL is a list page; pagination follows "下一页", the TRS pager, or the
  ``index_N`` URL pattern up to ``pages`` pages.
- ``dated``: each URL is a ``str.format`` template (``…/day/{date:%Y%m%d}.shtml``) expanded for
  every day of the window; each expansion is a list page whose items default to that day.
- ``feed``: RSS 1.0/2.0, Atom, JSON Feed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from zhibao.core.model import FetchedPage, Source, SourceKind
from zhibao.crawl.encoding import decode_html
from zhibao.crawl.feeds import entry_page, parse_feed
from zhibao.crawl.fetch import Fetcher, FetchOutcome
from zhibao.crawl.links import ListPage, derived_next_page

__all__ = ["KINDS", "Kind", "ListStats", "ListedItem", "Listing", "ListingError"]


@dataclass
class ListStats:
    """Counts for one source in one run (the store's ``record_source`` takes most of them)."""

    lists_fetched: int = 0
    lists_empty: int = 0  # fetched but no article link matched: the site may have changed
    lists_not_modified: int = 0
    items_found: int = 0
    items_seen: int = 0  # skipped: already stored
    items_out_of_window: int = 0
    items_excluded: int = 0
    items_over_limit: int = 0  # skipped because of the source's own max_items
    items_queued: int = 0  # past the run's per-source cap: left for the next run
    items_dequeued: int = 0  # links queued by an earlier run, taken up in this one
    pages_fetched: int = 0
    errors: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class ListedItem:
    url: str
    title: str | None
    listed_date: date | None
    page: FetchedPage | None = None  # set when the feed entry is the article itself


@dataclass
class Listing:
    """One list page or feed and the article links on it."""

    url: str
    items: list[ListedItem] = field(default_factory=list)
    outcome: FetchOutcome | None = None  # to remember its validators once its items are kept


@dataclass(frozen=True)
class ListingError:
    url: str
    message: str


class Kind(Protocol):
    def listings(
        self, source: Source, fetcher: Fetcher, dates: list[date], stats: ListStats
    ) -> AsyncIterator[Listing | ListingError]: ...


def url_patterns(source: Source) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """The source's ``include`` and ``exclude`` article-URL patterns, compiled (``Source``
    checked them when sources.yaml was loaded)."""
    return [re.compile(p) for p in source.include], [re.compile(p) for p in source.exclude]


async def _fetch_list(
    url: str, source: Source, fetcher: Fetcher, stats: ListStats
) -> tuple[FetchOutcome, str | None]:
    # Validators of a list page are stored only after its articles are kept (resume safety).
    outcome = await fetcher.get(url, source_id=source.id, remember=False)
    if outcome.not_modified:
        stats.lists_not_modified += 1
    if outcome.page is None:
        return outcome, None
    stats.lists_fetched += 1
    return outcome, decode_html(outcome.page.content, outcome.page.content_type)


def _empty_message(source: Source, url: str) -> str:
    if source.link_selector:
        return (
            f"{url}: 列表页没有匹配到任何文章链接（link_selector '{source.link_selector}' 未命中），"
            f"站点可能已改版，请检查 sources.yaml 中信息源 {source.id} 的选择器"
        )
    return (
        f"{url}: 列表页没有发现任何文章链接（自动识别：同站、URL 含日期或文章编号、标题 ≥ 6 字），"
        f"请为信息源 {source.id} 配置 link_selector 或 include"
    )


def _unexpected(url: str, exc: Exception) -> ListingError:
    # One unreadable list page or feed costs that URL only; the source's other URLs go on.
    return ListingError(url, f"{url}: 读取列表出错（{type(exc).__name__}: {exc}），已跳过")


class HtmlKind:
    async def listings(self, source, fetcher, dates, stats):
        include, exclude = url_patterns(source)
        for start in source.urls:
            try:
                async for listing in self._pages(
                    start, source, fetcher, dates, stats, include, exclude
                ):
                    yield listing
            except Exception as exc:
                yield _unexpected(start, exc)

    async def _pages(
        self, start, source, fetcher, dates, stats, include, exclude, default_date=None
    ):
        url: str | None = start
        visited: set[str] = set()
        for number in range(1, source.pages + 1):
            if url is None or url in visited:
                return
            visited.add(url)
            outcome, html = await _fetch_list(url, source, fetcher, stats)
            if html is None:
                # A page-2 URL guessed from the pattern that does not exist just ends the list.
                guessed = number > 1 and outcome.status == 404
                if outcome.error and not guessed:
                    yield ListingError(url, outcome.error)
                return
            assert outcome.page is not None
            page = ListPage(html, outcome.page.final_url)
            hint = max(dates) if dates else date.today()
            links = page.links(
                link_selector=source.link_selector,
                date_selector=source.date_selector,
                include=include,
                exclude=exclude,
                year_hint=hint.year,
                month_hint=hint.month,
            )
            if not links:
                stats.lists_empty += 1
                yield ListingError(url, _empty_message(source, url))
                return
            items = [ListedItem(lk.url, lk.title, lk.listed_date or default_date) for lk in links]
            yield Listing(url, items, outcome)
            # Lists run newest first: once a whole page is older than the window, stop.
            dated = [i.listed_date for i in items if i.listed_date]
            if dates and dated and max(dated) < min(dates):
                return
            url = page.next_page() or derived_next_page(outcome.page.final_url)


class DatedKind(HtmlKind):
    async def listings(self, source, fetcher, dates, stats):
        include, exclude = url_patterns(source)
        for template in source.urls:
            for day in sorted(set(dates)):
                url = template.format(date=day)  # checked when the source was loaded
                try:
                    async for listing in self._pages(
                        url, source, fetcher, [day], stats, include, exclude, day
                    ):
                        yield listing
                except Exception as exc:
                    yield _unexpected(url, exc)


class FeedKind:
    async def listings(self, source, fetcher, dates, stats):
        for url in source.urls:
            try:
                found = await self._read(url, source, fetcher, stats)
            except Exception as exc:
                found = [_unexpected(url, exc)]
            for listing in found:
                yield listing

    @staticmethod
    async def _read(url, source, fetcher, stats) -> list[Listing | ListingError]:
        """The feed at ``url``: what was wrong with it (if anything) and its entries."""
        outcome, _ = await _fetch_list(url, source, fetcher, stats)
        if outcome.page is None:
            return [ListingError(url, outcome.error)] if outcome.error else []
        page = outcome.page
        feed = parse_feed(page.content, page.final_url, page.content_type)
        out: list[Listing | ListingError] = []
        if feed.problem:
            out.append(ListingError(url, f"{url}: {feed.problem}（读到 {len(feed.entries)} 条）"))
        if not feed.entries:
            stats.lists_empty += 1
            if not feed.problem:
                out.append(ListingError(url, f"{url}: 订阅源没有任何条目"))
            return out
        items = []
        for entry in feed.entries:
            built = None
            if entry.has_full_text or not source.follow_links:
                built = entry_page(
                    entry, feed_url=url, source_id=source.id, fetched_at=page.fetched_at
                )
            items.append(ListedItem(entry.link, entry.title, entry.listed_date, built))
        out.append(Listing(url, items, outcome))
        return out


KINDS: dict[SourceKind, Kind] = {
    SourceKind.html: HtmlKind(),
    SourceKind.dated: DatedKind(),
    SourceKind.feed: FeedKind(),
}

# 扩搜: the search kind lives beside its backends and builds on the names above.
from zhibao.crawl.search import SearchKind  # noqa: E402

KINDS[SourceKind.search] = SearchKind()
