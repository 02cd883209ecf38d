"""Relative time words (今天, 昨天, 今年以来…) found, and anchored to a document's own date.

A news text says "今天（3月30日）" or "昨天"; copied into a brief read two days later, it is
wrong. Writers call ``anchor(text, day)`` with the day the text was published, which turns
every word it can into an absolute date; the checker calls ``relative_words`` to find those
left standing.

    >>> anchor("今天（3月30日），国家能源局公布…；昨天至今天，广东迎来降雨", date(2026, 3, 30))
    '3月30日，国家能源局公布…；3月29日至3月30日，广东迎来降雨'
    >>> relative_words("本周内将发布细则，今年以来累计…")
    ['本周', '今年']

近日 / 日前 / 近期 are left as they are: they claim nothing wrong on any later day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["RELATIVE_WORDS", "anchor", "relative_words"]

# Names that contain a relative word but are not one (今日头条 is a company).
_NOT_TIME = r"(?!头条|谈|说法|中国|关注|亚洲|视点|判断|要闻)"
_DAY_OFFSETS = {
    "今天": 0,
    "今日": 0,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "明天": 1,
    "明日": 1,
    "后天": 2,
}
_PARTS_OF_DAY = {"今晨": (0, "早间"), "今早": (0, "早间"), "昨晚": (-1, "晚间"), "今晚": (0, "晚间")}
_WEEKS = {"本周": 0, "这周": 0, "上周": -7, "下周": 7}
_YEARS = {"今年": 0, "去年": -1, "明年": 1}
_MONTHS = {"本月": 0, "上月": -1, "下月": 1}

RELATIVE_WORDS = (
    *_DAY_OFFSETS,
    *_PARTS_OF_DAY,
    *_WEEKS,
    *_YEARS,
    *_MONTHS,
)
_ANY = re.compile("(" + "|".join(RELATIVE_WORDS) + ")" + _NOT_TIME)
# "今天（3月30日）": the page already gives the date in brackets; keep the date, drop the word.
_WITH_DATE = re.compile(
    "(?:" + "|".join(RELATIVE_WORDS) + r")[（(]((?:\d{4}年)?\d{1,2}月\d{1,2}日)[）)]"
)


def relative_words(text: str) -> list[str]:
    """The relative time words standing in ``text``, in order (repeats kept)."""
    return [m.group(1) for m in _ANY.finditer(text)]


def _month_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _absolute(word: str, day: date) -> str:
    if word in _DAY_OFFSETS:
        return _month_day(day + timedelta(days=_DAY_OFFSETS[word]))
    if word in _PARTS_OF_DAY:
        offset, part = _PARTS_OF_DAY[word]
        return _month_day(day + timedelta(days=offset)) + part
    if word in _WEEKS:
        monday = day - timedelta(days=day.weekday()) + timedelta(days=_WEEKS[word])
        sunday = monday + timedelta(days=6)
        return f"{_month_day(monday)}至{_month_day(sunday)}"
    if word in _YEARS:
        return f"{day.year + _YEARS[word]}年"
    year, month = _shift_month(day, _MONTHS[word])
    return f"{month}月" if year == day.year else f"{year}年{month}月"


def anchor(text: str, day: date) -> str:
    """``text`` with its relative time words replaced by dates counted from ``day``."""
    text = _WITH_DATE.sub(lambda m: m.group(1), text)
    return _ANY.sub(lambda m: _absolute(m.group(1), day), text)
