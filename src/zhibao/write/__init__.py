"""write: from the day's selected events to a ``Brief``, by one of several writers.

A writer is any object with a ``name`` and ``write(analysis, context) -> Brief``; writers sit
side by side and are chosen by name, the pipeline never branches on the kind. The extractive
writer (offline, the default) only selects, compresses and arranges sentences of the stored
sources; an ``llm`` writer will plug in behind the same interface and reuse its per-section
seam ``write_section(event, references) -> Section``.

    >>> from zhibao.write import WriteContext, get_writer
    >>> context = WriteContext(brief_date=date(2026, 5, 25), brand=load_brand(), profile=load_profile())
    >>> brief = get_writer("extractive").write(analysis, context)
    >>> brief.sections[0].heading
    '2026年“数据要素×”大赛启动，赛道扩容激励加码'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from zhibao.core.errors import ZhibaoError

if TYPE_CHECKING:
    from zhibao.analyze import Analysis
    from zhibao.config import Brand, Profile
    from zhibao.core.model import Brief, Document
    from zhibao.store import Store

__all__ = ["WRITERS", "EmptyWindowError", "WriteContext", "Writer", "get_writer"]


class EmptyWindowError(ZhibaoError):
    """No relevant fresh document in the window: there is nothing to write a brief about."""


@dataclass
class WriteContext:
    """What a writer may use besides the analysis; all of it comes from config or the store."""

    brief_date: date
    brand: Brand
    profile: Profile
    earlier: Sequence[Brief] = ()  # stored briefs of the last 7 days, oldest first
    document: Callable[[str], Document | None] = lambda url: None  # stored document by URL
    orgs: Mapping[str, str] = field(default_factory=dict)  # source id → configured organisation
    archive_base: str | None = None  # where WARC files live, for the references' archive links
    store: Store | None = None  # a writer's own memory (the llm writer's response cache)


class Writer(Protocol):
    name: str

    def write(self, analysis: Analysis, context: WriteContext) -> Brief: ...


# name → "module:Class"; imported on first use.
WRITERS = {
    "extractive": "zhibao.write.extractive:ExtractiveWriter",
    "llm": "zhibao.write.llm:LLMWriter",
}


def get_writer(name: str) -> Writer:
    try:
        module_name, class_name = WRITERS[name].split(":")
    except KeyError:
        known = ", ".join(WRITERS)
        raise ZhibaoError(f"未知的写作器 (writer) {name!r}；可选：{known}") from None
    return getattr(importlib.import_module(module_name), class_name)()
