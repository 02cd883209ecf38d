"""DOCX (Word): the brief as an editable document, for editors who finish the issue in Word/WPS.

Real styles (Title, Heading 1, Body Text…) carry the look, so the navigation pane lists the
sections; the contents is a live ``TOC`` field whose stored result already lists the headings;
the footer counts ``第 X 页 / 共 Y 页`` with ``PAGE``/``NUMPAGES`` fields::

    from zhibao.render.docx import DocxRenderer
    Path("brief.docx").write_bytes(DocxRenderer().render(brief))
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from zhibao.core.model import Brief, Paragraph
from zhibao.render.common import date_zh, qr_png, section_label
from zhibao.render.docx_ooxml import (
    add_bookmark,
    add_hyperlink,
    begin_field,
    end_field,
    set_border,
    xml_text,
)
from zhibao.render.docx_styles import (
    BODY,
    BYLINE,
    CAPTION,
    CITATION,
    DISCLAIMER,
    HEADING,
    REFERENCE,
    TEXT_WIDTH,
    TITLE,
    TOC_ENTRY,
    WARNING,
    borderless,
    prepare,
)

__all__ = ["DocxRenderer"]

QR_WIDTH = Cm(3.6)  # scans from paper and from a phone screen


@dataclass(frozen=True)
class _Heading:
    text: str
    bookmark: str
    in_contents: bool = True


def _ref_bookmark(ref_id: int) -> str:
    return f"ref_{ref_id}"


class _Drawing:
    """One rendering in progress: the python-docx document plus bookmark bookkeeping."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.document: Document = docx.Document()
        prepare(self.document)
        self._bookmark_id = 0
        self.headings = self._plan_headings()

    def _plan_headings(self) -> dict[str, _Heading]:
        # Every Heading 1 of the brief, known up front so the contents can list what follows it.
        brief = self.brief
        n = len(brief.sections)
        texts = {"summary": "摘要", "contents": "目录"}
        texts |= {f"s{i}": section_label(i) + s.heading for i, s in enumerate(brief.sections, 1)}
        texts["judgment"] = section_label(n + 1) + brief.judgment.title
        texts["references"] = "参考文献"
        if self._has_contact_block():
            texts["contact"] = brief.contact.heading
        return {
            key: _Heading(xml_text(text), f"_TocZhibao{k:03d}", in_contents=key != "contents")
            for k, (key, text) in enumerate(texts.items(), start=1)
        }

    def _has_contact_block(self) -> bool:
        contact = self.brief.contact
        return bool(contact.qr_codes or contact.organisations or contact.website)

    # -- small drawing steps ---------------------------------------------------------

    def paragraph(self, text: str = "", style: str = BODY) -> DocxParagraph:
        return self.document.add_paragraph(xml_text(text), style=style)

    def bookmark(self, paragraph: DocxParagraph, name: str) -> None:
        self._bookmark_id += 1
        add_bookmark(paragraph, name, self._bookmark_id)

    def heading(self, key: str) -> DocxParagraph:
        heading = self.headings[key]
        paragraph = self.document.add_paragraph(heading.text, style=HEADING)
        if not heading.in_contents:
            # "目录" stays a Heading 1 but must not list itself when Word rebuilds the contents.
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), "9")
            paragraph._p.get_or_add_pPr().insert_element_before(
                outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"
            )
        self.bookmark(paragraph, heading.bookmark)
        return paragraph

    def body(self, paragraph: Paragraph) -> None:
        p = self.paragraph(paragraph.text)
        known = {r.id for r in self.brief.references}
        for ref_id in paragraph.citations:
            # A marker for a missing reference stays plain text (the draft box names the problem).
            if ref_id in known:
                add_hyperlink(p, f"[{ref_id}]", anchor=_ref_bookmark(ref_id), style=CITATION)
            else:
                p.add_run(f"[{ref_id}]").font.superscript = True

    # -- the brief, top to bottom -----------------------------------------------------

    def masthead(self) -> None:
        head = self.brief.masthead
        self.paragraph(head.title, TITLE)
        for line in (head.publisher, head.producer):
            if line:
                self.paragraph(line, BYLINE)
        date_line = self.paragraph(date_zh(self.brief.date), BYLINE)
        date_line.paragraph_format.space_after = Cm(0.3)
        set_border(
            date_line._p.get_or_add_pPr(), sides=("bottom",), color="C00000", size=18, space=6
        )

    def draft_warning(self) -> None:
        problems = self.brief.publish_problems()
        if not problems:
            return
        self.paragraph("草稿，未经核验，不可发布", WARNING).runs[0].bold = True
        for problem in problems:
            self.paragraph(f"· {problem}", WARNING)

    def summary(self) -> None:
        self.heading("summary")
        for text in self.brief.summary_paragraphs:
            self.paragraph(text)

    def contents(self) -> None:
        self.heading("contents")
        entries = [h for h in self.headings.values() if h.in_contents]
        for index, entry in enumerate(entries):
            p = self.document.add_paragraph(style=TOC_ENTRY)
            if index == 0:
                begin_field(p, r'TOC \o "1-1" \h \z \u')
            # Page numbers need a layout engine: Word rebuilds the entries with tab leaders and
            # PAGEREFs on open (updateFields); until then the stored result is the headings alone,
            # not dot leaders running to nothing (what LibreOffice and WPS would show).
            add_hyperlink(p, entry.text, anchor=entry.bookmark, style=None)
            if index == len(entries) - 1:
                end_field(p)

    def sections(self) -> None:
        for i, section in enumerate(self.brief.sections, start=1):
            self.heading(f"s{i}")
            for paragraph in section.paragraphs:
                self.body(paragraph)
        self.heading("judgment")
        for text in self.brief.judgment.paragraphs:
            self.paragraph(text)

    def references(self) -> None:
        self.heading("references")
        if not self.brief.references:
            self.paragraph("（无参考文献）", REFERENCE)
        for ref in self.brief.references:
            p = self.paragraph(f"[{ref.id}]\t{ref.org}，", REFERENCE)
            p.add_run(xml_text(ref.title)).bold = True
            tail = f"，{ref.date.isoformat()}" + (f"，{ref.purpose}" if ref.purpose else "") + "。"
            p.add_run(xml_text(tail)).add_break()
            add_hyperlink(p, ref.url, ref.url)
            if ref.archived:
                p.add_run().add_break()
                p.add_run("存档：")
                add_hyperlink(p, ref.archived, ref.archived)
            self.bookmark(p, _ref_bookmark(ref.id))

    def contact(self) -> None:
        contact = self.brief.contact
        if self._has_contact_block():
            self.heading("contact")
        if contact.qr_codes:
            table = self.document.add_table(rows=1, cols=len(contact.qr_codes))
            width = min(Cm(6.5), TEXT_WIDTH // len(contact.qr_codes))
            borderless(table, column_width=width)
            for cell, qr in zip(table.rows[0].cells, contact.qr_codes, strict=True):
                cell.width = width
                picture = cell.paragraphs[0]
                picture.style = self.document.styles[CAPTION]
                picture.add_run().add_picture(io.BytesIO(qr_png(xml_text(qr.url))), width=QR_WIDTH)
                caption = cell.add_paragraph(xml_text(qr.caption), style=CAPTION)
                caption.paragraph_format.space_after = Pt(9)  # air before the organisations
        for org in contact.organisations:
            p = self.paragraph("")
            p.add_run(xml_text(org.name)).bold = True
            p.add_run(xml_text(f"：{org.description}"))
        if contact.website:
            p = self.paragraph("网站地址：")
            add_hyperlink(p, contact.website, contact.website)
        if contact.disclaimer:
            self.paragraph(contact.disclaimer, DISCLAIMER)

    def draw(self) -> bytes:
        self.masthead()
        self.draft_warning()
        self.summary()
        self.contents()
        self.sections()
        self.references()
        self.contact()
        props = self.document.core_properties
        props.title = xml_text(f"{self.brief.masthead.title}（{date_zh(self.brief.date)}）")
        props.author = xml_text(self.brief.masthead.publisher or self.brief.masthead.title)
        props.language = "zh-CN"
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


class DocxRenderer:
    """``Brief`` → ``.docx`` bytes (python-docx), e.g. ``DocxRenderer().render(brief)``."""

    name = "docx"
    suffix = ".docx"

    def render(self, brief: Brief) -> bytes:
        return _Drawing(brief).draw()
