"""The HTML edition parsed back: structure, working anchors, inline QR codes, inert hostile text."""

from __future__ import annotations

from bs4 import BeautifulSoup

from zhibao.core.model import Brief
from zhibao.render import get_renderer, render_brief
from zhibao.render.common import date_zh, qr_svg, section_label
from zhibao.render.html import CSP, HtmlRenderer, render_fragment, render_html

# The brief's full probe: markup, markdown, TeX and an event-handler lookalike.
HOSTILE = "# $ * _ [ ] @ <script>alert(1)</script> </p> onerror= \\ 😀"


def parse(brief: Brief) -> BeautifulSoup:
    return BeautifulSoup(HtmlRenderer().render(brief).decode("utf-8"), "lxml")


def headings(soup: BeautifulSoup) -> list[str]:
    return [h.get_text() for h in soup.select("section.item > h2")]


def assert_inert(html: str, soup: BeautifulSoup) -> None:
    assert soup.find_all("script") == []
    assert "<script" not in html.lower()
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert handlers == [], f"<{tag.name}> carries {handlers}"


def test_document_is_self_contained_html5(sample_brief: Brief) -> None:
    html = render_html(sample_brief)
    soup = BeautifulSoup(html, "lxml")
    assert html.startswith("<!DOCTYPE html>")
    assert soup.html["lang"] == "zh-CN"
    assert soup.find("meta", attrs={"name": "generator"})["content"] == "zhibao"
    assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] == CSP
    assert "width=device-width" in soup.find("meta", attrs={"name": "viewport"})["content"]
    style = soup.find("style").get_text()
    assert '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif' in style
    assert "@media print" in style and "overflow-wrap: anywhere" in style
    # Nothing is fetched: no external stylesheet, script, image, font or CSS import.
    assert soup.find_all(["link", "script", "img", "iframe", "object"]) == []
    assert "@import" not in style and "url(" not in style
    assert [t for t in soup.find_all(src=True)] == []


def test_masthead_and_summary(sample_brief: Brief) -> None:
    soup = parse(sample_brief)
    head = sample_brief.masthead
    masthead = soup.select_one("header.masthead")
    assert masthead.h1.get_text() == head.title
    lines = [p.get_text() for p in masthead.find_all("p")]
    assert lines == [head.publisher, head.producer, date_zh(sample_brief.date)]
    assert soup.title.get_text() == f"{head.title} · 2026 年 5 月 25 日"
    summary = soup.select_one("section.summary")
    assert summary.h2.get_text() == "摘要"
    assert [p.get_text() for p in summary.find_all("p")] == sample_brief.summary_paragraphs
    # A publishable brief carries no draft warning.
    assert sample_brief.publish_problems() == []
    assert soup.select(".draft-warning") == []


def test_contents_lists_every_heading_and_every_anchor_resolves(sample_brief: Brief) -> None:
    soup = parse(sample_brief)
    n = len(sample_brief.sections)
    entries = soup.select("nav.contents li a")
    expected = [section_label(i) + s.heading for i, s in enumerate(sample_brief.sections, 1)]
    expected += [section_label(n + 1) + sample_brief.judgment.title, "参考文献"]
    assert [a.get_text() for a in entries][: n + 2] == expected
    for link in soup.select('a[href^="#"]'):
        target = link["href"][1:]
        assert soup.find(id=target) is not None, f"dangling anchor #{target}"
    assert [a["href"] for a in entries][: n + 1] == [f"#s{i}" for i in range(1, n + 2)]


def test_sections_in_order_judgment_last(sample_brief: Brief) -> None:
    soup = parse(sample_brief)
    n = len(sample_brief.sections)
    expected = [section_label(i) + s.heading for i, s in enumerate(sample_brief.sections, 1)]
    assert headings(soup) == expected + [section_label(n + 1) + sample_brief.judgment.title]
    for i, section in enumerate(sample_brief.sections, 1):
        paragraphs = soup.select(f"section#s{i} > p")
        assert len(paragraphs) == len(section.paragraphs)
        for p, source in zip(paragraphs, section.paragraphs, strict=True):
            marks = "".join(f"[{c}]" for c in source.citations)
            assert p.get_text() == source.text + marks
            assert p["class"] == [source.kind]
    judgment = soup.select_one(f"section#s{n + 1}.judgment")
    assert [p.get_text() for p in judgment.find_all("p")] == sample_brief.judgment.paragraphs


