"""Per-host politeness: at most N requests at once to one host, and a minimum gap between
request starts (``delay_seconds`` or the site's robots.txt ``Crawl-delay``, the longer).

Two implementations of one interface, ``async with gates.slot(url, delay):``

- ``HostGates``: in this process (one ``zhibao collect``).
- ``RedisHostGates``: for a fleet of workers (``zhibao worker``): the slots and the next
  allowed start of each host live in Redis, so the delay and the concurrency hold for every
  worker on every machine together. A slot is a lease that expires: a worker killed while
  holding one frees it after ``lease_s`` at the latest.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["FLEET_PREFIX", "HostGates", "RedisHostGates", "host_of", "rate_key"]

FLEET_PREFIX = "zhibao:fleet:"  # every key the fleet keeps in Redis starts with it


def host_of(url: str) -> str:
    """The politeness key of ``url``: its host and port, lower case."""
    return urlsplit(url).netloc.lower()


def rate_key(minute: int) -> str:
    """The Redis hash counting requests per host started in ``minute`` (Unix minutes)."""
    return f"{FLEET_PREFIX}rate:{minute}"


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
        netloc = host_of(url)
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

    async def aclose(self) -> None:
        """Nothing to release: the gates live in this process."""


# One atomic step per request, on Redis's clock (the workers' clocks may disagree).
# The host's turn is booked only when it is due, at the moment the request goes, never in
# advance: a worker that wakes late (a busy process) cannot crowd the request after it.
# Returns {ms until the host's turn, -1} when it is not due yet (nothing taken), -1 when
# every slot is taken, else {0, now in ms} with a slot taken and the next turn booked.
_TAKE_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local delay = tonumber(ARGV[4])
if delay > 0 then
  local due = tonumber(redis.call('GET', KEYS[2]) or '0')
  if due > now then
    return {due - now, -1}
  end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return -1
end
local lease = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
if delay > 0 then
  redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000)
end
return {0, now}
"""

# A held slot's lease, pushed forward while its request runs.
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
"""

_POLL_S = 0.02  # how often a request waiting for a free slot asks again


class RedisHostGates:
    """Fleet-wide ``HostGates`` in the Redis at ``url`` (same ``slot(url, delay)``).

    ``lease_s``: how long a slot stays taken when its holder never gives it back (a worker
    killed mid-request); a live holder renews it every ``lease_s / 3`` seconds.
    Every request started is also counted per host and minute, for ``zhibao status``.
    """

    def __init__(self, url: str, per_host: int, *, lease_s: float = 10.0, client: Any = None):
        import redis.asyncio

        self.per_host = per_host
        self.lease_ms = max(1000, int(lease_s * 1000))
        self._client = client or redis.asyncio.Redis.from_url(url)
        self._take_turn = self._client.register_script(_TAKE_TURN)
        self._renew = self._client.register_script(_RENEW)

    @asynccontextmanager
    async def slot(self, url: str, delay: float) -> AsyncIterator[None]:
        netloc = host_of(url)
        slots = f"{FLEET_PREFIX}host:{netloc}:slots"
        token = uuid.uuid4().hex
        delay_ms = math.ceil(max(delay, 0.0) * 1000)
        while True:
            turn = await self._take_turn(
                keys=[slots, f"{FLEET_PREFIX}host:{netloc}:next"],
                args=[token, self.per_host, self.lease_ms, delay_ms],
            )
            if turn == -1:  # every slot taken
                await asyncio.sleep(_POLL_S)
                continue
            wait_ms, start_ms = int(turn[0]), int(turn[1])
            if start_ms >= 0:
                break
            await asyncio.sleep(wait_ms / 1000)  # the host's turn is not due yet: ask again then
        renewing = asyncio.ensure_future(self._keep(slots, token))
        try:
            key = rate_key(start_ms // 60_000)
            async with self._client.pipeline(transaction=False) as pipe:
                pipe.hincrby(key, netloc, 1)
                pipe.expire(key, 7200)
                await pipe.execute()
            yield
        finally:
            renewing.cancel()
            # Cancelled or done: give the slot back (a dead worker's lease simply expires).
            await asyncio.shield(self._client.zrem(slots, token))

    async def _keep(self, slots: str, token: str) -> None:
        # A failed renewal only shortens the lease: the request itself goes on.
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(self.lease_ms / 3000)
                await self._renew(keys=[slots], args=[token, self.lease_ms])

    async def aclose(self) -> None:
        await self._client.aclose()
