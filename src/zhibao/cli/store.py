"""CLI commands of the store: ``zhibao import``, ``zhibao export documents``,
``zhibao sources check``. Each one parses arguments, calls the library and prints."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zhibao.cli.base import app, console, err
from zhibao.core.errors import ConfigError, InputError
from zhibao.store import DATABASE_URL_ENV

if TYPE_CHECKING:
    from zhibao.store import SourceHealth, Store

export_app = typer.Typer(help="导出数据（JSONL）。", no_args_is_help=True)
sources_app = typer.Typer(help="信息源：健康检查。", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(sources_app, name="sources")

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar=DATABASE_URL_ENV,
        help="数据库地址（SQLAlchemy URL）；默认是数据目录下的 zhibao.db。",
    ),
]


def _open(database_url: str | None) -> Store:
    from zhibao.store import Store

    return Store.open(database_url)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    if value.strip().lower() in ("today", "今天"):
        from zhibao.core.time import today

        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} 应为日期 YYYY-MM-DD 或 today，如 2026-05-23（收到 {value!r}）"
        ) from None


def _when(value: datetime | None) -> str:
    from zhibao.core.time import SHANGHAI

    return value.astimezone(SHANGHAI).strftime("%m-%d %H:%M") if value else "—"


# --------------------------------------------------------------------------- import


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(help="WARC / WARC.gz 文件、保存的 .html 页面（或其目录）、文档 JSONL。"),
    ],
    url_prefix: Annotated[
        str | None,
        typer.Option(
            "--url-prefix",
            help="没有 canonical / og:url / 旁注 JSON 的页面，以「前缀/相对路径」作为网址。",
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="把导入的文档归到 sources.yaml 中的这个信息源。")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """导入离线材料：WARC 归档、保存的网页、文档 JSONL。"""
    from zhibao.config import load_profile, resolve_paths
    from zhibao.runs.importing import import_paths

    chosen = _configured_source(source) if source else None
    roundups = load_profile(resolve_paths().config_dir).roundup_titles
    with _open(database_url) as store:
        report = import_paths(
            store, paths, url_prefix=url_prefix, source=chosen, roundup_titles=roundups
        )
    console.print(
        f"新增 {report.new}，更新 {report.updated}，未变 {report.unchanged}，"
        f"失败 {report.failed}"
        + (f"，跳过 {report.skipped}" if report.skipped else "")
        + " (new / updated / unchanged / failed)"
    )
    for failure in report.failures:
        err.print(f"[red]✗[/] {escape(failure.where)}: {escape(failure.reason)}", soft_wrap=True)
    if report.failures:
        raise typer.Exit(1)


def _configured_source(source_id: str):  # noqa: ANN202 - returns zhibao.core.model.Source
    from zhibao.config import load_sources, resolve_paths

    sources = load_sources(resolve_paths().config_dir).sources
    found = next((s for s in sources if s.id == source_id), None)
    if found is None:
        known = "、".join(s.id for s in sources) or "（无）"
        raise ConfigError(f"--source {source_id}: sources.yaml 中没有这个信息源；可选：{known}")
    return found


# --------------------------------------------------------------------------- export


@export_app.command("documents")
def export_documents_command(
    since: Annotated[
        str | None, typer.Option("--since", help="起始日期 YYYY-MM-DD（北京时间，含）。")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="截止日期 YYYY-MM-DD（北京时间，含）。")
    ] = None,
    undated: Annotated[
        bool,
        typer.Option(
            "--undated",
            help="同时导出没有发布日期、在此期间抓取的文档（默认不导出：它们不属于任何一天）。",
        ),
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """把文档以 JSONL 输出到标准输出，每行一个文档。"""
    from zhibao.store import export_documents

    first, last = _day(since, "--since"), _day(until, "--until")
    if first and last and first > last:
        raise InputError(f"--since {first} 晚于 --until {last}")
    with _open(database_url) as store:
        written = export_documents(store, sys.stdout, since=first, until=last, undated=undated)
    sys.stdout.flush()
    err.print(f"已导出 {written} 篇文档 (documents exported)")


# --------------------------------------------------------------------------- sources check

_LABELS = {
    "ok": "[green]正常[/]",
    "quiet": "[yellow]沉寂[/]",
    "failing": "[red]失败[/]",
    "empty-list": "[red]列表为空[/]",
    "never-run": "[dim]从未运行[/]",
}


def _advice(health: SourceHealth) -> str:
    if health.verdict == "failing":
        return "最近一次运行只有错误：检查网址、网络或 robots.txt"
    if health.verdict == "empty-list":
        return "列表页没有匹配到任何文章链接：站点可能改版，请检查 sources.yaml 的 link_selector"
    return f"连续 {health.runs_since_new} 次运行没有新文档：站点可能改版或停更"


@sources_app.command("check")
def sources_check(
    runs: Annotated[
        int, typer.Option("--runs", min=1, help="看最近几次运行（也是判定沉寂的次数）。")
    ] = 5,
    database_url: DatabaseUrlOption = None,
) -> None:
    """各信息源最近几次运行的健康状况；有失败、沉寂或列表为空的已启用信息源时退出码为 1。"""
    from zhibao.config import load_sources, resolve_paths

    configured = {s.id: s for s in load_sources(resolve_paths().config_dir).sources}
    with _open(database_url) as store:
        healths = store.source_health(runs, source_ids=configured)
        any_run = bool(store.runs(limit=1))
        unreachable = _check_search_sources(list(configured.values()), store)
    table = Table(title=f"信息源健康（最近 {runs} 次运行）")
    table.add_column("信息源", min_width=10, overflow="fold")
    for heading in ("状态", "最近运行", "新/更新", "连续无新", "列表/空", "错误"):
        table.add_column(heading, no_wrap=True)
    problems: list[SourceHealth] = []
    for health in healths:
        source = configured.get(health.source_id)
        name = f"{health.source_id} {source.name}" if source else f"{health.source_id}（未配置）"
        status = _LABELS[health.verdict]
        if source is not None and not source.enabled:
            name += "（已停用）"
        elif source is not None and health.problem:
            problems.append(health)
        ran = health.verdict != "never-run"
        table.add_row(
            escape(name),
            status,
            _when(health.last_run_at),
            f"{health.new_documents}/{health.updated_documents}" if ran else "—",
            str(health.runs_since_new) if ran else "—",
            f"{health.lists_fetched}/{health.lists_empty}" if ran else "—",
            str(health.errors) if ran else "—",
        )
    console.print(table)
    if not any_run:
        console.print("还没有任何运行记录：先运行 [bold]zhibao collect[/]。")
    # Errors go under the table, whole: a URL and a message do not fit in a cell.
    for health in healths:
        if health in problems:
            line = f"[red]✗[/] {escape(health.source_id)}：{_advice(health)}"
        elif health.last_error:
            line = f"[yellow]![/] {escape(health.source_id)}：近期有 {health.errors} 个错误"
        else:
            continue
        if health.last_error:
            line += f"\n    最近错误（{_when(health.last_error_at)}）：{escape(health.last_error)}"
        err.print(line, soft_wrap=True)
    if problems or unreachable:
        raise typer.Exit(1)


def _check_search_sources(sources: list, store) -> list[str]:
    """Probe each enabled search source now: backend reachable, results per query, and the
    share of its (allowed) results the store holds. Returns the ids whose backend is down."""
    from zhibao.config import load_profile, resolve_paths
    from zhibao.core.model import SourceKind
    from zhibao.crawl.search import probe_search

    searching = [s for s in sources if s.kind is SourceKind.search and s.enabled]
    if not searching:
        return []
    keywords = load_profile(resolve_paths().config_dir).search_keywords()
    unreachable = []
    table = Table(title="搜索源探测（现在查询，不走缓存）")
    for heading in ("搜索源", "查询", "结果", "允许的域名内", "已入库", "错误"):
        table.add_column(heading, overflow="fold")
    for source in searching:
        probe = probe_search(source, has_document=store.has_document, keywords=keywords)
        if not probe.reachable:
            unreachable.append(source.id)
        for line in probe.queries:
            table.add_row(
                escape(source.id),
                escape(line.query),
                str(line.results) if line.error is None else "—",
                str(line.allowed) if line.error is None else "—",
                str(line.stored) if line.error is None else "—",
                escape(line.error or ""),
            )
        share = probe.stored_share
        summary = f"已入库 {share:.0%}" if share is not None else "没有可抓取的结果"
        mark = "[red]✗[/]" if not probe.reachable else "[green]✓[/]"
        err.print(
            f"{mark} {escape(source.id)}：后端{'不可达' if not probe.reachable else '可达'}，"
            f"{len(probe.queries)} 个查询，{summary}",
            soft_wrap=True,
        )
    console.print(table)
    return unreachable
