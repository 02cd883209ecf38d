"""write: from the day's selected events to a ``Brief``, by one of several writers.

A writer is a ``Writer`` (``zhibao.write.base``): a ``name``, ``write_brief(analysis, context)
-> Brief`` and ``write_section(event, context) -> WrittenSection``. Writers sit side by side
and are chosen by name; the pipeline never branches on the kind. The extractive writer
(offline, the default) only selects, compresses and arranges sentences of the stored sources;
the ``llm`` writer has a model write each section and falls back to the extractive one.

Another package adds a writer through the entry point group ``zhibao.writers``::

    [project.entry-points."zhibao.writers"]
    mywriter = "my_package.writer:MyWriter"     # a Writer subclass, created without arguments

    >>> from zhibao.write import WriteContext, get_writer
    >>> context = WriteContext(brief_date=date(2026, 5, 25), brand=load_brand(), profile=load_profile())
    >>> brief = get_writer("extractive").write_brief(analysis, context)
    >>> brief.sections[0].heading
    '刘烈宏启动2026年“数据要素×”大赛，赛道扩容激励加码'
"""

from __future__ import annotations

from zhibao.core.errors import ZhibaoError
from zhibao.core.plugins import Registry
from zhibao.write.base import (
    EmptyWindowError,
    SectionDraft,
    Wording,
    WriteContext,
    Writer,
    WrittenSection,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "WRITERS",
    "EmptyWindowError",
    "SectionDraft",
    "Wording",
    "WriteContext",
    "Writer",
    "WrittenSection",
    "available_writers",
    "get_writer",
]

ENTRY_POINT_GROUP = "zhibao.writers"

# name → "module:Class"; imported on first use. The same pairs are declared as entry points in
# pyproject.toml for other tools; this table is what works without an installed distribution.
WRITERS = {
    "extractive": "zhibao.write.extractive:ExtractiveWriter",
    "llm": "zhibao.write.llm:LLMWriter",
}


_REGISTRY = Registry(
    group=ENTRY_POINT_GROUP,
    builtins=WRITERS,
    noun="写作器",
    error=ZhibaoError,
    accepts=lambda made: isinstance(made, Writer),
    requirement=" zhibao.write.Writer 的子类",
)


def available_writers() -> list[str]:
    """Names ``get_writer`` accepts: the built-in writers, then the installed ones."""
    return _REGISTRY.names()


def get_writer(name: str) -> Writer:
    """A new writer called ``name``: a built-in one, else one installed under ``zhibao.writers``."""
    return _REGISTRY.create(name)
