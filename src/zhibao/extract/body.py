"""The article text of a page as clean paragraphs joined by ``\\n``.

Order: a known article container of government and media sites (``#UCAP-CONTENT``,
``.TRS_Editor``, ``#BodyLabel``, ``.rm_txt_con``…) when it holds real text; otherwise
trafilatura (precision mode) checked against the densest node of the page (``density.py``):
teaser-stream paragraphs are dropped from trafilatura's text, and the node's text replaces it
when the two agree or trafilatura clearly missed part of the article. Then the lines every
such page drags along — share widgets, ``【上一篇】``, 责任编辑, reprint notices, 扫一扫 — are
dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from urllib.parse import urlsplit

import trafilatura
from lxml.html import HtmlElement

from zhibao.extract.density import densest_node, drop_stream_lines

__all__ = [
    "article_text",
    "chosen_text",
    "clean_lines",
    "container_text",
    "is_boilerplate",
    "node_text",
    "visible_lines",
]


def _cls(name: str) -> str:
    return f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'


# Article containers named by SITE-FACTS and CMS templates: (host suffix or "*", XPath).
# Ids and TRS/UCAP classes are unambiguous anywhere; generic names such as ``div.article``
# only count on the site that uses them (or on a page with government meta tags, below).
CONTAINERS: list[tuple[str, str]] = [
    ("*", '//*[@id="UCAP-CONTENT"]'),
    ("*", '//*[@id="BodyLabel"]'),
    ("*", _cls("TRS_Editor")),
    ("*", _cls("TRS_UEDITOR")),
    ("*", '//*[@id="content_area"]'),
    ("*", '//*[@id="js_content"]'),
    ("*", _cls("rm_txt_con")),
    ("*", '//*[@id="ozoom"]'),
    ("*", '//*[@id="ContentPh"]'),
    ("*", _cls("u-mainText")),
    ("*", _cls("zsy_comain")),
    ("*", '//*[@id="con_con"]'),
    ("gov.cn", _cls("pages_content")),
    ("gov.cn", _cls("article_con")),
    ("gov.cn", '//div[contains(concat(" ", normalize-space(@class), " "), " article ")]'),
    ("gov.cn", '//div[contains(concat(" ", normalize-space(@class), " "), " detail ")]'),
    ("news.cn", '//*[@id="detail"]'),
    ("xinhuanet.com", '//*[@id="detail"]'),
    ("stcn.com", _cls("detail-content")),
    ("qstheory.cn", _cls("highlight")),
    ("qstheory.cn", _cls("text")),
]

# Elements inside a container that are never article text.
_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "svg",
    "canvas",
    "video",
    "audio",
    "object",
    "embed",
    "template",
}
_DROP_ATTR = re.compile(
    r"share|bdshare|jiathis|comment|related|recommend|toolbar|print|qrcode|erweima|"
    r"editor_?name|zebian|pagebreak|page-?nav|prev|next|copyright|footer|advert|\bad\b",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "center",
    "figcaption",
    "hr",
}

# Lines that page templates add around articles.
_BOILERPLATE = re.compile(
    r"^(?:[\[【(（]?\s*(?:责任编辑|编辑|责编|审核|校对|主编|值班编辑|监制|来源|作者|记者|打印|"
    r"关闭|关闭窗口|打印本页|打印此页|收藏|分享|分享到|字号|扫一扫|【?上一篇|【?下一篇|上一篇|下一篇|"
    r"相关阅读|相关新闻|相关链接|延伸阅读|推荐阅读|热点推荐|更多|返回顶部|网站地图)"
    r"\s*[:：】\]\)）]?)"
    r"|.*(?:转载请注明|未经授权|未经许可|版权所有|版权声明|Copyright|All Rights Reserved|"
    r"ICP备|公网安备|扫一扫|分享到|用手机扫描|在手机上阅读|打开微信|本文来源|特别声明：|"
    r"免责声明|Notice: The content above)",
    re.IGNORECASE,
)
_SHORT_NOISE = re.compile(
    r"^(?:[\[【(（]?(?:责任编辑|编辑|责编|审核)[:：].{0,20}[\]】)）]?|"
    r"[字号大中小\s|：:]+|[\W\d_]{1,6})$"
)


def is_boilerplate(line: str) -> bool:
    """True for template lines (editor credits, share prompts, reprint notices, 上一篇…)."""
    stripped = line.strip()
    if not stripped:
        return True
    if _SHORT_NOISE.match(stripped):
        return True
    # Long lines are article sentences even when they mention 来源 or 编辑.
    return len(stripped) <= 80 and bool(_BOILERPLATE.match(stripped))


def clean_lines(text: str) -> list[str]:
    """Non-empty, whitespace-normalised paragraphs of ``text`` without template lines."""
    out: list[str] = []
    for raw in text.split("\n"):
        if raw.lstrip().startswith("|"):
            # trafilatura writes table rows as "| cell | cell |"; keep the cells, not the bars.
            raw = " ".join(
                cell.strip() for cell in raw.split("|") if cell.strip() not in ("", "-", "---")
            )
        line = re.sub(r"[ \t\u3000\xa0]+", " ", raw).strip()
        if line and not is_boilerplate(line):
            out.append(line)
    return out


def _drop_noise(element: HtmlElement) -> None:
    for child in list(element.iter()):
        if child is element or child.getparent() is None:
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        marker = f"{child.get('class', '')} {child.get('id', '')}"
        if (
            tag in _DROP_TAGS
            or not tag
            or (marker.strip() and _DROP_ATTR.search(marker))
            or (child.get("style") or "").replace(" ", "").lower().find("display:none") >= 0
        ):
            child.drop_tree()


def _block_text(element: HtmlElement, skip: frozenset[str] = frozenset()) -> str:
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag and tag not in skip:
            parts.append(node.text)
        if tag not in skip:
            for child in node:
                walk(child)
                if child.tail:
                    parts.append(child.tail)
        if block:
            parts.append("\n")

    try:
        walk(element)
    except RecursionError:  # pathologically nested markup: plain text beats no text
        return element.text_content()
    return "".join(parts)


def visible_lines(tree: HtmlElement) -> list[str]:
    """The page's visible text lines in document order (scripts and styles left out)."""
    body = tree.find(".//body")
    text = _block_text(body if body is not None else tree, skip=frozenset(_DROP_TAGS | {"head"}))
    return [line for line in (re.sub(r"\s+", " ", raw).strip() for raw in text.split("\n")) if line]


