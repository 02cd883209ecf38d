"""One timezone for the whole product: briefs are dated in Beijing time (Asia/Shanghai).

    >>> from zhibao.core.time import SHANGHAI, today
    >>> today()                      # the brief day it is now in Beijing
    datetime.date(2026, 5, 25)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from zhibao.core.model import Document

__all__ = ["SHANGHAI", "at_midnight", "local_date", "now_utc", "today"]

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
