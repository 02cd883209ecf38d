"""``zhibao eval relevance``: precision and recall of the relevance stage and of the selection."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zhibao.cli.base import console
from zhibao.cli.extract import eval_app

__all__ = ["eval_relevance"]


def _documents(path: Path | None, labels: dict[str, int]) -> list:
    from zhibao.analyze.evaluation import load_document_file
    from zhibao.core.errors import InputError

    if path is None:  # the labelled documents and their days, from the store
        from datetime import timedelta

        from zhibao.config import resolve_paths
        from zhibao.core.time import local_date
        from zhibao.store import Store

        with Store.open(data_dir=resolve_paths().data_dir) as store:
            labelled = [d for d in (store.document(u) for u in labels) if d is not None]
            days = sorted(d for d in (local_date(x) for x in labelled) if d)
            if not days:
                return labelled
            return store.documents(days[0] - timedelta(days=10), days[-1] + timedelta(days=1))
    if path.is_file():
        return load_document_file(path)
    if path.is_dir():
        from zhibao.extract import extract_document

        by_name = {url.rstrip("/").rsplit("/", 1)[-1]: url for url in labels}
        documents = []
        for page in sorted(path.iterdir()):
            if page.suffix.lower() not in {".html", ".htm", ".shtml"} or page.name not in by_name:
                continue
            html = page.read_bytes().decode("utf-8", errors="replace")
            try:
                documents.append(extract_document(html, by_name[page.name]))
            except Exception as exc:  # noqa: BLE001 - one broken page is reported, not fatal
                console.print(f"[yellow]跳过[/] {page.name}: {exc}")
        return documents
    raise InputError(f"{path}: 不存在；--documents 应为文档 JSONL 文件或网页目录")


@eval_app.command("relevance")
def eval_relevance(
    labels: Annotated[
        Path, typer.Option("--labels", "-l", help="标注文件（JSONL：url, label 0/1/2）。")
    ],
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents",
            "-d",
            help="文档来源：zhibao export documents 写出的 JSONL，或网页目录（文件名与 URL 末段一致）；默认读库。",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。")] = False,
) -> None:
    """相关度评测：相关度阶段与最终入选的准确率、召回率（对照编辑标注）。"""
    from zhibao.analyze.evaluation import evaluate_relevance, load_labels
    from zhibao.config import load_profile, load_sources

    wanted = load_labels(labels)
    docs = _documents(documents, wanted)
    tiers = {s.id: s.tier for s in load_sources().sources}
    result = evaluate_relevance(docs, wanted, load_profile(), tiers=tiers)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    table = Table(
        title=f"相关度评测：{result.found}/{result.labelled} 条标注找到文档，"
        f"相关 {result.positives} 条（核心 {result.core} 条），回放 {len(result.days)} 天"
    )
    table.add_column("指标")
    table.add_column("数值", justify="right")
    table.add_column("说明")
    table.add_row(
        "相关度 准确率",
        pct(result.relevance_precision),
        f"判为相关的 {result.relevant_tp + result.relevant_fp} 条中标注为相关/核心的比例",
    )
    table.add_row(
        "相关度 召回率", pct(result.relevance_recall), "标注相关/核心的条目被判为相关的比例"
    )
    table.add_row("相关度 核心召回", pct(result.relevance_core_recall), "核心条目被判为相关的比例")
    table.add_row(
        "入选 准确率",
        pct(result.selection_precision),
        f"入选 {result.selected} 条（另有 {result.selected_unlabelled} 条未标注）中标注为相关/核心的比例（目标 ≥ 90%）",
    )
    table.add_row(
        "核心 进入候选",
        pct(result.core_candidate_recall),
        "核心条目进入入选或候选事件的比例（目标 ≥ 80%）",
    )
    console.print(table)
    for title in result.missed_core:
        console.print(f"  未进入候选的核心条目：{title}")
