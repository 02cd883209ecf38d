"""Run a coroutine from synchronous code, whether or not an event loop is already running.

``asyncio.run`` refuses to start inside a running loop — which is where a Jupyter cell, an
async web handler or a test of async code already is. There the coroutine runs on a fresh
loop in a worker thread, and the caller waits for it as it would for any blocking call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["run_sync"]

T = TypeVar("T")


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``make()`` to completion and return its result.

    ``make`` is a factory rather than a coroutine so that nothing is created on the caller's
    loop when the work moves to another thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhibao-sync") as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
