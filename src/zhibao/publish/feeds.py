"""RSS 2.0 and Atom 1.0 feeds of the published briefs (built with ElementTree: every text is
escaped by the XML writer, never pasted into markup)."""

from __future__ import annotations

import html
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import format_datetime
from typing import Any

__all__ = ["FeedEntry", "atom_feed", "entry_id", "rss_feed"]

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("5c1b8a52-7d1e-4c55-9a53-2f1f0e6f8a11")  # zhibao's feed ids


def entry_id(title: str, day: str) -> str:
    """A stable id for the brief of ``day`` under ``title``: republishing keeps it."""
    return uuid.uuid5(_NAMESPACE, f"{title}/{day}").urn


# One manifest entry: ``date``, ``title``, ``summary``, ``page``, ``published_at``,
# ``updated_at`` (ISO 8601), ``files`` (format → relative path), ``html`` (body fragment).
FeedEntry = dict[str, Any]


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def rss_feed(
    entries: list[FeedEntry], *, title: str, description: str, base: str, lang: str = "zh-CN"
) -> bytes:
    """RSS 2.0; ``base`` ('' or an absolute URL ending in /) is put before every link."""
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", base or "index.html")
    _sub(channel, "description", description or title)
    _sub(channel, "language", lang)
    _sub(channel, "generator", "zhibao")
    if entries:
        _sub(channel, "lastBuildDate", format_datetime(max(_when(e["updated_at"]) for e in entries)))
    if base:
        _sub(channel, f"{{{ATOM}}}link", href=base + "feed.xml", rel="self", type="application/rss+xml")
    for entry in entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry["title"])
        _sub(item, "link", base + entry["page"])
        _sub(item, "guid", entry_id(title, entry["date"]), isPermaLink="false")
        _sub(item, "pubDate", format_datetime(_when(entry["published_at"])))
        # Readers take an RSS description as HTML: escape the plain-text summary once more so
        # that a "<script>" in it is shown, never run.
        _sub(item, "description", html.escape(entry["summary"]))
        if "pdf" in entry["files"]:
            _sub(
                item,
                "enclosure",
                url=base + entry["files"]["pdf"],
                length=str(entry.get("pdf_bytes", 0)),
                type="application/pdf",
            )
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def atom_feed(entries: list[FeedEntry], *, title: str, author: str, base: str) -> bytes:
    """Atom 1.0 with the full brief as HTML content of each entry."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    _sub(feed, f"{{{ATOM}}}title", title)
    _sub(feed, f"{{{ATOM}}}id", entry_id(title, "feed"))
    updated = max((_when(e["updated_at"]) for e in entries), default=None)
    _sub(feed, f"{{{ATOM}}}updated", (updated or datetime.fromtimestamp(0).astimezone()).isoformat())
    _sub(feed, f"{{{ATOM}}}link", href=base or "index.html", rel="alternate", type="text/html")
    if base:
        _sub(feed, f"{{{ATOM}}}link", href=base + "atom.xml", rel="self")
    _sub(_sub(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", author or title)
    _sub(feed, f"{{{ATOM}}}generator", "zhibao")
    for entry in entries:
        item = _sub(feed, f"{{{ATOM}}}entry")
        _sub(item, f"{{{ATOM}}}title", entry["title"])
        _sub(item, f"{{{ATOM}}}id", entry_id(title, entry["date"]))
        _sub(item, f"{{{ATOM}}}published", entry["published_at"])
        _sub(item, f"{{{ATOM}}}updated", entry["updated_at"])
        _sub(item, f"{{{ATOM}}}link", href=base + entry["page"], rel="alternate", type="text/html")
        for kind, path in entry["files"].items():
            _sub(item, f"{{{ATOM}}}link", href=base + path, rel="enclosure", title=kind)
        _sub(item, f"{{{ATOM}}}summary", entry["summary"])
        _sub(item, f"{{{ATOM}}}content", entry.get("html", ""), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
