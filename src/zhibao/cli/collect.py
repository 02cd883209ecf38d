"""``zhibao collect``: read the configured sources, store what they give, show what happened.

A thin shell over ``zhibao.runs.collection.collect_run``: it parses options, draws a progress bar,
prints a per-source summary table and sets the exit status: 1 when every source failed (one
broken site must not fail a scheduled run), 3 when another collection holds the home's lock
(the running one is already doing the work: waiting would only pile scheduled runs up).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from zhibao.cli.base import app, console, err
from zhibao.core.errors import InputError
from zhibao.core.model import Source
from zhibao.runs.collection import Outcome, RunObserver, RunReport, SourceReport, notes

__all__ = ["collect", "select_sources"]


def select_sources(sources: list[Source], wanted: list[str] | None) -> list[Source]:
    """The enabled sources, or exactly the ``wanted`` ids (a disabled source may be named)."""
    if not wanted:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    unknown = [w for w in wanted if w not in by_id]
    if unknown:
        known = "、".join(by_id) or "（无）"
        raise InputError(f"--source: 未知的信息源 {', '.join(unknown)}；sources.yaml 中有：{known}")
    return [by_id[w] for w in dict.fromkeys(wanted)]


class _ProgressObserver(RunObserver):
    """One line per source with its running counts, and an overall bar over the sources."""

    def __init__(self, progress: Progress, sources: list[Source]):
        self.progress = progress
        self.overall = progress.add_task("信息源", total=len(sources))
        self.tasks: dict[str, TaskID] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def source_started(self, source: Source) -> None:
        self.counts[source.id] = {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0, "error": 0}
        self.tasks[source.id] = self.progress.add_task(self._label(source.id), total=None)

    def page_done(self, source: Source, outcome: Outcome, url: str) -> None:
        self.counts[source.id][outcome] += 1
        self.progress.update(self.tasks[source.id], description=self._label(source.id), advance=1)

    def source_finished(self, report: SourceReport) -> None:
        task = self.tasks[report.source_id]
        done = self.progress.tasks[task].completed
        self.progress.update(
            task,
            total=done,
            completed=done,
            description=self._label(report.source_id, finished=True, failed=report.failed),
        )
        self.progress.advance(self.overall)

    def _label(self, source_id: str, *, finished: bool = False, failed: bool = False) -> str:
        c = self.counts[source_id]
        mark = "[red]✗[/]" if failed else ("[green]✓[/]" if finished else " ")
        return (
            f"{mark} {escape(source_id):<10} 新增 {c['new']:>3} 更新 {c['updated']:>3} "
            f"未变 {c['unchanged']:>3} 错误 {c['error']:>3}"
        )


def summary_table(report: RunReport) -> Table:
    title = f"采集汇总（运行 #{report.run_id}，{report.window[0]} 至 {report.window[-1]}）"
    table = Table(title=title)
    for name in (
        "信息源",
        "列表页",
        "空列表",
        "文章页",
        "已有",
        "新增",
        "更新",
        "未变",
        "错误",
        "排队",
        "用时",
    ):
        table.add_column(name, justify="left" if name == "信息源" else "right", no_wrap=True)
    for s in report.sources:
        style = "red" if s.failed else ("yellow" if s.errors or s.lists_empty else None)
        table.add_row(
            s.source_id,
            str(s.lists_fetched),
            str(s.lists_empty),
            str(s.pages_fetched),
            str(s.skipped_seen),
            str(s.new),
            str(s.updated),
            str(s.unchanged),
            str(len(s.errors)),
            str(s.queued),
            f"{s.duration_s:.1f}s",
            style=style,
        )
    return table


def print_errors(report: RunReport, limit: int = 5) -> None:
    """Each source's errors below the table (at most ``limit`` each; the rest counted)."""
    for s in report.sources:
        for message in s.errors[:limit]:
            err.print(f"[yellow]{escape(s.source_id)}[/]：{escape(message)}", soft_wrap=True)
        if len(s.errors) > limit:
            err.print(f"[yellow]{escape(s.source_id)}[/]：……另有 {len(s.errors) - limit} 个错误")


