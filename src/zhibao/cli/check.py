"""``zhibao check BRIEF.json``: the checker on the command line (exit 1 when a claim fails)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from zhibao.cli.base import app, console, err
from zhibao.cli.brief import TopicOption

__all__ = ["check_command"]


@app.command("check")
def check_command(
    brief_json: Annotated[Path, typer.Argument(help="简报 JSON 文件。", metavar="BRIEF.json")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。")] = False,
    topic: TopicOption = None,
) -> None:
    """核验简报：数字、日期、书名、引语、人名机构、标题与摘要判断都要与所引用的已入库文档一致。"""
    from zhibao.config.settings import load_settings
    from zhibao.core.model import load_brief
    from zhibao.runs.checking import check_stored
    from zhibao.store import Store

    brief = load_brief(brief_json)
    settings = load_settings(topic=topic)  # the topic's profile: its length budget and terms
    with Store.open(data_dir=settings.data_dir) as store:
        report = check_stored(brief, store, settings.profile)
    # The one status rule (CheckReport.verdict), as the writer and the desk apply it.
    status = report.verdict(brief).status
    if as_json:
        data = {**report.to_dict(), "status": status}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for failure in report.failures:
            err.print(failure.line(), markup=False, soft_wrap=True)
        for warning in report.warnings:
            err.print(f"提醒 {warning.line()}", markup=False, soft_wrap=True)
        review = sum(s.needs_review for s in brief.sections)
        if not report.ok:
            err.print(
                f"[red]核验未通过[/]：{len(report.failures)} 个问题（共核验 {report.claims_checked} 处），"
                f"状态 {status}。"
            )
        elif review:
            console.print(
                f"[yellow]核验通过[/]，但 {review} 节待编辑复核 (needs_review)，状态 {status}。"
            )
        else:
            console.print(
                f"[green]核验通过[/]：{report.claims_checked} 处数字、日期、书名与引语均有出处，"
                f"状态 {status}。"
            )
    if not report.ok:
        raise typer.Exit(1)
