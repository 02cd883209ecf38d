"""A source's own extraction rules from ``sources.yaml``: ``remove_selectors`` and ``body_selector``.

What one site needs (its article container, the widgets it wraps around articles) is
configuration, not code: the generic path (CMS containers, density scorer, template lines)
serves every other page. Selectors are CSS, matched by soupsieve through BeautifulSoup — the
engine ``link_selector`` runs on in collect — so one dialect serves all of ``sources.yaml``.

    >>> page = apply_source_rules(html, source)
    >>> tree = parse(page.html)             # the page without the removed elements
    >>> page.bodies                         # the first match of each body_selector, in order
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from lxml.html import HtmlElement, fragment_fromstring

from zhibao.core.model import Source

__all__ = ["SourcePage", "apply_source_rules"]


@dataclass
class SourcePage:
    """A page after its source's rules: HTML without the removed elements, body candidates."""

    html: str
    bodies: list[HtmlElement] = field(default_factory=list)


def apply_source_rules(html: str, source: Source | None) -> SourcePage:
    """Cut what ``remove_selectors`` match, then take the first match of each ``body_selector``.

    A source without rules (or no source) leaves the page untouched and unparsed.
    """
    if source is None or not (source.body_selector or source.remove_selectors):
        return SourcePage(html)
    soup = BeautifulSoup(html, "lxml")
    removed = False
    for selector in source.remove_selectors:
        for element in soup.select(selector):
            element.decompose()
            removed = True
    bodies = []
    for selector in source.body_selector:
        found = soup.select_one(selector)
        if found is not None:
            # A <td> or <li> cannot stand alone; the wrapper keeps its text whatever it is.
            bodies.append(fragment_fromstring(str(found), create_parent="div"))
    return SourcePage(str(soup) if removed else html, bodies)
