"""Search backend answers, kept per engine, query and day (扩搜).

A search asked again the same day — a rerun of the collection or of the brief — is answered
from the store, so the backend (and a paid API's quota) is asked once per query and day.

    >>> store.put_search_results("searxng@127.0.0.1:8888", "数据要素", date(2026, 5, 25), results)
    >>> store.search_results("searxng@127.0.0.1:8888", "数据要素", date(2026, 5, 25))
    [{'url': 'https://www.nda.gov.cn/…', 'title': '…', …}]
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from zhibao.core.time import now_utc
from zhibao.store.tables import SearchCacheRow

__all__ = ["SearchCacheMemory"]


class SearchCacheMemory:
    """The search-cache methods of ``Store`` (mixed in; uses the store's session factory)."""

    _sessions: sessionmaker[Session]

    def search_results(self, engine: str, query: str, day: date) -> list[dict[str, Any]] | None:
        """The results kept for (``engine``, ``query``, ``day``), or None when never asked."""
        with self._sessions() as session:
            row = session.scalar(
                select(SearchCacheRow).where(
                    SearchCacheRow.engine == engine,
                    SearchCacheRow.query == query,
                    SearchCacheRow.day == day,
                )
            )
            return list(row.results) if row is not None else None

    def put_search_results(
        self, engine: str, query: str, day: date, results: list[dict[str, Any]]
    ) -> None:
        """Keep ``results`` (JSON values) for (``engine``, ``query``, ``day``), replacing any."""
        try:
            self._put_search_results(engine, query, day, results)
        except IntegrityError:
            # Another run stored the same key between our read and our insert: replace it.
            self._put_search_results(engine, query, day, results)

    def _put_search_results(
        self, engine: str, query: str, day: date, results: list[dict[str, Any]]
    ) -> None:
        with self._sessions() as session, session.begin():
            row = session.scalar(
                select(SearchCacheRow).where(
                    SearchCacheRow.engine == engine,
                    SearchCacheRow.query == query,
                    SearchCacheRow.day == day,
                )
            )
            if row is None:
                session.add(
                    SearchCacheRow(
                        engine=engine,
                        query=query,
                        day=day,
                        results=list(results),
                        fetched_at=now_utc(),
                    )
                )
            else:
                row.results, row.fetched_at = list(results), now_utc()

    def count_search_results(self) -> int:
        """How many (engine, query, day) answers are kept."""
        with self._sessions() as session:
            return session.scalar(select(func.count(SearchCacheRow.id))) or 0
