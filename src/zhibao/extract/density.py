"""The densest article-like node of a page: a text/link/punctuation density scorer.

Each block of running text (a ``<p>``, a ``<td>``, a ``<div>`` holding text directly…) earns
points for its length and, above all, for its sentence punctuation — Chinese prose is full of
``，。；：、“”`` while menus, link lists and footers have almost none. The points go to the
block's parent and (half) to its grandparent, so the container that gathers many such blocks
wins; a container's points are then scaled down by its link density. Related-story streams,
where each item holds one summary, spread their points over many small containers and lose
to the article's own container.

>>> node = densest_node(tree)
>>> text = node_text(node) if node is not None else ""
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from zhibao.extract.boilerplate import is_boilerplate

__all__ = ["Stats", "densest_node", "node_stats", "text_units"]

# Elements whose text is never article prose.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "canvas",
        "form",
        "button",
        "select",
        "textarea",
        "nav",
        "footer",
        "aside",
        "head",
    }
)
# Elements that may hold the article as a whole.
CANDIDATE_TAGS = frozenset(
    {"div", "article", "section", "main", "td", "body", "blockquote", "dd", "center", "font"}
)
# Elements that break text into paragraphs (their text is a paragraph of their own).
PARAGRAPH_TAGS = frozenset(
    {"p", "div", "td", "li", "pre", "blockquote", "section", "article", "dd", "center", "font"}
)
_BLOCKS = PARAGRAPH_TAGS | frozenset(
    {"table", "tr", "tbody", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "main", "body"}
)

# CJK ideographs, kana, Hangul: one character carries about one Latin word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+")
# Sentence punctuation: full-width (Chinese/Japanese) and the Latin comma/period after a word.
_PUNCT = re.compile(r"[，。；：、“”！？「」『』（）]|(?<=[A-Za-z])[,.;](?=\s)")
_NOISE_ATTR = re.compile(
    r"comment|related|recom|sidebar|share|footer|breadcrumb|menu|\bnav|copyright|"
    r"advert|\bads?\b|banner|toolbar|hot-?list|rank",
    re.IGNORECASE,
)

MIN_PARAGRAPH_UNITS = 10
# A paragraph of prose: this long, with at least one comma or full stop. A container without one
# (a heading, a byline and an editor's name on a page whose text is missing) is no article.
PROSE_UNITS = 10
PROSE_PUNCT = 1
_SENTENCE_PUNCT = re.compile(r"[，。；！？、]|(?<=[A-Za-z])[,.;](?=\s)")


def text_units(text: str) -> int:
    """Length in 'words': each CJK character is one, each Latin/digit run is one."""
    return len(_CJK.findall(text)) + len(_WORD.findall(text))


@dataclass
class Stats:
    """Text measures of one subtree: units, units inside links, sentence punctuation."""

    units: int = 0
    link_units: int = 0
    punct: int = 0

    @property
    def link_density(self) -> float:
        return self.link_units / self.units if self.units else 0.0


def _tag(node: HtmlElement) -> str:
    return node.tag if isinstance(node.tag, str) else ""


def node_stats(node: HtmlElement) -> Stats:
    """Units, link units and punctuation of ``node``'s visible text (skipped tags left out)."""
    stats = Stats()

    def walk(element: HtmlElement, in_link: bool) -> None:
        tag = _tag(element)
        if not tag or tag in SKIP_TAGS:
            return
        in_link = in_link or tag == "a"
        for piece in (element.text,):
            if piece:
                _add(stats, piece, in_link)
        for child in element:
            walk(child, in_link)
            if child.tail:
                _add(stats, child.tail, in_link)

    walk(node, False)
    return stats


def _add(stats: Stats, text: str, in_link: bool) -> None:
    units = text_units(text)
    stats.units += units
    if in_link:
        stats.link_units += units
    stats.punct += len(_PUNCT.findall(text))


def _own_text(element: HtmlElement) -> tuple[str, int]:
    """Text of ``element`` outside its block children, and how much of it sits in links."""
    parts: list[str] = []
    link_units = 0

    def walk(node: HtmlElement, top: bool, in_link: bool) -> None:
        nonlocal link_units
        tag = _tag(node)
        if not tag or tag in SKIP_TAGS or (not top and tag in _BLOCKS):
            return
        in_link = in_link or tag == "a"
        if node.text:
            parts.append(node.text)
            if in_link:
                link_units += text_units(node.text)
        for child in node:
            walk(child, False, in_link)
            if child.tail:
                parts.append(child.tail)
                if in_link:
                    link_units += text_units(child.tail)

    walk(element, True, False)
    return "".join(parts), link_units


