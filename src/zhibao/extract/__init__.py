"""Extraction: a fetched article page → a ``Document`` (title, date, organisation, clean text);
a round-up page → one ``Document`` per story; an index page → ``IndexPageError``.

>>> from zhibao.extract import extract_document, canonical_url
>>> doc = extract_document(html, url, source=source, listed_date=day)
>>> stories = split_stories(doc, profile.roundup_titles + source.roundup_titles)
"""

from __future__ import annotations

from zhibao.core.urls import canonical_url, url_date
from zhibao.extract.document import (
    ExtractError,
    IndexPageError,
    content_hash,
    extract_document,
    find_published_at,
)
from zhibao.extract.stories import is_index_page, is_roundup, split_stories
from zhibao.extract.titles import clean_title

__all__ = [
    "ExtractError",
    "IndexPageError",
    "canonical_url",
    "clean_title",
    "content_hash",
    "extract_document",
    "find_published_at",
    "is_index_page",
    "is_roundup",
    "split_stories",
    "url_date",
]
