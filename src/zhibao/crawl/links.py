"""Reading a list page: which links are articles, what date stands next to each, where the
next page is.

With ``link_selector`` the source says which links count. Without it, article links are
discovered: same site, a date (or an article id) in the URL as government and media CMSs put
it (``/0523/20260523…_pc.html``, ``/t20260523_1.html``, ``/2026-05/23/c_….htm``,
``/20260523/<hash>/c.html``, ``/n1/2026/0523/c….html``), a link text long enough to be a
headline, and not a list, index or pagination link.

    >>> page = ListPage(html, "https://www.nda.gov.cn/sjj/ywpd/list/index_pc_1.html")  # doctest: +SKIP
    >>> [(link.url, link.title, link.listed_date) for link in page.links()]              # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

# One reading of dates in URLs and of "same site" for the whole program: extract's.
from zhibao.core.urls import same_site, url_date

__all__ = [
    "ListPage",
    "ListedLink",
    "derived_next_page",
    "looks_like_article",
    "same_site",
    "url_date",
]

MIN_TITLE_CHARS = 6  # menu entries (新闻发布, 政策解读) are shorter than any headline

# Article URLs that carry an id but no day: gov.cn /202605/content_7023456.htm, 光明网 content_…
_ARTICLE_IDS = re.compile(
    r"(/content_\w+\.s?html?$|/c_\d+\.s?html?$|/c\d+-\d+\.html$|/art_\d+_\d+\.html$|/t\d{8}_\d+)"
)
_LISTING = re.compile(
    r"(?:^|/)(?:[A-Za-z0-9]*index|list|default|home)(?:_pc|_mobile)?(?:_\d+)?\.s?html?$"
    r"|/node_\d+\.s?htm|/list/|/$"
)
_NAV_WORDS = {
    "首页",
    "上一页",
    "下一页",
    "尾页",
    "末页",
    "更多",
    "更多>>",
    "more",
    "next",
    "返回",
    "查看更多",
}
_TEXT_DATE = re.compile(r"(20\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_MONTH_DAY = re.compile(r"(?<![\d.-])(\d{1,2})\s*[-./月]\s*(\d{1,2})日?(?![\d])")
_NEXT_WORDS = ("下一页", "下页", "后一页", "next", "»", "›", ">")
_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']"
)
_PAGED = re.compile(r"^(?P<stem>.*?(?:index|list)(?:_pc)?_)(?P<n>\d+)(?P<ext>\.s?html?)$")
_FIRST_PAGE = re.compile(r"^(?P<stem>.*?(?:index|list)(?:_pc)?)(?P<ext>\.s?html?)$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ListedLink:
    """An article link found on a list page, with the headline and date the list shows."""

    url: str
    title: str | None
    listed_date: date | None


def _real_date(y: str, m: str, d: str) -> date | None:
    try:
        found = date(int(y), int(m), int(d))
    except ValueError:
        return None
    return found if 2000 <= found.year <= 2100 else None


def looks_like_article(url: str) -> bool:
    return url_date(url) is not None or _ARTICLE_IDS.search(urlsplit(url).path) is not None


def _text(node: Tag) -> str:
    return _SPACE.sub(" ", node.get_text(" ", strip=True)).strip()


def text_date(
    text: str, *, year_hint: int | None = None, month_hint: int | None = None
) -> date | None:
    """A date written in list text: ``2026-05-23``, ``2026年5月23日``, or ``05-23`` with a year hint."""
    if match := _TEXT_DATE.search(text):
        return _real_date(*match.groups())
    if year_hint and (match := _MONTH_DAY.search(text)):
        month, day = int(match.group(1)), int(match.group(2))
        # A list read in January shows December items from the year before.
        year = year_hint - 1 if month_hint and month > month_hint else year_hint
        return _real_date(str(year), str(month), str(day))
    return None


def derived_next_page(url: str) -> str | None:
    """Page 2 of a CMS list by its URL: ``index_pc_1.html`` → ``index_pc_2.html``,
    ``A093702index_1.htm`` → ``A093702index_2.htm``, ``index.htm`` → ``index_1.htm``."""
    parts = urlsplit(url)
    path = parts.path
    if match := _PAGED.match(path):
        path = f"{match['stem']}{int(match['n']) + 1}{match['ext']}"
    elif match := _FIRST_PAGE.match(path):
        path = f"{match['stem']}_1{match['ext']}"
    else:
        return None
    return parts._replace(path=path, query="", fragment="").geturl()


class ListPage:
    """One fetched list page, parsed once."""

    def __init__(self, html: str, url: str):
        self.url = url
        self.soup = BeautifulSoup(html, "lxml")
        base = self.soup.find("base", href=True)
        self.base = urljoin(url, base["href"]) if isinstance(base, Tag) else url

    def _absolute(self, href: str | None) -> str | None:
        if not href:
            return None
        href = href.strip()
        if href.startswith(("javascript:", "mailto:", "tel:", "#")):
            return None
        absolute = urljoin(self.base, href).split("#", 1)[0]
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None

    @staticmethod
    def _title(anchor: Tag) -> str:
        text = _text(anchor)
        attr = str(anchor.get("title") or "").strip()
        # Lists cut long headlines ("…") or wrap them in badges ("完整版", "置顶"); the title
        # attribute usually holds the clean, whole headline.
        return attr if attr and (attr in text or len(attr) > len(text.rstrip("…. "))) else text

    def links(
        self,
        *,
        link_selector: str | None = None,
        date_selector: str | None = None,
        include: Sequence[re.Pattern[str]] = (),
        exclude: Sequence[re.Pattern[str]] = (),
        year_hint: int | None = None,
        month_hint: int | None = None,
    ) -> list[ListedLink]:
        """Article links in page order, each once; ``include``/``exclude`` match the full URL."""
        found: dict[str, tuple[Tag, str]] = {}
        for anchor in self._candidates(link_selector):
            url = self._absolute(anchor.get("href"))  # type: ignore[arg-type]
            if url is None or url == self.url:
                continue
            if exclude and any(p.search(url) for p in exclude):
                continue
            title = self._title(anchor)
            if link_selector is None and not self._discoverable(url, title, include):
                continue
            if link_selector is not None and include and not any(p.search(url) for p in include):
                continue
            if url not in found or len(title) > len(found[url][1]):
                found[url] = (anchor, title)
        anchors = {id(anchor) for anchor, _ in found.values()}
        out = []
        for url, (anchor, title) in found.items():
            near = self._date_near(anchor, anchors, date_selector, year_hint, month_hint)
            out.append(ListedLink(url=url, title=title or None, listed_date=near or url_date(url)))
        return out

    def _candidates(self, link_selector: str | None) -> list[Tag]:
        if link_selector is None:
            return self.soup.find_all("a", href=True)
        out: list[Tag] = []
        for node in self.soup.select(link_selector):
            if node.name == "a" and node.get("href"):
                out.append(node)
            elif (inner := node.find("a", href=True)) is not None:
                out.append(inner)
            elif (outer := node.find_parent("a", href=True)) is not None:
                out.append(outer)
        return out

    def _discoverable(self, url: str, title: str, include: Sequence[re.Pattern[str]]) -> bool:
        if not same_site(url, self.url) or title.lower() in _NAV_WORDS:
            return False
        if include:  # the source names its article URLs: trust that over the heuristics
            return any(p.search(url) for p in include) and len(title) >= 2
        if _LISTING.search(urlsplit(url).path) and not url_date(url):
            return False
        return looks_like_article(url) and len(title) >= MIN_TITLE_CHARS

    def _date_near(self, anchor, anchors, date_selector, year_hint, month_hint) -> date | None:
        """The date in the smallest enclosing item (≤ 3 levels up) that holds no other headline."""
        node: Tag | None = anchor
        for _ in range(4):
            if node is None:
                return None
            if node is not anchor and any(
                a is not anchor and (id(a) in anchors or len(_text(a)) >= MIN_TITLE_CHARS)
                for a in node.find_all("a", href=True)
            ):
                return None  # this element holds other headlines: its dates are theirs
            if date_selector:
                for hit in node.select(date_selector):
                    if found := text_date(_text(hit), year_hint=year_hint, month_hint=month_hint):
                        return found
            elif node is not anchor:
                rest = _text(node).replace(_text(anchor), " ")
                if found := text_date(rest, year_hint=year_hint, month_hint=month_hint):
                    return found
            node = node.parent if isinstance(node.parent, Tag) else None
        return None

    def next_page(self) -> str | None:
        """The page after this one: a "下一页"/rel=next link, else the TRS ``createPageHTML`` pager."""
        for anchor in self.soup.find_all("a", href=True):
            rel = anchor.get("rel") or []
            text = _text(anchor).lower()
            if "next" in rel or text.startswith(_NEXT_WORDS[:3]) or text in _NEXT_WORDS:
                url = self._absolute(anchor.get("href"))  # type: ignore[arg-type]
                if url and url != self.url:
                    return url
        for script in self.soup.find_all("script"):
            if match := _TRS_PAGER.search(script.get_text()):
                total, current, prefix, ext = int(match[1]), int(match[2]), match[3], match[4]
                if current + 1 < total:
                    return urljoin(self.url, f"{prefix}_{current + 1}.{ext}")
                return None
        return None
