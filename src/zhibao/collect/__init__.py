"""collect: read sources politely and keep every response.

``collect_source(source, fetcher, dates=…, seen=…)`` yields the article pages of one source
(``Collected``) and a ``CollectError`` per failure; a ``Fetcher`` does the HTTP (robots.txt,
per-host limits, retries, conditional GET, cookies) and writes each response to a
``WarcArchive``; ``decode_html`` turns bytes into text whatever the page claims its charset is.

    >>> import asyncio
    >>> from zhibao.collect import Fetcher, FetchSettings, WarcArchive, collect_source
    >>> async def run(source, day):                                          # doctest: +SKIP
    ...     async with Fetcher(FetchSettings(), archive=WarcArchive("run.warc.gz")) as fetcher:
    ...         return [item async for item in collect_source(source, fetcher, dates=[day])]
"""

from __future__ import annotations

from zhibao.collect.archive import WarcArchive, iter_warc, read_archived
from zhibao.collect.collector import Collected, CollectError, collect_source
from zhibao.collect.encoding import decode_html
from zhibao.collect.fetch import (
    DEFAULT_USER_AGENT,
    Fetcher,
    FetchOutcome,
    FetchSettings,
    ValidatorStore,
)
from zhibao.collect.kinds import ListStats
from zhibao.collect.links import ListPage

__all__ = [
    "DEFAULT_USER_AGENT",
    "CollectError",
    "Collected",
    "FetchOutcome",
    "FetchSettings",
    "Fetcher",
    "ListPage",
    "ListStats",
    "ValidatorStore",
    "WarcArchive",
    "collect_source",
    "decode_html",
    "iter_warc",
    "read_archived",
]
