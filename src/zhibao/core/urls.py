"""URLs of articles: the canonical form one document is stored under, and dates carried in paths.

>>> canonical_url("https://www.nda.gov.cn/sjj/ywpd/0523/20260523192352930828856_mobile.html?utm_source=wx#top")
'https://www.nda.gov.cn/sjj/ywpd/0523/20260523192352930828856_pc.html'
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["absolute_url", "canonical_url", "same_site", "url_date"]

# Query parameters that only say who shared a link or where it was clicked, never which page it is.
_TRACKING_EXACT = {
    "spm",
    "from",
    "fr",
    "fromid",
    "fromtitle",
    "ref",
    "referer",
    "refer",
    "scene",
    "sharer",
    "sharer_sharetime",
    "sharer_shareid",
    "isappinstalled",
    "wfr",
    "clicktime",
    "enterid",
    "timestamp",
    "gclid",
    "fbclid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_i",
    "log_from",
    "cre",
    "mod",
    "loc",
    "r",
    "doct",
    "rfunc",
    "hsid",
    "nsid",
    "tj_cmode",
    "tj_sid",
    "tj_url",
    "ucheck",
    "sign",
    "stype",
    "sv",
    "market",
    "refer_scene",
    "depth_1-utm_source",
    "utm_relevant_index",
}
_TRACKING_PREFIXES = ("utm_", "share", "wt.", "hmsr", "hmpl", "hmcu", "hmkw", "hmci", "pk_")

_MOBILE_TWIN = re.compile(r"_(?:mobile|m|wap)(\.s?html?)$", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The form of ``url`` one article is stored under.

    Lower-cases scheme and host, drops the default port, the fragment and tracking parameters
    (``utm_*``, ``spm``, ``from``, ``share*``…), keeps the other parameters in their order, and
    maps the ``_mobile`` twin of a government page to its ``_pc`` page.
    """
    url = url.strip()
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    path = _MOBILE_TWIN.sub(r"_pc\1", path)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def absolute_url(base: str, href: str) -> str:
    """``href`` resolved against ``base`` (``//host/a`` and ``../a`` both work)."""
    return urljoin(base, href.strip())


def _site(host: str) -> str:
    # The registrable part is enough to say "same site": news.cn / www.news.cn, *.gov.cn agencies.
    labels = host.lower().split(".")
    if (
        len(labels) >= 3
        and labels[-2] in {"gov", "com", "org", "edu", "net", "ac"}
        and len(labels[-1]) == 2
    ):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(a: str, b: str) -> bool:
    """True when both URLs belong to one site (``www.nda.gov.cn`` and ``nda.gov.cn``)."""
    host_a, host_b = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return bool(host_a and host_b) and _site(host_a) == _site(host_b)


# Dates carried by article paths, most specific first; each yields (year, month, day).
_URL_DATES = [
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),  # /2026-05/23/c_1781107933166351.htm
    re.compile(r"/(?:t|c_?|doc-)?((?:19|20)\d{2})(\d{2})(\d{2})[_/-]"),  # /t20260523_1.html
    re.compile(r"/(?:\d{4})/((?:19|20)\d{2})(\d{2})(\d{2})\d{6,}"),  # /0523/20260523192352…_pc.html
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})\d{6,}"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),  # /n1/2026/0523/c1004-….html
    re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})/"),  # /2026/05/23/…
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),  # /20260523/…
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),  # /news/202605/08/content_….html
]


def url_date(url: str) -> date | None:
    """The publication day written in an article URL, or None.

    >>> url_date("https://www.cac.gov.cn/2026-05/23/c_1781107933166351.htm")
    datetime.date(2026, 5, 23)
    """
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None
