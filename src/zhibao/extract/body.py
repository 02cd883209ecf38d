"""The article text of a page as clean paragraphs joined by ``\\n``.

Order: the container the page's source names (``body_selector`` in sources.yaml, matched in
``rules.py``), then the article container of the CMS products most government sites run on
(``#UCAP-CONTENT``, ``.TRS_Editor``, ``.TRS_UEDITOR``), when it holds real text; otherwise
trafilatura (precision mode) checked against the densest node of the page (``density.py``):
teaser-stream paragraphs are dropped from trafilatura's text, and the node's text replaces it
when the two agree or trafilatura clearly missed part of the article. Then the lines every
such page drags along — share widgets, ``【上一篇】``, 责任编辑, reprint notices, 扫一扫 — are
dropped (``boilerplate.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from copy import deepcopy
from itertools import chain

import trafilatura
from lxml.html import HtmlElement

from zhibao.extract.boilerplate import clean_lines
from zhibao.extract.density import densest_node, drop_stream_lines

__all__ = [
    "article_text",
    "chosen_text",
    "container_text",
    "node_text",
    "visible_lines",
]


def _cls(name: str) -> str:
    return f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]'


# The article containers of the CMS products (UCAP, TRS) that most government sites, central
# and local, are built on: generic, not one site's. A site's own container is configuration:
# its source's ``body_selector`` in sources.yaml.
CMS_CONTAINERS: tuple[str, ...] = (
    '//*[@id="UCAP-CONTENT"]',
    _cls("TRS_Editor"),
    _cls("TRS_UEDITOR"),
)

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


def _cms_containers(tree: HtmlElement) -> Iterator[HtmlElement]:
    for xpath in CMS_CONTAINERS:
        nodes = tree.xpath(xpath)
        if nodes:
            yield nodes[0]


def container_text(
    tree: HtmlElement, bodies: Iterable[HtmlElement] = (), *, min_chars: int = 40
) -> str | None:
    """Text of the first article container holding at least ``min_chars`` characters.

    ``bodies`` (what the source's ``body_selector`` matched) come first, then the CMS
    containers of ``tree``.
    """
    for node in chain(bodies, _cms_containers(tree)):
        text = node_text(node)
        if len(text) - text.count("\n") >= min_chars:
            return text
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


def article_text(
    tree: HtmlElement, url: str | None = None, *, bodies: Iterable[HtmlElement] = ()
) -> str:
    """Clean paragraphs of the article in ``tree``, joined by ``\\n`` ("" when there is none).

    ``bodies``: the source's article containers (``rules.apply_source_rules``), tried first.
    """
    text = container_text(tree, bodies)
    dense = False
    if text is None:
        text, dense = _choose(tree, url)
    if len(text) < 40 and not dense:
        # Precision mode drops short pages (a video item with a one-paragraph summary).
        fallback = "\n".join(clean_lines(trafilatura_text(tree, url, precision=False)))
        if len(fallback) > len(text):
            text = fallback
    return text
