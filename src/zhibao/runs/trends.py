"""Themes over the last 30 days: relevant documents and brief sections per theme and day,
laid out as an SVG line chart (coordinates computed here, drawn by the template).

    >>> chart = theme_trends(store, profile, until=date(2026, 5, 25))
    >>> [s.name for s in chart.series][:2]
    ['数据要素与数据基础设施', '人工智能与产业应用']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zhibao.analyze import RelevanceScorer
from zhibao.config import Profile
from zhibao.core.model import Document
from zhibao.core.time import SHANGHAI, local_date
from zhibao.store import Store

__all__ = ["Series", "TrendChart", "theme_trends"]

DAYS = 30
MAX_SERIES = 6
# Calm, distinguishable on white and for common colour-vision deficiencies (Okabe–Ito hues).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 280, 44, 16, 16, 36


@dataclass
class Series:
    theme: str
    name: str
    colour: str
    documents: list[int]  # per day, oldest first
    sections: int  # brief sections on this theme in the period
    points: str = ""  # SVG polyline points


@dataclass
class TrendChart:
    days: list[date]
    series: list[Series]
    y_max: int
    y_ticks: list[tuple[int, float]] = field(default_factory=list)  # (value, y)
    x_ticks: list[tuple[str, float]] = field(default_factory=list)  # (label, x)
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)


def _section_document(brief_date: date, heading: str, text: str) -> Document:
    return Document(
        url=f"brief:{brief_date}",
        canonical_url=f"brief:{brief_date}",
        title=heading,
        text=text,
        published_at=datetime(
            brief_date.year, brief_date.month, brief_date.day, 8, tzinfo=SHANGHAI
        ),
    )


def theme_trends(store: Store, profile: Profile, *, until: date) -> TrendChart:
    """Count relevant documents per theme and day, and brief sections per theme."""
    since = until - timedelta(days=DAYS - 1)
    days = [since + timedelta(days=i) for i in range(DAYS)]
    scorer = RelevanceScorer(profile)
    per_day: dict[str, Counter[date]] = {}
    for document in store.documents(since, until):
        relevance = scorer.score(document)
        day = local_date(document)
        if relevance.relevant and relevance.theme and day is not None:
            per_day.setdefault(relevance.theme, Counter())[day] += 1
    sections: Counter[str] = Counter()
    for brief in store.briefs(since, until, topic=profile.name):
        for section in brief.sections:
            text = "\n".join(p.text for p in section.paragraphs)
            theme = scorer.score(_section_document(brief.date, section.heading, text)).theme
            if theme:
                sections[theme] += 1
    names = {t.id: t.name for t in profile.themes}
    ranked = sorted(
        set(per_day) | set(sections),
        key=lambda t: (-sum(per_day.get(t, Counter()).values()), -sections[t], t),
    )[:MAX_SERIES]
    series = [
        Series(
            theme=t,
            name=names.get(t, t),
            colour=COLOURS[i % len(COLOURS)],
            documents=[per_day.get(t, Counter())[d] for d in days],
            sections=sections[t],
        )
        for i, t in enumerate(ranked)
    ]
    y_max = max([1, *(max(s.documents) for s in series)])
    chart = TrendChart(days=days, series=series, y_max=y_max)
    left, top, right, bottom = chart.plot

    def x(i: int) -> float:
        return round(left + (right - left) * i / (DAYS - 1), 1)

    def y(v: float) -> float:
        return round(bottom - (bottom - top) * v / y_max, 1)

    for s in series:
        s.points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(s.documents))
    step = max(1, y_max // 4)
    chart.y_ticks = [(v, y(v)) for v in range(0, y_max + 1, step)]
    chart.x_ticks = [
        (f"{d.month}/{d.day}", x(i)) for i, d in enumerate(days) if i % 5 == 0 or i == DAYS - 1
    ]
    return chart
