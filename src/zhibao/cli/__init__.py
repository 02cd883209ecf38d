"""The ``zhibao`` command: a thin shell that parses arguments, calls the library and prints.

Each command maps to one documented Python function; whatever the CLI does, code can do.
Commands live in one module each and register on ``zhibao.cli.base.app`` when imported;
nothing outside ``zhibao.cli`` imports this package.
"""

from __future__ import annotations

import sys

from rich.markup import escape

from zhibao.cli import (  # noqa: F401  (each module registers its commands)
    analyze,
    basic,
    brief,
    check,
    collect,
    doctor,
    extract,
    publish,
    serve,
    store,
    worker,
)
from zhibao.cli.base import app, err
from zhibao.core.errors import ZhibaoError

__all__ = ["app", "main"]


def _file_problem(exc: OSError) -> str:
    """What a user reads when a path given to a command cannot be read or written."""
    path = exc.filename or "（未知路径）"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: 是一个目录，这里需要文件；请给出文件路径 (is a directory)"
    if isinstance(exc, NotADirectoryError):
        return f"{path}: 不是目录，这里需要目录；请给出目录路径 (not a directory)"
    if isinstance(exc, FileExistsError):
        return f"{path}: 已存在且不是目录；请换一个输出目录 (exists and is not a directory)"
    if isinstance(exc, FileNotFoundError):
        return f"{path}: 文件或目录不存在；请检查路径 (no such file or directory)"
    if isinstance(exc, PermissionError):
        return f"{path}: 没有读写权限；请检查权限或换一个位置 (permission denied)"
    return f"{path}: 无法读写（{exc.strerror or exc}）；请检查路径与磁盘 (OSError)"


def main() -> None:
    try:
        app()
    except ZhibaoError as exc:
        err.print(f"[red]错误：[/]{escape(str(exc))}", markup=True, soft_wrap=True)
        sys.exit(2)
    except OSError as exc:
        # A file argument that is a directory, unreadable, or an output folder that cannot be
        # written: a problem with the user's path, said without a traceback.
        err.print(f"[red]错误：[/]{escape(_file_problem(exc))}", markup=True, soft_wrap=True)
        sys.exit(2)
