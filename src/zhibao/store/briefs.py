"""Stored briefs and the events they covered: what continuity and the trend judgment read.

Every brief belongs to a topic (the profile's ``name``); callers always say which.

>>> store.save_brief(brief, topic="新质生产力", covered=[covered_event(e, brief.date) for e in events])
>>> store.brief(date(2026, 5, 25), topic="新质生产力").status
'final'
>>> [c.event_id for c in store.covered_events(date(2026, 5, 18), topic="新质生产力")]
['ev-3924f9ac383a', …]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from zhibao.core.model import Brief, CoveredEvent
from zhibao.core.time import now_utc
from zhibao.store.tables import BriefRow, CoveredEventRow

__all__ = ["BriefMemory"]


class BriefMemory:
    """The brief methods of ``Store`` (mixed in; uses the store's session factory)."""

    _sessions: sessionmaker[Session]

    def save_brief(
        self,
        brief: Brief,
        *,
        topic: str,
        covered: Iterable[CoveredEvent] = (),
    ) -> int:
        """Store ``brief`` for (``topic``, its date), replacing an earlier version and its
        covered events; returns the row id."""
        covered = list(covered)
        try:
            return self._save_brief(brief, topic, covered)
        except IntegrityError:
            # Another editor or run inserted the same (topic, date) between our read and insert.
            return self._save_brief(brief, topic, covered)

    def _save_brief(self, brief: Brief, topic: str, covered: list[CoveredEvent]) -> int:
        data = brief.model_dump(mode="json", exclude_none=True)
        now = now_utc()
        with self._sessions() as session, session.begin():
            row, created = upsert_brief_row(session, topic, brief, data, now)
            if not created:
                session.execute(delete(CoveredEventRow).where(CoveredEventRow.brief_id == row.id))
            for record in covered:
                session.add(
                    CoveredEventRow(
                        brief_id=row.id,
                        brief_date=record.brief_date,
                        event_id=record.event_id,
                        data=record.model_dump(mode="json"),
                    )
                )
            return row.id

    def brief(self, day: date, *, topic: str) -> Brief | None:
        with self._sessions() as session:
            row = session.scalar(
                select(BriefRow).where(BriefRow.topic == topic, BriefRow.date == day)
            )
            return Brief.model_validate(row.data) if row else None

    def briefs(
        self, since: date | None = None, until: date | None = None, *, topic: str
    ) -> list[Brief]:
        """Stored briefs from ``since`` to ``until`` (inclusive), oldest first."""
        query = select(BriefRow).where(BriefRow.topic == topic)
        if since is not None:
            query = query.where(BriefRow.date >= since)
        if until is not None:
            query = query.where(BriefRow.date <= until)
        with self._sessions() as session:
            rows = session.scalars(query.order_by(BriefRow.date)).all()
            return [Brief.model_validate(r.data) for r in rows]

    def covered_events(self, since: date | None = None, *, topic: str) -> list[CoveredEvent]:
        """Events covered by the stored briefs dated ``since`` or later, oldest first."""
        query = select(CoveredEventRow).join(BriefRow, BriefRow.id == CoveredEventRow.brief_id)
        query = query.where(BriefRow.topic == topic)
        if since is not None:
            query = query.where(CoveredEventRow.brief_date >= since)
        with self._sessions() as session:
            rows = session.scalars(
                query.order_by(CoveredEventRow.brief_date, CoveredEventRow.id)
            ).all()
            return [CoveredEvent.model_validate(r.data) for r in rows]


def upsert_brief_row(
    session: Session, topic: str, brief: Brief, data: dict[str, Any], now: datetime
) -> tuple[BriefRow, bool]:
    """The (topic, date) row set to ``brief``; True when it was created (and flushed for its id)."""
    row = session.scalar(
        select(BriefRow).where(BriefRow.topic == topic, BriefRow.date == brief.date)
    )
    if row is not None:
        row.status, row.data, row.updated_at = brief.status, data, now
        return row, False
    row = BriefRow(
        topic=topic, date=brief.date, status=brief.status, data=data, created_at=now, updated_at=now
    )
    session.add(row)
    session.flush()
    return row, True
