"""PDF through Typst: the brief as a printed publication with real page numbers.

The template (``typst/brief.typ``) receives the brief as JSON through ``sys.inputs``; web text is
never pasted into Typst markup. Fonts come from Debian's ``fonts-noto-cjk``; a missing CJK font
is an error, never a page of empty boxes.

    >>> from zhibao.render.pdf import PdfRenderer
    >>> pdf = PdfRenderer().render(brief)          # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
import typst

from zhibao.errors import RenderError
from zhibao.model import Brief
from zhibao.render.common import date_zh, section_label

__all__ = ["FontSet", "PdfRenderer", "find_cjk_fonts"]

TEMPLATE = Path(__file__).parent / "typst" / "brief.typ"
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
INSTALL_HINT = (
    "请安装中文字体：sudo apt-get install fonts-noto-cjk（或用 --font-dir 指向含 Noto CJK 的目录）"
)


@dataclass(frozen=True)
class FontSet:
    serif: str
    sans: str
    paths: tuple[str, ...]


def find_cjk_fonts(search: tuple[Path, ...] = FONT_DIRS) -> FontSet:
    """Locate Noto Serif/Sans CJK; fall back to one family for both if only one is installed."""
    found: dict[str, Path] = {}
    for base in search:
        if not base.is_dir():
            continue
        for path in base.rglob("Noto*CJK*"):
            if path.suffix.lower() in {".ttc", ".otf", ".ttf"}:
                kind = "serif" if "Serif" in path.name else "sans"
                found.setdefault(kind, path.parent)
    if not found:
        where = "、".join(str(p) for p in search)
        raise RenderError(f"没有找到 Noto CJK 中文字体（查找了 {where}）。{INSTALL_HINT}")
    serif = "Noto Serif CJK SC" if "serif" in found else "Noto Sans CJK SC"
    sans = "Noto Sans CJK SC" if "sans" in found else "Noto Serif CJK SC"
    return FontSet(serif=serif, sans=sans, paths=tuple(sorted({str(p) for p in found.values()})))


@cache
def _compiler(paths: tuple[str, ...]) -> typst.Compiler:
    # Loading the font files dominates a compile; one compiler per font set keeps them loaded.
    return typst.Compiler(
        str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=list(paths), ignore_system_fonts=True
    )


_LOCK = threading.Lock()  # a typst.Compiler is not documented as thread-safe


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False
    )
    return buffer.getvalue().decode("ascii")


def _view(brief: Brief, fonts: FontSet) -> dict:
    """What the template draws: the brief's own text plus labels and layout hints."""
    known = {r.id for r in brief.references}
    sections = [
        {
            "label": section_label(i),
            "heading": s.heading,
            "paragraphs": [
                {
                    "text": p.text,
                    "citations": [{"id": c, "linked": c in known} for c in p.citations],
                }
                for p in s.paragraphs
            ],
        }
        for i, s in enumerate(brief.sections, start=1)
    ]
    contact = brief.contact
    return {
        "fonts": {"serif": fonts.serif, "sans": fonts.sans},
        "date_text": date_zh(brief.date),
        "masthead": brief.masthead.model_dump(),
        "problems": brief.publish_problems(),
        "summary": brief.summary_paragraphs,
        "sections": sections,
        "judgment": {
            "label": section_label(len(brief.sections) + 1),
            "title": brief.judgment.title,
            "paragraphs": brief.judgment.paragraphs,
        },
        "references": [
            {**r.model_dump(exclude_none=True), "date": r.date.isoformat()}
            for r in brief.references
        ],
        "contact": {
            "heading": contact.heading,
            "qr": [{"svg": _qr_svg(q.url), "caption": q.caption} for q in contact.qr_codes],
            "organisations": [o.model_dump() for o in contact.organisations],
            "website": contact.website,
            "disclaimer": contact.disclaimer,
        },
    }


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def __init__(self, font_dirs: tuple[Path, ...] | None = None):
        self.font_dirs = tuple(font_dirs) if font_dirs is not None else FONT_DIRS

    def render(self, brief: Brief) -> bytes:
        fonts = find_cjk_fonts(self.font_dirs)
        inputs = {"brief": json.dumps(_view(brief, fonts), ensure_ascii=False)}
        with _LOCK:
            try:
                pdf, warnings = _compiler(fonts.paths).compile_with_warnings(sys_inputs=inputs)
            except typst.TypstError as exc:
                raise RenderError(f"Typst 排版失败：{exc}") from None
        font_problems = [w for w in warnings if "font" in str(w).lower()]
        if font_problems:
            # An unknown font silently becomes empty boxes in print; refuse instead.
            raise RenderError(f"字体缺失，PDF 会出现方框：{font_problems[0]}。{INSTALL_HINT}")
        return pdf
