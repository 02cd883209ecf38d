"""Article text that is not prose: script, stylesheet or JSON lines and undecodable characters.

A broken page (an unclosed ``<script>``, a template that prints its JSON state, bytes read in
the wrong encoding) can hand the extractor code or mojibake as its "body". Lines of code are
cut from the text; a text that is mostly code or mostly garbled is no article at all.

>>> drop_code_lines("function f(){return 1;}\\n国务院常务会议召开。")
'国务院常务会议召开。'
>>> junk_reason("var a = {b: 1}; if (a) { go(); }") is not None
True
"""

from __future__ import annotations

import re

__all__ = ["drop_code_lines", "is_code_line", "junk_reason"]

_CODE_PUNCT = frozenset("{}();=<>[]$\\|&")
# Tokens that prose never contains: JavaScript, CSS and JSON syntax.
_CODE_TOKEN = re.compile(
    r"function\s*\w*\s*\(|\b(?:var|let|const)\s+[\w$]+\s*=|=>|===|!==|\|\||&&|"
    r"\b(?:document|window|console|jQuery|JSON|Math)\.\w|\.prototype\b|\$\(|"
    r"@media|@import|@font-face|!important|"
    r"[\w-]+\s*:\s*[^;:{}]{1,40};|"  # a CSS declaration "color: red;"
    r"\"[\w$-]+\"\s*:\s*[\[{\"\d tfn]|"  # a JSON member '"key": value'
    r"</?[a-z][a-z0-9]*(?:\s[^>]*)?>|<!--|-->",  # markup left in the text
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff]")
# UTF-8 bytes read as Latin-1/CP1252: a lead byte letter followed by continuation bytes.
_MOJIBAKE = re.compile(r"[\xc2-\xef][\x80-\xbf\u0152-\u2122]")
_UNREADABLE = re.compile(r"[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# A text is junk when more than this share of its characters is code or unreadable.
_JUNK_SHARE = 0.5
_GARBLED_SHARE = 0.1


def is_code_line(line: str) -> bool:
    """True for a line of script, stylesheet or JSON (several code tokens, little Chinese)."""
    chars = [c for c in line if not c.isspace()]
    if len(chars) < 8:
        return False
    tokens = len(_CODE_TOKEN.findall(line))
    punct = sum(c in _CODE_PUNCT for c in chars)
    cjk = len(_CJK.findall(line))
    if cjk / len(chars) > 0.5:
        return False  # a Chinese sentence quoting a formula or a URL is still prose
    return tokens >= 2 or (tokens >= 1 and punct / len(chars) >= 0.05) or punct / len(chars) >= 0.15


def drop_code_lines(text: str) -> str:
    """``text`` without its lines of code (the prose around them kept in order)."""
    return "\n".join(line for line in text.split("\n") if not is_code_line(line))


def _weight(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def junk_reason(text: str) -> str | None:
    """Why ``text`` is not an article (mostly code, mostly garbled), None when it is prose."""
    total = _weight(text)
    if not total:
        return None
    code = sum(_weight(line) for line in text.split("\n") if is_code_line(line))
    if code / total > _JUNK_SHARE:
        return f"正文主要是脚本、样式或 JSON 代码（{code * 100 // total}%）(body is mostly script/style/JSON)"
    garbled = len(_UNREADABLE.findall(text)) + 2 * len(_MOJIBAKE.findall(text))
    if garbled / total > _GARBLED_SHARE:
        return (
            f"正文主要是无法解码的乱码（{min(100, garbled * 100 // total)}%），编码可能判断错误"
            " (body is undecodable or mojibake; wrong encoding?)"
        )
    return None
