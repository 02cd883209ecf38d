"""Full-text search in Chinese over briefs and documents.

Texts are cut into words by jieba (search mode, so 数据要素 also yields 数据 and 要素) and kept as
space-separated tokens in ``search_entries``. SQLite matches them with FTS5, PostgreSQL with a
``tsvector`` of the same tokens under the ``simple`` configuration; the query is cut the same way
and every word must occur.

    >>> index = SearchIndex(store)
    >>> index.sync()                       # documents and briefs changed since the last call
    >>> [hit.title for hit in index.search("数据要素 大赛")][:1]
    ['2026年“数据要素×”大赛启动']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Float, Integer, bindparam, column, delete, select, text

from zhibao.store.desk_tables import SearchEntryRow
from zhibao.store.tables import BriefRow, DocumentRow

if TYPE_CHECKING:
    from zhibao.core.model import Brief
    from zhibao.store._store import Store

__all__ = ["SearchHit", "SearchIndex", "is_search_table", "search_tokens"]

_FTS_TABLE = "search_fts"
_WORD = re.compile(r"\w", re.UNICODE)


def is_search_table(name: str | None) -> bool:
    """True for the FTS5 table and its shadow tables, which are not SQLAlchemy models
    (schema comparisons skip them)."""
    return bool(name) and (name == _FTS_TABLE or name.startswith(_FTS_TABLE + "_"))


def search_tokens(text_: str, *, query: bool = False) -> list[str]:
    """Lower-cased jieba words of ``text_`` without punctuation; search mode for indexing."""
    import jieba

    words = jieba.lcut(text_) if query else jieba.lcut_for_search(text_)
    return [w.lower() for w in (w.strip() for w in words) if w and _WORD.search(w)]


@dataclass(frozen=True)
class SearchHit:
    kind: str  # brief | document
    ref: str  # "<topic>/<date>" for a brief, the canonical URL for a document
    title: str
    day: date | None


def _brief_text(brief: Brief) -> str:
    parts = [brief.summary, brief.judgment.title, brief.judgment.text]
    for section in brief.sections:
        parts.append(section.heading)
        parts += [p.text for p in section.paragraphs]
    return "\n".join(parts)


def _hash(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


class SearchIndex:
    """The search index of one store; ``sync`` brings it up to date, ``search`` queries it."""

    def __init__(self, store: Store):
        self.store = store
        self.dialect = store._engine.dialect.name

    # ------------------------------------------------------------------ indexing

    def sync(self) -> int:
        """Index documents and briefs that are new or changed since they were indexed;
        returns how many entries were (re)written."""
        from zhibao.core.model import Brief

        with self.store._engine.connect() as conn:
            known = {
                (kind, ref): digest
                for kind, ref, digest in conn.execute(
                    select(SearchEntryRow.kind, SearchEntryRow.ref, SearchEntryRow.content_hash)
                )
            }
            stale_docs = [
                row
                for row in conn.execute(
                    select(DocumentRow.id, DocumentRow.canonical_url, DocumentRow.content_hash)
                )
                if known.get(("document", row.canonical_url)) != row.content_hash
            ]
            briefs = conn.execute(select(BriefRow.topic, BriefRow.date, BriefRow.data)).all()
        written = 0
        for row in stale_docs:
            doc = self.store.document(row.canonical_url)
            if doc is None:
                continue
            day = doc.published_at.date() if doc.published_at else None
            self._put(
                "document",
                doc.canonical_url,
                doc.title,
                day,
                row.content_hash,
                f"{doc.title}\n{doc.text}",
            )
            written += 1
        for topic, day, data in briefs:
            brief = Brief.model_validate(data)
            body = _brief_text(brief)
            ref = f"{topic}/{day.isoformat()}"
            if known.get(("brief", ref)) != _hash(body):
                title = f"{brief.masthead.title} {day.isoformat()}"
                self._put("brief", ref, title, day, _hash(body), body)
                written += 1
        return written

    def index_brief(self, brief: Brief, *, topic: str) -> None:
        """(Re)index one brief right away (the desk calls this after each save)."""
        body = _brief_text(brief)
        title = f"{brief.masthead.title} {brief.date.isoformat()}"
        self._put(
            "brief", f"{topic}/{brief.date.isoformat()}", title, brief.date, _hash(body), body
        )

    def _put(
        self, kind: str, ref: str, title: str, day: date | None, digest: str, body: str
    ) -> None:
        tokens = " ".join(search_tokens(body))
        with self.store._engine.begin() as conn:
            old = conn.scalar(
                select(SearchEntryRow.id).where(
                    SearchEntryRow.kind == kind, SearchEntryRow.ref == ref
                )
            )
            if old is not None:
                conn.execute(delete(SearchEntryRow).where(SearchEntryRow.id == old))
                if self.dialect == "sqlite":
                    conn.execute(text(f"DELETE FROM {_FTS_TABLE} WHERE rowid = :id"), {"id": old})
            new_id = conn.execute(
                SearchEntryRow.__table__.insert().values(
                    kind=kind, ref=ref, title=title, day=day, content_hash=digest, tokens=tokens
                )
            ).inserted_primary_key[0]
            if self.dialect == "sqlite":
                conn.execute(
                    text(f"INSERT INTO {_FTS_TABLE}(rowid, tokens) VALUES (:id, :tokens)"),
                    {"id": new_id, "tokens": tokens},
                )

    # ------------------------------------------------------------------ querying

    def search(self, query: str, *, kind: str | None = None, limit: int = 50) -> list[SearchHit]:
        """Entries containing every word of ``query``, best match first (newest on ties)."""
        words = search_tokens(query, query=True)
        if not words:
            return []
        columns = (
            SearchEntryRow.kind,
            SearchEntryRow.ref,
            SearchEntryRow.title,
            SearchEntryRow.day,
        )
        if self.dialect == "sqlite":
            # Each word as an FTS5 string ("…" with quotes doubled): no operator can be injected.
            match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
            ranked = text(
                f"SELECT rowid AS id, bm25({_FTS_TABLE}) AS rank FROM {_FTS_TABLE} "
                f"WHERE {_FTS_TABLE} MATCH :match"
            ).columns(column("id", Integer), column("rank", Float))
            sub = ranked.bindparams(bindparam("match", match)).subquery()
            query_ = (
                select(*columns)
                .join(sub, sub.c.id == SearchEntryRow.id)
                .order_by(sub.c.rank, SearchEntryRow.day.desc())
            )
        else:
            from sqlalchemy import func

            vector = func.to_tsvector("simple", SearchEntryRow.tokens)
            tsquery = func.plainto_tsquery("simple", " ".join(words))
            query_ = (
                select(*columns)
                .where(vector.op("@@")(tsquery))
                .order_by(func.ts_rank(vector, tsquery).desc(), SearchEntryRow.day.desc())
            )
        if kind is not None:
            query_ = query_.where(SearchEntryRow.kind == kind)
        with self.store._engine.connect() as conn:
            rows = conn.execute(query_.limit(limit)).all()
        return [SearchHit(kind=r.kind, ref=r.ref, title=r.title, day=r.day) for r in rows]
