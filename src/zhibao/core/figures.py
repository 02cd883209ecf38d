"""Figures in Chinese (and English) text, normalised so that equal facts compare equal.

Used by *analyze* (events sharing figures, new figures in a follow-up) and by *check* (every
figure in a brief must occur in a cited document). Normal forms:

- dates → ``2026-05-23`` (``--05-23`` when the year is not written; ``2026-05`` for a month);
  5月23日, 5 月 23 日, 2026-05-23, 2026年5月23日 and 五月二十三日 are the same date;
- numbers → a plain decimal with the multiplier applied (``1200亿`` = ``一千二百亿`` = ``1,200亿``
  = ``120000000000``; ``1.67万亿`` = ``16700亿``), ``%`` kept (``3.5%`` = ``百分之三点五``;
  ``两成`` = ``20%``); units are ignored (417 个 = 417);
- 《titles》 and “quotes” → their inner text without whitespace, case-folded.

    >>> [f.key for f in find_figures("5 月 23 日发布，同比增长百分之三点五，共十家企业")]
    ['--05-23', '3.5%', '10']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

import cn2an

__all__ = ["Figure", "compact", "find_figures", "find_quotes", "find_titles", "normalise_digits"]

FigureKind = Literal["date", "month", "day", "number", "title", "quote"]


@dataclass(frozen=True)
class Figure:
    """One figure as written (``text``) and in normal form (``key``)."""

    kind: FigureKind
    key: str
    text: str
    start: int = 0


# Full-width digits, letters, %, and the full-width full stop used as a decimal point. The
# Chinese comma (，) is left alone: it separates clauses, not thousands.
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({0xFF21 + i: ord("A") + i for i in range(26)})
_FULLWIDTH.update({0xFF41 + i: ord("a") + i for i in range(26)})
_FULLWIDTH.update({0xFF05: ord("%"), 0xFF0E: ord("."), 0x3000: ord(" ")})


def normalise_digits(text: str) -> str:
    """Full-width digits, letters and ％ → ASCII (same length, so offsets stay valid)."""
    return text.translate(_FULLWIDTH)


def compact(text: str) -> str:
    """Text for containment tests: ASCII digits, no whitespace, case-folded."""
    return re.sub(r"\s+", "", normalise_digits(text)).casefold()


_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUM = _CN_DIGIT + "十百千万亿点"
# Measure words after which a Chinese numeral is a count (十家, 二十四节气 is caught by length).
_MEASURE = set("个家项名人件次位条类种台套所座批元倍岁天年月日期届轮场只架艘辆万亿")

_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
_CN_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_CN_DATE_HAN = re.compile(
    r"(?:([〇零一二三四五六七八九]{4})\s*年\s*)?(?<![〇零一二三四五六七八九十])"
    r"([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]"
)
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_DAY = re.compile(r"(?<![\d月.])(\d{1,2})\s*[日号](?![\d])")
_PERCENT_HAN = re.compile(rf"百分之([{_CN_NUM}]+)")
# 两成 = 20%, 3.5成 = 35% (not 一成不变, 建成, 成为).
_TENTHS = re.compile(
    r"(?<![\d.零〇一二两三四五六七八九十百千万亿])(\d+(?:\.\d+)?|[一二两三四五六七八九])成"
    r"(?![为立功本果就熟长都员不分交型效绩品])"
)
_ARABIC = re.compile(
    r"(?<![\d.,A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])\s*(万亿|亿|万)?\s*(%)?"
)
_HAN_RUN = re.compile(rf"[{_CN_NUM}]+")
_TITLE = re.compile(r"《([^《》\n]{1,80})》")
_QUOTE = re.compile(r"[“\"]([^“”\"\n]{2,80})[”\"]")
_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "万亿": Decimal(10) ** 12}


def _number_key(value: Decimal, percent: bool) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def _han_value(run: str) -> Decimal | None:
    try:
        value = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date_key(year: int | None, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _dates(text: str, out: list[Figure]) -> str:
    """Find dates and months; return the text with them blanked out (so 23 is not also a number)."""
    for pattern in (_ISO_DATE, _CN_DATE):
        for m in pattern.finditer(text):
            year = int(m.group(1)) if m.group(1) else None
            key = _date_key(year, int(m.group(2)), int(m.group(3)))
            if key:
                out.append(Figure("date", key, m.group(0), m.start()))
                text = _blank(text, m.start(), m.end())
    for m in _CN_DATE_HAN.finditer(text):
        year = None
        if m.group(1):
            year = int(
                "".join(str(_CN_DIGIT.index(c) % 10 if c != "〇" else 0) for c in m.group(1))
            )
        month, day = _han_value(m.group(2)), _han_value(m.group(3))
        if month is None or day is None:
            continue
        key = _date_key(year, int(month), int(day))
        if key:
            out.append(Figure("date", key, m.group(0), m.start()))
            text = _blank(text, m.start(), m.end())
    for m in _MONTH.finditer(text):
        month = int(m.group(2))
        if 1 <= month <= 12:
            out.append(Figure("month", f"{int(m.group(1)):04d}-{month:02d}", m.group(0), m.start()))
            text = _blank(text, m.start(), m.end())
    for m in _DAY.finditer(text):
        day = int(m.group(1))
        if 1 <= day <= 31:
            out.append(Figure("day", str(day), m.group(0), m.start()))
            text = _blank(text, m.start(), m.end())
    return text


def _numbers(text: str, out: list[Figure]) -> None:
    for m in _PERCENT_HAN.finditer(text):
        value = _han_value(m.group(1))
        if value is not None:
            out.append(Figure("number", _number_key(value, True), m.group(0), m.start()))
            text = _blank(text, m.start(), m.end())
    for m in _TENTHS.finditer(text):
        written = m.group(1)
        value = Decimal(written) if written[0].isdigit() else _han_value(written)
        if value is not None:
            out.append(Figure("number", _number_key(value * 10, True), m.group(0), m.start()))
            text = _blank(text, m.start(), m.end())
    for m in _ARABIC.finditer(text):
        integer, fraction, multiplier, percent = m.groups()
        value = Decimal(integer.replace(",", "") + (f".{fraction}" if fraction else ""))
        if multiplier:
            value *= _MULTIPLIER[multiplier]
        out.append(
            Figure("number", _number_key(value, bool(percent)), m.group(0).strip(), m.start())
        )
    for m in _HAN_RUN.finditer(text):
        run = m.group(0)
        following = text[m.end() : m.end() + 2].lstrip("多余")
        # Words such as 一体化, 统一, 十分, 千方百计 are not figures: a Chinese numeral counts as a
        # figure only when it starts with a digit and is a real quantity (≥ 10), or is 十 + measure.
        if run[0] not in _CN_DIGIT + "十" or run[-1] == "点":
            continue
        value = _han_value(run)
        if value is None:
            continue
        is_count = following[:1] in _MEASURE
        if (len(run) >= 2 and value >= 10) or (run == "十" and is_count):
            out.append(Figure("number", _number_key(value, False), run, m.start()))


def find_titles(text: str) -> list[Figure]:
    """《…》 titles in ``text``, keyed by their compacted inner text."""
    return [
        Figure("title", compact(m.group(1)), m.group(0), m.start()) for m in _TITLE.finditer(text)
    ]


def find_quotes(text: str) -> list[Figure]:
    """“…” quoted phrases in ``text``, keyed by their compacted inner text."""
    return [
        Figure("quote", compact(m.group(1)), m.group(0), m.start()) for m in _QUOTE.finditer(text)
    ]


def find_figures(text: str) -> list[Figure]:
    """Dates, months, days and numbers in ``text`` (in order of appearance)."""
    out: list[Figure] = []
    rest = _dates(normalise_digits(text), out)
    _numbers(rest, out)
    return sorted(out, key=lambda f: f.start)
