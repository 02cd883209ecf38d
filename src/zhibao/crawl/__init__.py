"""crawl: read sources politely and keep every response (the collect stage of DESIGN.md).

The package is named ``crawl`` rather than ``collect`` so that it never shadows the public
function ``zhibao.collect()``: Python binds an imported subpackage as an attribute of its
parent, which would replace the function of the same name.

``collect_source(source, fetcher, dates=…, seen=…)`` yields the article pages of one source
(``Collected``) and a ``CollectError`` per failure; a ``Fetcher`` does the HTTP (robots.txt,
per-host limits, retries, conditional GET, cookies) and writes each response to a
``WarcArchive``; ``decode_html`` turns bytes into text whatever the page claims its charset is.

    >>> import asyncio
    >>> from zhibao.crawl import Fetcher, FetchSettings, WarcArchive, collect_source
    >>> async def run(source, day):                                          # doctest: +SKIP
    ...     async with Fetcher(FetchSettings(), archive=WarcArchive("run.warc.gz")) as fetcher:
    ...         return [item async for item in collect_source(source, fetcher, dates=[day])]
"""

from __future__ import annotations

from zhibao.crawl.archive import WarcArchive, iter_warc, read_archived
from zhibao.crawl.collector import Collected, CollectError, Queued, collect_source
from zhibao.crawl.encoding import decode_html
from zhibao.crawl.fetch import (
    DEFAULT_USER_AGENT,
    Fetcher,
    FetchOutcome,
    FetchSettings,
    ValidatorStore,
)
from zhibao.crawl.kinds import ListedItem, ListStats
from zhibao.crawl.links import ListPage

__all__ = [
    "DEFAULT_USER_AGENT",
    "CollectError",
    "Collected",
    "FetchOutcome",
    "FetchSettings",
    "Fetcher",
    "ListPage",
    "ListStats",
    "ListedItem",
    "Queued",
    "ValidatorStore",
    "WarcArchive",
    "collect_source",
    "decode_html",
    "iter_warc",
    "read_archived",
]
