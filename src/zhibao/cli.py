"""The ``zhibao`` command: a thin shell that parses arguments, calls the library and prints.

Each command maps to one documented Python function; whatever the CLI does, code can do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from zhibao import __version__
from zhibao.errors import ZhibaoError

app = typer.Typer(
    name="zhibao",
    help="智报：从公开信息源自动生成、核验并发布每日政策与产业简报。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        console.print(f"zhibao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="配置与数据目录（默认 $ZHIBAO_HOME，否则 ~/.zhibao）。",
            envvar="ZHIBAO_HOME",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本。")
    ] = False,
) -> None:
    if home is not None:
        # One place decides where config and data live; every stage reads it through resolve_paths().
        os.environ["ZHIBAO_HOME"] = str(home)


def _formats(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [f.strip() for f in value.split(",") if f.strip()]


FormatsOption = Annotated[
    str | None,
    typer.Option(
        "--formats",
        "-f",
        help="逗号分隔的输出格式：pdf,html,wechat,docx,md（默认全部）。",
    ),
]


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="写入可编辑配置的目录。")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """写出一份可编辑的配置（brand.yaml、profile.yaml、sources.yaml、publish.yaml）。"""
    from zhibao.config import init_config

    for path in init_config(directory, overwrite=force):
        console.print(str(path))
    console.print(f"\n编辑以上文件后，用 [bold]export ZHIBAO_HOME={directory}[/] 或 --home 指向它。")


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
    from zhibao.model import load_brief
    from zhibao.render import render_brief

    brief = load_brief(brief_json)
    problems = brief.publish_problems()
    for path in render_brief(brief, out, _formats(formats), publish=publish):
        console.print(str(path))
    if problems:
        err.print(f"[yellow]注意：以草稿形式生成，页面上标出了 {len(problems)} 个问题。[/]")


@app.command()
def schema() -> None:
    """打印简报 JSON 的 JSON Schema（docs/brief.schema.json 由它生成）。"""
    from zhibao.schema import brief_schema_json

    sys.stdout.write(brief_schema_json())


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录。")] = Path("zhibao-demo"),
    formats: FormatsOption = None,
    writer: Annotated[
        str, typer.Option("--writer", "-w", help="写作器：extractive（默认）或 llm。")
    ] = "extractive",
) -> None:
    """生成演示简报：写出 brief-YYYY-MM-DD.json 及各种格式，并打印路径。"""
    from zhibao.demo import run_demo

    for path in run_demo(out, _formats(formats), writer=writer):
        console.print(str(path))


# Commands of the other stages live in their own modules and register on ``app`` when imported.
# (one import line per module below; keep this block just above main())
import zhibao.analyze.commands  # noqa: E402, F401
import zhibao.check.commands  # noqa: E402, F401
import zhibao.collect_command  # noqa: E402, F401
import zhibao.doctor  # noqa: E402, F401
import zhibao.extract.commands  # noqa: E402, F401
import zhibao.publish.commands  # noqa: E402, F401
import zhibao.store.commands  # noqa: E402, F401
import zhibao.web.commands  # noqa: E402, F401
import zhibao.write.commands  # noqa: E402, F401


def main() -> None:
    try:
        app()
    except ZhibaoError as exc:
        err.print(f"[red]错误：[/]{exc}", markup=True, soft_wrap=True)
        sys.exit(2)
