"""A heading describes its own section: its event clause is supported by that section's sources.

A heading is "event，implication". The event clause (before the first "，") is measured against
each cited document's title with one stretch of its text (``support``):

- below ``ABSOLUTE`` the section's documents do not tell that event (a heading built from
  another document's title);
- below ``SURE``, another section's documents supporting it by ``MARGIN`` more means the
  heading was written for, or moved from, that section.

Figures, dates, titles, quotations and names anywhere in the heading, implication included, are
checked like any paragraph's (``claims``, ``entities``).
"""

from __future__ import annotations

from collections.abc import Sequence

from zhibao.check.evidence import Sources
from zhibao.check.report import CheckReport, Failure, section_part
from zhibao.check.support import support
from zhibao.core.model import Section

__all__ = ["ABSOLUTE", "MARGIN", "SURE", "check_heading", "event_clause"]

ABSOLUTE = 0.45
SURE = 0.85
MARGIN = 0.2


def event_clause(heading: str) -> str:
    """The part of a heading before its first comma: what happened."""
    return heading.replace(",", "，").split("，", 1)[0].strip()


def _missing(words: Sequence[str]) -> str:
    return f"；缺少：{'、'.join(words[:4])}" if words else ""


def check_heading(
    report: CheckReport,
    number: int,
    section: Section,
    sources: Sources,
    others: Sequence[tuple[int, Sources]] = (),
) -> None:
    """Fail the heading of section ``number`` when its event is not that section's."""
    if not sources.documents:
        return
    event = event_clause(section.heading)
    where = section_part(number)
    own = support(event, sources.windows)
    if own.score < ABSOLUTE:
        report.failures.append(
            Failure(
                where,
                event,
                f"标题所述事件在本节所引文档中找不到依据（支持度 {own.score:.0%}"
                f"{_missing(own.missing)}）",
                sources.refs,
                number,
                0,
            )
        )
        return
    if own.score >= SURE:
        return
    mine = set(sources.refs)
    rivals = [
        (k, support(event, other.windows))
        for k, other in others
        if k != number and other.documents and set(other.refs) != mine
    ]
    if not rivals:
        return
    k, best = max(rivals, key=lambda r: r[1].score)
    if best.score - own.score >= MARGIN:
        report.failures.append(
            Failure(
                where,
                event,
                f"标题所述事件更像第 {k} 节的内容（本节文档支持度 {own.score:.0%}，"
                f"第 {k} 节 {best.score:.0%}{_missing(own.missing)}）",
                sources.refs,
                number,
                0,
            )
        )
