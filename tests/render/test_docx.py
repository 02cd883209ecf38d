"""DOCX renderer: the bytes are reopened with python-docx and inspected as Word would see them."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from zhibao.core.model import Brief
from zhibao.render import get_renderer
from zhibao.render.common import section_label
from zhibao.render.docx import DocxRenderer

HEADING = "Heading 1"
WARNING = "草稿，未经核验，不可发布"


def render(brief: Brief) -> bytes:
    return DocxRenderer().render(brief)


def reopen(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def all_text(document: Document) -> str:
    """Body paragraphs (hyperlink text included) plus table cells, one line each."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def expected_headings(brief: Brief) -> list[str]:
    n = len(brief.sections)
    return [
        "摘要",
        "目录",
        *(section_label(i) + s.heading for i, s in enumerate(brief.sections, start=1)),
        section_label(n + 1) + brief.judgment.title,
        "参考文献",
        brief.contact.heading,
    ]


def heading_texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == HEADING]


def instructions(element) -> list[str]:
    return [t.text.strip() for t in element.iter(qn("w:instrText"))]


def east_asia_font(document: Document, style_name: str) -> str | None:
    rfonts = document.styles[style_name].element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))


def test_renderer_is_registered_as_docx():
    renderer = get_renderer("docx")
    assert isinstance(renderer, DocxRenderer)
    assert (renderer.name, renderer.suffix) == ("docx", ".docx")


def test_sample_headings_use_heading_style_in_order(sample_brief):
    document = reopen(render(sample_brief))
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == sample_brief.masthead.title
    assert heading_texts(document) == expected_headings(sample_brief)
    # Heading 1 carries outline level 0, which is what Word's navigation pane lists.
    outline = document.styles[HEADING].element.pPr.find(qn("w:outlineLvl"))
    assert outline.get(qn("w:val")) == "0"


def test_east_asian_fonts_on_normal_and_heading(sample_brief):
    document = reopen(render(sample_brief))
    assert east_asia_font(document, "Normal") == "宋体"
    assert east_asia_font(document, HEADING) == "黑体"
    heading_fonts = document.styles[HEADING].element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override 黑体


def test_toc_field_with_cached_headings_and_update_on_open(sample_brief):
    document = reopen(render(sample_brief))
    body = document.element.body
    toc = [i for i in instructions(body) if i.startswith("TOC")]
    assert toc == ['TOC \\o "1-1" \\h \\z \\u']

    # Walk the field: begin … instr … separate … cached result … end.
    state, cached = "before", []
    for el in body.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if el.tag == qn("w:instrText") and el.text.strip().startswith("TOC"):
            state = "instr"
        elif el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if state == "instr" and kind == "separate":
                state = "result"
            elif state == "result" and kind == "end":
                state = "after"
        elif state == "result":
            cached.append(el.text)
    assert state == "after"
    listed = "".join(cached)
    for heading in expected_headings(sample_brief):
        if heading != "目录":  # the contents does not list itself
            assert heading in listed
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_footer_counts_pages_with_page_and_numpages(sample_brief):
    document = reopen(render(sample_brief))
    footer = document.sections[0].footer
    assert instructions(footer._element) == ["PAGE", "NUMPAGES"]
    text = "".join(t.text for t in footer._element.iter(qn("w:t")))
    assert text.startswith("第 ") and " 页 / 共 " in text and text.endswith(" 页")


def test_citations_are_superscript_links_to_reference_bookmarks(sample_brief):
    document = reopen(render(sample_brief))
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    cited = {i for s in sample_brief.sections for p in s.paragraphs for i in p.citations}
    links = [
        h for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"), "").startswith("ref_")
    ]
    assert {h.get(qn("w:anchor")) for h in links} == {f"ref_{i}" for i in cited}
    assert {f"ref_{i}" for i in cited} <= bookmarks
    citation_style = document.styles["Citation Mark"]
    assert citation_style.font.superscript is True
    for link in links:
        run = link.find(qn("w:r"))
        assert run.rPr.rStyle.val == citation_style.style_id
        assert run.find(qn("w:t")).text == f"[{link.get(qn('w:anchor'))[4:]}]"


def test_references_are_real_hyperlinks(brief_data):
    brief = Brief.model_validate(brief_data())
    document = reopen(render(brief))
    targets = {
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")
    }
    for ref in brief.references:
        assert ref.url in targets
        if ref.archived:
            assert ref.archived in targets
    assert brief.contact.website in targets
    text = all_text(document)
    assert "存档：" in text
    assert "[1]\t测试数据局，数据要素大赛启动，2026-05-23，用于核实大赛启动时间与新增赛道。" in text


