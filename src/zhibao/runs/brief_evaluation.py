"""``zhibao eval brief``: how the written briefs read, measured over a range of dates.

For each day the brief is written as ``zhibao brief`` would (and stored, so the next day sees
it as an earlier brief), then measured on what an editor marks by eye:

- **headings supported** — the heading's event clause (before the first "，") is carried by
  one of the section's own cited documents: at least ``SUPPORT`` of its character bigrams occur
  in that document's title and opening. Measured here independently of the checker;
- **relative time in facts** — 今天 / 昨天 / 本周 … left in a fact paragraph;
- **analysis distinct** — the analysis paragraph repeats no sentence of the fact paragraph;
- **purposes distinct** — reference purposes that differ from every other one in the brief;
- **column tags** — 【…】 / [视频] left in a heading or a reference title;
- **late items** — references to documents published after the brief's cut-off;
- lengths (fact, analysis, body) and the checker's verdict.

    >>> report = evaluate_briefs(store, date(2026, 4, 12), date(2026, 4, 21))
    >>> report.share("headings_supported")
    1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zhibao.config import Brand, Profile, load_brand, load_profile, load_sources
from zhibao.core.errors import ZhibaoError
from zhibao.core.figures import compact
from zhibao.core.model import Brief, Document, Source
from zhibao.core.relative_time import relative_words
from zhibao.core.text import char_bigrams
from zhibao.core.time import published_moment
from zhibao.runs.briefing import make_brief
from zhibao.runs.checking import cited_documents
from zhibao.store import Store

__all__ = ["BriefFigures", "BriefsEvaluation", "evaluate_briefs", "heading_support"]

SUPPORT = 0.6
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
_TAG = re.compile(r"【[^】]{1,20}】|\[视频\]|\[组图\]")


def heading_support(heading: str, documents: Sequence[Document]) -> float:
    """Share of the event clause's bigrams found in the best single document (title + opening)."""
    clause = heading.split("，", 1)[0]
    wanted = char_bigrams(compact(clause))
    if not wanted:
        return 1.0
    best = 0.0
    for document in documents:
        have = char_bigrams(compact(f"{document.title}{document.text[:1500]}"))
        best = max(best, len(wanted & have) / len(wanted))
    return best


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) >= 10]


@dataclass
class BriefFigures:
    date: str
    sections: int = 0
    headings: int = 0
    headings_supported: int = 0
    unsupported: list[str] = field(default_factory=list)
    facts: int = 0
    facts_with_relative_time: int = 0
    analyses: int = 0
    analyses_distinct: int = 0
    references: int = 0
    purposes_distinct: int = 0
    column_tags: int = 0
    late_references: int = 0
    fact_chars: list[int] = field(default_factory=list)
    analysis_chars: list[int] = field(default_factory=list)
    body_chars: int = 0
    check_ok: bool = False
    check_failures: list[str] = field(default_factory=list)
    skipped: str = ""  # why no brief was written that day


@dataclass
class BriefsEvaluation:
    days: list[BriefFigures] = field(default_factory=list)
    briefs: list[Brief] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(day, name) for day in self.days)

    def share(self, name: str) -> float | None:
        """``headings_supported`` / ``headings`` and the like, over all days."""
        denominators = {
            "headings_supported": "headings",
            "facts_with_relative_time": "facts",
            "analyses_distinct": "analyses",
            "purposes_distinct": "references",
        }
        whole = self.total(denominators[name])
        return round(self.total(name) / whole, 3) if whole else None


def _measure(
    brief: Brief,
    documents: dict[int, Document | None],
    cutoff: datetime,
    usual: Mapping[str, str],
) -> BriefFigures:
    figures = BriefFigures(date=brief.date.isoformat(), sections=len(brief.sections))
    for section in brief.sections:
        cited = [d for ref in section.citations if (d := documents.get(ref)) is not None]
        figures.headings += 1
        if heading_support(section.heading, cited) >= SUPPORT:
            figures.headings_supported += 1
        else:
            figures.unsupported.append(section.heading)
        figures.column_tags += bool(_TAG.search(section.heading))
        facts = [p.text for p in section.paragraphs if p.kind == "fact"]
        analyses = [p.text for p in section.paragraphs if p.kind == "analysis"]
        for text in facts:
            figures.facts += 1
            figures.facts_with_relative_time += bool(relative_words(text))
            figures.fact_chars.append(len(text))
        fact_sentences = {compact(s) for text in facts for s in _sentences(text)}
        for text in analyses:
            figures.analyses += 1
            figures.analysis_chars.append(len(text))
            own = {compact(s) for s in _sentences(text)}
            figures.analyses_distinct += not (own & fact_sentences)
    purposes = [r.purpose for r in brief.references]
    figures.references = len(purposes)
    figures.purposes_distinct = sum(1 for p in purposes if p and purposes.count(p) == 1)
    for ref in brief.references:
        figures.column_tags += bool(_TAG.search(ref.title))
        document = documents.get(ref.id)
        moment = (
            published_moment(document, usual.get(document.source_id or "")) if document else None
        )
        figures.late_references += bool(moment and moment >= cutoff)
    figures.body_chars = (
        len(brief.summary)
        + sum(len(s.heading) + sum(len(p.text) for p in s.paragraphs) for s in brief.sections)
        + len(brief.judgment.text)
    )
    return figures


def evaluate_briefs(
    store: Store,
    start: date,
    end: date,
    *,
    writer: str = "extractive",
    profile: Profile | None = None,
    brand: Brand | None = None,
    sources: Sequence[Source] | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> BriefsEvaluation:
    """Write the briefs of ``start``..``end`` (stored, in order) and measure each."""
    profile = profile or load_profile()
    brand = brand or load_brand()
    sources = list(sources) if sources is not None else load_sources().sources
    usual = {s.id: s.usual_time for s in sources if s.usual_time}
    result = BriefsEvaluation()
    day = start
    while day <= end:
        try:
            run = make_brief(
                day, store=store, writer=writer, profile=profile, brand=brand, sources=sources
            )
        except ZhibaoError as exc:
            result.days.append(BriefFigures(date=day.isoformat(), skipped=str(exc).split("\n")[0]))
            progress(f"{day}：未生成（{str(exc).splitlines()[0]}）")
            day += timedelta(days=1)
            continue
        brief = run.brief
        documents = cited_documents(brief, store)
        figures = _measure(brief, documents, profile.window(day).cutoff, usual)
        # The verdict the brief was stored with: the one rule, already run by make_brief.
        figures.check_ok = run.check.ok
        figures.check_failures = [f.line() for f in run.check.failures]
        result.days.append(figures)
        result.briefs.append(brief)
        progress(
            f"{day}：{figures.sections} 节，小标题有据 {figures.headings_supported}/{figures.headings}，"
            f"核验{'通过' if figures.check_ok else '未通过'}"
        )
        day += timedelta(days=1)
    return result
