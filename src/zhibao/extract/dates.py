"""Publication dates as Chinese government and media pages write them.

Formats seen in the wild: ``2026.05.23``, ``2026-05-23 19:23``, ``2026-05-23 19:23:52+08:00``,
``2026-05-23-19:23:52`` (gov.cn), ``2026年05月23日 19:23``, ``2026/5/23``, ISO 8601. A page that
gives no offset is read as Beijing time.

>>> parse_datetime("2026-05-23-19:23:52").isoformat()
'2026-05-23T19:23:52+08:00'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from zhibao.config.settings import EARLIEST_PUBLISHED
from zhibao.core.time import SHANGHAI

__all__ = [
    "SHANGHAI",
    "DateBounds",
    "byline_date",
    "find_labelled_date",
    "find_visible_date",
    "other_labelled_days",
    "title_line",
    "at_midnight",
    "parse_datetime",
]


_DATE = (
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:(?:\s*|T|\s*[-,]\s*)(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?"
    r"(?:\.\d+)?)?"
    r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?"
)
DATE_RE = re.compile(_DATE)
# ASP/IIS pages print US dates with a time: "9/17/2004 5:54:13 AM".
_US_DATE = re.compile(
    r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})\s+(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2}))?\s*(?P<ampm>[AP]M)?(?P<tz>)",
    re.IGNORECASE,
)
# Blog and wire templates in English: "Saturday, September 10th, 2005 10:56 am", "May 23, 2026".
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_EN_DATE = re.compile(
    r"\b(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+"
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)"
    r"(?:,?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
    r"(?P<tz>)",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")

# A label in front of a date says it is the publication time (not a related link's date).
# A bare 时间/日期 counts only as a label of its own: 出道日期, 出生日期, 截止时间 are not.
_LABELLED = re.compile(
    r"(?:发布时间|发表时间|发布日期|发文日期|成文日期|印发日期|更新时间|上传时间|发稿时间|"
    r"(?<![\u3400-\u9fff])(?:时间|日期)|发表于|发布于|Posted|Published|Updated|Date)\s*[:：]?\s*"
    r"[\[【(（]?\s*" + _DATE,
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(r"来源\s*[:：]")
# A date right after a label that is not a publication label (those are matched by _LABELLED
# first): 出生日期, 出道日期, 成立日期, 截止时间, 活动时间…
_OTHER_LABEL = re.compile(r"[\u3400-\u9fff](?:日期|时间)\s*[:：]?\s*$")

# Clock skew between a site and us: a date this far past the fetch time is still believable.
_SKEW = timedelta(days=1)


@dataclass(frozen=True)
class DateBounds:
    """The span a publication date must fall in: from ``earliest`` (a day) to ``latest``.

    ``latest`` is the fetch time plus a day of clock skew; by default, now plus a day.
    """

    earliest: date = EARLIEST_PUBLISHED
    latest: datetime | None = None

    @classmethod
    def at(cls, fetched_at: datetime | None, earliest: date | None = None) -> DateBounds:
        latest = fetched_at + _SKEW if fetched_at is not None else None
        return cls(earliest or EARLIEST_PUBLISHED, latest)

    def problem(self, value: datetime) -> str | None:
        """Why ``value`` cannot be a publication date, None when it can."""
        latest = self.latest or datetime.now(SHANGHAI) + _SKEW
        if value.date() < self.earliest:
            return f"早于 {self.earliest.isoformat()} (before the earliest plausible date)"
        if value > latest:
            return f"晚于抓取时间一天以上 (after the fetch time + 1 day: {latest.isoformat()})"
        return None


_DEFAULT_BOUNDS = DateBounds()


def _tz(text: str | None) -> tzinfo:
    if not text:
        return SHANGHAI
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _build(match: re.Match[str], bounds: DateBounds = _DEFAULT_BOUNDS) -> datetime | None:
    groups = match.groupdict()
    try:
        month = _MONTHS[groups["mon"].lower()] if groups.get("mon") else int(match["m"])
        hour = int(match["H"]) if match["H"] else 0
        ampm = (groups.get("ampm") or "").upper().replace(".", "")
        if ampm == "PM" and hour < 12:
            hour += 12
        elif ampm == "AM" and hour == 12:
            hour = 0
        minute = int(match["M"]) if match["M"] else 0
        second = int(match["S"]) if match["S"] else 0
        value = datetime(
            int(match["y"]),
            month,
            int(match["d"]),
            hour,
            minute,
            second,
            tzinfo=_tz(match["tz"]),
        )
    except ValueError:  # not a calendar date (2026-02-30): a misreading, never "corrected"
        return None
    # A publication date from the future (beyond clock skew) or before the floor is a misreading.
    return value if bounds.problem(value) is None else None


def parse_datetime(text: str, bounds: DateBounds = _DEFAULT_BOUNDS) -> datetime | None:
    """The first plausible date (with its time when given) in ``text``, timezone-aware; None
    if none. Impossible calendar dates and dates outside ``bounds`` are skipped."""
    text = text.strip()
    if not text:
        return None
    compact = _COMPACT.match(text)
    if compact:
        y, m, d, hh, mm, ss = (int(g) if g else 0 for g in compact.groups())
        try:
            value = datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)
        except ValueError:
            return None
        return value if bounds.problem(value) is None else None
    for match in DATE_RE.finditer(text):
        value = _build(match, bounds)
        if value is not None:
            return value
    return None


def at_midnight(day: date) -> datetime:
    """A day known without its time, as the start of that day in Beijing."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def find_labelled_date(
    lines: Iterable[str], bounds: DateBounds = _DEFAULT_BOUNDS
) -> datetime | None:
    """A date introduced by 发布时间/时间/日期… or on the 来源 line, in page order."""
    for line in lines:
        for match in _LABELLED.finditer(line):
            value = _build(match, bounds)
            if value is not None:
                return value
        if _SOURCE_LINE.search(line) and len(line) <= 120:
            value = parse_datetime(line, bounds)
            if value is not None:
                return value
    return None