def test_citations_link_to_their_reference(sample_brief: Brief) -> None:
    soup = parse(sample_brief)
    links = soup.select("sup.cite a")
    cited = [c for s in sample_brief.sections for p in s.paragraphs for c in p.citations]
    assert len(links) == len(cited)
    for link, ref_id in zip(links, cited, strict=True):
        assert link["href"] == f"#ref-{ref_id}"
        entry = soup.find(id=f"ref-{ref_id}")
        assert entry.name == "li"
        assert sample_brief.reference(ref_id).title in entry.get_text()


def test_reference_entries(make_brief) -> None:
    brief = make_brief()
    soup = parse(brief)
    items = soup.select("section.references li")
    assert [li["id"] for li in items] == ["ref-1", "ref-2"]
    first, second = (r for r in brief.references)
    text = items[0].select_one(".ref-text").get_text()
    assert text == f"{first.org}，{first.title}，2026-05-23，{first.purpose}。"
    assert items[0].select_one(".ref-text strong").get_text() == first.title
    url_link = items[0].select_one(".url a")
    assert url_link["href"] == first.url and url_link.get_text() == first.url
    archived = items[1].select_one(".archived a")
    assert archived.get_text() == "存档" and archived["href"] == second.archived
    assert items[0].select(".archived") == []


def test_untrusted_url_never_becomes_a_link(brief_data) -> None:
    data = brief_data()
    data["references"][0]["url"] = "javascript:alert(1)"
    data["contact"]["website"] = "data:text/html,<b>x</b>"
    html = render_html(Brief.model_validate(data))
    soup = BeautifulSoup(html, "lxml")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert not [h for h in hrefs if not h.startswith(("#", "http://", "https://"))]
    assert "javascript:alert(1)" in soup.select_one("#ref-1 .url").get_text()
    assert "data:text/html,<b>x</b>" in soup.select_one(".website").get_text()


def test_qr_codes_are_inline_svg_of_the_configured_urls(make_brief, qr_urls) -> None:
    brief = make_brief()
    html = render_html(brief)
    soup = BeautifulSoup(html, "lxml")
    figures = soup.select("footer.contact figure.qr")
    assert [f.figcaption.get_text() for f in figures] == [q.caption for q in brief.contact.qr_codes]
    assert len(soup.find_all("svg")) == 2
    for figure, url in zip(figures, qr_urls, strict=True):
        assert figure.svg is not None
        assert qr_svg(url) in html  # byte for byte the code for this URL
    assert qr_svg(qr_urls[0]) != qr_svg(qr_urls[1])


def test_contact_block(make_brief) -> None:
    brief = make_brief()
    soup = parse(brief)
    contact = soup.select_one("footer.contact")
    assert contact.h2.get_text() == brief.contact.heading
    orgs = [p.get_text() for p in contact.select("p.org")]
    assert orgs == [f"{o.name}：{o.description}" for o in brief.contact.organisations]
    assert contact.select_one("p.website").get_text() == "网站地址：https://example.com"
    assert contact.select_one("p.disclaimer").get_text() == brief.contact.disclaimer
    # Order on the page: QR codes, organisations, website, disclaimer.
    order = [el.name if el.name != "p" else el["class"][0] for el in contact.find_all(["div", "p"])]
    assert order[0] == "div" and order[-1] == "disclaimer"


