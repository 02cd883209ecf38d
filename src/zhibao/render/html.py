"""HTML: one self-contained HTML5 file that reads well on a phone and prints on A4.

Everything is inline (styles, QR codes as ``<svg>``), so the file can be mailed, archived or
opened offline, and a Content-Security-Policy meta forbids scripts and remote loads even if
some untrusted text slipped through. All text goes through Jinja2 autoescaping::

    from zhibao import load_brief
    from zhibao.render.html import HtmlRenderer, render_html
    data = HtmlRenderer().render(load_brief("brief-2026-05-25.json"))  # UTF-8 bytes
    page = render_html(brief)  # the same document as ``str`` (web desk preview, iframe srcdoc)
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from zhibao.core.model import Brief, Paragraph
from zhibao.render.common import date_zh, qr_png, qr_svg, section_label

__all__ = [
    "HtmlRenderer",
    "brief_context",
    "environment",
    "render_fragment",
    "render_html",
    "stylesheet",
]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def safe_href(url: str) -> str | None:
    """``url`` if a browser may follow it (http/https), else None: a ``javascript:`` or
    ``data:`` URL taken from a web page must never become a clickable link."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:  # e.g. an unbalanced "[" in the host part
        return None
    return url.strip() if scheme in ("http", "https") else None


def with_breaks(text: str) -> Markup:
    """Escape ``text`` and keep its single newlines as ``<br>`` (blank lines split paragraphs
    before this point)."""
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


@cache
def environment() -> Environment:
    """The Jinja2 environment both HTML renderers share (autoescape on for every template)."""
    env = Environment(
        loader=PackageLoader("zhibao.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_href"] = safe_href
    env.filters["br"] = with_breaks
    return env


@dataclass(frozen=True)
class Citation:
    id: int
    resolves: bool  # False in a draft citing a reference that does not exist: no dead link


def _citations(brief: Brief, paragraph: Paragraph) -> list[Citation]:
    known = {r.id for r in brief.references}
    return [Citation(i, i in known) for i in paragraph.citations]


def brief_context(brief: Brief, *, qr: str = "svg") -> dict[str, Any]:
    """What the templates draw, precomputed: numbered headings, dates, citations, QR images.

    ``qr="svg"`` gives inline ``<svg>`` markup, ``qr="png"`` gives PNG bytes (the WeChat editor
    drops SVG). Nothing here is new content; it is the brief arranged for drawing.
    """
    sections = [
        {
            "number": i,
            "label": section_label(i),
            "heading": section.heading,
            "paragraphs": [
                {"text": p.text, "kind": p.kind, "citations": _citations(brief, p)}
                for p in section.paragraphs
            ],
        }
        for i, section in enumerate(brief.sections, start=1)
    ]
    judgment_number = len(brief.sections) + 1
    qr_codes = []
    for code in brief.contact.qr_codes:
        image: Any = Markup(qr_svg(code.url)) if qr == "svg" else _png(code.url)
        qr_codes.append({"url": code.url, "caption": code.caption, "image": image})
    contact = brief.contact
    return {
        "brief": brief,
        "masthead": brief.masthead,
        "date": date_zh(brief.date),
        "problems": brief.publish_problems(),
        "summary": brief.summary_paragraphs,
        "sections": sections,
        "judgment": {
            "number": judgment_number,
            "label": section_label(judgment_number),
            "title": brief.judgment.title,
            "paragraphs": brief.judgment.paragraphs,
        },
        "references": brief.references,
        "contact": contact,
        "qr_codes": qr_codes,
        "has_contact": bool(contact.qr_codes or contact.organisations or contact.website),
        "csp": CSP,
    }


def _png(url: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


def stylesheet() -> str:
    """The CSS of the HTML edition; every rule is scoped under ``.zb-brief``."""
    return environment().get_template("brief.css").render()


def render_fragment(brief: Brief) -> str:
    """The ``<article class="zb-brief">…</article>`` body alone, for embedding next to
    :func:`stylesheet` (the web desk's preview draws exactly what the file shows)."""
    return environment().get_template("brief_body.html.j2").render(brief_context(brief))


def render_html(brief: Brief) -> str:
    """The complete, self-contained HTML5 document as text."""
    context = brief_context(brief)
    context["stylesheet"] = Markup(stylesheet())  # our own file, not user text
    return environment().get_template("brief.html.j2").render(context)


class HtmlRenderer:
    name = "html"
    suffix = ".html"

    def render(self, brief: Brief) -> bytes:
        return render_html(brief).encode("utf-8")
