"""Which events make the day's sections: score, then choose with theme diversity.

score = relevance × authority × corroboration × freshness, where

- relevance is the best topic score of the event's documents;
- authority is the weight of the lead's tier (``profile.authority``);
- corroboration grows with the independent outlets reporting it (reprints do not count):
  1.0 for one outlet, +0.15 per further outlet, up to five;
- freshness is 1.0 for the last day before the brief, 0.8 the day before, then 0.6 …; an event
  whose documents are all undated or older than the window is never fresh and never selected.

Selection takes the best events, at most ``profile.max_per_theme`` per theme while other
themes have candidates, between ``profile.sections.min`` and ``.max`` sections; past the
minimum, an event must reach ``EXTRA_SHARE`` of the best score to be added. Everything relevant
and fresh that is not selected stays a candidate for the editor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from zhibao.config import Profile
from zhibao.core.model import Event

__all__ = ["EXTRA_SHARE", "corroboration_factor", "freshness", "select"]

EXTRA_SHARE = 0.25
_CORROBORATION_STEP = 0.15
_MAX_OUTLETS = 5


def freshness(published: date | None, brief_date: date, window_days: int) -> float:
    """1.0 … 0.4 inside the window, 0 outside it or without a date."""
    if published is None:
        return 0.0
    age = (brief_date - published).days
    if age > window_days:
        return 0.0
    return max(1.0 - 0.2 * max(age - 1, 0), 0.4)


def corroboration_factor(outlets: int) -> float:
    return 1.0 + _CORROBORATION_STEP * (min(max(outlets, 1), _MAX_OUTLETS) - 1)


def select(events: Sequence[Event], profile: Profile) -> tuple[list[Event], list[Event]]:
    """(selected, candidates) from events already scored; both in score order."""
    eligible = sorted(
        (e for e in events if e.freshness > 0 and e.relevance >= profile.min_relevance),
        key=lambda e: (-e.score, e.id),
    )
    limit, minimum = profile.sections.max, profile.sections.min
    selected: list[Event] = []
    waiting: list[Event] = []
    per_theme: Counter[str | None] = Counter()
    top = eligible[0].score if eligible else 0.0
    for event in eligible:
        if len(selected) >= limit:
            break
        if len(selected) >= minimum and event.score < EXTRA_SHARE * top:
            break
        if per_theme[event.theme] >= profile.max_per_theme:
            waiting.append(event)  # taken only if the other themes run out
            continue
        selected.append(event)
        per_theme[event.theme] += 1
    for event in waiting:
        if len(selected) >= minimum:
            break
        selected.append(event)
    chosen = {e.id for e in selected}
    selected.sort(key=lambda e: (-e.score, e.id))
    return selected, [e for e in eligible if e.id not in chosen]
