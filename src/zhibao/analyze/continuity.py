"""Continuity across days: do not repeat an event unless something new happened.

An earlier brief is remembered as ``CoveredEvent`` records (one per section: the URLs it
used, their titles, the kinds of document and the figures already reported). Today's event
matches a covered one when they share a URL, a 《title》 or a very similar title. A matched
event is kept only with a *new development*:

- a new kind of document (专家解读 / 解读 / 答记者问 / 发布会 / 征求意见 / 印发 … after the
  original), which also marks a new stage, or
- at least two new significant figures in documents not used before.

Kept events are marked ``continuing`` (the writer says 此前…/继续…), their developments are
listed, and documents already used become ``background``.

    >>> covered = covered_from_brief(yesterdays_brief)
    >>> kept, dropped = apply_continuity(events, covered)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from rapidfuzz import fuzz

from zhibao.analyze.events import significant_figures
from zhibao.core.figures import compact, find_titles
from zhibao.core.model import Brief, CoveredEvent, Document, Event

__all__ = [
    "apply_continuity",
    "covered_event",
    "covered_from_brief",
    "document_kinds",
    "recent",
    "same_event",
]

# Document kinds by title cue; order does not matter, a new kind is a new development.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("专家解读", re.compile(r"专家解读|专家谈|专家[:：]")),
    ("解读", re.compile(r"解读|图解|一图读懂|政策问答")),
    ("答记者问", re.compile(r"答记者问|记者问|答问|回应关切")),
    ("发布会", re.compile(r"发布会|吹风会")),
    ("征求意见", re.compile(r"征求意见")),
    ("印发", re.compile(r"印发|出台|公布|发布《|正式发布")),
    ("启动", re.compile(r"启动|开幕|开赛|揭牌|上线")),
    ("成效", re.compile(r"成效|成果|进展|阶段性|数据显示|同比增长|闭幕|结果")),
]
_MIN_NEW_FIGURES = 2
_SIMILAR_TITLE = 0.8


def document_kinds(title: str) -> set[str]:
    """The kinds a title announces (解读, 发布会 …); empty for a plain news report."""
    return {kind for kind, pattern in _KINDS if pattern.search(title)}


def _figures(documents: Iterable[Document]) -> set[str]:
    found: set[str] = set()
    for document in documents:
        found |= significant_figures(f"{document.title}\n{document.text}")
    return found


def covered_event(event: Event, brief_date: date) -> CoveredEvent:
    """The record a brief keeps of an event it covered (the writer calls this per section)."""
    documents = event.documents
    return CoveredEvent(
        brief_date=brief_date,
        event_id=event.id,
        urls=[d.canonical_url for d in documents],
        titles=_titles(event),
        kinds=sorted(set().union(*(document_kinds(d.title) for d in documents))),
        figures=sorted(_figures(documents)),
    )


def covered_from_brief(brief: Brief) -> list[CoveredEvent]:
    """Rebuild the records from a stored brief: each section with the references it cites."""
    covered = []
    for section in brief.sections:
        references = [r for r in (brief.reference(i) for i in section.citations) if r]
        text = "\n".join(p.text for p in section.paragraphs)
        covered.append(
            CoveredEvent(
                brief_date=brief.date,
                event_id=section.event_id or "",
                urls=[r.url for r in references],
                titles=[section.heading, *(r.title for r in references)],
                kinds=sorted(set().union(*(document_kinds(r.title) for r in references))),
                figures=sorted(significant_figures(text)),
            )
        )
    return covered


def recent(covered: Iterable[CoveredEvent], brief_date: date, briefs: int) -> list[CoveredEvent]:
    """Records of the last ``briefs`` briefs before ``brief_date``."""
    earlier = [c for c in covered if c.brief_date < brief_date]
    days = sorted({c.brief_date for c in earlier}, reverse=True)[:briefs]
    return [c for c in earlier if c.brief_date in days]


def _titles(event: Event) -> list[str]:
    # A round-up page is known by its relevant item: its own title (国内联播快讯) recurs daily.
    return [event.focus] if event.focus else [d.title for d in event.documents]


def same_event(event: Event, record: CoveredEvent) -> bool:
    """True when ``record`` (one section of an earlier brief) is about ``event``: a shared URL
    or event id, a shared 《title》, or a very similar title."""
    urls = {d.canonical_url for d in event.documents} | {d.url for d in event.documents}
    if urls & set(record.urls):
        return True
    if record.event_id and record.event_id == event.id:
        return True
    titles = _titles(event)
    books = {f.key for t in titles for f in find_titles(t) if len(f.key) >= 4}
    recorded_books = {f.key for t in record.titles for f in find_titles(t) if len(f.key) >= 4}
    if books & recorded_books:
        return True
    titles = [compact(t) for t in titles]
    return any(
        fuzz.ratio(a, compact(b)) / 100 >= _SIMILAR_TITLE for a in titles for b in record.titles
    )


def _developments(fresh: Sequence[Document], records: Sequence[CoveredEvent]) -> list[str]:
    old_kinds = set().union(*(r.kinds for r in records))
    new_kinds = set().union(*(document_kinds(d.title) for d in fresh)) - old_kinds
    developments = [f"新的文档类型：{kind}" for kind in sorted(new_kinds)]
    old_figures = set().union(*(r.figures for r in records))
    new_figures = sorted(_figures(fresh) - old_figures)
    if len(new_figures) >= _MIN_NEW_FIGURES:
        developments.append("新的数据：" + "、".join(new_figures[:5]))
    return developments


def apply_continuity(
    events: Sequence[Event], covered: Sequence[CoveredEvent]
) -> tuple[list[Event], list[Event]]:
    """Split ``events`` into (kept, dropped); kept repeats come back marked ``continuing``."""
    kept: list[Event] = []
    dropped: list[Event] = []
    for event in events:
        records = [r for r in covered if same_event(event, r)]
        if not records:
            kept.append(event)
            continue
        used = set().union(*(r.urls for r in records))
        fresh = [d for d in event.documents if d.canonical_url not in used and d.url not in used]
        developments = _developments(fresh, records) if fresh else []
        if not developments:
            dropped.append(event)
            continue
        old = [d for d in event.documents if d not in fresh]
        lead = event.lead_document if event.lead_document in fresh else fresh[0]
        kept.append(
            event.model_copy(
                update={
                    "documents": fresh,
                    "lead": fresh.index(lead),
                    "continuing": True,
                    "developments": developments,
                    "background": [*old, *event.background],
                }
            )
        )
    return kept, dropped
