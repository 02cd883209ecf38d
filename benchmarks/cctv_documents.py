"""Read the CCTV 新闻联播 development pages as ``Document``s (benchmark and evaluation input).

The pages live outside the repository (``../shared/data/cctv-2026-03-04/pages``); this module
reads them from the path it is given and never copies them. It prefers the project's own
extractor (``zhibao.extract.extract_document``) and falls back to reading the CCTV item page
layout with lxml (title in ``<title>``, body in ``#content_area``, URL in ``commentUrl``).
Round-ups (国内/国际联播快讯) come out as one document per story (``…shtml#story-N``, N as in
the day's running order (1)(2)…); index pages (whole episodes) are left out.

    .venv/bin/python benchmarks/cctv_documents.py ../shared/data/cctv-2026-03-04/pages > docs.jsonl
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.html

from zhibao.core.model import Document

CHINA = timezone(timedelta(hours=8))
_URL = re.compile(r'var commentUrl\s*=\s*"(https?://[^"]+)"')
_DAY = re.compile(r"(\d{2})(\d{2})(\d{2})\.shtml$")
ORG = "中央广播电视总台"


def _published(name: str) -> datetime | None:
    match = _DAY.search(name)
    if not match:
        return None
    yy, mm, dd = (int(g) for g in match.groups())
    # 新闻联播 is broadcast at 19:00 Beijing time; the item pages carry only the day.
    return datetime(2000 + yy, mm, dd, 19, 0, tzinfo=CHINA)


def parse_item_page(path: Path) -> Document | None:
    """One ``VIDE….shtml`` item page → ``Document`` (None for pages without a text body and
    for index pages such as the whole episode)."""
    raw = path.read_bytes()
    html = raw.decode("utf-8", errors="replace")
    match = _URL.search(html)
    url = match.group(1) if match else f"https://tv.cctv.com/{path.name}"
    try:
        from zhibao.extract import IndexPageError, extract_document
    except ImportError:
        extract_document = None
    if extract_document is not None:
        try:
            doc = extract_document(html, url)
        except IndexPageError:
            return None
        except Exception:  # noqa: BLE001 - fall back to the layout reader below
            doc = None
        if doc is not None:
            return doc.model_copy(
                update={
                    "published_at": doc.published_at or _published(path.name),
                    "source_org": doc.source_org or ORG,
                    "source_id": doc.source_id or "cctv",
                }
            )
    tree = lxml.html.fromstring(raw)
    title = (tree.findtext(".//title") or "").strip()
    title = re.sub(r"^\[视频\]", "", title).strip()
    body = tree.xpath('//*[@id="content_area"]')
    if not title or not body:
        return None
    paragraphs = [p.text_content().strip() for p in body[0].xpath(".//p")]
    text = "\n".join(p for p in paragraphs if p)
    if not text:
        return None
    return Document(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_at=_published(path.name),
        source_id="cctv",
        source_org=ORG,
        language="zh",
    )


def read_pages(pages_dir: str | Path) -> list[Document]:
    """Every story of the item pages of ``pages_dir`` (day index pages ``2026MMDD.shtml`` are
    skipped; a round-up page gives its stories)."""
    from zhibao.config import DEFAULT_ROUNDUP_TITLES
    from zhibao.extract import split_stories

    docs = []
    for path in sorted(Path(pages_dir).glob("VIDE*.shtml")):
        doc = parse_item_page(path)
        if doc is not None:
            docs.extend(split_stories(doc, DEFAULT_ROUNDUP_TITLES))
    return docs


if __name__ == "__main__":
    for document in read_pages(sys.argv[1]):
        sys.stdout.write(document.model_dump_json(exclude_none=True) + "\n")
