"""Links queued for the next run, and runs a killed process left "running".

A source whose list page offers more articles than a run may fetch (its per-run cap) keeps
the rest here; the next run takes them first, oldest first, and drops each one once it was
fetched or is found stored already.

    >>> store.queue_links("nda", [QueuedLink("nda", "https://…/a.html", "标题", None)])
    1
    >>> [link.url for link in store.queued_links("nda", limit=200)]
    ['https://…/a.html']

A run killed with ``kill -9`` cannot say it stopped. ``mark_interrupted_runs`` — called by
a new run once it holds the home's collection lock, so no other run can be alive — marks such
runs ``interrupted``; the per-source figures they recorded stay and still count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from zhibao.core.time import now_utc
from zhibao.store.tables import QueuedLinkRow, RunRow, RunSourceRow

__all__ = ["LinkQueue", "QueuedLink"]

_BATCH = 500  # URLs per IN (…) query: well under SQLite's parameter limit


@dataclass(frozen=True)
class QueuedLink:
    """An article link found by one run and left for a later one."""

    source_id: str
    url: str
    title: str | None = None
    listed_date: date | None = None
    queued_at: datetime | None = None


class LinkQueue:
    """The queue and stale-run methods of ``Store`` (mixed in; uses its session factory)."""

    _sessions: sessionmaker[Session]

    def queue_links(self, source_id: str, links: Iterable[QueuedLink]) -> int:
        """Queue ``links`` for ``source_id``; returns how many were new to the queue (a link
        queued already keeps its place)."""
        wanted: dict[str, QueuedLink] = {}
        for link in links:
            wanted.setdefault(link.url, link)
        urls = list(wanted)
        added = 0
        now = now_utc()
        with self._sessions() as session, session.begin():
            for start in range(0, len(urls), _BATCH):
                batch = urls[start : start + _BATCH]
                known = set(
                    session.scalars(
                        select(QueuedLinkRow.url).where(
                            QueuedLinkRow.source_id == source_id, QueuedLinkRow.url.in_(batch)
                        )
                    )
                )
                for url in batch:
                    if url in known:
                        continue
                    link = wanted[url]
                    session.add(
                        QueuedLinkRow(
                            source_id=source_id,
                            url=url,
                            title=link.title,
                            listed_date=link.listed_date,
                            queued_at=now,
                        )
                    )
                    added += 1
        return added

    def queued_links(self, source_id: str, *, limit: int | None = None) -> list[QueuedLink]:
        """The links queued for ``source_id``, oldest first (at most ``limit``)."""
        query = (
            select(QueuedLinkRow)
            .where(QueuedLinkRow.source_id == source_id)
            .order_by(QueuedLinkRow.queued_at, QueuedLinkRow.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return [
                QueuedLink(r.source_id, r.url, r.title, r.listed_date, r.queued_at)
                for r in session.scalars(query)
            ]

    def dequeue_link(self, source_id: str, url: str) -> None:
        """Drop ``url`` from the queue of ``source_id`` (fetched, or found stored)."""
        with self._sessions() as session, session.begin():
            session.execute(
                delete(QueuedLinkRow).where(
                    QueuedLinkRow.source_id == source_id, QueuedLinkRow.url == url
                )
            )

    def count_queued(self, source_id: str | None = None) -> int:
        query = select(func.count(QueuedLinkRow.id))
        if source_id is not None:
            query = query.where(QueuedLinkRow.source_id == source_id)
        with self._sessions() as session:
            return session.scalar(query) or 0

    def mark_interrupted_runs(self, *, before: int | None = None) -> list[int]:
        """Mark every run still ``running`` (only those with an id below ``before``, when
        given) as ``interrupted``; returns their ids.

        Call it only when no run can be alive (the caller holds the collection lock). The
        run's ``finished_at`` becomes its last sign of life: the latest per-source record, else
        its start.
        """
        with self._sessions() as session, session.begin():
            query = select(RunRow).where(RunRow.status == "running")
            if before is not None:
                query = query.where(RunRow.id < before)
            stale = list(session.scalars(query.order_by(RunRow.id)))
            for run in stale:
                last = session.scalar(
                    select(func.max(RunSourceRow.recorded_at)).where(RunSourceRow.run_id == run.id)
                )
                run.status, run.finished_at = "interrupted", last or run.started_at
            return [run.id for run in stale]
