"""Per-host politeness: at most N requests at once to one host, and a minimum gap between
request starts (``delay_seconds`` or the site's robots.txt ``Crawl-delay``, the longer)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["HostGates"]


@dataclass
class _Host:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class HostGates:
    """``async with gates.slot(url, delay):`` waits for a free slot and the host's next turn."""

    def __init__(self, per_host: int):
        self.per_host = per_host
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, url: str, delay: float) -> AsyncIterator[None]:
        netloc = urlsplit(url).netloc.lower()
        host = self._hosts.get(netloc)
        if host is None:
            host = self._hosts[netloc] = _Host(asyncio.Semaphore(self.per_host))
        async with host.slots:
            if delay > 0:
                loop = asyncio.get_running_loop()
                async with host.lock:
                    now = loop.time()
                    wait = host.next_start - now
                    host.next_start = max(now, host.next_start) + delay
                if wait > 0:
                    await asyncio.sleep(wait)
            yield
