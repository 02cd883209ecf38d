"""One timezone for the whole product: briefs are dated in Beijing time (Asia/Shanghai).

    >>> from zhibao.core.time import SHANGHAI, today
    >>> today()                      # the brief day it is now in Beijing
    datetime.date(2026, 5, 25)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from zhibao.core.model import Document

__all__ = [
    "SHANGHAI",
    "at_midnight",
    "has_time_of_day",
    "local_date",
    "now_utc",
    "published_moment",
    "today",
]

SHANGHAI: tzinfo
try:
    SHANGHAI = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # pragma: no cover - a system without tz data
    # China has kept +08:00 without daylight saving since 1991, so a fixed offset is exact for news.
    SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def now_utc() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Beijing."""
    return datetime.now(SHANGHAI).date()


def at_midnight(day: date) -> datetime:
    """The first instant of a Beijing day."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def local_date(document: Document) -> date | None:
    """The publication day in Beijing time (None when the document has no date)."""
    published = document.published_at
    return published.astimezone(SHANGHAI).date() if published else None


def has_time_of_day(moment: datetime) -> bool:
    """False for a date without a time: extraction stores those at Beijing midnight."""
    local = moment.astimezone(SHANGHAI)
    return (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0)


def published_moment(document: Document, usual_time: str | None = None) -> datetime | None:
    """When ``document`` appeared, for deadlines: its own time when the page gave one; for a
    page that gave only its day, the source's usual hour (``"19:00"``), else the day's end."""
    published = document.published_at
    if published is None or has_time_of_day(published):
        return published
    day = published.astimezone(SHANGHAI).date()
    if usual_time:
        hour, minute = (int(part) for part in usual_time.split(":"))
        return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)
