"""Reading feeds: RSS 1.0/2.0 and Atom through feedparser, JSON Feed by a small parser of our
own (feedparser 6 does not read it). RSSHub routes and wewe-rss WeChat feeds are plain
RSS/Atom, so they need nothing special.

An entry that already carries the full article (``content:encoded``, Atom ``<content>``,
JSON Feed ``content_html`` — wewe-rss full-text mode) becomes a page without another request.

    >>> feed = parse_feed(body, "https://rsshub.example/gov/nda")  # doctest: +SKIP
    >>> [(e.link, e.title, e.published) for e in feed.entries]     # doctest: +SKIP
"""

from __future__ import annotations

import calendar
import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urljoin

import feedparser

from zhibao.core.model import FetchedPage
from zhibao.core.time import SHANGHAI
from zhibao.crawl.archive import FEED_ENTRY_HEADER

__all__ = ["Feed", "FeedEntry", "entry_page", "parse_feed"]

FULL_TEXT_CHARS = 200  # an entry with at least this much text is the article, not a teaser
_TAGS = re.compile(r"<[^>]+>")
# Feeds served as text/html or with a wrong charset label read fine; not worth an alarm.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass
class FeedEntry:
    link: str
    title: str | None = None
    published: datetime | None = None
    content_html: str | None = None  # the full article, when the feed carries it
    summary_html: str | None = None
    author: str | None = None

    @property
    def listed_date(self) -> date | None:
        return self.published.astimezone(SHANGHAI).date() if self.published else None

    @property
    def has_full_text(self) -> bool:
        return bool(self.content_html) and len(_plain(self.content_html)) >= FULL_TEXT_CHARS


@dataclass
class Feed:
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None  # a malformed feed still gives what it can; this says what was wrong
    skipped: int = 0  # entries without a usable link


def _plain(markup: str) -> str:
    return html.unescape(_TAGS.sub("", markup)).strip()


def _looks_json(content: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or content.lstrip()[:1] == b"{"


def parse_feed(content: bytes, url: str, content_type: str = "") -> Feed:
    """Entries of an RSS/Atom/JSON feed; links made absolute against ``url``.

    Never raises for what a server sends: an empty or unreadable body gives a ``Feed`` with no
    entries and a ``problem`` saying why.
    """
    if not content.strip():
        return Feed(problem="订阅源内容为空（服务器返回了空响应体）")
    if _looks_json(content, content_type):
        return _parse_json_feed(content, url)
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    try:
        parsed = feedparser.parse(content, response_headers=headers)
    except Exception as exc:  # feedparser on hostile bytes: a broken feed, not a broken run
        return Feed(problem=f"订阅源无法解析（{type(exc).__name__}: {exc}）")
    feed = Feed(title=(parsed.get("feed") or {}).get("title"))
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # .get: feedparser leaves out "version" for a body it cannot read at all.
    if not parsed.get("entries") and not parsed.get("version"):
        feed.problem = "不是 RSS/Atom/JSON Feed 订阅源（内容无法识别为订阅源）"
    elif exc is not None and not isinstance(exc, _HARMLESS):
        feed.problem = f"订阅源格式错误（{type(exc).__name__}: {exc}）"
    for item in parsed.get("entries") or []:
        link = item.get("link") or _alternate(item)
        if not link:
            feed.skipped += 1
            continue
        content = item.get("content") or []
        feed.entries.append(
            FeedEntry(
                link=urljoin(url, link.strip()),
                title=(item.get("title") or "").strip() or None,
                published=_struct_time(item.get("published_parsed") or item.get("updated_parsed")),
                content_html=max((c.get("value", "") for c in content), key=len, default=None)
                or None,
                summary_html=item.get("summary") or None,
                author=item.get("author") or None,
            )
        )
    return feed


def _alternate(item) -> str | None:
    for link in item.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _struct_time(value) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


def _iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def _parse_json_feed(content: bytes, url: str) -> Feed:
    """JSON Feed 1.0/1.1 (https://www.jsonfeed.org/version/1.1/)."""
    try:
        data = json.loads(content.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        return Feed(problem=f"JSON Feed 语法错误（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）")
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return Feed(problem="不是 JSON Feed：缺少 items 列表 (https://jsonfeed.org)")
    feed = Feed(title=data.get("title") if isinstance(data.get("title"), str) else None)
    if not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        feed.problem = "JSON Feed 缺少 version 字段，已按 JSON Feed 读取"
    for item in data["items"]:
        if not isinstance(item, dict):
            feed.skipped += 1
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.strip():
            feed.skipped += 1
            continue
        text = item.get("content_text")
        body = item.get("content_html") or (
            "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
            if isinstance(text, str)
            else None
        )
        authors = item.get("authors") or (
            [item["author"]] if isinstance(item.get("author"), dict) else []
        )
        feed.entries.append(
            FeedEntry(
                link=urljoin(url, link.strip()),
                title=(item.get("title") or "").strip() or None,
                published=_iso(item.get("date_published")) or _iso(item.get("date_modified")),
                content_html=body if isinstance(body, str) else None,
                summary_html=item.get("summary") if isinstance(item.get("summary"), str) else None,
                author=next((a.get("name") for a in authors if isinstance(a, dict)), None),
            )
        )
    return feed


def entry_page(
    entry: FeedEntry, *, feed_url: str, source_id: str | None, fetched_at: datetime
) -> FetchedPage:
    """A page built from a feed entry that carries the article, for extraction as usual.

    The HTML states the entry's title, date and author the way article pages do
    (``ArticleTitle``, ``PubDate``, ``Author`` meta tags, ``<link rel=canonical>``).
    """
    title = html.escape(entry.title or "")
    meta = [f'<meta name="ArticleTitle" content="{title}">']
    if entry.published:
        stamp = entry.published.astimezone(SHANGHAI).isoformat(timespec="seconds")
        meta.append(f'<meta name="PubDate" content="{stamp}">')
    if entry.author:
        meta.append(f'<meta name="Author" content="{html.escape(entry.author)}">')
    body = entry.content_html or entry.summary_html or ""
    document = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title>{''.join(meta)}"
        f'<link rel="canonical" href="{html.escape(entry.link)}"></head>\n'
        f"<body><article><h1>{title}</h1>\n{body}\n</article></body></html>\n"
    )
    return FetchedPage(
        url=entry.link,
        final_url=entry.link,
        status=200,
        headers={"content-type": "text/html; charset=utf-8", FEED_ENTRY_HEADER: feed_url},
        content=document.encode("utf-8"),
        fetched_at=fetched_at,
        source_id=source_id,
    )
