"""``zhibao eval relevance``: precision and recall of the relevance stage and of the selection."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zhibao.cli.base import console, parse_date
from zhibao.cli.brief import TopicOption
from zhibao.cli.extract import eval_app

__all__ = ["eval_relevance"]


def _pages(path: Path, labels: dict[str, int]) -> list:
    """Extract the labelled pages of a directory (file name = last URL segment), cutting
    round-ups into stories as collection does."""
    from zhibao.analyze.evaluation import page_of
    from zhibao.config import load_profile, load_sources
    from zhibao.core.urls import same_site
    from zhibao.extract import extract_document
    from zhibao.extract.stories import roundup_patterns, split_stories

    sources = {s.id: s for s in load_sources().sources}
    titles = load_profile().roundup_titles
    by_name = {page_of(url).rstrip("/").rsplit("/", 1)[-1]: page_of(url) for url in labels}
    documents = []
    for page in sorted(path.iterdir()):
        if page.suffix.lower() not in {".html", ".htm", ".shtml"} or page.name not in by_name:
            continue
        html = page.read_bytes().decode("utf-8", errors="replace")
        url = by_name[page.name]
        source = next((s for s in sources.values() if any(same_site(u, url) for u in s.urls)), None)
        try:
            document = extract_document(html, url, source=source)
        except Exception as exc:  # noqa: BLE001 - one broken page is reported, not fatal
            console.print(f"[yellow]跳过[/] {page.name}: {exc}")
            continue
        if source is not None and document.source_id is None:
            document = document.model_copy(
                update={"source_id": source.id, "source_org": document.source_org or source.org}
            )
        documents += split_stories(document, roundup_patterns(titles, source))
    return documents


def _documents(path: Path | None, labels: dict[str, int]) -> list:
    from zhibao.analyze.evaluation import load_document_file, page_of
    from zhibao.core.errors import InputError

    if path is None:  # the labelled documents and their days, from the store
        from datetime import timedelta

        from zhibao.config import resolve_paths
        from zhibao.core.time import local_date
        from zhibao.store import Store

        with Store.open(data_dir=resolve_paths().data_dir) as store:
            pages = {page_of(u) for u in labels}
            labelled = [d for d in (store.document(u) for u in pages | set(labels)) if d]
            days = sorted(d for d in (local_date(x) for x in labelled) if d)
            if not days:
                return labelled
            return store.documents(
                days[0] - timedelta(days=10), days[-1] + timedelta(days=1), undated=True
            )
    if path.is_file():
        return load_document_file(path)
    if path.is_dir():
        return _pages(path, labels)
    raise InputError(f"{path}: 不存在；--documents 应为文档 JSONL 文件或网页目录")


def _pct(value: object) -> str:
    return "—" if not isinstance(value, int | float) else f"{value:.1%}"


_FIGURES = {
    "relevance_precision": ("相关度 准确率", "判为相关的条目中标注为相关/核心的比例"),
    "relevance_recall": ("相关度 召回率", "标注相关/核心的条目被判为相关的比例"),
    "relevance_core_recall": ("相关度 核心召回", "核心条目被判为相关的比例"),
    "selection_precision": ("入选 准确率", "入选小节中标注为相关/核心的比例（目标 ≥ 90%）"),
    "core_candidate_recall": ("核心 进入候选", "核心条目进入入选或候选事件的比例（目标 ≥ 85%）"),
}


def _print_result(result, compare: dict | None) -> None:
    from zhibao.analyze.evaluation import compare_rows

    data = result.to_dict()
    grains = [("page", "按页"), ("story", "按条")] if result.story else [("page", "按页")]
    for key, name in grains:
        grain = getattr(result, key)
        table = Table(
            title=f"相关度评测（{name}）：{grain.found}/{grain.labelled} 条标注找到文档，"
            f"相关 {grain.positives} 条（核心 {grain.core} 条），回放 {len(result.days)} 天"
        )
        table.add_column("指标")
        if compare is not None:
            table.add_column("上一版", justify="right")
        table.add_column("本版", justify="right")
        table.add_column("说明")
        before = {name: old for g, name, old, _new in compare_rows(compare or {}, data) if g == key}
        for figure, (label, note) in _FIGURES.items():
            row = [label]
            if compare is not None:
                row.append(_pct(before.get(figure)))
            row += [_pct(getattr(grain, figure)), note]
            table.add_row(*row)
        console.print(table)
        console.print(
            f"  入选 {grain.selected} 节已标注（另 {grain.selected_unlabelled} 节未标注）"
            + (f"；{grain.via_page} 条经未拆分的页面找到" if grain.via_page else "")
        )
        for title in grain.missed_core:
            console.print(f"  未进入候选的核心条目：{title}")
        for title in grain.off_topic:
            console.print(f"  入选但标注为无关：{title}")
    short = result.short_days
    counts = list(result.sections_per_day.values())
    console.print(
        f"每期小节数：{min(counts, default=0)}–{max(counts, default=0)}；"
        + (f"少于 {result.minimum} 节的日期：{'、'.join(short)}" if short else "每期都达到最少节数")
    )


@eval_app.command("relevance")
def eval_relevance(
    labels: Annotated[
        list[Path],
        typer.Option(
            "--labels",
            "-l",
            help="标注文件（JSONL：url, label 0/1/2；url 可为页面或 页面#story-N）；可重复。",
        ),
    ],
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents",
            "-d",
            help="文档来源：zhibao export documents 写出的 JSONL，或网页目录（文件名与 URL 末段一致）；默认读库。",
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option("--compare", help="上一版的 --json 输出：并排显示上一版与本版的指标。"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。")] = False,
) -> None:
    """相关度评测：按页与按条（汇编页拆分后的每条消息）的准确率、召回率（对照编辑标注）。"""
    from zhibao.analyze.evaluation import evaluate_relevance, load_labels
    from zhibao.config import load_profile, load_sources
    from zhibao.core.errors import InputError

    wanted = load_labels(*labels)
    previous = None
    if compare is not None:
        try:
            previous = json.loads(compare.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(
                f"{compare}: 读不出上一版的评测 JSON（{exc}）；请用 --json 写出的文件"
            ) from None
    docs = _documents(documents, wanted)
    sources = load_sources().sources
    result = evaluate_relevance(
        docs,
        wanted,
        load_profile(),
        tiers={s.id: s.tier for s in sources},
        usual_times={s.id: s.usual_time for s in sources if s.usual_time},
    )
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_result(result, previous)


@eval_app.command("brief")
def eval_brief(
    start: Annotated[str, typer.Option("--from", help="第一期日期 YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="最后一期日期 YYYY-MM-DD")],
    writer: Annotated[
        str, typer.Option("--writer", help="写作器：extractive 或 llm")
    ] = "extractive",
    out: Annotated[
        Path | None, typer.Option("--out", help="把每期简报 JSON 与 Markdown 写到此目录，便于通读")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。")] = False,
    topic: TopicOption = None,
) -> None:
    """简报评测：逐日写出简报（存入库），统计小标题有据、相对时间、分析段、参考用途与核验结果。"""
    from dataclasses import asdict

    from zhibao.cli.base import err
    from zhibao.config.settings import load_settings
    from zhibao.runs.brief_evaluation import evaluate_briefs
    from zhibao.store import Store

    first, last = parse_date(start), parse_date(end)
    settings = load_settings(topic=topic)
    with Store.open(data_dir=settings.data_dir) as store:
        result = evaluate_briefs(
            store,
            first,
            last,
            writer=writer,
            profile=settings.profile,
            brand=settings.brand,
            sources=settings.sources,
            progress=lambda line: err.print(line),
        )
    if out is not None:
        from zhibao.render import render_brief

        out.mkdir(parents=True, exist_ok=True)
        for brief in result.briefs:
            brief.save(out / f"{brief.stem}.json")
            render_brief(brief, out, ["md"])
    if as_json:
        data = {
            "days": [asdict(d) for d in result.days],
            "shares": {
                name: result.share(name)
                for name in (
                    "headings_supported",
                    "facts_with_relative_time",
                    "analyses_distinct",
                    "purposes_distinct",
                )
            },
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"简报评测 {first} 至 {last}")
    for column in (
        "日期",
        "节",
        "小标题有据",
        "事实段相对时间",
        "分析不重复",
        "用途不同",
        "栏目标签",
        "截稿后引用",
        "事实段字数",
        "正文字数",
        "核验",
    ):
        table.add_column(column, justify="right")
    for day in result.days:
        if day.skipped:
            table.add_row(day.date, "—", *["—"] * 8, day.skipped[:30])
            continue
        facts = sorted(day.fact_chars)
        table.add_row(
            day.date,
            str(day.sections),
            f"{day.headings_supported}/{day.headings}",
            f"{day.facts_with_relative_time}/{day.facts}",
            f"{day.analyses_distinct}/{day.analyses}",
            f"{day.purposes_distinct}/{day.references}",
            str(day.column_tags),
            str(day.late_references),
            f"{facts[0]}–{facts[-1]}" if facts else "—",
            str(day.body_chars),
            "通过" if day.check_ok else f"{len(day.check_failures)} 个问题",
        )
    console.print(table)
    for name, label in (
        ("headings_supported", "小标题的事件句有本节来源支撑"),
        ("facts_with_relative_time", "事实段含相对时间词"),
        ("analyses_distinct", "分析段不重复事实段的句子"),
        ("purposes_distinct", "参考文献用途互不相同"),
    ):
        console.print(f"{label}：{_pct(result.share(name))}")
    for day in result.days:
        for heading in day.unsupported:
            console.print(f"  {day.date} 小标题缺少本节来源支撑：{heading}")
        for line in day.check_failures[:5]:
            console.print(f"  {day.date} 核验：{line}")