def test_hostile_text_stays_literal_text(brief_data) -> None:
    data = brief_data()
    data["masthead"]["title"] = f"刊名 {HOSTILE}"
    data["summary"] = f"摘要 {HOSTILE}"
    data["sections"][0]["heading"] = f"标题 {HOSTILE}"
    data["sections"][0]["paragraphs"][0]["text"] = f"段落 {HOSTILE}"
    data["judgment"]["title"] = f"今日判断：{HOSTILE}"
    data["references"][0]["title"] = f"文献 {HOSTILE}"
    data["references"][0]["url"] = 'https://example.org/a?x="><script>alert(1)</script>'
    data["contact"]["qr_codes"][0]["caption"] = f"二维码 {HOSTILE}"
    data["contact"]["disclaimer"] = f"声明 {HOSTILE}"
    html = render_html(Brief.model_validate(data))
    soup = BeautifulSoup(html, "lxml")
    assert_inert(html, soup)
    assert soup.h1.get_text() == f"刊名 {HOSTILE}"
    assert soup.select_one("section.summary p").get_text() == f"摘要 {HOSTILE}"
    assert headings(soup)[0] == f"一、标题 {HOSTILE}"
    assert soup.select_one("section#s1 > p").get_text() == f"段落 {HOSTILE}[1]"
    assert soup.select_one("#ref-1 strong").get_text() == f"文献 {HOSTILE}"
    assert soup.select_one("#ref-1 .url a")["href"] == data["references"][0]["url"]
    assert soup.select_one("figure.qr figcaption").get_text() == f"二维码 {HOSTILE}"
    assert soup.select_one("p.disclaimer").get_text() == f"声明 {HOSTILE}"


def test_conftest_nasty_brief_is_inert(nasty_brief: Brief, nasty_text: str) -> None:
    html = render_html(nasty_brief)
    soup = BeautifulSoup(html, "lxml")
    assert_inert(html, soup)
    assert nasty_text in soup.select_one("section#s1 > p").get_text()


def test_line_breaks_inside_a_paragraph_are_kept(make_brief) -> None:
    soup = parse(make_brief(summary="第一行\n第二行\n\n第二段"))
    paragraphs = soup.select("section.summary p")
    assert len(paragraphs) == 2
    assert paragraphs[0].find("br") is not None
    assert paragraphs[0].get_text("|") == "第一行|第二行"


def test_long_section_renders_whole(long_section_brief: Brief) -> None:
    soup = parse(long_section_brief)
    long_text = long_section_brief.sections[0].paragraphs[0].text
    assert len(long_text) == 10_000
    assert soup.select_one("section#s1 > p").get_text() == long_text + "[1]"


def test_twenty_sections(many_sections_brief: Brief) -> None:
    soup = parse(many_sections_brief)
    found = headings(soup)
    assert len(found) == 21
    assert found[19].startswith("二十、第 20 条动态")
    assert found[20] == "二十一、" + many_sections_brief.judgment.title
    assert len(soup.select("nav.contents li")) == 21 + 2  # + 参考文献 + contact
    assert soup.find(id="s21") is not None


def test_no_references_shows_the_draft_warning(no_references_brief: Brief) -> None:
    soup = parse(no_references_brief)
    box = soup.select_one("aside.draft-warning")
    assert box is not None
    assert box.select_one(".draft-title").get_text() == "草稿，未经核验，不可发布"
    problems = [li.get_text() for li in box.find_all("li")]
    assert problems == no_references_brief.publish_problems()
    assert any("参考文献为空" in p for p in problems)
    assert soup.select_one("section.references p.empty").get_text() == "（无参考文献）"
    # The warning comes right after the masthead, before the summary.
    assert box.find_previous_sibling().name == "header"


def test_dangling_citation_in_a_draft_is_not_a_dead_link(brief_data) -> None:
    data = brief_data()
    data["sections"][1]["paragraphs"][0]["citations"] = [2, 9]
    soup = parse(Brief.model_validate(data))
    missing = soup.select("sup.cite.missing")
    assert [m.get_text() for m in missing] == ["[9]"] and missing[0].a is None
    assert soup.select_one('a[href="#ref-9"]') is None


def test_fragment_is_the_document_body(sample_brief: Brief) -> None:
    fragment = render_fragment(sample_brief)
    assert fragment.lstrip().startswith('<article class="zb-brief">')
    assert fragment in render_html(sample_brief)


def test_registry_writes_the_html_file(make_brief, tmp_path) -> None:
    assert get_renderer("html").suffix == ".html"
    [path] = render_brief(make_brief(), tmp_path, formats=["html"])
    assert path.name == "brief-2026-05-25.html"
    assert path.read_bytes() == HtmlRenderer().render(make_brief())
