"""Parts that come in kinds (writers, renderers), found by name: built in or installed.

A kind has a table of built-in ``name → "module:Class"`` (imported on first use, so a light
command never loads the heavy parts) and an entry point group through which another package
adds its own without touching this one. Built-in names win over installed ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from zhibao.core.errors import ZhibaoError

__all__ = ["Registry"]


@dataclass(frozen=True)
class Registry:
    group: str  # the entry point group, e.g. "zhibao.writers"
    builtins: Mapping[str, str]  # name → "module:Class"
    noun: str  # what one is called in messages: 写作器, 输出格式
    error: type[ZhibaoError]  # what a bad name or plugin raises
    accepts: Callable[[Any], bool]  # is the created object of this kind?
    requirement: str  # what an object of this kind must be, for the message when it is not

    def names(self) -> list[str]:
        """The built-in names, then the installed ones."""
        installed = sorted(ep.name for ep in entry_points(group=self.group))
        return list(dict.fromkeys([*self.builtins, *installed]))

    def create(self, name: str) -> Any:
        """A new object of the kind called ``name``, created without arguments."""
        if name in self.builtins:
            module_name, class_name = self.builtins[name].split(":")
            return getattr(importlib.import_module(module_name), class_name)()
        found = [ep for ep in entry_points(group=self.group) if ep.name == name]
        if not found:
            raise self.error(f"未知的{self.noun} {name!r}；可选：{', '.join(self.names())}")
        where = f"入口点 {found[0].value}（{self.group}）"
        try:
            made = found[0].load()()
        except Exception as exc:  # a broken plugin is named, not a traceback from deep inside it
            raise self.error(
                f"{self.noun} {name!r} 无法加载：{where}：{type(exc).__name__}: {exc}"
            ) from exc
        if not self.accepts(made):
            raise self.error(f"{self.noun} {name!r} 不是{self.requirement}：{where}")
        return made
