"""The look of the DOCX brief: A4 page, Chinese typefaces and sizes, named styles, page footer.

Styles rather than direct formatting, so an editor who opens the file in Word changes one
style and the whole brief follows, and Word's navigation pane finds the Heading 1 paragraphs::

    document = docx.Document()
    prepare(document)
    document.add_paragraph("正文", style=BODY)
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle

from zhibao.render.docx_ooxml import add_field, set_border, set_fonts, set_shading

__all__ = [
    "BODY",
    "BYLINE",
    "CAPTION",
    "CITATION",
    "DISCLAIMER",
    "HEADING",
    "LINK",
    "REFERENCE",
    "TEXT_WIDTH",
    "TITLE",
    "TOC_ENTRY",
    "WARNING",
    "borderless",
    "prepare",
]

# Style names as python-docx knows them (built-in ones keep Word's names so Word maps them).
TITLE = "Title"
HEADING = "Heading 1"
BODY = "Body Text"
CAPTION = "Caption"
BYLINE = "Masthead Line"
WARNING = "Draft Warning"
TOC_ENTRY = "toc 1"
REFERENCE = "Reference Entry"
DISCLAIMER = "Disclaimer"
LINK = "Hyperlink"
CITATION = "Citation Mark"

SERIF, SONG = "Times New Roman", "宋体"  # body: Latin / East-Asian
SANS, HEI = "Arial", "黑体"  # headings
RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
LINK_BLUE = RGBColor(0x05, 0x63, 0xC1)

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4
MARGIN_TB, MARGIN_LR = Cm(2.54), Cm(3.18)  # Word's Chinese default margins
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_LR


def _indent_chars(
    style: BaseStyle, *, first_line: int = 0, hanging: int = 0, size: float = 12
) -> None:
    """Indents counted in characters (``firstLineChars``), with a twips fallback for old readers."""
    fmt = style.paragraph_format
    if first_line:
        fmt.first_line_indent = Pt(size * first_line)
    if hanging:
        fmt.left_indent = Pt(size * hanging)
        fmt.first_line_indent = Pt(-size * hanging)
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
    if hanging:
        ind.set(qn("w:leftChars"), str(hanging * 100))
        ind.set(qn("w:hangingChars"), str(hanging * 100))


def _paragraph_style(document: Document, name: str, base: str = "Normal") -> BaseStyle:
    styles = document.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _builtin(style: BaseStyle) -> None:
    # python-docx marks every added style custom; Word then keeps a duplicate of its own
    # "toc 1"/"Hyperlink" instead of using ours.
    style.element.attrib.pop(qn("w:customStyle"), None)


def _defaults(document: Document) -> None:
    # docDefaults use theme fonts with a Japanese East-Asian theme language; make them Chinese.
    rpr = (
        document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.attrib.clear()
    for attr, value in (("ascii", SERIF), ("hAnsi", SERIF), ("cs", SERIF), ("eastAsia", SONG)):
        rfonts.set(qn(f"w:{attr}"), value)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    # Word recomputes fields (TOC page numbers, NUMPAGES) when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.insert_element_before(
        update,
        "w:hdrShapeDefaults",
        "w:footnotePr",
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "sl:schemaLibrary",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    )


def _styles(document: Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    set_fonts(normal, latin=SERIF, east_asia=SONG)
    normal.font.size = Pt(12)  # 小四
    fmt = normal.paragraph_format
    fmt.line_spacing = 1.5
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True

    body = styles[BODY]
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.space_after = Pt(3)
    _indent_chars(body, first_line=2)

    heading = styles[HEADING]
    set_fonts(heading, latin=SANS, east_asia=HEI)
    heading.font.size = Pt(16)  # 三号
    heading.font.bold = True
    heading.font.color.rgb = BLACK
    fmt = heading.paragraph_format
    fmt.space_before, fmt.space_after = Pt(18), Pt(6)
    fmt.line_spacing = 1.25
    fmt.keep_with_next = True

    title = styles[TITLE]
    set_fonts(title, latin=SANS, east_asia=HEI)
    title.font.size = Pt(26)  # 一号
    title.font.bold = True
    title.font.color.rgb = RED
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    ppr = title.element.get_or_add_pPr()
    ppr.remove(ppr.find(qn("w:pBdr")))  # the template's blue rule; ours goes under the date

    byline = _paragraph_style(document, BYLINE)
    byline.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    byline.paragraph_format.line_spacing = 1.25

    warning = _paragraph_style(document, WARNING)
    warning.font.color.rgb = RED
    warning.font.size = Pt(10.5)  # 五号
    warning.paragraph_format.line_spacing = 1.25
    warning.paragraph_format.left_indent = warning.paragraph_format.right_indent = Pt(6)
    warning_ppr = warning.element.get_or_add_pPr()
    set_border(warning_ppr, sides=("top", "left", "bottom", "right"), color="C00000", size=12)
    set_shading(warning_ppr, "FDECEA")

    toc = _paragraph_style(document, TOC_ENTRY)
    # Word's own built-in name and id, so "Update field" keeps our look instead of its default.
    toc.element.name_val, toc.element.styleId = TOC_ENTRY, "TOC1"
    _builtin(toc)
    toc.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )

    reference = _paragraph_style(document, REFERENCE)
    reference.font.size = Pt(10.5)
    reference.paragraph_format.line_spacing = 1.25
    reference.paragraph_format.space_after = Pt(6)
    _indent_chars(reference, hanging=2, size=10.5)

    caption = styles[CAPTION]
    caption.font.bold = False
    caption.font.color.rgb = BLACK
    caption.font.size = Pt(10.5)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_after = Pt(9)

    disclaimer = _paragraph_style(document, DISCLAIMER)
    disclaimer.font.size = Pt(9)  # 小五
    disclaimer.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    disclaimer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    disclaimer.paragraph_format.space_before = Pt(12)

    footer = styles["Footer"]
    footer.font.size = Pt(9)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.line_spacing = 1.0

    link = styles.add_style(LINK, WD_STYLE_TYPE.CHARACTER)
    _builtin(link)
    link.font.color.rgb = LINK_BLUE
    link.font.underline = True
    citation = styles.add_style(CITATION, WD_STYLE_TYPE.CHARACTER)
    citation.font.superscript = True
    citation.font.color.rgb = LINK_BLUE


def _page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = section.bottom_margin = MARGIN_TB
    section.left_margin = section.right_margin = MARGIN_LR
    section.footer_distance = Cm(1.5)
    paragraph = section.footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.add_run("第 ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页 / 共 ")
    add_field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(" 页")


def prepare(document: Document) -> None:
    """Set up a fresh python-docx ``Document``: defaults, styles, A4 page and numbered footer."""
    _defaults(document)
    _styles(document)
    _page(document)


def borderless(table, *, column_width: int | None = None) -> None:
    """A layout table: centred, no borders (python-docx's default table style has none in
    Word, but LibreOffice falls back to its own, so say it explicitly).

    ``column_width`` (EMU) also goes into ``w:tblGrid``: LibreOffice sizes columns from the
    grid, not from the cells' ``w:tcW``, and would otherwise stretch them to the text width.
    """
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if column_width is not None:
        for column in table.columns:
            column.width = column_width
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )
