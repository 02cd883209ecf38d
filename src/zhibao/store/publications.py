"""Every publication of a brief: who sent which version to which channels, and how it went.

Imported at the bottom of ``tables.py`` so that ``Base.metadata`` knows the table; migration
``0005`` creates it. The desk's 发布 button writes one record per click (failed channels
included), and the history page lists them. A channel that already delivered a version is not
sent that version again unless asked (``delivered``).

    >>> log = Publications(store, topic="新质生产力")
    >>> log.record(day, version=3, user="wang", outcomes=[("site", True, "/srv/site/briefs/…")])
    >>> log.history(day)[0].ok
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from zhibao.core.time import now_utc
from zhibao.store.tables import Base, UTCDateTime

if TYPE_CHECKING:
    from zhibao.store._store import Store

__all__ = ["Publication", "PublicationRow", "Publications"]


class PublicationRow(Base):
    """One publishing attempt; ``outcomes`` is ``[{"channel", "ok", "detail"}, …]``."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer)  # brief_versions.number that was sent
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)  # every channel delivered
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


@dataclass(frozen=True)
class Publication:
    version: int
    published_by: str
    published_at: datetime
    ok: bool
    outcomes: list[dict[str, Any]]

    @property
    def channels(self) -> list[str]:
        return [o["channel"] for o in self.outcomes]


def _publication(row: PublicationRow) -> Publication:
    return Publication(row.version, row.published_by, row.published_at, row.ok, list(row.outcomes))


class Publications:
    """The publication log of the briefs of one topic."""

    def __init__(self, store: Store, *, topic: str):
        self.topic = topic
        self._sessions = store._sessions

    def record(
        self,
        day: date,
        *,
        version: int,
        user: str,
        outcomes: Iterable[tuple[str, bool, str]],
    ) -> Publication:
        """Log one attempt; ``outcomes`` are ``(channel, ok, detail)``."""
        listed = [{"channel": c, "ok": bool(ok), "detail": d} for c, ok, d in outcomes]
        with self._sessions() as session, session.begin():
            row = PublicationRow(
                topic=self.topic,
                date=day,
                version=version,
                published_by=user,
                published_at=now_utc(),
                ok=all(o["ok"] for o in listed),
                outcomes=listed,
            )
            session.add(row)
            session.flush()
            return _publication(row)

    def history(self, day: date) -> list[Publication]:
        """The day's publications, newest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(PublicationRow)
                .where(PublicationRow.topic == self.topic, PublicationRow.date == day)
                .order_by(PublicationRow.id.desc())
            ).all()
            return [_publication(r) for r in rows]

    def delivered(self, day: date, version: int) -> dict[str, Publication]:
        """The channels version ``version`` of ``day`` already reached, each with the first
        publication that delivered it: what a second publish must not send again."""
        found: dict[str, Publication] = {}
        for publication in reversed(self.history(day)):  # oldest first
            if publication.version != version:
                continue
            for outcome in publication.outcomes:
                if outcome["ok"]:
                    found.setdefault(outcome["channel"], publication)
        return found
