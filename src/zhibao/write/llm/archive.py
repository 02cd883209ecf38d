"""What the model is told about earlier coverage: the sections of earlier briefs on the same
story (shown to it as archive snippets) and how the day's themes compare with those briefs.

    >>> [s.brief_date for s in earlier_sections(event, context)]
    [datetime.date(2026, 5, 22)]
    >>> trends = Trends.of(drafts, context, reserve=len(analysis.candidates))
    >>> trends.lines[0].status, trends.allowed_counts()
    ('升温', {1, 2, 3, 4})

Counts are kept as integers here and written in Chinese words in the prompts (``cn_count``):
the summary and the judgment may repeat them, and no count outside this data is accepted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from zhibao.analyze.continuity import covered_from_brief, same_event
from zhibao.config import theme_short
from zhibao.write.synthesis import earlier_themes

if TYPE_CHECKING:
    from zhibao.core.model import Document, Event
    from zhibao.write.base import SectionDraft, WriteContext

__all__ = ["Earlier", "EarlierSection", "ThemeLine", "Trends", "cn_count", "earlier_sections"]

MAX_EARLIER = 2  # archive snippets per section
Earlier = tuple[int, Counter[str]]  # earlier briefs in the trend window, their sections per theme
_CN = "零一两三四五六七八九"


def cn_count(n: int) -> str:
    """``2`` → ``两``; ten and more → ``多``: counts the checker does not read as figures."""
    return _CN[n] if 0 <= n < len(_CN) else "多"


@dataclass(frozen=True)
class EarlierSection:
    """One section of an earlier brief about the same story, with the stored documents it cited."""

    brief_date: date
    heading: str
    text: str  # its paragraphs as published
    documents: tuple[Document, ...]  # lead first; what a citation of this snippet cites


def earlier_sections(event: Event, context: WriteContext) -> list[EarlierSection]:
    """Sections of ``context.earlier`` about ``event`` (newest first, at most two) whose cited
    documents are still stored: an archive snippet is only shown if it can be cited."""
    # A continuing event's earlier documents have moved to its background: match on both.
    probe = event.model_copy(update={"documents": [*event.documents, *event.background]})
    found: list[EarlierSection] = []
    for brief in sorted(context.earlier, key=lambda b: b.date, reverse=True):
        if brief.date >= context.brief_date:
            continue
        for section, record in zip(brief.sections, covered_from_brief(brief), strict=True):
            if not same_event(probe, record):
                continue
            urls = [r.url for r in (brief.reference(i) for i in section.citations) if r]
            documents = tuple(d for d in map(context.document, urls) if d is not None)
            if not documents:
                continue
            text = "\n".join(p.text for p in section.paragraphs)
            found.append(EarlierSection(brief.date, section.heading, text, documents))
            if len(found) >= MAX_EARLIER:
                return found
    return found


@dataclass(frozen=True)
class ThemeLine:
    """One theme of the day against the earlier briefs of the trend window."""

    name: str
    short: str
    today: int  # sections of this brief
    earlier: int  # sections of the earlier briefs
    status: str  # 新出现 / 升温 / 延续; "" without earlier briefs
    sections: tuple[int, ...]  # numbers of this brief's sections on it


@dataclass
class Trends:
    """The data the summary and the judgment may count from, and nothing else."""

    sections: int
    briefs: int  # earlier briefs in the trend window
    earlier_sections: int
    lines: list[ThemeLine] = field(default_factory=list)
    continuing: list[int] = field(default_factory=list)  # numbers of continuing sections
    reserve: int = 0  # relevant events left out, for the editor

    @staticmethod
    def earlier_counts(context: WriteContext) -> Earlier:
        """How many earlier briefs the trend window holds, and their sections per theme (the
        extractive judgment's own count, so that both writers compare alike)."""
        return earlier_themes(context)

    @classmethod
    def of(
        cls,
        drafts: Sequence[SectionDraft],
        context: WriteContext,
        *,
        reserve: int,
        earlier: Earlier | None = None,
    ) -> Trends:
        """``earlier``: ``earlier_counts(context)`` when the caller already has it."""
        names = {t.id: t.name for t in context.profile.themes}
        briefs, counts = earlier if earlier is not None else cls.earlier_counts(context)
        today = Counter(d.event.theme for d in drafts if d.event.theme in names)
        lines = []
        for theme in dict.fromkeys(d.event.theme for d in drafts if d.event.theme in names):
            n, before = today[theme], counts.get(theme, 0)
            if not briefs:
                status = ""  # nothing to compare with
            elif before == 0:
                status = "新出现"
            elif n > before / briefs:
                status = "升温"
            else:
                status = "延续"
            numbers = tuple(i for i, d in enumerate(drafts, 1) if d.event.theme == theme)
            lines.append(
                ThemeLine(names[theme], theme_short(names[theme]), n, before, status, numbers)
            )
        return cls(
            sections=len(drafts),
            briefs=briefs,
            earlier_sections=sum(counts.values()),
            lines=lines,
            continuing=[i for i, d in enumerate(drafts, 1) if d.event.continuing],
            reserve=reserve,
        )

    def allowed_counts(self) -> set[int]:
        """Every count this data states: what a count in the summary or judgment may be."""
        counts = {self.sections, self.briefs, self.earlier_sections, len(self.lines)}
        counts |= {line.today for line in self.lines} | {line.earlier for line in self.lines}
        counts |= {len(self.continuing), self.reserve}
        counts |= {
            sum(1 for line in self.lines if line.status == s) for s in ("新出现", "升温", "延续")
        }
        return {n for n in counts if n > 0}
