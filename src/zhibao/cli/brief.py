"""``zhibao brief --date D``: write, check, store and render one brief (thin shell)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhibao.cli.base import FormatsOption, app, console, err, parse_date, parse_formats

__all__ = ["TopicOption", "brief_command"]

# The commands that work on one topic's briefs take this; without it, the home's own profile.
TopicOption = Annotated[
    str | None,
    typer.Option(
        "--topic",
        "-t",
        envvar="ZHIBAO_TOPIC",
        help="主题：<home>/topics/ 下的目录名（不写则用 home 自己的 profile.yaml）。",
    ),
]


@app.command("brief")
def brief_command(
    day: Annotated[
        str, typer.Option("--date", "-d", help="简报日期 YYYY-MM-DD（窗口为此前几天）。")
    ],
    writer: Annotated[
        str,
        typer.Option(
            "--writer", "-w", help="写作器：extractive（默认）或 llm（见 zhibao doctor）。"
        ),
    ] = "extractive",
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录。")] = Path("."),
    formats: FormatsOption = None,
    topic: TopicOption = None,
) -> None:
    """从库中文档生成某日简报：分析、写作、核验、入库，写出 brief-D.json 和各种格式。"""
    from zhibao.config import archive_dir
    from zhibao.config.settings import load_settings
    from zhibao.runs.briefing import make_brief
    from zhibao.store import Store

    brief_date = parse_date(day)
    settings = load_settings(topic=topic)
    data_dir = settings.data_dir
    with Store.open(data_dir=data_dir) as store:
        run = make_brief(
            brief_date,
            store=store,
            writer=writer,
            out_dir=out,
            formats=parse_formats(formats),
            profile=settings.profile,
            brand=settings.brand,
            sources=settings.sources,
            archive_base=str(archive_dir(data_dir)),
        )
    for path in run.paths:
        console.print(str(path), soft_wrap=True, markup=False)
    for line in run.lines():
        err.print(line, markup=False, soft_wrap=True)
    if not run.check.ok:
        raise typer.Exit(1)
