"""The Typer app every command module registers on, its consoles and shared options."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from zhibao import __version__

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


def parse_date(value: str) -> date:
    """A command-line date (YYYY-MM-DD); a bad one is a usage error naming the value."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} 不是 YYYY-MM-DD 格式的日期") from None


def parse_formats(value: str | None) -> list[str] | None:
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