def _skipped(element: HtmlElement) -> bool:
    node: HtmlElement | None = element
    while node is not None:
        if _tag(node) in SKIP_TAGS:
            return True
        node = node.getparent()
    return False


def densest_node(tree: HtmlElement) -> HtmlElement | None:
    """The element most likely to be the article container, None on a page without prose."""
    scores: dict[HtmlElement, float] = {}
    prose: set[HtmlElement] = set()
    for element in tree.iter(*PARAGRAPH_TAGS):
        text, link_units = _own_text(element)
        units = text_units(text)
        if units - link_units < MIN_PARAGRAPH_UNITS or _skipped(element):
            continue
        if is_boilerplate(" ".join(text.split())):
            continue  # editor credits, share prompts: template lines, not the article's prose
        punct = len(_PUNCT.findall(text))
        points = 1.0 + punct + min(units / 100.0, 3.0)
        points *= 1.0 - link_units / units
        # The paragraph counts for itself when it is a container (long text in a bare div/td).
        targets = [(element, 1.0)] if _tag(element) in CANDIDATE_TAGS else []
        parent = element.getparent()
        if parent is not None:
            targets.append((parent, 1.0))
            grand = parent.getparent()
            if grand is not None:
                targets.append((grand, 0.5))
        is_prose = (
            units - link_units >= PROSE_UNITS and len(_SENTENCE_PUNCT.findall(text)) >= PROSE_PUNCT
        )
        for target, share in targets:
            if _tag(target) in CANDIDATE_TAGS or target is parent:
                scores[target] = scores.get(target, 0.0) + points * share
                if is_prose:
                    prose.add(target)
    best: HtmlElement | None = None
    best_score = 0.0
    for element, score in scores.items():
        if element not in prose:
            continue
        stats = node_stats(element)
        score *= 1.0 - stats.link_density
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if marker.strip() and _NOISE_ATTR.search(marker):
            score *= 0.3
        if _in_stream_item(element, None):
            score *= 0.2
        if score > best_score:
            best, best_score = element, score
    return best


def _in_stream_item(element: HtmlElement, stop: HtmlElement | None, depth: int = 6) -> bool:
    """True when ``element`` sits in one entry of a list of teasers (a related-story stream).

    An entry is an ``<li>`` or one of at least three siblings sharing tag and class, and it
    carries a link (the teaser's headline). The search stops at ``stop`` (the article node).
    """
    node: HtmlElement | None = element
    for _ in range(depth):
        if node is None or node is stop:
            return False
        parent = node.getparent()
        if parent is None:
            return False
        tag = _tag(node)
        if tag == "li" and node.find(".//a") is not None:
            return True
        cls = node.get("class")
        if cls and tag in CANDIDATE_TAGS:
            twins = [s for s in parent if _tag(s) == tag and s.get("class") == cls]
            if len(twins) >= 3 and sum(s.find(".//a") is not None for s in twins) >= 3:
                return True
        node = parent
    return False


def stream_item(element: HtmlElement, article: HtmlElement | None) -> bool:
    """``element`` lies in a teaser list outside the ``article`` node (its text is not the article's)."""
    if article is not None:
        node: HtmlElement | None = element
        while node is not None:
            if node is article:
                return False
            node = node.getparent()
    return _in_stream_item(element, article)


def _key(text: str) -> str:
    return re.sub(r"\s", "", text)[:12]


def drop_stream_lines(
    lines: list[str], tree: HtmlElement, article: HtmlElement | None
) -> list[str]:
    """``lines`` (an extractor's paragraphs) without those found in teaser lists outside ``article``.

    Each line is traced back to the element whose own text starts like it; lines that cannot
    be traced, or are shorter than six characters, are kept.
    """
    owners: dict[str, HtmlElement] = {}
    for element in tree.iter():
        if not _tag(element):
            continue
        key = _key(_own_text(element)[0])
        if len(key) >= 6:
            owners.setdefault(key, element)
    kept: list[str] = []
    for line in lines:
        key = _key(line)
        owner = owners.get(key) if len(key) >= 6 else None
        if owner is not None and stream_item(owner, article):
            continue
        kept.append(line)
    return kept
