"""Extraction: a fetched article page → a ``Document`` (title, date, organisation, clean text).

>>> from zhibao.extract import extract_document, canonical_url
>>> doc = extract_document(html, url, source=source, listed_date=day)
"""

from __future__ import annotations

from zhibao.core.urls import canonical_url, url_date
from zhibao.extract.document import ExtractError, content_hash, extract_document, find_published_at

__all__ = [
    "ExtractError",
    "canonical_url",
    "content_hash",
    "extract_document",
    "find_published_at",
    "url_date",
]
