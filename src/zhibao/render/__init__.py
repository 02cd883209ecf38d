"""Renderers draw a ``Brief``; they never compute content.

Each renderer is a small object with a ``name``, a file ``suffix`` and ``render(brief) -> bytes``.
They sit side by side in this package and are chosen by name::

    from zhibao import load_brief
    from zhibao.render import render_brief
    render_brief(load_brief("brief-2026-05-25.json"), "out/", formats=["pdf", "html"])

A brief with publishing problems (no references, uncited sections…) renders as a draft with the
problems shown on the page; ``publish=True`` refuses it instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from zhibao.core.errors import RenderError
from zhibao.core.model import Brief

__all__ = ["FORMATS", "Renderer", "get_renderer", "output_path", "render_brief"]


class Renderer(Protocol):
    name: str
    suffix: str  # ".pdf", ".wechat.html", …

    def render(self, brief: Brief) -> bytes: ...


# name → "module:Class"; imported on first use so that `zhibao render --formats md` stays light.
_REGISTRY = {
    "pdf": "zhibao.render.pdf:PdfRenderer",
    "html": "zhibao.render.html:HtmlRenderer",
    "wechat": "zhibao.render.wechat:WechatRenderer",
    "docx": "zhibao.render.docx:DocxRenderer",
    "md": "zhibao.render.markdown:MarkdownRenderer",
}
FORMATS: tuple[str, ...] = tuple(_REGISTRY)


def get_renderer(name: str) -> Renderer:
    try:
        module_name, class_name = _REGISTRY[name].split(":")
    except KeyError:
        known = ", ".join(FORMATS)
        raise RenderError(f"未知的输出格式 {name!r}；可选：{known}") from None
    return getattr(importlib.import_module(module_name), class_name)()


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
        raise RenderError(f"简报 {brief.date} 不能正式发布：\n{listed}\n请修正后重试，或去掉 --publish 生成草稿。")
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
