"""``zhibao check BRIEF.json``: the checker on the command line (exit 1 when a claim fails)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from zhibao.cli.base import app, console, err

__all__ = ["check_command"]


@app.command("check")
def check_command(
    brief_json: Annotated[Path, typer.Argument(help="简报 JSON 文件。", metavar="BRIEF.json")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。")] = False,
) -> None:
    """核验简报：每个数字、日期、书名和引语都能在所引用的已入库文档中找到。"""
    from zhibao.config import resolve_paths
    from zhibao.core.model import load_brief
    from zhibao.runs.checking import check_stored
    from zhibao.store import Store

    brief = load_brief(brief_json)
    with Store.open(data_dir=resolve_paths().data_dir) as store:
        report = check_stored(brief, store)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif report.ok:
        console.print(
            f"[green]核验通过[/]：{report.claims_checked} 处数字、日期、书名与引语均有出处。"
        )
    else:
        for failure in report.failures:
            err.print(failure.line(), markup=False, soft_wrap=True)
        err.print(
            f"[red]核验未通过[/]：{len(report.failures)} 个问题（共核验 {report.claims_checked} 处）。"
        )
    if not report.ok:
        raise typer.Exit(1)
