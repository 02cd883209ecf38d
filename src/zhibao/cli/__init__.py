"""The ``zhibao`` command: a thin shell that parses arguments, calls the library and prints.

Each command maps to one documented Python function; whatever the CLI does, code can do.
Commands live in one module each and register on ``zhibao.cli.base.app`` when imported;
nothing outside ``zhibao.cli`` imports this package.
"""

from __future__ import annotations

import sys

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
)
from zhibao.cli.base import app, err
from zhibao.core.errors import ZhibaoError

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except ZhibaoError as exc:
        err.print(f"[red]错误：[/]{exc}", markup=True, soft_wrap=True)
        sys.exit(2)
