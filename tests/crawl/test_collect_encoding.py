from __future__ import annotations

from zhibao.crawl import decode_html
from zhibao.crawl.encoding import declared_charsets, normalise_charset

TEXT = "国家数据局：推进数据要素市场化配置改革，培育新质生产力。"


def page(charset_meta: str, body: str = TEXT) -> str:
    return f'<html><head><meta charset="{charset_meta}"><title>标题</title></head><body><p>{body}</p></body></html>'


def test_gb_labels_read_as_gb18030():
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("gbk") == "gb18030"
    assert normalise_charset("UTF8") == "utf-8"
    assert normalise_charset("no-such-charset") is None


def test_declared_order_header_then_meta():
    raw = page("gbk").encode("gbk")
    assert declared_charsets(raw, "text/html; charset=UTF-8") == ["utf-8", "gb18030"]


def test_gbk_bytes_declared_utf8_in_header_and_meta():
    raw = page("utf-8").encode("gbk")
    assert TEXT in decode_html(raw, "text/html; charset=utf-8")


def test_gbk_bytes_with_no_declaration():
    raw = f"<html><body><p>{TEXT * 3}</p></body></html>".encode("gbk")
    assert TEXT in decode_html(raw)


def test_gb2312_label_with_gb18030_only_characters():
    # 镕 and 𠮷 are not in GB2312: a strict GB2312 reading would fail or lose them.
    body = TEXT + "朱镕基 𠮷野家"
    raw = page("gb2312", body).encode("gb18030")
    assert "朱镕基 𠮷野家" in decode_html(raw, "text/html")


def test_utf8_bytes_declared_gbk():
    raw = page("gbk").encode("utf-8")
    assert TEXT in decode_html(raw, "text/html; charset=gb2312")


def test_http_equiv_declaration():
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>{TEXT}</body></html>'
    assert TEXT in decode_html(html.encode("gbk"))


def test_utf8_bom_wins():
    assert (
        decode_html(b"\xef\xbb\xbf" + page("gbk").encode("utf-8"), "text/html; charset=gbk").count(
            TEXT
        )
        == 1
    )


def test_few_broken_bytes_keep_declared_reading():
    raw = page("utf-8").encode("utf-8")
    raw = raw.replace("培育".encode(), "培育".encode()[:-1])  # one character cut in half
    text = decode_html(raw, "text/html; charset=utf-8")
    assert "国家数据局：推进数据要素市场化配置改革" in text


def test_gbk_page_with_a_truncated_character_is_not_handed_to_a_foreign_guess():
    from zhibao.crawl import decode_html

    body = ("<html><body><p>" + "新质生产力发展论坛的帖子内容。" * 300 + "</p>").encode("gbk")
    cut = "字".encode("gbk")[:1]  # half of a double-byte character, as a "..." truncation leaves it
    text = decode_html(body + cut + b"...</body></html>", None)
    assert "新质生产力发展论坛" in text
