"""WordprocessingML pieces python-docx has no API for: fields, hyperlinks, bookmarks, CJK fonts.

The DOCX renderer (``zhibao.render.docx``) draws the brief with these; nothing here knows
about a ``Brief``. Every string goes in through python-docx's ``Run.text`` (escaped by lxml)
after ``xml_text`` has dropped the characters XML 1.0 cannot hold at all::

    p = document.add_paragraph()
    add_field(p, "PAGE", "1")
    add_hyperlink(p, "https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2")
"""

from __future__ import annotations

import re

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from zhibao.render.markdown import link_target

__all__ = [
    "add_bookmark",
    "add_field",
    "add_hyperlink",
    "begin_field",
    "end_field",
    "href",
    "set_border",
    "set_fonts",
    "set_shading",
    "xml_text",
]

# XML 1.0 refuses C0 controls other than tab/newline/CR, lone surrogates and U+FFFE/U+FFFF;
# lxml raises on them, so text copied from a web page must lose them before it reaches a run.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot contain."""
    return _NOT_XML.sub("", text)


def href(url: str) -> str:
    """A relationship target Word accepts: percent-encoded, with a scheme (``example.com`` → https)."""
    url = xml_text(url).strip()
    if not _SCHEME.match(url):
        url = "https://" + url.lstrip("/")
    return link_target(url)


def set_fonts(style: BaseStyle, *, latin: str, east_asia: str) -> None:
    """Latin and East-Asian typefaces on a style; theme fonts removed (they would win)."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs"):
        rfonts.set(qn(f"w:{attr}"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")  # ambiguous characters (“”、…) take the CJK face


def _run(paragraph: Paragraph, parent=None) -> Run:
    r = OxmlElement("w:r")
    (parent if parent is not None else paragraph._p).append(r)
    return Run(r, paragraph)


def _fld_char(paragraph: Paragraph, kind: str, parent=None) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    _run(paragraph, parent)._r.append(char)


def begin_field(paragraph: Paragraph, instruction: str, parent=None) -> None:
    """Open a complex field; the runs added next (until ``end_field``) are its shown result."""
    _fld_char(paragraph, "begin", parent)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run(paragraph, parent)._r.append(instr)
    _fld_char(paragraph, "separate", parent)


def end_field(paragraph: Paragraph, parent=None) -> None:
    _fld_char(paragraph, "end", parent)


def add_field(paragraph: Paragraph, instruction: str, result: str, parent=None) -> None:
    """A whole field, e.g. ``PAGE`` with the result ``1`` shown until Word recomputes it."""
    begin_field(paragraph, instruction, parent)
    if result:
        _run(paragraph, parent).text = result
    end_field(paragraph, parent)


def add_hyperlink(
    paragraph: Paragraph,
    text: str,
    url: str | None = None,
    *,
    anchor: str | None = None,
    style: str | None = "Hyperlink",
):
    """A link to ``url`` (external relationship) or to the bookmark ``anchor``; returns the element.

    The returned ``w:hyperlink`` can take more runs (``add_field(..., parent=link)``).
    """
    link = OxmlElement("w:hyperlink")
    if url is not None:
        rel_id = paragraph.part.relate_to(href(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rel_id)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    if text:
        run = _run(paragraph, link)
        run.text = xml_text(text)
        if style:
            run.style = style
    return link


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's current content in the bookmark ``name`` (a link or TOC target)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


# Children of w:pPr that follow w:shd (schema order: pBdr, shd, tabs…; Word rejects others).
_AFTER_SHD = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _insert_ppr_child(ppr, child, successors: tuple[str, ...]) -> None:
    existing = ppr.find(child.tag)
    if existing is not None:
        ppr.remove(existing)
    ppr.insert_element_before(child, *successors)


def set_border(ppr, *, sides: tuple[str, ...], color: str, size: int = 8, space: int = 4) -> None:
    """Single-line paragraph borders (``size`` in eighths of a point)."""
    border = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), color)
        border.append(edge)
    _insert_ppr_child(ppr, border, ("w:shd",) + _AFTER_SHD)


def set_shading(ppr, fill: str) -> None:
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), fill)
    _insert_ppr_child(ppr, shade, _AFTER_SHD)
