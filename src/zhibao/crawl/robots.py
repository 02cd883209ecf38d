"""robots.txt: fetched once per site and cached for the life of a ``Fetcher`` (one run).

As RFC 9309 says:
- 4xx (no robots.txt) allows everything;
- 5xx (and 429) means the site cannot say what it allows: complete disallow for the rest of
  the run, with an error naming the robots.txt and its status (the fetcher has already retried);
- a robots.txt larger than ``ROBOTS_MAX_BYTES`` is parsed up to that size, never ignored.

A robots.txt that cannot be fetched at all (connection refused, too slow) allows everything:
the page fetch will then fail loudly with the real reason if the site is really down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

__all__ = ["ROBOTS_MAX_BYTES", "RobotsCache", "origin_of"]

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB

# (status, body) of GET <origin>/robots.txt, or None when it could not be fetched at all.
RobotsLoader = Callable[[str], Awaitable[tuple[int, bytes] | None]]
# Per site: rules to obey, None (allow all) or the reason everything is refused.
_Verdict = Protego | str | None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RobotsCache:
    """``await cache.refusal(url)`` (why not, or None), ``allowed`` and ``crawl_delay``."""

    def __init__(self, user_agent: str, load: RobotsLoader):
        self.user_agent = user_agent
        self._load = load
        self._rules: dict[str, _Verdict] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def _rules_for(self, url: str) -> _Verdict:
        origin = origin_of(url)
        if origin in self._rules:
            return self._rules[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one fetch per site even when many requests start at once
            if origin not in self._rules:
                robots_url = origin + "/robots.txt"
                self._rules[origin] = self._parse(robots_url, await self._load(robots_url))
        return self._rules[origin]

    @staticmethod
    def _parse(robots_url: str, response: tuple[int, bytes] | None) -> _Verdict:
        if response is None:
            return None
        status, body = response
        if status >= 500 or status == 429:
            return (
                f"{robots_url} 返回 HTTP {status}：按 RFC 9309 视为全站禁止抓取，"
                "本次运行不再请求该站点，下次运行会重新读取 robots.txt "
                "(robots.txt unavailable: complete disallow for this run)"
            )
        if not 200 <= status < 300:
            return None
        # Cut at the last whole line: a rule halved by the size limit must not change meaning.
        if len(body) >= ROBOTS_MAX_BYTES and b"\n" in body:
            body = body[: body.rfind(b"\n") + 1]
        return Protego.parse(body.decode("utf-8", errors="replace"))

    async def refusal(self, url: str) -> str | None:
        """Why robots.txt refuses ``url`` (a message naming it), or None when allowed."""
        rules = await self._rules_for(url)
        if isinstance(rules, str):
            return rules
        if rules is not None and not rules.can_fetch(url, self.user_agent):
            return f"robots.txt 禁止抓取 {url}（User-Agent: {self.user_agent}）"
        return None

    async def allowed(self, url: str) -> bool:
        return await self.refusal(url) is None

    async def crawl_delay(self, url: str) -> float:
        rules = await self._rules_for(url)
        delay = rules.crawl_delay(self.user_agent) if isinstance(rules, Protego) else None
        return float(delay or 0.0)
