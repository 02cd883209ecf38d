"""The demo's search engine: a SearXNG-shaped JSON answer over the demo's own pages.

``GET /searxng/search?q=…&format=json&time_range=week`` on the demo server answers like a
SearXNG instance (``results[]`` with ``url``, ``title``, ``content``, ``publishedDate``,
``engine``): every demo article (``manifest.yaml``) and every search-only page
(``search_only.yaml``) whose title or text holds all the words of the query, title hits
first. ``time_range`` counts back from the snapshot's moment (the brief's cut-off on
2026-05-25), as a real engine counts back from now. Without ``format=json`` it answers 403,
as SearXNG does when the json format is not enabled.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from zhibao.core.time import SHANGHAI
from zhibao.runs.demo_sites import SEARCH_ONLY_DIR, WWW_DIR, load_manifest

__all__ = ["DemoPage", "demo_index", "search_answer"]

NOW = datetime(2026, 5, 25, 8, 0, tzinfo=SHANGHAI)  # the demo brief's cut-off
_RANGES = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=31)}
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_MAX_RESULTS = 10


@dataclass(frozen=True)
class DemoPage:
    path: str
    title: str
    text: str
    published: datetime


def _page_text(file: Path) -> str:
    raw = file.read_bytes()
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("gbk", errors="replace")  # the 人民网-like pages
    return " ".join(html.unescape(_TAGS.sub(" ", decoded)).split())


@cache
def demo_index() -> tuple[DemoPage, ...]:
    manifest = load_manifest()
    pages = []
    for entry, root in [
        *((a, WWW_DIR) for a in manifest.articles),
        *((p, SEARCH_ONLY_DIR) for p in manifest.search_only),
    ]:
        file = root / entry["path"].lstrip("/")
        if not file.is_file() or entry.get("broken"):
            continue
        published = entry.get("published")
        moment = (
            datetime.fromisoformat(published)
            if published
            else datetime.fromisoformat(f"{entry['date']}T12:00:00+08:00")
        )
        pages.append(DemoPage(entry["path"], entry["title"], _page_text(file), moment))
    return tuple(pages)


def search_answer(params: dict[str, str], base_url: str) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for the query ``params`` of one ``/searxng/search`` request."""
    if params.get("format") != "json":
        return 403, b"<html><body>json format is not enabled (search.formats)</body></html>"
    query = params.get("q", "")
    words = query.split()
    since = NOW - _RANGES[params["time_range"]] if params.get("time_range") in _RANGES else None
    hits = [
        page
        for page in demo_index()
        if words
        and all(w in page.title or w in page.text for w in words)
        and (since is None or since <= page.published <= NOW)
    ]
    hits.sort(key=lambda p: (-sum(w in p.title for w in words), p.path))
    results: list[dict[str, Any]] = [
        {
            "url": base_url + page.path,
            "title": page.title,
            "content": page.text[:120],
            "publishedDate": page.published.isoformat(),
            "engine": "demo",
            "engines": ["demo"],
            "category": "general",
        }
        for page in hits[:_MAX_RESULTS]
    ]
    body = {
        "query": query,
        "number_of_results": len(hits),
        "results": results,
        "answers": [],
        "corrections": [],
        "infoboxes": [],
        "suggestions": [],
        "unresponsive_engines": [],
    }
    return 200, json.dumps(body, ensure_ascii=False).encode("utf-8")
