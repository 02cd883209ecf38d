"""``zhibao worker``: collect the queue's jobs (``zhibao.runs.queue``) until stopped.

One process runs a Dramatiq worker in-process with ``--threads`` threads; ``--processes N``
starts N such processes and restarts one that dies. Ctrl-C or SIGTERM stops gracefully
(running jobs get ``--grace`` seconds; a job cut short stays unacknowledged and runs again
elsewhere); a second Ctrl-C, or ``kill -9``, stops at once — nothing is lost either way.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Annotated

import typer
from rich.markup import escape

from zhibao.cli.base import app, err

__all__ = ["worker"]

PARENT_ENV = "ZHIBAO_WORKER_PARENT"  # set for the processes a supervisor started


@app.command()
def worker(
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, max=64, help="工作进程数（默认 1）。")
    ] = 1,
    threads: Annotated[
        int,
        typer.Option("--threads", "-t", min=1, max=64, help="每个进程同时处理的任务数（默认 4）。"),
    ] = 4,
    url: Annotated[
        str | None,
        typer.Option("--queue-url", envvar="ZHIBAO_QUEUE_URL", help="任务队列 Redis 地址。"),
    ] = None,
    grace: Annotated[
        float,
        typer.Option("--grace", min=0.0, help="停止时等待正在运行的任务的秒数（默认 30）。"),
    ] = 30.0,
) -> None:
    """启动采集工作进程：从任务队列领取采集任务（每个信息源一个），直到被停止。"""
    from zhibao.core.errors import InputError
    from zhibao.runs.queue import check_reachable, mask

    if not url:
        raise InputError(
            "未配置任务队列：请设置 ZHIBAO_QUEUE_URL=redis://主机:6379/0 或 --queue-url"
        )
    check_reachable(url)
    if processes > 1:
        _supervise(processes, threads, url, grace)
        return
    err.print(
        f"工作进程 {os.getpid()} 已启动：队列 {escape(mask(url))}，{threads} 个线程；Ctrl-C 停止",
        soft_wrap=True,
    )
    _run_worker(url, threads, grace)


def _run_worker(url: str, threads: int, grace: float) -> None:
    import dramatiq

    from zhibao.runs.queue import get_broker

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
    )
    broker = get_broker(url)
    stopping = threading.Event()
    parent = os.environ.get(PARENT_ENV)

    def stop(signum: int, _frame: object) -> None:
        if stopping.is_set():
            os._exit(130)  # asked twice: stop now; unacknowledged jobs run again elsewhere
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    runner = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=1000)
    runner.queue_prefetch = threads  # long jobs: never hold more than can run
    runner.start()
    while not stopping.wait(0.5):
        if parent and os.getppid() != int(parent):
            break  # the supervisor died: do not outlive it
    err.print(f"工作进程 {os.getpid()} 正在停止……")
    runner.stop(timeout=int(grace * 1000))
    # Threads still inside a job past the grace time would keep the process alive.
    os._exit(0)


def _supervise(processes: int, threads: int, url: str, grace: float) -> None:
    argv = [sys.executable, "-m", "zhibao", "worker", "--threads", str(threads)]
    argv += ["--grace", str(grace)]
    # The URL goes by environment, not argv: a password in it would show in ps.
    env = {**os.environ, PARENT_ENV: str(os.getpid()), "ZHIBAO_QUEUE_URL": url}
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        stopping.set()
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    children = [subprocess.Popen(argv, env=env) for _ in range(processes)]
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    err.print(f"已启动 {processes} 个工作进程：{', '.join(str(c.pid) for c in children)}")
    while not stopping.is_set():
        for n, child in enumerate(children):
            if child.poll() is not None and not stopping.is_set():
                err.print(f"[yellow]工作进程 {child.pid} 已退出（{child.returncode}），重新启动[/]")
                children[n] = subprocess.Popen(argv, env=env)
        time.sleep(0.5)
    deadline = time.monotonic() + grace + 5
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()


@app.command()
def status(
    url: Annotated[
        str | None,
        typer.Option("--queue-url", envvar="ZHIBAO_QUEUE_URL", help="任务队列 Redis 地址。"),
    ] = None,
    minutes: Annotated[
        int, typer.Option("--minutes", min=1, max=120, help="统计各站点请求速率的分钟数。")
    ] = 5,
) -> None:
    """任务队列状态：排队任务数、在线工作进程、失败搁置的任务及其错误、各站点请求速率。"""
    from rich.table import Table

    from zhibao.cli.base import console
    from zhibao.core.errors import InputError
    from zhibao.runs.queue import check_reachable, mask
    from zhibao.runs.queue_status import fleet_status

    if not url:
        raise InputError(
            "未配置任务队列：请设置 ZHIBAO_QUEUE_URL=redis://主机:6379/0 或 --queue-url"
        )
    check_reachable(url)
    s = fleet_status(url, window_minutes=minutes)
    console.print(f"任务队列 {escape(mask(url))}", soft_wrap=True)
    console.print(
        f"排队 {s.queued}　等待重试 {s.delayed}　处理中 {s.running}　已搁置 {s.parked_count}　"
        f"在线工作进程 {len(s.workers)}"
    )
    if s.workers:
        table = Table(title="在线工作进程")
        for name in ("工作进程", "线程", "启动于", "上次心跳"):
            table.add_column(name)
        for w in s.workers:
            table.add_row(
                escape(w.worker_id), str(w.threads), _local(w.started_at), f"{w.silent_s:.1f} 秒前"
            )
        console.print(table)
    else:
        console.print("[yellow]没有在线的工作进程[/]：用 zhibao worker 启动")
    if s.runs:
        table = Table(title="最近的队列运行")
        for name in ("运行", "开始于", "已完成任务", "状态"):
            table.add_column(name)
        for r in s.runs:
            state = "已结束" if r.finished else "进行中"
            table.add_row(f"#{r.run_id}", _local(r.started_at), f"{r.done}/{r.total}", state)
        console.print(table)
    if s.host_rates:
        table = Table(title=f"各站点请求（最近 {s.window_minutes} 分钟）")
        for name in ("站点", "请求数", "每分钟"):
            table.add_column(name, justify="left" if name == "站点" else "right")
        for h in s.host_rates:
            table.add_row(escape(h.host), str(h.requests), f"{h.per_minute:.1f}")
        console.print(table)
    if s.parked:
        table = Table(title="重试后仍失败、已搁置的任务")
        for name in ("运行", "任务", "重试", "搁置于", "错误"):
            table.add_column(name, overflow="fold")
        for p in s.parked:
            table.add_row(
                f"#{p.run_id}", escape(p.job), str(p.retries), _local(p.parked_at), escape(p.error)
            )
        console.print(table)


def _local(stamp: str) -> str:
    """An ISO 8601 time from Redis, shown in Beijing time (as every other command does)."""
    from datetime import datetime

    from zhibao.core.time import SHANGHAI

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
