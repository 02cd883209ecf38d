"""Every saved state of a brief on the web desk, and who approved which.

Each edit on the desk is saved as a new version (nothing is overwritten, so nothing is lost)
and also becomes the stored brief that ``zhibao render``/``publish`` read. Approval marks one
version with who and when.

    >>> versions = BriefVersions(store, topic="新质生产力")
    >>> v = versions.save(brief, note="编辑第 1 节标题", author="wang")
    >>> versions.approve(brief.date, v.number, user="wang").approved_by
    'wang'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from zhibao.core.model import Brief, CoveredEvent
from zhibao.core.time import now_utc
from zhibao.store.briefs import upsert_brief_row
from zhibao.store.desk_tables import BriefVersionRow
from zhibao.store.tables import BriefRow, CoveredEventRow

if TYPE_CHECKING:
    from zhibao.store._store import Store

__all__ = ["BriefVersion", "BriefVersions"]


@dataclass
class BriefVersion:
    number: int
    brief: Brief
    note: str
    author: str
    created_at: datetime
    parked: list[dict[str, Any]] = field(default_factory=list)  # excluded sections + references
    approved_by: str | None = None
    approved_at: datetime | None = None


def _version(row: BriefVersionRow) -> BriefVersion:
    return BriefVersion(
        number=row.number,
        brief=Brief.model_validate(row.data),
        note=row.note,
        author=row.author,
        created_at=row.created_at,
        parked=list(row.parked or []),
        approved_by=row.approved_by,
        approved_at=row.approved_at,
    )


class BriefVersions:
    """Version history of the briefs of one topic."""

    def __init__(self, store: Store, *, topic: str):
        self.store = store
        self.topic = topic
        self._sessions = store._sessions

    def latest(self, day: date) -> BriefVersion | None:
        """The newest version, or version 1 made from the stored brief when there is none yet."""
        with self._sessions() as session:
            row = session.scalar(self._query(day).order_by(BriefVersionRow.number.desc()).limit(1))
            if row is not None:
                return _version(row)
        brief = self.store.brief(day, topic=self.topic)
        if brief is None:
            return None
        writers = sorted({s.writer for s in brief.sections if s.writer})
        return self.save(brief, note=f"初稿（{'、'.join(writers) or '写作器'}）", author="zhibao")

    def history(self, day: date) -> list[BriefVersion]:
        """All versions of the day, newest first."""
        with self._sessions() as session:
            rows = session.scalars(self._query(day).order_by(BriefVersionRow.number.desc())).all()
            return [_version(r) for r in rows]

    def get(self, day: date, number: int) -> BriefVersion | None:
        with self._sessions() as session:
            row = session.scalar(self._query(day).where(BriefVersionRow.number == number))
            return _version(row) if row else None

    def save(
        self,
        brief: Brief,
        *,
        note: str,
        author: str,
        parked: list[dict[str, Any]] | None = None,
    ) -> BriefVersion:
        """Add ``brief`` as the next version and make it the stored brief of its date."""
        data = brief.model_dump(mode="json", exclude_none=True)
        for _attempt in range(5):
            now = now_utc()
            try:
                with self._sessions() as session, session.begin():
                    number = (
                        session.scalar(
                            select(func.max(BriefVersionRow.number)).where(
                                BriefVersionRow.topic == self.topic,
                                BriefVersionRow.date == brief.date,
                            )
                        )
                        or 0
                    ) + 1
                    row = BriefVersionRow(
                        topic=self.topic,
                        date=brief.date,
                        number=number,
                        data=data,
                        parked=parked or [],
                        note=note,
                        author=author,
                        created_at=now,
                    )
                    session.add(row)
                    # The current row only; its covered events stay as the writer recorded them.
                    upsert_brief_row(session, self.topic, brief, data, now)
                    session.flush()
                    return _version(row)
            except IntegrityError:
                continue  # another editor saved the same number first; take the next one
        raise RuntimeError("无法保存简报版本：并发冲突重试 5 次仍失败")

    def approve(self, day: date, number: int, *, user: str) -> BriefVersion:
        with self._sessions() as session, session.begin():
            row = session.scalar(self._query(day).where(BriefVersionRow.number == number))
            if row is None:
                raise LookupError(f"{day} 没有第 {number} 版")
            row.approved_by, row.approved_at = user, now_utc()
            session.flush()
            return _version(row)

    def approved(self, day: date) -> BriefVersion | None:
        """The newest approved version of the day, if any."""
        with self._sessions() as session:
            row = session.scalar(
                self._query(day)
                .where(BriefVersionRow.approved_at.is_not(None))
                .order_by(BriefVersionRow.number.desc())
                .limit(1)
            )
            return _version(row) if row else None

    def dates(self) -> list[tuple[date, str, int]]:
        """Every stored brief: ``(date, status, versions)``, newest first."""
        with self._sessions() as session:
            counts = dict(
                session.execute(
                    select(BriefVersionRow.date, func.count(BriefVersionRow.id))
                    .where(BriefVersionRow.topic == self.topic)
                    .group_by(BriefVersionRow.date)
                ).all()
            )
            rows = session.execute(
                select(BriefRow.date, BriefRow.status)
                .where(BriefRow.topic == self.topic)
                .order_by(BriefRow.date.desc())
            ).all()
            return [(d, s, counts.get(d, 0)) for d, s in rows]

    # ------------------------------------------------------------------ continuity records

    def uncover(self, day: date, event_id: str) -> None:
        """An excluded event no longer counts as covered by the day's brief."""
        with self._sessions() as session, session.begin():
            brief_id = self._brief_id(session, day)
            if brief_id is not None:
                session.execute(
                    delete(CoveredEventRow).where(
                        CoveredEventRow.brief_id == brief_id, CoveredEventRow.event_id == event_id
                    )
                )

    def cover(self, day: date, record: CoveredEvent) -> None:
        with self._sessions() as session, session.begin():
            brief_id = self._brief_id(session, day)
            if brief_id is None:
                return
            session.execute(
                delete(CoveredEventRow).where(
                    CoveredEventRow.brief_id == brief_id,
                    CoveredEventRow.event_id == record.event_id,
                )
            )
            session.add(
                CoveredEventRow(
                    brief_id=brief_id,
                    brief_date=record.brief_date,
                    event_id=record.event_id,
                    data=record.model_dump(mode="json"),
                )
            )

    def _brief_id(self, session: Any, day: date) -> int | None:
        return session.scalar(
            select(BriefRow.id).where(BriefRow.topic == self.topic, BriefRow.date == day)
        )

    def _query(self, day: date):  # noqa: ANN202 - a SQLAlchemy Select
        return select(BriefVersionRow).where(
            BriefVersionRow.topic == self.topic, BriefVersionRow.date == day
        )
