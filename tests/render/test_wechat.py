"""The WeChat edition parsed back: only what the 公众号 editor keeps, QR codes that scan."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from zhibao.core.model import Brief
from zhibao.render import get_renderer
from zhibao.render.common import date_zh, section_label
from zhibao.render.wechat import END_MARK, START_MARK, WechatRenderer, render_wechat_fragment

HOSTILE = "# $ * _ [ ] @ <script>alert(1)</script> </p> onerror= \\ 😀"
# Tags the editor keeps; anything else is dropped on paste.
KEPT_TAGS = {"section", "p", "span", "strong", "em", "br", "img", "a"} | {"h1", "h2", "h3"}
KEPT_TAGS |= {"ol", "ul", "li"}
PNG_DATA_URI = "data:image/png;base64,"


def document(brief: Brief) -> str:
    return WechatRenderer().render(brief).decode("utf-8")


def fragment(brief: Brief) -> BeautifulSoup:
    return BeautifulSoup(render_wechat_fragment(brief), "html.parser")


def styles(tag) -> dict[str, str]:
    pairs = (d.split(":", 1) for d in tag.get("style", "").split(";") if ":" in d)
    return {k.strip(): v.strip() for k, v in pairs}


def test_fragment_is_delimited_and_one_root_section(sample_brief: Brief) -> None:
    page = document(sample_brief)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count(START_MARK) == 1 and page.count(END_MARK) == 1
    assert page.index(START_MARK) < page.index(END_MARK)
    soup = fragment(sample_brief)
    roots = [c for c in soup.contents if getattr(c, "name", None)]
    assert [r.name for r in roots] == ["section"]
    assert not [c for c in soup.contents if isinstance(c, str) and c.strip()]
    root = styles(roots[0])
    assert root["font-size"] == "16px" and root["line-height"] == "1.75"
    assert root["letter-spacing"] == "0.5px"
    assert render_wechat_fragment(sample_brief) in page


def test_only_inline_styles_and_kept_tags(sample_brief: Brief) -> None:
    page = document(sample_brief)
    whole = BeautifulSoup(page, "lxml")
    assert whole.find_all(["style", "script", "link", "iframe", "object", "svg"]) == []
    assert whole.find_all(class_=True) == [] and whole.find_all(id=True) == []
    assert whole.find("meta", attrs={"name": "generator"})["content"] == "zhibao"
    soup = fragment(sample_brief)
    used = {t.name for t in soup.find_all(True)}
    assert used <= KEPT_TAGS, used - KEPT_TAGS
    # The editor drops links to anything but WeChat articles: none are used, URLs are text.
    assert soup.find_all("a") == []
    for tag in whole.find_all(src=True):
        assert tag.name == "img" and tag["src"].startswith(PNG_DATA_URI)
    assert whole.find_all(href=True) == []
    for tag in soup.find_all(["p", "h1", "h2"]):
        assert re.fullmatch(r"\d+px", styles(tag)["font-size"]), tag


def test_masthead_summary_contents_sections_judgment(sample_brief: Brief) -> None:
    soup = fragment(sample_brief)
    head = sample_brief.masthead
    assert soup.h1.get_text() == head.title
    lines = [p.get_text() for p in soup.h1.find_next_siblings("p")]
    assert lines == [head.publisher, head.producer, date_zh(sample_brief.date)]
    titles = [h.get_text() for h in soup.find_all("h2")]
    n = len(sample_brief.sections)
    numbered = [section_label(i) + s.heading for i, s in enumerate(sample_brief.sections, 1)]
    numbered.append(section_label(n + 1) + sample_brief.judgment.title)
    assert titles == ["摘要", "目录", *numbered, "参考文献", sample_brief.contact.heading]
    summary = soup.find("h2", string="摘要").find_next_siblings("p")
    assert [p.get_text() for p in summary] == sample_brief.summary_paragraphs
    contents = soup.find("h2", string="目录").find_next_sibling("section").find_all("p")
    assert [p.get_text() for p in contents] == [*numbered, "参考文献"]
    # Section headings carry the accent bar.
    for h2 in soup.find_all("h2"):
        assert styles(h2)["border-left"].startswith("4px solid")


def test_paragraphs_carry_their_citation_marks(sample_brief: Brief) -> None:
    soup = fragment(sample_brief)
    for i, section in enumerate(sample_brief.sections, 1):
        h2 = next(h for h in soup.find_all("h2") if h.get_text().startswith(section_label(i)))
        paragraphs = []
        for sibling in h2.find_next_siblings():
            if sibling.name != "p":
                break
            paragraphs.append(sibling)
        assert len(paragraphs) == len(section.paragraphs)
        for p, source in zip(paragraphs, section.paragraphs, strict=True):
            marks = [s.get_text() for s in p.find_all("span") if "super" in s.get("style", "")]
            assert marks == [f"[{c}]" for c in source.citations]
            assert p.get_text() == source.text + "".join(marks)
            assert styles(p)["line-height"] == "1.75"


def test_references_show_urls_as_text(make_brief) -> None:
    brief = make_brief()
    soup = fragment(brief)
    heading = soup.find("h2", string="参考文献")
    entries = heading.find_next_siblings("p", limit=2)
    first, second = brief.references
    assert entries[0].get_text() == (
        f"[1] {first.org}，{first.title}，2026-05-23，{first.purpose}。{first.url}"
    )
    assert entries[0].strong.get_text() == first.title
    assert entries[1].get_text().endswith(f"{second.url}存档：{second.archived}")
    url_span = entries[0].find_all("span")[-1]
    assert url_span.get_text() == first.url and styles(url_span)["word-break"] == "break-all"


def test_qr_codes_are_png_data_uris_that_scan(make_brief, qr_urls, tmp_path: Path) -> None:
    brief = make_brief()
    soup = fragment(brief)
    images = soup.find_all("img")
    assert len(images) == 2
    decoded = []
    for n, img in enumerate(images):
        assert img["src"].startswith(PNG_DATA_URI)
        path = tmp_path / f"qr{n}.png"
        path.write_bytes(base64.b64decode(img["src"][len(PNG_DATA_URI) :], validate=True))
        out = subprocess.run(
            ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=True
        )
        decoded.append(out.stdout.strip())
        caption = img.find_next_sibling("p").get_text()
        assert caption == brief.contact.qr_codes[n].caption
    assert decoded == list(qr_urls)


def test_contact_block(make_brief) -> None:
    brief = make_brief()
    text = fragment(brief).get_text()
    for org in brief.contact.organisations:
        assert f"{org.name}：{org.description}" in text
    assert "网站地址：https://example.com" in text
    assert text.rstrip().endswith(brief.contact.disclaimer)


def test_hostile_text_stays_literal_text(brief_data) -> None:
    data = brief_data()
    data["masthead"]["title"] = f"刊名 {HOSTILE}"
    data["summary"] = f"摘要 {HOSTILE}"
    data["sections"][0]["heading"] = f"标题 {HOSTILE}"
    data["sections"][0]["paragraphs"][0]["text"] = f"段落 {HOSTILE}"
    data["references"][0]["title"] = f"文献 {HOSTILE}"
    data["references"][0]["url"] = 'https://example.org/?q="><img src=x onerror=alert(1)>'
    data["contact"]["qr_codes"][0]["caption"] = f"二维码 {HOSTILE}"
    page = document(Brief.model_validate(data))
    whole = BeautifulSoup(page, "lxml")
    assert whole.find_all("script") == [] and "<script" not in page.lower()
    for tag in whole.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
    assert all(img["src"].startswith(PNG_DATA_URI) for img in whole.find_all("img"))
    soup = fragment(Brief.model_validate(data))
    assert soup.h1.get_text() == f"刊名 {HOSTILE}"
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert f"一、标题 {HOSTILE}" in headings
    text = soup.get_text()
    for expected in (
        f"摘要 {HOSTILE}",
        f"段落 {HOSTILE}[1]",
        f"文献 {HOSTILE}",
        data["references"][0]["url"],
    ):
        assert expected in text
    assert soup.find("img")["alt"] == f"二维码 {HOSTILE}"


def test_conftest_nasty_brief_is_inert(nasty_brief: Brief, nasty_text: str) -> None:
    page = document(nasty_brief)
    assert "<script" not in page.lower()
    assert nasty_text in BeautifulSoup(page, "lxml").get_text()


def test_long_section_and_twenty_sections(
    long_section_brief: Brief, many_sections_brief: Brief
) -> None:
    long_text = long_section_brief.sections[0].paragraphs[0].text
    assert long_text + "[1]" in [p.get_text() for p in fragment(long_section_brief).find_all("p")]
    titles = [h.get_text() for h in fragment(many_sections_brief).find_all("h2")]
    assert titles[2].startswith("一、") and titles[21].startswith("二十、")
    assert titles[22] == "二十一、" + many_sections_brief.judgment.title


def test_no_references_shows_the_draft_warning(no_references_brief: Brief) -> None:
    soup = fragment(no_references_brief)
    text = soup.get_text()
    assert "草稿，未经核验，不可发布" in text
    for problem in no_references_brief.publish_problems():
        assert problem in text
    assert "（无参考文献）" in text
    # The warning sits between the masthead and the summary.
    assert text.index("草稿，未经核验") < text.index("摘要")


def test_registry(make_brief) -> None:
    renderer = get_renderer("wechat")
    assert (renderer.name, renderer.suffix) == ("wechat", ".wechat.html")
    assert renderer.render(make_brief()).decode("utf-8").count("<img") == 2
