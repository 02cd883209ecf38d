"""What a page says about itself: title, dates, issuing organisation, canonical link, attachments.

Government pages follow the 2017 website guideline (``ArticleTitle``, ``PubDate``,
``ContentSource`` meta tags); gov.cn uses ``firstpublishedtime``; media pages use Open Graph.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from zhibao.core.model import Attachment
from zhibao.core.urls import absolute_url, canonical_url, same_site

__all__ = [
    "attachments",
    "canonical_link",
    "language",
    "meta_tags",
    "page_title",
    "source_org",
]

# Publication-time meta names, most authoritative first (compared lower-cased).
DATE_META = (
    "pubdate",
    "firstpublishedtime",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish-time",
    "article:published_time",
    "og:published_time",
    "og:release_date",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "ptime",
    "releasedate",
    "date",
)
_ORG_META = ("contentsource", "source", "article:publisher_name", "og:site_name_org")


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta name|property|itemprop=… content=…>`` as a dict with lower-cased keys (first wins)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("name") or meta.get("property") or meta.get("itemprop") or ""
        content = meta.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


# ---------------------------------------------------------------------------- title

_SPACES = re.compile(r"\s+")
# "标题_国家数据局", "标题 | 人民网", "标题 - 新华网": these separators almost always end in a site name.
_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s)\s*([^_|｜]{1,30})$")
# "标题-新华网", "标题——中国政府网": a bare dash is also a title's own punctuation, so the
# part after it must look like a site or organisation name.
_DASH_SUFFIX = re.compile(r"\s*(?:-{1,2}|—{1,2}|–)\s*([^-—–]{2,20})$")
_SITE_NAME = re.compile(
    r"(?:网|局|部|委|办|院|署|会|政府|日报|报|新闻|频道|中心|平台|首页|官网|门户|在线|"
    r"\.(?:com|cn|net|org)|News|Online|Times|Post|Reuters|Daily)$",
    re.IGNORECASE,
)
_PREFIX_TAG = re.compile(r"^\s*[\[【](?:视频|图文|组图|图片|直播|专题|音频|独家)[\]】]\s*")


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """``全国数据工作会议召开_国家数据局`` → ``全国数据工作会议召开``."""
    title = _PREFIX_TAG.sub("", _clean(title))
    for _ in range(3):
        match = _SUFFIX.search(title)
        if not match:
            dash = _DASH_SUFFIX.search(title)
            tail = dash[1].strip() if dash else ""
            if dash and (_SITE_NAME.search(tail) or (site_name and tail == site_name)):
                match = dash
        if not match or len(title) - len(match[0]) < 4:
            break
        title = title[: match.start()].rstrip()
    return title


def page_title(tree: HtmlElement, meta: dict[str, str]) -> str:
    """The article title: ``ArticleTitle`` > h1 that the ``<title>`` confirms > og:title > title."""
    if meta.get("articletitle"):
        return _PREFIX_TAG.sub("", _clean(meta["articletitle"]))
    head_title = _clean(tree.findtext(".//title"))
    og_title = _clean(meta.get("og:title"))
    reference = head_title or og_title
    for h1 in tree.iter("h1"):
        text = _PREFIX_TAG.sub("", _clean(h1.text_content()))
        if len(text) >= 4 and reference and text in reference:
            return text
    for candidate in (og_title, head_title):
        if candidate:
            stripped = strip_site_suffix(candidate, _clean(meta.get("og:site_name")))
            if stripped:
                return stripped
    for tag in ("h1", "h2"):
        for heading in tree.iter(tag):
            text = _clean(heading.text_content())
            if len(text) >= 4:
                return text
    return ""


# ---------------------------------------------------------------------------- organisation

_ORG_LINE = re.compile(r"来源\s*[:：]\s*([^\s|，,。:：<>]{2,30})")
_NOT_ORG = re.compile(r"^(?:\d|作者|编辑|责任编辑|时间|发布)")


def source_org(meta: dict[str, str], lines: list[str]) -> str:
    """The issuing body named by ``ContentSource`` or by the visible ``来源：`` line, else ""."""
    for key in _ORG_META:
        value = _clean(meta.get(key))
        if value and not value.startswith("http") and len(value) <= 40:
            return value
    for line in lines:
        match = _ORG_LINE.search(line)
        if match and not _NOT_ORG.match(match[1]):
            return match[1].strip("【】[]()（）")
    return ""


# ---------------------------------------------------------------------------- canonical link


def canonical_link(tree: HtmlElement, meta: dict[str, str], url: str) -> str:
    """Canonical URL: ``<link rel=canonical>`` or ``og:url`` when on the same site, else ``url``."""
    candidates = [
        link.get("href", "")
        for link in tree.iter("link")
        if (link.get("rel") or "").strip().lower() == "canonical"
    ]
    candidates.append(meta.get("og:url", ""))
    for href in candidates:
        href = href.strip()
        if not href:
            continue
        target = absolute_url(url, href)
        # A canonical pointing at the home page is a template mistake, not this article.
        if same_site(target, url) and urlsplit(target).path.strip("/") != "":
            return canonical_url(target)
    return canonical_url(url)


# ---------------------------------------------------------------------------- attachments

_ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z)(?:$|[?#])", re.IGNORECASE)


def attachments(tree: HtmlElement, url: str) -> list[Attachment]:
    """Downloadable files linked from the page (PDF/DOC/DOCX/XLS/XLSX/WPS/ZIP…), absolute URLs."""
    found: dict[str, Attachment] = {}
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:")) or not _ATTACHMENT.search(href):
            continue
        target = absolute_url(url, href)
        if target in found:
            continue
        title = _clean(link.text_content()) or _clean(link.get("title"))
        if not title:
            title = urlsplit(target).path.rsplit("/", 1)[-1]
        found[target] = Attachment(url=target, title=title)
    return list(found.values())


# ---------------------------------------------------------------------------- language

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def language(text: str) -> str:
    """``zh`` when Chinese characters carry the text, else ``en`` (a word is ~5 Latin letters)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk * 5 >= latin else "en"