def _png_images(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [
            package.read(n)
            for n in package.namelist()
            if n.startswith("word/media/") and n.endswith(".png")
        ]


def test_two_qr_codes_side_by_side_decode_to_contact_urls(sample_brief, tmp_path: Path):
    data = render(sample_brief)
    document = reopen(data)
    assert len(document.inline_shapes) == 2
    # Side by side: one table row, one QR per cell, its caption under it in the same cell.
    (table,) = document.tables
    assert len(table.rows) == 1
    for cell, qr in zip(table.rows[0].cells, sample_brief.contact.qr_codes, strict=True):
        assert len(cell._element.findall(".//" + qn("w:drawing"))) == 1
        assert cell.paragraphs[-1].text == qr.caption

    decoded = set()
    for k, png in enumerate(_png_images(data)):
        path = tmp_path / f"qr{k}.png"
        path.write_bytes(png)
        result = subprocess.run(
            ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, result.stderr
        decoded.add(result.stdout.strip())
    assert decoded == {qr.url for qr in sample_brief.contact.qr_codes}


def test_nasty_text_round_trips_literally(nasty_brief, nasty_text):
    document = reopen(render(nasty_brief))
    text = all_text(document)
    for expected in (
        f"摘要 {nasty_text} 结束",
        f"一、标题 {nasty_text} 结束",
        f"段落 {nasty_text} 结束",
        f"今日判断：{nasty_text}",
        f"文献 {nasty_text} 结束",
        "机构 $x$ *y*",
        f"说明 {nasty_text}",
        "https://example.org/a#b$c*d_e[f]g@h<script>i</p>j\\k",  # the URL as shown
    ):
        assert expected in text
    assert f"一、标题 {nasty_text} 结束" in heading_texts(document)


def test_xml_forbidden_control_characters_are_dropped(brief_data):
    data = brief_data()
    data["sections"][0]["heading"] = "标\x00题\x1f"
    data["sections"][0]["paragraphs"][0]["text"] = "前\x01\x08\x0b\x0c\x0e\ufffe后\t尾"
    data["references"][0]["title"] = "文\x1b献"
    data["contact"]["qr_codes"][0]["caption"] = "二维\x07码"
    document = reopen(render(Brief.model_validate(data)))
    text = all_text(document)
    assert "一、标题" in heading_texts(document)
    assert "前后\t尾" in text  # tab is legal XML and stays
    assert "文献" in text and "二维码" in text


def test_long_section_renders_whole(long_section_brief):
    long_text = long_section_brief.sections[0].paragraphs[0].text
    assert len(long_text) == 10_000
    document = reopen(render(long_section_brief))
    assert f"{long_text}[1]" in [p.text for p in document.paragraphs]  # text, then its citation


def test_twenty_sections_render_and_are_all_listed(many_sections_brief):
    assert len(many_sections_brief.sections) == 20
    document = reopen(render(many_sections_brief))
    headings = heading_texts(document)
    assert headings == expected_headings(many_sections_brief)
    assert headings[21] == "二十、第 20 条动态：测试标题20，测试影响20"
    assert headings[22].startswith("二十一、今日判断")
    contents = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert contents == [h for h in headings if h != "目录"]


def test_empty_references_show_the_draft_warning(no_references_brief):
    problems = no_references_brief.publish_problems()
    assert problems
    document = reopen(render(no_references_brief))
    texts = [p.text for p in document.paragraphs]
    warning_at = texts.index(WARNING)
    assert warning_at < texts.index("摘要")
    for problem in problems:
        assert f"· {problem}" in texts
    assert "（无参考文献）" in texts


def test_publishable_brief_has_no_draft_warning(make_brief):
    brief = make_brief()
    assert brief.publish_problems() == []
    assert WARNING not in all_text(reopen(render(brief)))


def test_draft_warning_is_a_red_bordered_shaded_box(no_references_brief):
    document = reopen(render(no_references_brief))
    box = [p for p in document.paragraphs if p.style.name == "Draft Warning"]
    assert box[0].text == WARNING and box[0].runs[0].bold
    style = document.styles["Draft Warning"]
    assert str(style.font.color.rgb) == "C00000"
    ppr = style.element.pPr
    edges = ppr.find(qn("w:pBdr"))
    assert {e.tag.split("}")[1] for e in edges} == {"top", "left", "bottom", "right"}
    assert ppr.find(qn("w:shd")).get(qn("w:fill")) == "FDECEA"


def test_page_is_a4_with_indented_body(make_brief):
    document = reopen(render(make_brief()))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    ind = document.styles["Body Text"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert document.styles["Normal"].font.size.pt == 12
    assert document.styles["Normal"].paragraph_format.line_spacing == 1.5


@pytest.mark.parametrize("contact", [{}, {"disclaimer": "仅供参考"}])
def test_brief_without_contact_block(make_brief, contact):
    document = reopen(render(make_brief(contact=contact)))
    assert "联系我们，请扫描二维码" not in heading_texts(document)
    assert not document.inline_shapes and not document.tables
    assert ("仅供参考" in all_text(document)) == bool(contact)


def test_text_and_link_helpers():
    from zhibao.render.docx_ooxml import href, xml_text

    assert xml_text("a\x00b\tc\nd\x0be\ud800f\uffff") == "ab\tc\ndef"
    # A bare host gets a scheme; non-ASCII and spaces are percent-encoded for the relationship.
    assert href("example.com/路径 a") == "https://example.com/%E8%B7%AF%E5%BE%84%20a"
    assert href("mailto:x@example.org") == "mailto:x@example.org"