@app.command()
def collect(
    day: Annotated[
        str | None,
        typer.Option("--date", help="采集窗口的最后一天 YYYY-MM-DD（默认今天，北京时间）。"),
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=60, help="向前采集的天数。")] = 1,
    source_ids: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="只采集这些信息源（可重复）；默认全部启用的。"),
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option("--delay", min=0.0, help="同一站点两次请求之间的最短间隔（秒，默认 1）。"),
    ] = None,
    request_timeout: Annotated[
        float | None,
        typer.Option(
            "--request-timeout",
            min=1.0,
            help="单个请求（连接、响应头与正文）的总时长上限（秒，默认 60）；超时即放弃该页。",
        ),
    ] = None,
    max_per_source: Annotated[
        int | None,
        typer.Option(
            "--max-per-source",
            min=1,
            help="每个信息源每次运行最多抓取的文章数（默认 200）；其余排队，下次运行优先抓取。"
            "信息源自己设置了 max_items 时以 max_items 为准。",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="ZHIBAO_DATABASE_URL",
            help="数据库地址（SQLAlchemy URL）；默认是数据目录下的 zhibao.db。",
        ),
    ] = None,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue",
            help="把每个信息源作为一个任务放入任务队列（ZHIBAO_QUEUE_URL），由 zhibao worker 采集。",
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait/--no-wait", help="--queue 时等待全部任务完成（默认）或立即返回。"),
    ] = True,
) -> None:
    """采集信息源：抓取列表与文章、抽取正文并入库，最后打印每个信息源的汇总。"""
    from zhibao.config import archive_dir, load_profile, load_sources, resolve_paths
    from zhibao.core.time import today
    from zhibao.crawl import FetchSettings
    from zhibao.runs.collection import CollectionBusy, collect_run
    from zhibao.store import Store

    try:
        end = date.fromisoformat(day) if day else today()
    except ValueError:
        raise InputError(f"--date 应为日期 YYYY-MM-DD，如 2026-05-24（收到 {day!r}）") from None
    sources = select_sources(load_sources().sources, source_ids)
    if not sources:
        raise InputError("没有启用的信息源：请在 sources.yaml 中启用至少一个 (enabled: true)")
    profile = load_profile()
    settings = FetchSettings()
    if delay is not None:
        settings.delay_seconds = delay
    if request_timeout is not None:
        settings.total_timeout = request_timeout
    if max_per_source is not None:
        settings.max_per_source = max_per_source
    data_dir = resolve_paths().data_dir
    from zhibao.runs.queue import queue_url

    fleet = queue_url()
    if queue and not fleet:
        raise InputError("--queue 需要任务队列：请设置 ZHIBAO_QUEUE_URL=redis://主机:6379/0")
    store = Store.open(database_url, data_dir=data_dir)
    if queue:
        try:
            report = _collect_queued(
                sources,
                store,
                fleet,
                database_url,
                end,
                days,
                settings,
                profile=profile,
                archive=archive_dir(data_dir),
                wait=wait,
            )
        finally:
            store.close()
        if report is None:
            return
        _print_report(report)
        return
    try:
        with _progress() as progress:
            report = collect_run(
                sources,
                store,
                date=end,
                days=days,
                settings=settings,
                archive_dir=archive_dir(data_dir),
                observer=_ProgressObserver(progress, sources),
                roundup_titles=profile.roundup_titles,
                search_keywords=profile.search_keywords(),
                # Workers collect too: keep to the fleet's per-host limits.
                gates=_fleet_gates(fleet, settings),
            )
    except CollectionBusy as exc:
        err.print(f"[red]错误：[/]{escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(3) from None
    finally:
        store.close()
    _print_report(report)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _print_report(report: RunReport) -> None:
    console.print(summary_table(report))
    print_errors(report)
    for line in notes(report):
        console.print(escape(line), soft_wrap=True)
    t = report.totals
    console.print(
        f"新增 {t['new']}，更新 {t['updated']}，未变 {t['unchanged']}，错误 {t['errors']}；"
        f"用时 {report.duration_s:.1f} 秒"
    )
    if report.archive is not None and report.archive.exists():
        console.print(f"原始响应存档：{report.archive}", soft_wrap=True)
    if report.all_failed:
        err.print("[red]所有信息源均采集失败[/]，请检查网络与 sources.yaml（见上表最后错误）。")
        raise typer.Exit(1)


def _fleet_gates(url: str | None, settings):  # noqa: ANN001, ANN202 - FetchSettings → gates
    if url is None:
        return None
    from zhibao.crawl.politeness import RedisHostGates
    from zhibao.runs.queue import check_reachable

    check_reachable(url)
    return RedisHostGates(url, settings.per_host_concurrency)


def _collect_queued(
    sources: list[Source],
    store,  # noqa: ANN001 - zhibao.store.Store, loaded lazily
    url: str,
    database_url: str | None,
    end: date,
    days: int,
    settings,  # noqa: ANN001 - FetchSettings
    *,
    profile,  # noqa: ANN001 - zhibao.config.Profile
    archive: Path,
    wait: bool,
) -> RunReport | None:
    """Enqueue one job per source; with ``wait``, follow them with a progress bar."""
    from zhibao.runs.queue import check_reachable, enqueue_run, wait_run

    check_reachable(url)
    queued = enqueue_run(
        sources,
        store,
        url=url,
        database_url=database_url,
        date=end,
        days=days,
        settings=settings,
        archive_dir=archive,
        roundup_titles=profile.roundup_titles,
        search_keywords=profile.search_keywords(),
    )
    console.print(f"运行 #{queued.run_id}：已放入任务队列 {len(queued.jobs)} 个采集任务")
    if not wait:
        console.print("不等待结果；用 zhibao status 查看进度。")
        return None
    with _progress() as progress:
        task = progress.add_task("采集任务", total=len(queued.jobs))

        def show(done: int, total: int, pages: int) -> None:
            progress.update(task, completed=done, description=f"采集任务（已处理 {pages} 页）")

        return wait_run(queued, store, url=url, progress=show)
