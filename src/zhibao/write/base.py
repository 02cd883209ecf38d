"""The writer interface: what every writer is given, what it returns, how it is called.

A ``Writer`` turns the day's analysis into a ``Brief`` (``write_brief``) and one event into a
section with the references it cites (``write_section``, what the desk's "regenerate" and
"include" call). Everything a writer may use besides the analysis travels in ``WriteContext``;
a writer keeps no state between calls that a caller has to set or read.

    >>> writer = get_writer("extractive")
    >>> written = writer.write_section(event, context)
    >>> written.section.heading, [r.id for r in written.references]
    ('刘烈宏启动2026年“数据要素×”大赛，赛道扩容激励加码', [1, 2, 3])
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from zhibao.core.errors import ZhibaoError
from zhibao.write.history import History
from zhibao.write.references import ReferenceBook
from zhibao.write.text import short_org

if TYPE_CHECKING:
    from zhibao.analyze import Analysis
    from zhibao.config import Brand, Cadence, Profile
    from zhibao.core.model import Brief, Document, Event, Reference, Section
    from zhibao.store import Store

__all__ = [
    "EmptyWindowError",
    "SectionDraft",
    "Wording",
    "WriteContext",
    "WrittenSection",
    "Writer",
]


class EmptyWindowError(ZhibaoError):
    """No relevant fresh document in the window: there is nothing to write a brief about."""


# Numerals of the trend span (两周, not 二周); spans are written in words so that the brief
# contains no figure its sources lack.
_NUMERALS = "零一两三四五六七八九"


def _trend_span(days: int) -> str:
    """``7`` → ``过去一周``, ``28`` → ``过去四周``, ``30`` → ``过去一个月``, ``5`` → ``过去五天``."""
    for length, unit in ((7, "周"), (30, "个月"), (1, "天")):
        count, rest = divmod(days, length)
        if not rest and 0 < count < len(_NUMERALS):
            return f"过去{_NUMERALS[count]}{unit}"
    return "近期"


@dataclass(frozen=True)
class Wording:
    """How the brief names its period, from the profile's cadence (``WriteContext.wording``).

    Daily: 今日判断, 今天, 当天 (in prompts), 每日简报, 过去一周; weekly: 本周判断, 本周, 本周,
    周报, 过去四周.
    """

    judgment_title: str  # the closing judgment's heading word
    period: str  # the period in running text: 今天 / 本周
    prompt_period: str  # the period in the model's instructions: 当天 / 本周
    brief_name: str  # what one issue is called
    trend_span: str  # the earlier briefs compared for trends: 过去一周 / 过去四周

    @classmethod
    def of(cls, cadence: Cadence) -> Wording:
        # The masthead word 今日 reads 今天 in the brief's prose and 当天 in instructions about a
        # dated brief (the house style of the daily brief); 本周, 本月 read as they are.
        spoken, prompt = ("今天", "当天") if cadence.period == "今日" else (cadence.period,) * 2
        return cls(
            judgment_title=cadence.judgment_title,
            period=spoken,
            prompt_period=prompt,
            brief_name=cadence.brief_name,
            trend_span=_trend_span(cadence.trend_days),
        )


@dataclass
class WriteContext:
    """What a writer may use besides the analysis; all of it comes from config or the store."""

    brief_date: date
    brand: Brand
    profile: Profile
    earlier: Sequence[Brief] = ()  # stored briefs of the trend window, oldest first
    document: Callable[[str], Document | None] = lambda url: None  # stored document by URL
    orgs: Mapping[str, str] = field(default_factory=dict)  # source id → configured organisation
    archive_base: str | None = None  # where WARC files live, for the references' archive links
    store: Store | None = None  # a writer's own memory (the llm writer's response cache)
    # Stored documents published from one day to another (both included), oldest first: the
    # archive that background paragraphs and counts over time are drawn from.
    archive: Callable[[date, date], Sequence[Document]] = lambda since, until: ()
    _history: History | None = field(default=None, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    @property
    def history(self) -> History:
        """The archive before the brief's cut-off, read once (sections written in parallel
        share it): the background window, and far enough back to count over two trend spans
        and since the start of the previous month."""
        with self._lock:
            if self._history is None:
                window = self.profile.window(self.brief_date)
                trend = timedelta(days=2 * self.profile.cadence.trend_days)
                month = (self.brief_date.replace(day=1) - timedelta(days=1)).replace(day=1)
                since = min(window.background_start, self.brief_date - trend, month)
                documents = [
                    d
                    for d in self.archive(since, self.brief_date)
                    if d.published_at is not None and d.published_at < window.cutoff
                ]
                self._history = History(documents, self.brief_date)
            return self._history

    @property
    def wording(self) -> Wording:
        return Wording.of(self.profile.cadence)

    def org(self, document: Document) -> str:
        """The short name of the organisation behind ``document`` (the configured one first)."""
        return short_org(document.source_org, self.orgs.get(document.source_id or ""))

    def archived(self, document: Document) -> str | None:
        """Where the archived copy of ``document`` is, for its reference's archive link."""
        if not document.archive:
            return None
        base = self.archive_base
        return f"{base.rstrip('/')}/{document.archive}" if base else document.archive

    def reference_book(self) -> ReferenceBook:
        """An empty reference book that names organisations and archive links as this brief does."""
        return ReferenceBook(org_of=self.org, archived_of=self.archived)


class SectionDraft:
    """What the summary and judgment need to know about a written section."""

    def __init__(self, event: Event, section: Section, org: str, day: str, clause: str):
        self.event = event
        self.section = section
        self.org = org
        self.day = day  # 5 月 23 日
        self.clause = clause  # the heading's event clause
        self.implication = section.heading[len(clause) + 1 :] if section.heading != clause else ""


@dataclass
class WrittenSection:
    """One event's section and the references it cites, numbered from 1 for this section alone
    (the brief or the desk renumbers them when the section joins a brief)."""

    section: Section
    references: list[Reference]


class Writer(ABC):
    """One way of writing the brief; writers sit side by side and are chosen by name.

    An ABC rather than a Protocol: a writer inherits the optional parts (``report_lines``), a
    writer missing a method fails when it is created, naming the method, instead of in the
    middle of a brief, and ``get_writer`` can tell an installed writer from a stray object.
    """

    name: ClassVar[str]

    @abstractmethod
    def write_brief(self, analysis: Analysis, context: WriteContext) -> Brief:
        """The draft brief of ``analysis.selected``; ``EmptyWindowError`` when there is none."""

    @abstractmethod
    def write_section(self, event: Event, context: WriteContext) -> WrittenSection:
        """The section of one event, for a brief being edited."""

    def report_lines(self) -> list[str]:
        """What the last call did, in Chinese, for the run report (fallbacks, tokens, cost)."""
        return []
