"""Broken pages: no mojibake from a page without <html>, no script or CSS stored as a body,
stray NULs kept out without losing the article, impossible dates never turned into others."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest

from zhibao.core.time import SHANGHAI
from zhibao.extract import ExtractError, extract_document
from zhibao.extract.junk import drop_code_lines, junk_reason

URL = "https://www.example.gov.cn/art/2026/5/20/art_1.html"
FETCHED = datetime(2026, 5, 23, 8, 0, tzinfo=SHANGHAI)
PROSE = (
    "国家数据局近日召开全国数据工作会议，部署推进数据要素市场化配置改革，"
    "要求各地加快公共数据资源开发利用，培育壮大数据产业，推动数字经济高质量发展。"
)


def test_page_without_html_root_keeps_its_characters() -> None:
    # load_html refuses a lone <p>; the fallback parse once re-read the UTF-8 bytes as Latin-1.
    doc = extract_document(f"<p>关于{PROSE * 2}</p>", URL)
    assert doc.title.startswith("关于国家数据局")
    assert doc.text.startswith("关于国家数据局")
    assert "å" not in doc.title + doc.text


def test_xml_declaration_with_foreign_encoding_keeps_its_characters(make_page) -> None:
    html = '<?xml version="1.0" encoding="gbk"?>' + make_page(
        "<title>关于数据工作</title>", f"<h1>关于数据工作</h1><p>{PROSE}</p>"
    )
    doc = extract_document(html, URL)
    assert doc.title == "关于数据工作" and "国家数据局近日" in doc.text


def test_stray_nul_bytes_are_dropped_not_the_article(make_page) -> None:
    html = make_page("<title>数据工作会议召开</title>", f"<p>{PROSE}\x00</p><p>{PROSE}</p>")
    doc = extract_document(html[:100] + "\x00" + html[100:], URL)
    assert "\x00" not in doc.text and doc.text.startswith("国家数据局")


def test_binary_data_is_rejected_with_its_url() -> None:
    data = bytes(range(256)).decode("latin-1") * 20
    with pytest.raises(ExtractError, match="二进制") as info:
        extract_document(data, URL)
    assert URL in str(info.value)


def _script_body(script: str) -> str:
    return f"<html><head><title>通知</title></head><body><div class='content'>{script}</div></body></html>"


def test_unclosed_script_text_is_rejected_with_its_url() -> None:
    code = "\n".join(
        f"var item{i} = document.getElementById('n{i}'); if (item{i}) {{ item{i}.style.display = 'none'; }}"
        for i in range(40)
    )
    html = _script_body(f"<pre>{code}</pre>")
    with pytest.raises(ExtractError, match="脚本") as info:
        extract_document(html, URL)
    assert URL in str(info.value)


def test_css_and_json_text_are_junk_prose_is_not() -> None:
    css = "\n".join(
        f".box{i} {{ color: #333; margin: 0 auto; font-size: 14px; }}" for i in range(20)
    )
    data = "\n".join(f'{{"id": {i}, "title": "item", "url": "/a/{i}.html"}}' for i in range(20))
    assert junk_reason(css) and junk_reason(data)
    assert (
        junk_reason(PROSE + "\n" + "根据《数据安全法》（2021年）第21条，a=b 的情形除外。") is None
    )
    assert (
        junk_reason("Reuters (May 23) - China said on Friday it would cut fees; markets rose.")
        is None
    )


def test_code_lines_are_cut_from_a_prose_body() -> None:
    text = f"{PROSE}\nvar _hmt = _hmt || []; (function() {{ var hm = document.createElement('script'); }})();\n{PROSE}"
    assert drop_code_lines(text) == f"{PROSE}\n{PROSE}"


def test_mojibake_body_is_rejected() -> None:
    garbled = (PROSE * 3).encode("utf-8").decode("latin-1")
    html = f"<html><head><title>x</title></head><body><div><p>{garbled}</p></div></body></html>"
    with pytest.raises(ExtractError, match="乱码"):
        extract_document(html, URL)


def _dated(make_page, pubdate: str, body_extra: str = "") -> str:
    head = f"<title>数据工作会议召开</title><meta name='PubDate' content='{pubdate}'>"
    return make_page(head, f"<h1>数据工作会议召开</h1>{body_extra}<p>{PROSE}</p><p>{PROSE}</p>")


@pytest.mark.parametrize(
    "pubdate", ["1900-01-01", "2031-01-01 10:00", "9999-12-31", "2026-02-30", "2026-02-30 10:00:00"]
)
def test_implausible_meta_date_is_reported_and_never_invented(
    make_page, caplog, pubdate: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="zhibao.extract"):
        doc = extract_document(
            _dated(make_page, pubdate), URL.replace("/2026/5/20", ""), fetched_at=FETCHED
        )
    assert doc.published_at is None  # not 2026-02-01, not today
    assert any(
        URL.split("/art")[0] in r.getMessage() and pubdate in r.getMessage() for r in caplog.records
    )


def test_implausible_meta_date_falls_back_to_the_next_candidate(make_page) -> None:
    html = _dated(make_page, "1900-01-01", "<div class='info'>发布时间：2026-05-20 09:30</div>")
    doc = extract_document(html, URL, fetched_at=FETCHED)
    assert doc.published_at == datetime(2026, 5, 20, 9, 30, tzinfo=SHANGHAI)


def test_date_after_the_fetch_time_is_refused_and_the_floor_is_a_setting(make_page) -> None:
    html = _dated(make_page, "2026-05-20 10:00")
    early = datetime(2026, 5, 18, tzinfo=SHANGHAI)
    assert (
        extract_document(html, "https://a.example.com/x.html", fetched_at=early).published_at
        is None
    )
    assert extract_document(html, "https://a.example.com/x.html", fetched_at=FETCHED).published_at
    doc = extract_document(
        html, "https://a.example.com/x.html", fetched_at=FETCHED, earliest=date(2026, 5, 21)
    )
    assert doc.published_at is None


def test_a_source_moves_the_date_floor() -> None:
    # An archive of older documents sets its own floor in sources.yaml.
    from zhibao.config.settings import EARLIEST_PUBLISHED
    from zhibao.core.model import Source

    assert date(1990, 1, 1) == EARLIEST_PUBLISHED
    html = (
        "<html><head><title>旧文件</title><meta name='PubDate' content='1985-03-02'></head>"
        "<body><div class='article'><p>"
        + "这是一份一九八五年印发的文件正文，内容完整。" * 8
        + "</p></div></body></html>"
    )
    assert (
        extract_document(html, "https://a.example.com/old.html", fetched_at=FETCHED).published_at
        is None
    )
    archive = Source(
        id="archive",
        name="档案",
        org="档案馆",
        tier="central",
        urls=["https://a.example.com/"],
        earliest_published="1980-01-01",
    )
    doc = extract_document(
        html, "https://a.example.com/old.html", source=archive, fetched_at=FETCHED
    )
    assert doc.published_at is not None and doc.published_at.year == 1985
