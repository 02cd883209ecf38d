"""``zhibao eval extract``: extraction quality and speed on a labelled dataset, next to trafilatura."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zhibao.cli.base import app, console, err

__all__ = ["eval_app"]

eval_app = typer.Typer(
    help="评测各阶段的质量（extraction …）。",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(eval_app, name="eval")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


@eval_app.command("extract")
def eval_extract(
    dataset: Annotated[
        Path,
        typer.Option(
            "--dataset", "-d", help="数据集目录（magic-html-zh / cwced / cctv 结构自动识别）。"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="只评测前 N 个页面（调试用）。")
    ] = None,
    pages: Annotated[bool, typer.Option("--pages", help="JSON 中附上逐页结果。")] = False,
) -> None:
    """正文抽取评测：标题完全匹配、日期准确率（按日）、正文字符 F1、每页耗时，并与 trafilatura 对比。"""
    from zhibao.extract.evaluate import evaluate_dataset

    def progress(done: int, total: int) -> None:
        if not as_json and sys.stderr.isatty():
            err.print(f"\r{done}/{total}", end="")

    report = evaluate_dataset(dataset, limit=limit, progress=progress)
    if as_json:
        data = report.to_dict()
        if not pages:
            data.pop("per_page")
        if isinstance(data["time_ratio"], float) and math.isnan(data["time_ratio"]):
            data["time_ratio"] = None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if sys.stderr.isatty():
        err.print("")
    table = Table(title=f"抽取评测 {report.dataset}（{report.layout}，{report.pages} 页）")
    table.add_column("指标 (metric)")
    table.add_column("zhibao", justify="right")
    table.add_column("trafilatura", justify="right")
    ours, base = report.ours, report.baseline
    table.add_row("页面数 (pages)", str(ours.pages), str(base.pages))
    table.add_row("标题完全匹配 (title exact)", _pct(ours.title_exact), _pct(base.title_exact))
    table.add_row(
        "日期准确率·日 (date accuracy, day)", _pct(ours.date_accuracy), _pct(base.date_accuracy)
    )
    if (
        ours.date_accuracy_labelled is not None
        and ours.date_accuracy_labelled != ours.date_accuracy
    ):
        table.add_row(
            "日期准确率·仅有日期标注的页 (labelled dates only)",
            _pct(ours.date_accuracy_labelled),
            _pct(base.date_accuracy_labelled),
        )
    table.add_row("正文字符 F1 (body char-F1)", _pct(ours.body_f1), _pct(base.body_f1))
    table.add_row(
        "每页耗时 ms (time/page)",
        f"{ours.seconds_per_page * 1000:.1f}",
        f"{base.seconds_per_page * 1000:.1f}",
    )
    table.add_row("异常页 (crashes)", str(ours.failures), str(base.failures))
    console.print(table)
    console.print(f"耗时比 (time ratio zhibao / trafilatura)：{report.time_ratio:.2f}×")
