"""One fetched article page → one ``Document``."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lxml.etree import ParserError
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.utils import load_html

from zhibao.core.errors import ZhibaoError
from zhibao.core.model import Document, Source
from zhibao.core.text import content_hash
from zhibao.core.time import SHANGHAI
from zhibao.core.urls import url_date
from zhibao.extract.body import article_text, visible_lines
from zhibao.extract.dates import (
    DateBounds,
    at_midnight,
    find_visible_date,
    other_labelled_days,
    parse_datetime,
    title_line,
)
from zhibao.extract.density import densest_node
from zhibao.extract.govinfo import GovInfo, read_info_table
from zhibao.extract.junk import drop_code_lines, junk_reason
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

log = logging.getLogger(__name__)

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
    """A publication time and where it came from (meta, table, text, url, htmldate, list).

    ``rejected``: the dates the page gave that are impossible or implausible (2026-02-30,
    1900-01-01, a year ahead), each with where it stood and why; they were passed over.
    """

    value: datetime | None
    origin: str
    rejected: tuple[str, ...] = field(default=())


def _htmldate(tree: HtmlElement, url: str | None, bounds: DateBounds) -> date | None:
    from htmldate import find_date

    latest = bounds.latest or datetime.now(SHANGHAI) + timedelta(days=1)
    try:
        found = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%d",
            min_date=datetime.combine(bounds.earliest, datetime.min.time()),
            max_date=latest.replace(tzinfo=None),
        )
    except Exception:  # htmldate raises on odd markup; a missing date is the honest answer
        return None
    if not found:
        return None
    return date.fromisoformat(found)


def _why_rejected(text: str, bounds: DateBounds) -> str:
    """Why a date the page states was not taken (no calendar date, or out of bounds)."""
    loose = parse_datetime(text, DateBounds(date.min, datetime.max.replace(tzinfo=SHANGHAI)))
    if loose is None:
        return "不是有效的日期 (not a calendar date)"
    return bounds.problem(loose) or "无法解读 (unreadable)"


def _truncated_reading(day: date, rejected: list[str]) -> bool:
    """True when ``day`` is htmldate's reading of a rejected date cut to its month
    ("2026-02-30" → 2026-02-01): an impossible date is never turned into another."""
    month = f"{day.year:04d}-{day.month:02d}"
    return day.day == 1 and any(month in item for item in rejected)


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
    bounds: DateBounds | None = None,
    table_date: str = "",
) -> DateFinding:
    """Publication time: meta tags > information table 发布日期 > labelled/visible text > URL >
    htmldate > list page date.

    Every date must be a real calendar day within ``bounds`` (not before the floor, not after
    the fetch time + 1 day); one that is not is passed over for the next candidate and listed
    in ``rejected``. A 政府信息公开 table's 发布日期 (``table_date``, a day) wins over a meta
    date on another day; a meta date on the same day keeps its time.
    """
    bounds = bounds or DateBounds()
    meta = meta if meta is not None else meta_tags(tree)
    lines = lines if lines is not None else visible_lines(tree)
    rejected: list[str] = []

    def check(where: str, text: str) -> datetime | None:
        value = parse_datetime(text, bounds)
        if value is None and re.search(r"\d{2}", text):
            rejected.append(f"{where} {text!r}: {_why_rejected(text, bounds)}")
        return value

    def finding(value: datetime | None, origin: str) -> DateFinding:
        return DateFinding(value, origin, tuple(rejected))

    from_meta = None
    for key in DATE_META:
        if key in meta:
            from_meta = check(f"meta {key}", meta[key])
            if from_meta is not None:
                meta_key = key
                break
    from_table = check("发布日期", table_date) if table_date else None
    if from_table is not None and (from_meta is None or from_meta.date() != from_table.date()):
        return finding(from_table, "table")
    if from_meta is not None:
        return finding(from_meta, f"meta:{meta_key}")
    value = find_visible_date(
        lines,
        body_end=_body_end(lines, body_text),
        title_at=title_line(lines, title),
        bounds=bounds,
    )
    if value is not None:
        return finding(value, "text")
    if url:
        day = url_date(url)
        if day is not None and bounds.problem(at_midnight(day)) is None:
            return finding(at_midnight(day), "url")
    if use_htmldate:
        day = _htmldate(tree, url, bounds)
        # htmldate reads any date on the page: not one labelled as another day (出道日期).
        if (
            day is not None
            and not _truncated_reading(day, rejected)
            and day not in other_labelled_days(lines)
        ):
            return finding(at_midnight(day), "htmldate")
    if listed_date is not None and bounds.problem(at_midnight(listed_date)) is None:
        return finding(at_midnight(listed_date), "list")
    return finding(None, "none")


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


# Control characters other than tab and line breaks; text never has many of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_BINARY_SHARE = 0.1


def _refuse_non_html(html: str, url: str) -> str:
    """``html`` without stray NUL bytes; ExtractError for a PDF or binary data."""
    if html.lstrip()[:5] == "%PDF-":
        raise ExtractError(f"{url}: 这是 PDF 文件而不是网页 (a PDF served as HTML)")
    sample = html[:4096]
    # A stray NUL in a good page is dropped; binary data is dense with control characters.
    if sample and len(_CONTROL.findall(sample)) / len(sample) > _BINARY_SHARE:
        raise ExtractError(
            f"{url}: 内容是二进制文件而不是网页，前 4 KB 中控制字符占 "
            f"{len(_CONTROL.findall(sample)) * 100 // len(sample)}% (binary content served as HTML)"
        )
    return html.replace("\x00", "") if "\x00" in html else html


# The text is already decoded: the fallback parser must not guess a byte encoding again
# (the UTF-8 bytes of "关于" read as Latin-1 are "å…³äº").
_UTF8_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def _parse(html: str, url: str) -> HtmlElement:
    tree = load_html(html) if html.strip() else None
    if tree is None and html.strip():
        # load_html refuses markup it finds dubious (e.g. a page wrapped in a foreign root
        # element); lxml still reads it, and an empty result is caught by the text check.
        try:
            tree = document_fromstring(html.encode("utf-8", "replace"), parser=_UTF8_PARSER)
        except (ValueError, ParserError):
            tree = None
    if tree is None:
        raise ExtractError(f"{url}: 无法解析为 HTML，页面为空或已损坏 (empty or broken page)")
    return tree


def _document_text(text: str, title: str, info: GovInfo) -> str:
    """A 政府信息公开 document as it reads on paper: title, 文号 line, body, signature, date.

    Sites print the title (and often the 文号) above the body's container; they are put back
    in front of the body when the container lacks them.
    """
    lines = text.split("\n")
    squeezed = ["".join(line.split()) for line in lines[:4]]
    head = []
    if title and "".join(title.split()) not in squeezed:
        head.append(title)
    number = info.fields.get("doc_number", "")
    if number and "".join(number.split()) not in "".join(text.split()):
        head.append(number)
    return "\n".join([*head, *lines])


def _table_day(info: GovInfo, name: str, bounds: DateBounds, url: str) -> date | None:
    """A day from the table (成文日期), None when absent or not a plausible date (logged)."""
    text = info.fields.get(name, "")
    value = parse_datetime(text, bounds) if text else None
    if text and value is None:
        log.warning(
            "%s: 信息公开表中的日期 %r 不可信，已忽略：%s", url, text, _why_rejected(text, bounds)
        )
    return value.date() if value is not None else None


def extract_document(
    html: str,
    url: str,
    *,
    source: Source | None = None,
    fetched_at: datetime | None = None,
    listed_title: str | None = None,
    listed_date: date | None = None,
    earliest: date | None = None,
) -> Document:
    """Turn one decoded article page into a ``Document``.

    The ``source``'s own rules apply first: elements its ``remove_selectors`` match are cut
    from the page, and its ``body_selector`` containers are tried before the generic ones.
    A 政府信息公开 information table (索引号, 发文字号…) becomes the document's fields and is
    cut from the text. Dates must fall between ``earliest`` (else the source's
    ``earliest_published``, else 1990-01-01) and ``fetched_at`` + 1 day; the dates passed
    over are logged as warnings naming the URL.

    >>> doc = extract_document(html, "https://www.nda.gov.cn/sjj/ywpd/0523/2026…_pc.html")
    >>> doc.title, doc.published_at, doc.source_org

    Raises ``ExtractError`` when the page holds no article text, or when its "text" is mostly
    script, stylesheet, JSON or undecodable characters.
    """
    html = _refuse_non_html(html, url)
    page = apply_source_rules(html, source)
    tree = _parse(page.html, url)
    meta = meta_tags(tree)
    lines = visible_lines(tree)
    found_title = page_title(tree, meta)
    raw_title = " ".join((tree.findtext(".//title") or "").split())
    if is_index_title(raw_title) or is_index_title(found_title):
        raise IndexPageError(f"{url}: 索引页/列表页，不作为文档 (index or list page)")
    info = read_info_table(tree)
    for body in page.bodies:
        read_info_table(body)  # the source's body containers are copies: cut the table there too
    text = article_text(tree, url, bodies=page.bodies)
    junk = junk_reason(text)
    if junk:
        raise ExtractError(f"{url}: {junk}")
    text = drop_code_lines(text)
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
    title = (
        info.fields.get("title")
        or found_title
        or (listed_title or "").strip()
        or text.split("\n", 1)[0][:60]
    )
    if info.found:
        text = _document_text(text, title, info)
    if earliest is None and source is not None:
        earliest = source.earliest_published
    bounds = DateBounds.at(fetched_at, earliest)
    published = find_published_at(
        tree,
        url,
        meta=meta,
        lines=lines,
        listed_date=listed_date,
        body_text=text,
        title=title,
        bounds=bounds,
        table_date=info.fields.get("published", ""),
    )
    for rejected in published.rejected:
        log.warning("%s: 页面给出的日期不可信，已跳过：%s", url, rejected)
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
        doc_number=info.fields.get("doc_number", ""),
        issuer=info.fields.get("issuer", ""),
        written_at=_table_day(info, "written_at", bounds, url) if info.found else None,
        index_no=info.fields.get("index_no", ""),
        subject=info.fields.get("subject", ""),
    )
