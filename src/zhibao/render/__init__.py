"""Renderers draw a ``Brief``; they never compute content.

Each renderer is a small object with a ``name``, a file ``suffix`` and ``render(brief) -> bytes``.
They sit side by side in this package and are chosen by name::

    from zhibao import load_brief
    from zhibao.render import render_brief
    render_brief(load_brief("brief-2026-05-25.json"), "out/", formats=["pdf", "html"])

Another package adds a format through the entry point group ``zhibao.renderers``::

    [project.entry-points."zhibao.renderers"]
    myformat = "my_package.render:MyRenderer"   # created without arguments

A brief with publishing problems (no references, uncited sections…) renders as a draft with the
problems shown on the page; ``publish=True`` refuses it instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from zhibao.core.errors import RenderError
from zhibao.core.model import Brief
from zhibao.core.plugins import Registry

__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMATS",
    "Renderer",
    "available_renderers",
    "get_renderer",
    "output_path",
    "render_brief",
]

ENTRY_POINT_GROUP = "zhibao.renderers"


@runtime_checkable
class Renderer(Protocol):
    name: str
    suffix: str  # ".pdf", ".wechat.html", …

    def render(self, brief: Brief) -> bytes: ...


# name → "module:Class"; imported on first use so that `zhibao render --formats md` stays light.
# The same pairs are declared as entry points in pyproject.toml for other tools; this table is
# what works without an installed distribution.
_REGISTRY = {
    "pdf": "zhibao.render.pdf:PdfRenderer",
    "html": "zhibao.render.html:HtmlRenderer",
    "wechat": "zhibao.render.wechat:WechatRenderer",
    "docx": "zhibao.render.docx:DocxRenderer",
    "md": "zhibao.render.markdown:MarkdownRenderer",
}
# The built-in formats, what ``render_brief`` writes when no format is named; installed ones
# are rendered only when asked for.
FORMATS: tuple[str, ...] = tuple(_REGISTRY)


_PLUGINS = Registry(
    group=ENTRY_POINT_GROUP,
    builtins=_REGISTRY,
    noun="输出格式",
    error=RenderError,
    accepts=lambda made: isinstance(made, Renderer),
    requirement="渲染器（需要 name、suffix 和 render(brief)）",
)


def available_renderers() -> list[str]:
    """Names ``get_renderer`` accepts: the built-in formats, then the installed ones."""
    return _PLUGINS.names()


def get_renderer(name: str) -> Renderer:
    """A new renderer of format ``name``: built in, else installed under ``zhibao.renderers``."""
    return _PLUGINS.create(name)


def output_path(brief: Brief, out_dir: str | Path, name: str) -> Path:
    return Path(out_dir) / f"{brief.stem}{get_renderer(name).suffix}"


def render_brief(
    brief: Brief,
    out_dir: str | Path,
    formats: Iterable[str] | None = None,
    *,
    publish: bool = False,
) -> list[Path]:
    """Write ``out_dir/brief-YYYY-MM-DD.<suffix>`` for each format; return the paths written."""
    names = list(formats) if formats is not None else list(FORMATS)
    renderers = [get_renderer(n) for n in names]  # fail on a bad name before writing anything
    if publish and (problems := brief.publish_problems()):
        listed = "\n".join(f"  - {p}" for p in problems)
        raise RenderError(
            f"简报 {brief.date} 不能正式发布：\n{listed}\n请修正后重试，或去掉 --publish 生成草稿。"
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for renderer in renderers:
        path = out / f"{brief.stem}{renderer.suffix}"
        data = renderer.render(brief)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never leave a half-written file under the final name
        written.append(path)
    return written
