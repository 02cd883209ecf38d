"""Every saved state of a brief on the web desk, and who approved which.

Each edit on the desk is saved as a new version (nothing is overwritten, so nothing is lost)
and also becomes the stored brief that ``zhibao render``/``publish`` read. Approval marks one
version with who and when.

A save may name the version it was edited from (``base``): it is stored only if that is still
the newest version. The check and the insert are one step, made atomic by the unique
constraint on (topic, date, number): two editors saving on version 7 at once both try to insert
version 8 and exactly one of them gets ``StaleVersion``.

Beside the brief each version keeps the desk's own state (``DeskState``): the editors' notes
per section and whether 摘要/今日判断 were written by hand or are out of date with the sections.
It is stored in the ``parked`` JSON column as one entry ``{"desk_state": {...}}``, so the
schema needs no migration.

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
from sqlalchemy.exc import IntegrityError, OperationalError

from zhibao.core.model import Brief, CoveredEvent
from zhibao.core.time import now_utc
from zhibao.store.briefs import upsert_brief_row
from zhibao.store.desk_tables import BriefVersionRow
from zhibao.store.tables import BriefRow, CoveredEventRow

if TYPE_CHECKING:
    from zhibao.store._store import Store

__all__ = ["BriefVersion", "BriefVersions", "DeskState", "StaleVersion"]

_STATE_KEY = "desk_state"


class StaleVersion(Exception):  # noqa: N818 - a state, not a failure of the store
    """The save was edited from ``base`` but version ``latest`` is already stored."""

    def __init__(self, base: int, latest: int):
        super().__init__(f"第 {base} 版已不是最新（最新为第 {latest} 版）")
        self.base = base
        self.latest = latest


@dataclass
class DeskState:
    """What the desk keeps beside a version's brief.

    ``notes``: section key (its event id, or ``#n``) → {"text", "author", "at"};
    ``by_hand``: parts (``summary``, ``judgment``) an editor wrote since they were generated;
    ``stale``: hand-written parts the sections have changed under since;
    ``manual``: canonical URLs of documents an editor added by hand as candidates.
    """

    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    by_hand: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"notes": self.notes, "by_hand": self.by_hand, "stale": self.stale}
        if self.manual:
            data["manual"] = self.manual
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DeskState:
        data = data or {}
        return cls(
            notes=dict(data.get("notes", {})),
            by_hand=list(data.get("by_hand", [])),
            stale=list(data.get("stale", [])),
            manual=list(data.get("manual", [])),
        )


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
    state: DeskState = field(default_factory=DeskState)
    # Only on the version a save just returned: what other editors had changed since the
    # version that save was edited from, merged in with it.
    merged: list[str] = field(default_factory=list)


def _version(row: BriefVersionRow) -> BriefVersion:
    stored = list(row.parked or [])
    state = next((p[_STATE_KEY] for p in stored if _STATE_KEY in p), None)
    return BriefVersion(
        number=row.number,
        brief=Brief.model_validate(row.data),
        note=row.note,
        author=row.author,
        created_at=row.created_at,
        parked=[p for p in stored if _STATE_KEY not in p],
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        state=DeskState.from_json(state),
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
        state: DeskState | None = None,
        base: int | None = None,
    ) -> BriefVersion:
        """Add ``brief`` as the next version and make it the stored brief of its date.

        With ``base``: only if version ``base`` is still the newest, else ``StaleVersion``
        (nothing is stored). Without: after whatever is newest (the first draft, scripts)."""
        data = brief.model_dump(mode="json", exclude_none=True)
        stored = [p for p in parked or [] if _STATE_KEY not in p]
        if state is not None:
            stored.append({_STATE_KEY: state.to_json()})
        for _attempt in range(5):
            now = now_utc()
            try:
                with self._sessions() as session, session.begin():
                    newest = self._newest(session, brief.date)
                    if base is not None and newest != base:
                        raise StaleVersion(base, newest)
                    row = BriefVersionRow(
                        topic=self.topic,
                        date=brief.date,
                        number=newest + 1,
                        data=data,
                        parked=stored,
                        note=note,
                        author=author,
                        created_at=now,
                    )
                    session.add(row)
                    # The current row only; its covered events stay as the writer recorded them.
                    upsert_brief_row(session, self.topic, brief, data, now)
                    session.flush()
                    return _version(row)
            except (IntegrityError, OperationalError):
                # Another editor stored this number first (or held the write lock): with a
                # base that is a conflict, found by the next attempt; else take the next number.
                continue
        raise RuntimeError("无法保存简报版本：并发冲突重试 5 次仍失败")

    def newest_number(self, day: date) -> int:
        """The number of the day's newest version (0 when there is none)."""
        with self._sessions() as session:
            return self._newest(session, day)

    def _newest(self, session: Any, day: date) -> int:
        return (
            session.scalar(
                select(func.max(BriefVersionRow.number)).where(
                    BriefVersionRow.topic == self.topic, BriefVersionRow.date == day
                )
            )
            or 0
        )

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
