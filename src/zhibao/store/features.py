"""Analysis features kept per document and topic, so a brief does not re-read every text.

The store keeps them as analysis hands them over (JSON data and signature bytes) and knows only
when they are current: the row's ``profile_key`` is the one asked for and its ``content_hash``
is the document's. What they mean is ``zhibao.analyze.features``' business.

    >>> entries = store.feature_index(since, until, topic="新质生产力", profile_key=key)
    >>> stale = [e.document_id for e in entries if e.data is None]
    >>> store.save_features("新质生产力", key, [(7, "sha1…", {"score": 3.0, …}, None)])
    >>> store.documents_by_id([7, 9])          # full documents, by id
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from zhibao.core.model import Document
from zhibao.store.tables import DocumentFeaturesRow, DocumentRow

__all__ = ["FeatureEntry", "FeatureMemory"]

_BATCH = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


@dataclass
class FeatureEntry:
    """One document of a window: its outline (everything but the text) and, when current,
    its stored features."""

    document_id: int
    outline: Document  # text left empty: read the full document with ``documents_by_id``
    content_hash: str
    data: dict[str, Any] | None  # None: no current features for this topic and profile key
    signature: bytes | None


def _chunks(items: Sequence[Any], size: int = _BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class FeatureMemory:
    """Store methods for the ``document_features`` table (mixed into ``Store``)."""

    _sessions: sessionmaker[Session]

    def feature_index(
        self, since: date, until: date, *, topic: str, profile_key: str
    ) -> list[FeatureEntry]:
        """Every document of ``since``..``until`` as ``documents(since, until, undated=True)``
        lists them (same days, same order), without texts, with the topic's current features."""
        from zhibao.store._store import _day_start  # the module that defines Store imports this

        d = DocumentRow
        f = DocumentFeaturesRow
        when = func.coalesce(d.published_at, d.fetched_at, d.first_seen)
        current = and_(
            f.document_id == d.id,
            f.topic == topic,
            f.profile_key == profile_key,
            f.content_hash == d.content_hash,
        )
        query = (
            select(
                d.id,
                d.canonical_url,
                d.url,
                d.title,
                d.published_at,
                d.source_id,
                d.source_org,
                d.language,
                d.content_hash,
                d.fetched_at,
                d.page_url,
                d.search_engine,
                f.data,
                f.signature,
            )
            .outerjoin(f, current)
            .where(when >= _day_start(since), when < _day_start(until + timedelta(days=1)))
            .order_by(when, d.id)
        )
        with self._sessions() as session:
            rows = session.execute(query).all()
        return [
            FeatureEntry(
                document_id=r.id,
                outline=Document(
                    url=r.url,
                    canonical_url=r.canonical_url,
                    title=r.title,
                    text="",
                    published_at=r.published_at,
                    source_id=r.source_id,
                    source_org=r.source_org,
                    language=r.language,
                    content_hash=r.content_hash,
                    fetched_at=r.fetched_at,
                    page_url=r.page_url,
                    search_engine=r.search_engine,
                ),
                content_hash=r.content_hash,
                data=r.data,
                signature=r.signature,
            )
            for r in rows
        ]

    def documents_by_id(self, ids: Sequence[int]) -> dict[int, Document]:
        """The full current documents with these ids (unknown ids are left out)."""
        from zhibao.store._store import _document

        found: dict[int, Document] = {}
        with self._sessions() as session:
            for part in _chunks(list(ids)):
                for row in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(part))):
                    found[row.id] = _document(row, row.canonical_url)
        return found

    def save_features(
        self,
        topic: str,
        profile_key: str,
        features: Iterable[tuple[int, str, dict[str, Any], bytes | None]],
    ) -> int:
        """Keep ``(document_id, content_hash, data, signature)`` as the topic's features under
        ``profile_key``, replacing what the topic had for those documents; returns the count."""
        rows = [
            {
                "document_id": document_id,
                "topic": topic,
                "profile_key": profile_key,
                "content_hash": content_hash,
                "data": data,
                "signature": signature,
            }
            for document_id, content_hash, data, signature in features
        ]
        f = DocumentFeaturesRow
        with self._sessions() as session, session.begin():
            for part in _chunks(rows):
                ids = [r["document_id"] for r in part]
                session.execute(delete(f).where(f.topic == topic, f.document_id.in_(ids)))
                session.execute(insert(f), list(part))
        return len(rows)

    def drop_features(self, topic: str) -> int:
        """Forget the topic's features (the next analysis scores every document again)."""
        f = DocumentFeaturesRow
        with self._sessions() as session, session.begin():
            return session.execute(delete(f).where(f.topic == topic)).rowcount or 0

    def count_features(self, topic: str, profile_key: str | None = None) -> int:
        """How many documents have features for ``topic`` (under ``profile_key``, if given)."""
        f = DocumentFeaturesRow
        query = select(func.count()).select_from(f).where(f.topic == topic)
        if profile_key is not None:
            query = query.where(f.profile_key == profile_key)
        with self._sessions() as session:
            return session.scalar(query) or 0
