"""The desk's working state for a date: candidate events, the versioned brief, the checker.

Every editor action loads the newest version, applies one pure edit from ``editing``, runs the
checker and saves the result as the next version, so two editors working on different
paragraphs never overwrite each other and every step stays in the history.

    >>> desk = Desk(store, profile=load_profile(), brand=load_brand(), sources=load_sources().sources)
    >>> desk.exclude(date(2026, 5, 25), "ev-3924f9ac383a", user="wang").number
    2
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.analyze import Analysis, covered_event
from zhibao.check import CheckReport, check_brief
from zhibao.config import Brand, Profile
from zhibao.core.model import Brief, Event, Section, Source
from zhibao.runs import editing
from zhibao.runs.briefing import analyze_day, write_context
from zhibao.runs.editing import EditError, Parked
from zhibao.store import Store
from zhibao.store.publications import Publication, Publications
from zhibao.store.search import SearchIndex
from zhibao.store.versions import BriefVersion, BriefVersions
from zhibao.write import get_writer
from zhibao.write.references import ReferenceBook

if TYPE_CHECKING:
    from zhibao.config.publish import PublishConfig
    from zhibao.publish import PublishReport

__all__ = ["Desk", "EditError"]



@dataclass
class _Cached:
    key: tuple
    analysis: Analysis


class Desk:
    """Candidates, versions and checks of the briefs of one topic."""

    def __init__(
        self,
        store: Store,
        *,
        profile: Profile,
        brand: Brand,
        sources: Sequence[Source],
        writer: str = "extractive",
        archive_base: str | None = None,
    ):
        self.store = store
        self.profile = profile
        self.brand = brand
        self.sources = list(sources)
        self.writer = writer
        self.archive_base = archive_base
        self.versions = BriefVersions(store, topic=profile.name)
        self.publications = Publications(store, topic=profile.name)
        self.search = SearchIndex(store)
        self._analyses: dict[date, _Cached] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ candidates

    def analysis(self, day: date) -> Analysis:
        """The day's ranked events, recomputed only when the stored documents changed."""
        key = self.store.documents_fingerprint()
        cached = self._analyses.get(day)
        if cached is not None and cached.key == key:
            return cached.analysis
        with self._lock:
            result = analyze_day(self.store, day, profile=self.profile, sources=self.sources)
            self._analyses[day] = _Cached(key, result)
            return result

    def event(self, day: date, event_id: str) -> Event:
        analysis = self.analysis(day)
        for event in analysis.selected + analysis.candidates + analysis.dropped:
            if event.id == event_id:
                return event
        raise EditError(f"{day} 的候选事件中没有 {event_id}（文档可能已更新，请刷新页面）")

    # ------------------------------------------------------------------ versions

    def current(self, day: date) -> BriefVersion | None:
        return self.versions.latest(day)

    def check(self, brief: Brief) -> CheckReport:
        return check_brief(brief, {r.id: self.store.document(r.url) for r in brief.references})

    def _apply(
        self,
        day: date,
        user: str,
        note: str,
        change: Callable[[Brief, list[dict]], tuple[Brief, list[dict]]],
    ) -> BriefVersion:
        latest = self.versions.latest(day)
        if latest is None:
            raise EditError(f"{day} 还没有简报；请先运行 zhibao brief --date {day}")
        brief, parked = change(latest.brief, list(latest.parked))
        if brief == latest.brief and parked == latest.parked:
            return latest  # nothing changed (e.g. a save of the same text): no new version
        brief = self.check(brief).verdict(brief)
        version = self.versions.save(brief, note=note, author=user, parked=parked)
        self.search.index_brief(brief, topic=self.profile.name)
        return version

    def edit_heading(self, day: date, number: int, heading: str, *, user: str) -> BriefVersion:
        return self._apply(
            day,
            user,
            f"编辑第 {number} 节标题",
            lambda b, p: (editing.edit_heading(b, number, heading), p),
        )

    def edit_paragraph(
        self, day: date, number: int, index: int, text: str, *, user: str
    ) -> BriefVersion:
        return self._apply(
            day,
            user,
            f"编辑第 {number} 节第 {index} 段",
            lambda b, p: (editing.edit_paragraph(b, number, index, text), p),
        )

    def edit_summary(self, day: date, text: str, *, user: str) -> BriefVersion:
        return self._apply(day, user, "编辑摘要", lambda b, p: (editing.edit_summary(b, text), p))

    def edit_judgment(self, day: date, title: str, text: str, *, user: str) -> BriefVersion:
        return self._apply(
            day, user, "编辑今日判断", lambda b, p: (editing.edit_judgment(b, title, text), p)
        )

    def move(self, day: date, number: int, delta: int, *, user: str) -> BriefVersion:
        where = "上移" if delta < 0 else "下移"
        return self._apply(
            day,
            user,
            f"第 {number} 节{where}",
            lambda b, p: (editing.move_section(b, number, delta), p),
        )

    def exclude(self, day: date, event_id: str, *, user: str) -> BriefVersion:
        def change(brief: Brief, parked: list[dict]) -> tuple[Brief, list[dict]]:
            brief, entry = editing.exclude_event(brief, event_id)
            rest = [p for p in parked if p["event_id"] != event_id]
            return brief, [*rest, entry.to_json()]

        version = self._apply(day, user, f"排除事件 {event_id}", change)
        self.versions.uncover(day, event_id)
        return version

    def include(self, day: date, event_id: str, *, user: str) -> BriefVersion:
        """Bring the event in: the editor's parked section if it was excluded, else a new
        section from the writer."""

        def change(brief: Brief, parked: list[dict]) -> tuple[Brief, list[dict]]:
            entry = next((p for p in parked if p["event_id"] == event_id), None)
            if entry is not None:
                back = Parked.from_json(entry)
                section, references = back.section, back.references
            else:
                section, references = self._write_section(day, self.event(day, event_id))
            rest = [p for p in parked if p["event_id"] != event_id]
            return editing.include_section(brief, section, references), rest

        version = self._apply(day, user, f"纳入事件 {event_id}", change)
        # An event no longer among the candidates keeps no continuity record.
        with contextlib.suppress(EditError):
            self.versions.cover(day, covered_event(self.event(day, event_id), day))
        return version

    def regenerate(self, day: date, number: int, *, user: str) -> BriefVersion:
        """Rewrite section ``number`` from its event with the configured writer."""

        def change(brief: Brief, parked: list[dict]) -> tuple[Brief, list[dict]]:
            section = editing._section(brief, number)
            if not section.event_id:
                raise EditError(f"第 {number} 节没有对应的事件，无法重新生成")
            new, references = self._write_section(day, self.event(day, section.event_id))
            return editing.replace_section(brief, number, new, references), parked

        return self._apply(day, user, f"重新生成第 {number} 节（{self.writer}）", change)

    def approve(self, day: date, *, user: str) -> BriefVersion:
        latest = self.versions.latest(day)
        if latest is None:
            raise EditError(f"{day} 还没有简报")
        problems = latest.brief.publish_problems()
        if problems:
            raise EditError("尚不能批准：" + "；".join(problems[:3]))
        return self.versions.approve(day, latest.number, user=user)

    def publish(
        self,
        day: date,
        channels: Sequence[str],
        settings: PublishConfig,
        *,
        user: str,
        site_dir: Path | None = None,
    ) -> tuple[PublishReport, Publication]:
        """Send the newest version, which must be approved, through ``zhibao.publish.publish``
        (as ``zhibao publish`` does) and log who sent it where and how each channel went.

        A configuration problem (unknown channel, none configured) raises ``PublishError``
        before anything is sent or logged; a channel that fails is reported and logged.
        """
        from zhibao.publish import publish

        latest = self.versions.latest(day)
        if latest is None:
            raise EditError(f"{day} 还没有简报")
        problems = latest.brief.publish_problems()
        if latest.brief.status == "draft" or problems:
            listed = "；".join(problems[:3]) or "简报仍是草稿"
            raise EditError(f"草稿不能发布：{listed}")
        if latest.approved_by is None:
            raise EditError(f"第 {latest.number} 版尚未批准：请先批准最新版本再发布")
        report = publish(
            latest.brief,
            channels,
            settings,
            brand=self.brand,
            site_dir=site_dir,
            topic=self.profile.name,
        )
        record = self.publications.record(
            day,
            version=latest.number,
            user=user,
            outcomes=[(o.channel, o.ok, o.detail) for o in report.outcomes],
        )
        return report, record

    # ------------------------------------------------------------------ writing

    def _write_section(self, day: date, event: Event) -> tuple[Section, list]:
        writer = get_writer(self.writer)
        if not hasattr(writer, "write_section"):
            writer = get_writer("extractive")
        context = write_context(
            self.store,
            day,
            profile=self.profile,
            brand=self.brand,
            sources=self.sources,
            archive_base=self.archive_base,
        )
        # Writers keep their context between write() and write_section() (see ExtractiveWriter).
        writer.context = context
        book = ReferenceBook(
            org_of=getattr(writer, "org", lambda d: d.source_org),
            archived_of=getattr(writer, "_archived", lambda d: None),
        )
        section = writer.write_section(event, book)
        return section, book.references()