def _line_dates(line: str, bounds: DateBounds) -> Iterator[tuple[int, datetime]]:
    """(rank, value) of each date on a line: 0 labelled, 1 with a time of day, 2 bare day."""
    for match in _LABELLED.finditer(line):
        value = _build(match, bounds)
        if value is not None:
            yield 0, value
    source_line = _SOURCE_LINE.search(line) is not None and len(line) <= 120
    for pattern in (DATE_RE, _US_DATE, _EN_DATE):
        for match in pattern.finditer(line):
            if _OTHER_LABEL.search(line, 0, match.start()):
                continue  # 出道日期：…, 截止时间：…: a date of something else
            value = _build(match, bounds)
            if value is None:
                continue
            if source_line:
                yield 0, value
            elif match["H"]:
                yield 1, value
            elif len(line) <= 40:
                yield 2, value


def other_labelled_days(lines: Iterable[str]) -> set[date]:
    """Days the page labels as something else than publication (出道日期：2008-05-01)."""
    days = set()
    for line in lines:
        for match in DATE_RE.finditer(line):
            if _OTHER_LABEL.search(line, 0, match.start()):
                value = _build(match, DateBounds(date.min, datetime.max.replace(tzinfo=UTC)))
                if value is not None:
                    days.add(value.date())
    return days


# Lines under the title that still belong to its byline block (source, time, author, views).
BYLINE_LINES = 4
_PROSE_CHARS = 80
_SENTENCE_END = re.compile(r"[。！？]\s*$")


def title_line(lines: list[str], title: str) -> int | None:
    """Index of the visible line that shows the article title (the heading), None if absent."""
    wanted = "".join(title.split())
    if len(wanted) < 4:
        return None
    compact = ["".join(line.split()) for line in lines]
    for index, line in enumerate(compact):
        if line == wanted:
            return index
    for index, line in enumerate(compact):
        if wanted in line and len(line) <= len(wanted) * 1.5 + 4:
            return index
    return None


def byline_date(
    lines: list[str], title_at: int, bounds: DateBounds = _DEFAULT_BOUNDS
) -> datetime | None:
    """The best-ranked date in the few short lines right under the title, None if none.

    News, forum and e-paper templates print the article's time there; dates further down
    belong to comments, related links or the footer.
    """
    best: tuple[int, datetime] | None = None
    for line in lines[title_at + 1 : title_at + 1 + BYLINE_LINES]:
        if len(line) > _PROSE_CHARS or _SENTENCE_END.search(line):
            break  # the article itself has begun
        for rank, value in _line_dates(line, bounds):
            if best is None or rank < best[0]:
                best = (rank, value)
    return best[1] if best else None


def find_visible_date(
    lines: list[str],
    *,
    body_end: int | None = None,
    title_at: int | None = None,
    bounds: DateBounds = _DEFAULT_BOUNDS,
) -> datetime | None:
    """The article's own date among the visible lines.

    A date in the byline block right under the title (``title_at``) wins outright.

    Up to the end of the article text (``body_end``) the best-ranked date wins — labelled
    (``发布时间：…``, the ``来源：`` line) before dated-and-timed (``2026年05月23日 19:23``)
    before a bare day alone on a short byline-like line — first in page order within a
    rank. Below the article (comments, related lists) only labelled or timed dates count.
    Dates inside sentences are never used: article text is full of other days.
    """
    if title_at is not None:
        value = byline_date(lines, title_at, bounds)
        if value is not None:
            return value
    end = len(lines) if body_end is None else min(body_end + 1, len(lines))
    best: tuple[int, datetime] | None = None
    for line in lines[:end]:
        for rank, value in _line_dates(line, bounds):
            if best is None or rank < best[0]:
                best = (rank, value)
            if rank == 0:
                return value
    if best is not None:
        return best[1]
    for line in lines[end:]:
        for rank, value in _line_dates(line, bounds):
            if rank < 2:
                return value
    return None
