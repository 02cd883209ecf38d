"""Relative time words (今天, 昨天, 本周…): never in a fact paragraph; elsewhere in a section only
when they mean the same read on the brief's date as on the day its documents were published."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from zhibao.check.evidence import Sources
from zhibao.check.report import CheckReport, Failure, section_part
from zhibao.core.model import Section
from zhibao.core.relative_time import anchor, relative_words

__all__ = ["check_section_time", "misdated_words"]


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def misdated_words(text: str, brief_date: date, dates: Iterable[date]) -> list[tuple[str, str]]:
    """(word, why) for each relative word of ``text`` that reads differently on ``brief_date``
    than on every one of the documents' ``dates``."""
    dates = sorted(set(dates))
    out = []
    for word in dict.fromkeys(relative_words(text)):
        meant = anchor(word, brief_date)
        if not dates:
            out.append((word, "所引文档没有发布日期，无从核实相对时间词"))
        elif not any(anchor(word, d) == meant for d in dates):
            source = dates[-1]
            out.append(
                (
                    word,
                    f"按简报日期 {_day(brief_date)} 读作 {meant}，而所引文档发布于 {_day(source)}，"
                    f"原文指的是 {anchor(word, source)}；请写明日期",
                )
            )
    return out


def check_section_time(
    report: CheckReport,
    number: int,
    section: Section,
    sources: Sources,
    brief_date: date | None,
) -> None:
    where = section_part(number)
    parts = [(0, "heading", section.heading)] + [
        (i, p.kind, p.text) for i, p in enumerate(section.paragraphs, start=1)
    ]
    for index, kind, text in parts:
        if kind == "fact":
            for word in dict.fromkeys(relative_words(text)):
                report.failures.append(
                    Failure(
                        where,
                        word,
                        "事实段不用相对时间词，请写明具体日期",
                        sources.refs,
                        number,
                        index,
                    )
                )
        elif brief_date is not None:
            for word, why in misdated_words(text, brief_date, sources.dates):
                report.failures.append(Failure(where, word, why, sources.refs, number, index))
