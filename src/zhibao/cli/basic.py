"""Commands that need no stage of their own: init, render, schema, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zhibao.cli.base import FormatsOption, app, console, err, parse_formats


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="写入可编辑配置的目录。")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """写出一份可编辑的配置（brand.yaml、profile.yaml、sources.yaml、publish.yaml、llm.yaml）。"""
    from zhibao.config import init_config

    for path in init_config(directory, overwrite=force):
        console.print(str(path))
    console.print(
        f"\n编辑以上文件后，用 [bold]export ZHIBAO_HOME={directory}[/] 或 --home 指向它。"
    )


@app.command()
def render(
    brief_json: Annotated[Path, typer.Argument(help="简报 JSON 文件。", metavar="BRIEF.json")],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录。")] = Path("."),
    formats: FormatsOption = None,
    publish: Annotated[
        bool,
        typer.Option("--publish", help="按正式发布标准检查：有问题则报错而不是生成草稿。"),
    ] = False,
) -> None:
    """把简报 JSON 渲染为 PDF / HTML / 公众号 HTML / DOCX / Markdown。"""
    from zhibao.core.model import load_brief
    from zhibao.render import render_brief

    brief = load_brief(brief_json)
    problems = brief.publish_problems()
    for path in render_brief(brief, out, parse_formats(formats), publish=publish):
        console.print(str(path))
    if problems:
        err.print(f"[yellow]注意：以草稿形式生成，页面上标出了 {len(problems)} 个问题。[/]")


@app.command()
def schema() -> None:
    """打印简报 JSON 的 JSON Schema（docs/brief.schema.json 由它生成）。"""
    from zhibao.core.schema import brief_schema_json

    sys.stdout.write(brief_schema_json())


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录。")] = Path("zhibao-demo"),
    formats: FormatsOption = None,
    writer: Annotated[
        str, typer.Option("--writer", "-w", help="写作器：extractive（默认）或 llm。")
    ] = "extractive",
    queue: Annotated[
        bool,
        typer.Option(
            "--queue", help="经任务队列（ZHIBAO_QUEUE_URL）采集，需另行启动 zhibao worker。"
        ),
    ] = False,
) -> None:
    """生成演示简报：写出 brief-YYYY-MM-DD.json 及各种格式，并打印路径。"""
    from zhibao.runs.demo import run_demo
    from zhibao.runs.queue import required_queue_url

    fleet = required_queue_url() if queue else None
    for path in run_demo(out, parse_formats(formats), writer=writer, queue_url=fleet):
        console.print(str(path))
