"""The PDF as a reader meets it: text per page (pdftotext), fonts (pdffonts), QR codes (zbarimg)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from zhibao.core.errors import RenderError
from zhibao.core.model import Brief
from zhibao.render.common import section_label
from zhibao.render.pdf import PdfRenderer


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    pages = []
    for n in range(1, count + 1):
        out = subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        # Typst joins the dot leaders to the page number with a word joiner (U+2060).
        pages.append(out.replace("\u2060", " "))
    return pages


def squash(text: str) -> str:
    """Text without layout: no spaces or line breaks (CJK lines wrap anywhere)."""
    return re.sub(r"\s+", "", text)


def contents_entries(pages: list[str]) -> list[tuple[str, int]]:
    """(entry text, page number) from the 目录 block of page 1, wrapped entries joined."""
    block = pages[0].split("目录", 1)[1]
    entries, pending = [], ""
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("新质") or "第 1 页" in line:
            continue
        match = re.match(r"^(.*?)[\s.]*\s(\d+)$", line)
        if match:
            entries.append((squash(pending + match.group(1)).rstrip("."), int(match.group(2))))
            pending = ""
        else:
            pending += line
    return entries


def page_of(heading: str, pages: list[str], after: int = 1) -> int:
    """1-based page where a heading (squashed) first appears, skipping the contents page."""
    for number, text in enumerate(pages, start=1):
        if number > after and squash(heading) in squash(text):
            return number
    raise AssertionError(f"heading not found: {heading}")


def assert_contents_match(brief, pages):
    entries = contents_entries(pages)
    headings = [section_label(i) + s.heading for i, s in enumerate(brief.sections, start=1)]
    headings.append(section_label(len(brief.sections) + 1) + brief.judgment.title)
    headings.append("参考文献")
    assert [squash(h) for h in headings] == [text for text, _ in entries]
    for (text, page), heading in zip(entries, headings, strict=True):
        assert page == page_of(heading, pages), f"{text} listed on page {page}"


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer()


def test_contents_page_numbers_are_real(renderer, sample_brief, tmp_path):
    pages = pages_text(renderer.render(sample_brief), tmp_path)
    assert_contents_match(sample_brief, pages)


def test_footer_counts_pages(renderer, sample_brief, tmp_path):
    pages = pages_text(renderer.render(sample_brief), tmp_path)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页/共{total}页" in squash(text)


def test_masthead_summary_references_and_disclaimer(renderer, sample_brief, tmp_path):
    pages = pages_text(renderer.render(sample_brief), tmp_path)
    first, everything = squash(pages[0]), squash("".join(pages))
    assert first.startswith(squash(sample_brief.masthead.title))
    assert squash(sample_brief.masthead.publisher) in first
    assert "2026年5月25日" in first
    assert squash(sample_brief.summary)[:60] in first
    for ref in sample_brief.references:
        assert squash(ref.url) in everything
        assert squash(ref.title) in everything
    assert squash(sample_brief.contact.disclaimer) in everything


def test_qr_codes_decode_to_the_configured_urls(renderer, make_brief, qr_urls, tmp_path):
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(renderer.render(make_brief()))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    decoded: set[str] = set()
    for png in sorted(tmp_path.glob("p-*.png")):
        result = subprocess.run(
            ["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True
        )
        decoded.update(line for line in result.stdout.splitlines() if line)
    assert decoded == set(qr_urls)


def test_cjk_font_is_embedded(renderer, sample_brief, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(renderer.render(sample_brief))
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)  # embedded


def test_untrusted_text_is_drawn_literally(renderer, nasty_brief, tmp_path):
    text = squash("".join(pages_text(renderer.render(nasty_brief), tmp_path)))
    for probe in ("标题#$*_[]@<script></p>\\", "段落#$*_[]@<script></p>\\", "机构$x$*y*"):
        assert probe in text
    assert squash("https://example.org/a#b$c*d_e[f]g@h<script>i</p>j\\k") in text


def test_long_section_and_twenty_sections(
    renderer, long_section_brief, many_sections_brief, tmp_path
):
    long_pages = pages_text(renderer.render(long_section_brief), tmp_path)
    assert len(long_pages) >= 4
    assert_contents_match(long_section_brief, long_pages)
    many_pages = pages_text(renderer.render(many_sections_brief), tmp_path)
    assert "二十、" in many_pages[0] and "二十一、今日判断" in "".join(many_pages)
    assert_contents_match(many_sections_brief, many_pages)


def test_empty_references_render_as_a_visible_draft(renderer, no_references_brief, tmp_path):
    pages = pages_text(renderer.render(no_references_brief), tmp_path)
    assert "草稿，未经核验，不可发布" in pages[0]
    assert "参考文献为空" in squash(pages[0])
    assert "（无参考文献）" in squash("".join(pages))


def test_consecutive_renders_follow_their_input(renderer, make_brief, tmp_path):
    # The compiler is cached between calls; make sure it never serves a stale document.
    one = pages_text(renderer.render(make_brief(summary="第一份摘要。")), tmp_path)
    two = pages_text(renderer.render(make_brief(summary="第二份摘要。")), tmp_path)
    assert "第一份摘要" in one[0] and "第二份摘要" in two[0]


def test_missing_cjk_font_is_an_error_with_the_install_command(sample_brief, tmp_path):
    with pytest.raises(RenderError, match="apt-get install fonts-noto-cjk"):
        PdfRenderer(font_dirs=(tmp_path,)).render(sample_brief)


def test_unknown_font_family_is_an_error_with_the_install_command(sample_brief):
    with pytest.raises(RenderError, match="No Such Serif.*apt-get install fonts-noto-cjk"):
        PdfRenderer(serif="No Such Serif").render(sample_brief)


def test_copied_urls_carry_no_invisible_characters(renderer, sample_brief, tmp_path):
    text = "".join(pages_text(renderer.render(sample_brief), tmp_path))
    assert "\u200b" not in text and "\u00ad" not in text
    assert sample_brief.references[0].url in text  # short enough to stay on one line


def test_typst_font_warning_is_an_error(monkeypatch, sample_brief):
    import zhibao.render.pdf as pdf_module

    real = pdf_module.find_cjk_fonts()
    fake = pdf_module.FontSet(serif="No Such Serif", sans="No Such Sans", paths=real.paths)
    monkeypatch.setattr(pdf_module, "find_cjk_fonts", lambda *args, **kwargs: fake)
    with pytest.raises(RenderError, match="字体缺失"):
        PdfRenderer().render(sample_brief)


def test_long_url_wraps_inside_the_margins(renderer, brief_data, tmp_path):
    data = brief_data()
    url = "https://example.org/" + "abcdefghij" * 30  # no separators to break at
    data["references"][0]["url"] = url
    path = tmp_path / "url.pdf"
    path.write_bytes(renderer.render(Brief.model_validate(data)))
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    margin = 2.5 / 2.54 * 72  # the template's 2.5 cm side margin, in points
    assert max(right_edges) <= page_width - margin + 1
    assert squash(url) in squash("".join(pages_text(path.read_bytes(), tmp_path)))
