from __future__ import annotations

import asyncio
import threading

import pytest

from zhibao.core.loops import run_sync


async def _where() -> tuple[str, bool]:
    await asyncio.sleep(0)
    return threading.current_thread().name, asyncio.get_running_loop().is_running()


def test_without_a_loop_it_runs_here() -> None:
    name, running = run_sync(_where)
    assert name == threading.current_thread().name and running


def test_inside_a_running_loop_it_runs_on_its_own_thread() -> None:
    async def cell() -> str:
        return run_sync(_where)[0]  # a blocking call, as a Jupyter cell makes

    assert asyncio.run(cell()).startswith("zhibao-sync")


def test_errors_reach_the_caller_inside_a_loop() -> None:
    async def fails() -> None:
        raise ValueError("坏了")

    async def cell() -> None:
        run_sync(fails)

    with pytest.raises(ValueError, match="坏了"):
        asyncio.run(cell())