def _host_matches(host: str, suffix: str) -> bool:
    return suffix == "*" or host == suffix or host.endswith("." + suffix)


def container_text(
    tree: HtmlElement, url: str | None = None, *, government: bool = False, min_chars: int = 40
) -> str | None:
    """Text of the first known article container holding at least ``min_chars`` characters.

    ``government`` (the page carries the guideline meta tags) admits the ``gov.cn``
    containers on any host, e.g. a ministry mirror or a local copy of a page.
    """
    host = (urlsplit(url).hostname or "").lower() if url else ""
    for suffix, xpath in CONTAINERS:
        if not (_host_matches(host, suffix) or (government and suffix == "gov.cn")):
            continue
        nodes = tree.xpath(xpath)
        if not nodes:
            continue
        node = deepcopy(nodes[0])
        _drop_noise(node)
        lines = clean_lines(_block_text(node))
        if sum(len(line) for line in lines) >= min_chars:
            return "\n".join(lines)
    return None


def trafilatura_text(tree: HtmlElement, url: str | None, *, precision: bool = True) -> str:
    """trafilatura's main text (it copies the tree, ours stays intact)."""
    result = trafilatura.bare_extraction(
        tree, url=url, favor_precision=precision, with_metadata=False, include_comments=False
    )
    return (result.text if result is not None else "") or ""


def _bag(text: str) -> Counter[str]:
    return Counter(char for char in text if not char.isspace())


# Agreement thresholds between trafilatura's text and the densest node's text (shares of
# characters, as bags): "mostly inside" and "clearly longer".
_INSIDE = 0.8
_LONGER = 1.25
_SAME = 0.9


def node_text(node: HtmlElement) -> str:
    """Clean paragraphs of one element (a copy is cleaned; the tree stays intact)."""
    node = deepcopy(node)
    _drop_noise(node)
    return "\n".join(clean_lines(_block_text(node)))


def chosen_text(tree: HtmlElement, url: str | None) -> str:
    """trafilatura's text or the densest node's, whichever the two agree is the article."""
    return _choose(tree, url)[0]


def _choose(tree: HtmlElement, url: str | None) -> tuple[str, bool]:
    """(text, True when it is the dense node's).

    - trafilatura's paragraphs that come from teaser lists outside the densest node are
      dropped (related-story streams taken for the article);
    - when trafilatura's text lies mostly inside the dense node's and is clearly shorter, it
      missed part of the article: the node's text wins;
    - when both hold nearly the same characters the node's text wins (it keeps the article's
      own order and drops fewer short paragraphs);
    - otherwise trafilatura's text stands (articles split over several containers).
    """
    lines = clean_lines(trafilatura_text(tree, url))
    node = densest_node(tree)
    if node is None:
        return "\n".join(lines), False
    lines = drop_stream_lines(lines, tree, node)
    ours = "\n".join(lines)
    dense = node_text(node)
    dense_bag, ours_bag = _bag(dense), _bag(ours)
    dense_n, ours_n = sum(dense_bag.values()), sum(ours_bag.values())
    if not dense_n:
        return ours, False
    shared = sum((dense_bag & ours_bag).values())
    ours_inside = shared / ours_n if ours_n else 1.0
    dense_inside = shared / dense_n
    if ours_inside >= _INSIDE and dense_n >= _LONGER * ours_n:
        return dense, True
    if ours_inside >= _SAME and dense_inside >= _SAME:
        return dense, True
    return ours, False


def article_text(tree: HtmlElement, url: str | None = None, *, government: bool = False) -> str:
    """Clean paragraphs of the article in ``tree``, joined by ``\\n`` ("" when there is none)."""
    text = container_text(tree, url, government=government)
    dense = False
    if text is None:
        text, dense = _choose(tree, url)
    if len(text) < 40 and not dense:
        # Precision mode drops short pages (a video item with a one-paragraph summary).
        fallback = "\n".join(clean_lines(trafilatura_text(tree, url, precision=False)))
        if len(fallback) > len(text):
            text = fallback
    return text
