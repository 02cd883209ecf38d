"""PDF through Typst: the brief as a printed publication with real page numbers.

The template (``typst/brief.typ``) receives the brief as JSON through ``sys.inputs``; web text is
never pasted into Typst markup. Fonts come from Debian's ``fonts-noto-cjk``; a missing CJK font
is an error, never a page of empty boxes.

    >>> from zhibao.render.pdf import PdfRenderer
    >>> pdf = PdfRenderer().render(brief)          # doctest: +SKIP
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path

import typst

from zhibao.core.errors import RenderError
from zhibao.core.model import Brief
from zhibao.render.common import date_zh, qr_svg, section_label

__all__ = ["FontSet", "PdfRenderer", "find_cjk_fonts"]

TEMPLATE = Path(__file__).parent / "typst" / "brief.typ"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
EMOJI = "Noto Color Emoji"  # optional (Debian fonts-noto-color-emoji): emoji print instead of boxes
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
INSTALL_HINT = (
    "请安装中文字体：sudo apt-get install fonts-noto-cjk（或用 font_dirs 指向含 Noto CJK 的目录）"
)


@dataclass(frozen=True)
class FontSet:
    serif: str
    sans: str
    paths: tuple[str, ...]  # folders handed to Typst
    fallback: tuple[str, ...] = ()  # families tried after serif/sans (emoji)


def _fc_dirs(family: str) -> list[Path]:
    """Folders fontconfig knows for ``family`` (empty without fontconfig)."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", f":family={family}", "file"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0]).parent for line in out.splitlines() if line.strip()]


def _scan_dirs(roots: Iterable[Path]) -> list[Path]:
    """Folders under ``roots`` holding Noto CJK files (for systems without fontconfig)."""
    found = []
    for root in roots:
        if root.is_dir():
            found += [
                p.parent
                for p in root.rglob("Noto*CJK*")
                if p.suffix.lower() in {".ttc", ".otf", ".ttf"}
            ]
    return found


@cache
def _default_dirs(serif: str, sans: str) -> list[Path]:
    # Asked once per process: render_brief builds a new renderer for every call.
    return (_fc_dirs(serif) + _fc_dirs(sans) or _scan_dirs(FONT_DIRS)) + _fc_dirs(EMOJI)


@cache
def _fonts(paths: tuple[str, ...]) -> typst.Fonts:
    # Parsing the CJK collections costs ~0.15 s; one Fonts object serves every render.
    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=True, font_paths=list(paths)
    )


def find_cjk_fonts(
    font_dirs: Iterable[Path] | None = None, *, serif: str = SERIF, sans: str = SANS
) -> FontSet:
    """Folders that hold ``serif`` and ``sans``; RenderError (with the apt command) if either is missing.

    ``font_dirs`` given: use exactly those folders. Not given: ask fontconfig, then scan the
    usual font folders for Noto CJK files.

        >>> find_cjk_fonts().serif            # doctest: +SKIP
        'Noto Serif CJK SC'
    """
    dirs = [Path(d) for d in font_dirs] if font_dirs is not None else _default_dirs(serif, sans)
    paths = tuple(sorted({str(d) for d in dirs if d.is_dir()}))
    families = set(_fonts(paths).families()) if paths else set()
    missing = [f for f in dict.fromkeys((serif, sans)) if f not in families]
    if missing:
        where = "、".join(paths) or "、".join(str(d) for d in (dirs or FONT_DIRS))
        raise RenderError(
            f"没有找到中文字体 {'、'.join(missing)}（查找了 {where}），"
            f"PDF 会变成方框，已停止 (missing CJK font)。{INSTALL_HINT}"
        )
    fallback = (EMOJI,) if EMOJI in families else ()
    return FontSet(serif=serif, sans=sans, paths=paths, fallback=fallback)


@cache
def _compiler(paths: tuple[str, ...]) -> typst.Compiler:
    # One compiler per font set: fonts stay loaded and Typst memoises layout between renders.
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=_fonts(paths))


_LOCK = threading.Lock()  # a typst.Compiler is not documented as thread-safe


def _qr_svg(url: str) -> str:
    # Typst's SVG reader needs the namespace that an inline (HTML) <svg> may omit.
    svg = qr_svg(url)
    if "xmlns=" not in svg:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return svg


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
        "fonts": {"serif": fonts.serif, "sans": fonts.sans, "fallback": list(fonts.fallback)},
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
    """Brief → A4 PDF bytes.

    >>> pdf = PdfRenderer().render(brief)                       # doctest: +SKIP
    >>> PdfRenderer(font_dirs=["/opt/fonts"], serif="Source Han Serif SC")  # doctest: +SKIP
    """

    name = "pdf"
    suffix = ".pdf"

    def __init__(
        self,
        font_dirs: Iterable[str | Path] | None = None,
        *,
        serif: str = SERIF,
        sans: str = SANS,
    ) -> None:
        self.font_dirs = tuple(Path(d) for d in font_dirs) if font_dirs is not None else None
        self.serif = serif
        self.sans = sans
        self._fontset: FontSet | None = None

    @property
    def fonts(self) -> FontSet:
        if self._fontset is None:  # found once per renderer, not on every render
            self._fontset = find_cjk_fonts(self.font_dirs, serif=self.serif, sans=self.sans)
        return self._fontset

    def render(self, brief: Brief) -> bytes:
        fonts = self.fonts
        inputs = {"brief": json.dumps(_view(brief, fonts), ensure_ascii=False)}
        with _LOCK:
            try:
                pdf, warnings = _compiler(fonts.paths).compile_with_warnings(
                    sys_inputs=inputs, timestamp=_timestamp(brief)
                )
            except typst.TypstError as exc:
                raise RenderError(f"Typst 排版失败：{exc}") from None
        font_problems = [w for w in warnings if "font" in str(w).lower()]
        if font_problems:
            # An unknown font silently becomes empty boxes in print; refuse instead.
            raise RenderError(f"字体缺失，PDF 会出现方框：{font_problems[0]}。{INSTALL_HINT}")
        return pdf


def _timestamp(brief: Brief) -> datetime:
    # The PDF's creation date is the brief's date, so the same brief gives the same bytes.
    return datetime.combine(brief.date, time(8, 0), tzinfo=UTC)
