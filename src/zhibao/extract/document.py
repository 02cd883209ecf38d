"""One fetched article page → one ``Document``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from lxml.etree import ParserError
from lxml.html import HtmlElement, document_fromstring
from trafilatura.utils import load_html

from zhibao.core.errors import ZhibaoError
from zhibao.core.model import Document, Source
from zhibao.core.text import content_hash
from zhibao.core.urls import url_date
from zhibao.extract.body import article_text, visible_lines
from zhibao.extract.dates import (
    at_midnight,
    find_visible_date,
    parse_datetime,
    title_line,
)
from zhibao.extract.density import densest_node
from zhibao.extract.metadata import (
    DATE_META,
    attachments,
    canonical_link,
    language,
    meta_tags,
    page_title,
    source_org,
)
from zhibao.extract.rules import apply_source_rules
from zhibao.extract.stories import is_index_page, is_index_title
from zhibao.extract.titles import clean_title

__all__ = [
    "DateFinding",
    "ExtractError",
    "IndexPageError",
    "content_hash",
    "extract_document",
    "find_published_at",
]

_CJK_SPACE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")

# Below this many characters of article text a page is a list, a stub or an error page.
MIN_TEXT_CHARS = 20
SHORT_TEXT_CHARS = 100


class ExtractError(ZhibaoError):
    """A page has no article to extract (broken page, list page, binary served as HTML…)."""


class IndexPageError(ExtractError):
    """An index page (a day's list, a channel, a whole episode): skipped, not a failure."""


@dataclass(frozen=True)
class DateFinding:
    """A publication time and where it came from (meta, text, url, htmldate, list)."""

    value: datetime | None
    origin: str


def _htmldate(tree: HtmlElement, url: str | None) -> date | None:
    from htmldate import find_date

    try:
        found = find_date(
            tree, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
    except Exception:  # htmldate raises on odd markup; a missing date is the honest answer
        return None
    if not found:
        return None
    return date.fromisoformat(found)


def find_published_at(
    tree: HtmlElement,
    url: str | None,
    *,
    meta: dict[str, str] | None = None,
    lines: list[str] | None = None,
    listed_date: date | None = None,
    body_text: str = "",
    title: str = "",
    use_htmldate: bool = True,
) -> DateFinding:
    """Publication time: meta tags > labelled/visible text > URL > htmldate > list page date."""
    meta = meta if meta is not None else meta_tags(tree)
    lines = lines if lines is not None else visible_lines(tree)
    for key in DATE_META:
        if key in meta:
            value = parse_datetime(meta[key])
            if value is not None:
                return DateFinding(value, f"meta:{key}")
    value = find_visible_date(
        lines, body_end=_body_end(lines, body_text), title_at=title_line(lines, title)
    )
    if value is not None:
        return DateFinding(value, "text")
    if url:
        day = url_date(url)
        if day is not None:
            return DateFinding(at_midnight(day), "url")
    if use_htmldate:
        day = _htmldate(tree, url)
        if day is not None:
            return DateFinding(at_midnight(day), "htmldate")
    if listed_date is not None:
        return DateFinding(at_midnight(listed_date), "list")
    return DateFinding(None, "none")


def _body_end(lines: list[str], body_text: str) -> int | None:
    """Index of the visible line holding the article's last paragraph, None if not found."""
    pieces = [piece.strip() for piece in re.split(r"[\n|]", body_text) if len(piece.strip()) >= 6]
    if not pieces:
        return None
    probe = " ".join(pieces[-1].split())[:15]
    for index in range(len(lines) - 1, -1, -1):
        if probe in lines[index]:
            return index
    return None


def _refuse_non_html(html: str, url: str) -> None:
    if html.lstrip()[:5] == "%PDF-":
        raise ExtractError(f"{url}: 这是 PDF 文件而不是网页 (a PDF served as HTML)")
    if "\x00" in html[:2048]:
        raise ExtractError(f"{url}: 内容是二进制文件而不是网页 (binary content served as HTML)")


def _parse(html: str, url: str) -> HtmlElement:
    tree = load_html(html) if html.strip() else None
    if tree is None and html.strip():
        # load_html refuses markup it finds dubious (e.g. a page wrapped in a foreign root
        # element); lxml still reads it, and an empty result is caught by the text check.
        try:
            tree = document_fromstring(html.encode("utf-8"))
        except (ValueError, ParserError):
            tree = None
    if tree is None:
        raise ExtractError(f"{url}: 无法解析为 HTML，页面为空或已损坏 (empty or broken page)")
    return tree


def extract_document(
    html: str,
    url: str,
    *,
    source: Source | None = None,
    fetched_at: datetime | None = None,
    listed_title: str | None = None,
    listed_date: date | None = None,
) -> Document:
    """Turn one decoded article page into a ``Document``.

    The ``source``'s own rules apply first: elements its ``remove_selectors`` match are cut
    from the page, and its ``body_selector`` containers are tried before the generic ones.

    >>> doc = extract_document(html, "https://www.nda.gov.cn/sjj/ywpd/0523/2026…_pc.html")
    >>> doc.title, doc.published_at, doc.source_org

    Raises ``ExtractError`` when the page holds no article text.
    """
    _refuse_non_html(html, url)
    page = apply_source_rules(html, source)
    tree = _parse(page.html, url)
    meta = meta_tags(tree)
    lines = visible_lines(tree)
    found_title = page_title(tree, meta)
    raw_title = " ".join((tree.findtext(".//title") or "").split())
    if is_index_title(raw_title) or is_index_title(found_title):
        raise IndexPageError(f"{url}: 索引页/列表页，不作为文档 (index or list page)")
    text = article_text(tree, url, bodies=page.bodies)
    if len(re.sub(r"\s", "", text)) < MIN_TEXT_CHARS or (
        len(text) < SHORT_TEXT_CHARS and densest_node(tree) is None
    ):
        # A short text on a page without one paragraph of prose is a heading and a byline
        # around a missing body (content loaded by script, a broken CMS page).
        raise ExtractError(
            f"{url}: 页面中没有找到正文 (no article text; a list page, stub or broken page?)"
        )
    if is_index_page(tree, title="", text=text):
        raise IndexPageError(f"{url}: 索引页/列表页，不作为文档 (index or list page)")
    title = found_title or (listed_title or "").strip() or text.split("\n", 1)[0][:60]
    published = find_published_at(
        tree, url, meta=meta, lines=lines, listed_date=listed_date, body_text=text, title=title
    )
    clean, column = clean_title(title)
    org = source_org(meta, lines) or (source.org if source else "")
    return Document(
        url=url,
        canonical_url=canonical_link(tree, meta, url),
        title=clean or title,
        column=column,
        text=text,
        published_at=published.value,
        source_id=source.id if source else None,
        source_org=org,
        language=language(text),
        attachments=attachments(tree, url),
        content_hash=content_hash(text),
        fetched_at=fetched_at,
    )
