"""A page an editor adds by hand: fetched politely, extracted, stored, offered as a candidate.

The desk's "添加网址" form comes here. The page is fetched through the crawl ``Fetcher`` as
collection fetches (robots.txt obeyed, the per-host delay, retries, every response archived
into a WARC file under the home's archive directory), extracted and cut into stories as
collection does, and stored. The document is credited to the configured source whose site the
URL is on; a URL on no configured site keeps ``source_id`` None and the organisation the page
names (else its host name), so it is never mistaken for a source's own page.

Each added document is offered on the desk as a candidate event (``manual_events``) even when
its relevance score would have left it out: the editor asked for it. An article the store
already has is not fetched again, so adding one URL twice archives and stores it once.

    >>> added = add_url("https://www.gov.cn/zhengce/2026-05/24/content_1.htm", store=store,
    ...                 sources=sources, archive_dir=Path("data/archive"))     # doctest: +SKIP
    >>> [d.title for d in added.documents]                                    # doctest: +SKIP
    ['国务院办公厅关于…的意见']
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from zhibao.analyze import Analysis, Relevance, RelevanceScorer
from zhibao.analyze.events import event_id
from zhibao.config import Profile
from zhibao.core.loops import run_sync
from zhibao.core.model import MAX_URL_CHARS, Document, Event, Source, SourceKind
from zhibao.core.urls import canonical_url, same_site
from zhibao.crawl import Fetcher, FetchOutcome, FetchSettings, WarcArchive, decode_html
from zhibao.crawl.fetch import unfetchable
from zhibao.extract import ExtractError, IndexPageError, extract_document, split_stories
from zhibao.extract.stories import roundup_patterns, story_url
from zhibao.runs.editing import EditError

if TYPE_CHECKING:
    from zhibao.store import Store

__all__ = [
    "AddedPage",
    "ManualUrlError",
    "add_url",
    "desk_fetch_settings",
    "manual_events",
    "manual_urls",
    "source_for",
]

_MAX_STORIES = 50  # a round-up page already stored: how many of its stories to look up


class ManualUrlError(EditError):
    """A URL the desk cannot add: the message names the URL, why, and what to do instead."""


@dataclass
class AddedPage:
    """What adding one URL gave: the stored documents (a round-up page gives one per story)."""

    url: str  # as the editor typed it
    documents: list[Document]
    fetched: bool  # False: the store already had the article, nothing was fetched
    source: Source | None  # the configured source whose site the URL is on


def desk_fetch_settings() -> FetchSettings:
    """Polite like collection, but an editor is waiting: one retry, 30 seconds at most."""
    return FetchSettings(retries=1, total_timeout=30.0)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _address(url: str) -> tuple[str, int | None]:
    """Host (without ``www.``) and port: two services on one machine are two sites."""
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    return _host(url), port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def source_for(url: str, sources: Sequence[Source]) -> Source | None:
    """The configured source whose site ``url`` is on: the same host first, then the same
    registrable site (``www.nda.gov.cn`` ~ ``nda.gov.cn``); search sources have no site."""
    sites = [s for s in sources if s.kind is not SourceKind.search]
    address = _address(url)
    for source in sites:
        if any(_address(u) == address for u in source.urls):
            return source
    if _is_ip(address[0]):  # 10.0.0.1 and 127.0.0.1 are not one site
        return None
    for source in sites:
        if any(same_site(u, url) for u in source.urls):
            return source
    return None


def _stored(store: Store, url: str) -> list[Document]:
    """The documents already stored for the page at ``url`` (its stories, for a round-up)."""
    found = store.document(url)
    if found is not None:
        return [found]
    stories = []
    for number in range(1, _MAX_STORIES + 1):
        story = store.document(story_url(url, number))
        if story is None:
            break
        stories.append(story)
    return stories


def add_url(
    url: str,
    *,
    store: Store,
    sources: Sequence[Source],
    archive_dir: Path | None,
    settings: FetchSettings | None = None,
    roundup_titles: Sequence[str] | None = None,
) -> AddedPage:
    """Fetch, extract and store the article at ``url`` (see the module); ``ManualUrlError``
    with the reason and the fix when that cannot be done. Nothing is stored then."""
    url = url.strip()
    if not url:
        raise ManualUrlError("请填写要添加的文章网址 (empty URL)")
    if len(url) > MAX_URL_CHARS:
        raise ManualUrlError(
            f"网址过长（{len(url)} 个字符，上限 {MAX_URL_CHARS}）；请复制文章页地址栏中的网址"
        )
    if problem := unfetchable(url):
        raise ManualUrlError(
            f"无法添加 {url[:200]}：{problem}；请填写以 http:// 或 https:// 开头的文章网址"
        )
    source = source_for(url, sources)
    for address in dict.fromkeys([url, canonical_url(url)]):
        known = _stored(store, address)
        if known:
            return AddedPage(url, known, fetched=False, source=source)
    outcome = run_sync(lambda: _fetch(url, source, settings or desk_fetch_settings(), archive_dir))
    page = outcome.page
    assert page is not None  # _fetch raised otherwise
    try:
        html = decode_html(page.content, page.content_type)
        document = extract_document(html, page.final_url, source=source, fetched_at=page.fetched_at)
    except IndexPageError:
        raise ManualUrlError(
            f"{url} 是栏目页或列表页，不是一篇文章；请打开其中的文章，复制文章页的网址再添加"
            " (index or list page)"
        ) from None
    except ExtractError as exc:
        raise ManualUrlError(
            f"未能从 {url} 抽取出文章正文：{_without_url(str(exc), page.final_url)}；"
            "请确认这是一篇文章的网址，而不是图片、附件或需要登录的页面 (not an article)"
        ) from None
    updates: dict[str, object] = {}
    if page.archive and not document.archive:
        updates["archive"] = page.archive
    if source is not None and not document.source_id:
        updates["source_id"] = source.id
    if not document.source_org:
        updates["source_org"] = document.issuer or _host(page.final_url) or _host(url)
    if updates:
        document = document.model_copy(update=updates)
    patterns = roundup_patterns(roundup_titles, source)
    stories = split_stories(document, patterns)
    for story in stories:
        store.upsert_document(story)
    # The store may keep an article under another URL (its canonical link, the same text
    # found earlier under another address): what is stored is what the desk offers.
    stored = [store.document(s.canonical_url) or s for s in stories]
    return AddedPage(url, stored, fetched=True, source=source)


def _without_url(message: str, url: str) -> str:
    return message.removeprefix(f"{url}: ").removeprefix(f"{url}：")


async def _fetch(
    url: str, source: Source | None, settings: FetchSettings, archive_dir: Path | None
) -> FetchOutcome:
    """The page, fetched and archived; ``ManualUrlError`` when it cannot be had."""
    archive = None
    if archive_dir is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        archive = WarcArchive(Path(archive_dir) / f"manual-{stamp}.warc.gz")
    try:
        async with Fetcher(settings, archive=archive) as fetcher:
            if settings.respect_robots and (refusal := await fetcher.robots.refusal(url)):
                raise ManualUrlError(
                    f"未添加：{refusal}。zhibao 遵守网站的 robots.txt，不抓取它禁止的网址；"
                    "请改用转载这篇文章的其他网站的网址 (disallowed by robots.txt)"
                )
            if source is not None and source.warmup:
                await fetcher.warm_up(url)
            outcome = await fetcher.get(
                url, source_id=source.id if source else None, conditional=False, remember=False
            )
    finally:
        if archive is not None:
            archive.close()
    if outcome.page is None:
        raise ManualUrlError(f"未能抓取 {url}：{_reason(outcome)}")
    return outcome


def _reason(outcome: FetchOutcome) -> str:
    error = _without_url(outcome.error or "没有得到页面", outcome.url)
    if outcome.status in (404, 410):
        return f"{error}；网页不存在，请核对网址是否完整、文章是否已被删除 (not found)"
    if outcome.status is not None and outcome.status >= 400:
        return f"{error}；网站拒绝了请求，请稍后再试或在浏览器中确认能否打开 (HTTP error)"
    return f"{error}；请检查网址能否在浏览器中打开，稍后再试 (fetch failed)"


# --------------------------------------------------------------------------- candidates


def manual_events(
    documents: Sequence[Document],
    analysis: Analysis,
    profile: Profile,
    *,
    scorer: RelevanceScorer | None = None,
) -> list[Event]:
    """A candidate event for each added document the day's analysis has not put in an event
    of its own: one document, its relevance as the score (whatever the threshold says)."""
    listed = {
        d.canonical_url
        for event in analysis.selected + analysis.candidates + analysis.dropped
        for d in event.documents
    }
    events: dict[str, Event] = {}
    for document in documents:
        if document.canonical_url in listed:
            continue
        relevance = analysis.relevance.get(document.canonical_url)
        if relevance is None:
            scorer = scorer or RelevanceScorer(profile)
            relevance = scorer.score(document)
        event = _event(document, relevance)
        events.setdefault(event.id, event)
    return list(events.values())


def _event(document: Document, relevance: Relevance) -> Event:
    return Event(
        id=event_id(document),
        documents=[document],
        theme=relevance.theme,
        focus=relevance.focus,
        score=relevance.score if relevance.score > 0 else 0.0,  # never -0.00 on the desk
        reasons=relevance.reasons,
        relevance=relevance.score,
        corroboration=1,
    )


def manual_urls(documents: Sequence[Document]) -> list[str]:
    """The canonical URLs the desk remembers for ``documents``, in order, once each."""
    return list(dict.fromkeys(d.canonical_url for d in documents))
