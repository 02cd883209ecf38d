"""robots.txt: fetched once per site and cached for the life of a ``Fetcher``.

A missing robots.txt (4xx), a server error (5xx) or an unreachable one allows everything,
as the common reading of the robots exclusion protocol (RFC 9309) does for 4xx; we also allow
on 5xx so a flaky robots.txt does not silence a source (the page fetch itself will then fail
loudly if the site is really down).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

__all__ = ["RobotsCache", "origin_of"]

# (status, body) of GET <origin>/robots.txt, or None when it could not be fetched at all.
RobotsLoader = Callable[[str], Awaitable[tuple[int, bytes] | None]]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """``await cache.allowed(url)`` and ``cache.crawl_delay(url)`` for one User-Agent."""

    def __init__(self, user_agent: str, load: RobotsLoader):
        self.user_agent = user_agent
        self._load = load
        self._rules: dict[str, Protego | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _rules_for(self, url: str) -> Protego | None:
        origin = origin_of(url)
        if origin in self._rules:
            return self._rules[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one fetch per site even when many requests start at once
            if origin not in self._rules:
                self._rules[origin] = self._parse(await self._load(origin + "/robots.txt"))
        return self._rules[origin]

    @staticmethod
    def _parse(response: tuple[int, bytes] | None) -> Protego | None:
        if response is None:
            return None
        status, body = response
        if not 200 <= status < 300:
            return None
        return Protego.parse(body.decode("utf-8", errors="replace"))

    async def allowed(self, url: str) -> bool:
        rules = await self._rules_for(url)
        return rules is None or rules.can_fetch(url, self.user_agent)

    async def crawl_delay(self, url: str) -> float:
        rules = await self._rules_for(url)
        delay = rules.crawl_delay(self.user_agent) if rules is not None else None
        return float(delay or 0.0)
