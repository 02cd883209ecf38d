"""The desk's working state for a date: candidate events, the versioned brief, the checker.

Every editor action loads the newest version, applies one pure edit from ``editing``, runs the
checker and saves the result as the next version, so two editors working on different
paragraphs never overwrite each other and every step stays in the history. The desk also
answers what the web desk shows around the brief: the archive, search, source health, theme
trends, rendered files and archived copies of source pages.

    >>> desk = Desk(store, profile=load_profile(), brand=load_brand(), sources=load_sources().sources)
    >>> desk.exclude(date(2026, 5, 25), "ev-3924f9ac383a", user="wang").number
    2
    >>> desk = Desk.open(config_dir=Path("~/.zhibao"))   # the store and config of one home
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.analyze import Analysis, covered_event
from zhibao.check import CheckReport
from zhibao.config import Brand, Profile
from zhibao.config.settings import load_settings
from zhibao.core.errors import ZhibaoError
from zhibao.core.model import Brief, Document, Event, FetchedPage, Section, Source
from zhibao.core.time import today
from zhibao.runs import editing
from zhibao.runs.briefing import analyze_day, write_context
from zhibao.runs.checking import check_stored, cited_documents
from zhibao.runs.editing import EditError, Parked
from zhibao.runs.trends import TrendChart, theme_trends
from zhibao.store import (
    Accounts,
    BriefVersion,
    BriefVersions,
    Publication,
    Publications,
    SearchHit,
    SearchIndex,
    SourceHealth,
    Store,
)
from zhibao.write import get_writer

if TYPE_CHECKING:
    from zhibao.config.publish import PublishConfig
    from zhibao.publish import PublishReport
    from zhibao.publish.renditions import Renditions

__all__ = ["SEARCH_SYNC_S", "ArchiveEntry", "Desk", "EditError", "NoArchivedCopy", "archived_copy"]

SEARCH_SYNC_S = 30.0  # newly collected documents become searchable within this many seconds


class NoArchivedCopy(ZhibaoError):
    """The reference names no archived page (outside the archive, not a WARC, no such record)."""


@dataclass(frozen=True)
class ArchiveEntry:
    """One date of the archive of briefs."""

    day: date
    status: str  # the stored brief's: final | draft
    versions: int
    approved: BriefVersion | None  # the newest approved version


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
        self.index = SearchIndex(store)
        self.accounts = Accounts(store)  # the editors who may log in to the web desk
        self._analyses: dict[date, _Cached] = {}
        self._lock = threading.Lock()
        self._search_synced: float | None = None
        self._trends: tuple[tuple, TrendChart] | None = None
        self._renditions: dict[tuple[date, int], Renditions] = {}

    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        config_dir: Path | None = None,
        data_dir: Path | None = None,
        writer: str = "extractive",
    ) -> Desk:
        """The desk of one home: its brand, profile and sources, and its store (opened and
        migrated; ``database_url`` defaults as in ``Store.open``). ``close()`` closes the store."""
        settings = load_settings(config_dir)
        store = Store.open(database_url, data_dir=data_dir or settings.data_dir)
        return cls(
            store,
            profile=settings.profile,
            brand=settings.brand,
            sources=settings.sources,
            writer=writer,
        )

    def close(self) -> None:
        self.store.close()

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

    def version(self, day: date, number: int | None = None) -> BriefVersion | None:
        """Version ``number`` of the day's brief; the newest when ``number`` is None."""
        return self.current(day) if number is None else self.versions.get(day, number)

    def history(self, day: date) -> list[BriefVersion]:
        """Every version of the day's brief, newest first."""
        return self.versions.history(day)

    def approved(self, day: date) -> BriefVersion | None:
        return self.versions.approved(day)

    def published(self, day: date) -> list[Publication]:
        """The day's publications, newest first."""
        return self.publications.history(day)

    def latest_day(self) -> date | None:
        """The newest date with a stored brief."""
        dates = self.versions.dates()
        return dates[0][0] if dates else None

    def cited_documents(self, brief: Brief) -> dict[int, Document | None]:
        """The stored document of each reference (None when it is not stored)."""
        return cited_documents(brief, self.store)

    def check(self, brief: Brief) -> CheckReport:
        return check_stored(brief, self.store, self.profile)

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
        self.index.index_brief(brief, topic=self.profile.name)
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
        note = f"编辑{self.profile.cadence.judgment_title}"
        return self._apply(day, user, note, lambda b, p: (editing.edit_judgment(b, title, text), p))

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
            section = editing.section_at(brief, number)
            if not section.event_id:
                raise EditError(f"第 {number} 节没有对应的事件，无法重新生成")
            new, references = self._write_section(day, self.event(day, section.event_id))
            return editing.replace_section(brief, number, new, references), parked

        return self._apply(day, user, f"重新生成第 {number} 节（{self.writer}）", change)

    def approve(self, day: date, *, user: str) -> BriefVersion:
        latest = self.versions.latest(day)
        if latest is None:
            raise EditError(f"{day} 还没有简报")
        # Checked again at approval: a version stored by an older checker, or whose documents
        # changed since, is judged by today's rules.
        problems = self.check(latest.brief).verdict(latest.brief).publish_problems()
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

    # ------------------------------------------------------------------ around the brief

    def archive(self, *, approved_only: bool = False) -> list[ArchiveEntry]:
        """Every date with a stored brief, newest first; ``approved_only``: only dates with an
        approved version (what the public archive lists)."""
        entries = []
        for day, status, versions in self.versions.dates():
            approved = self.versions.approved(day)
            if approved or not approved_only:
                entries.append(ArchiveEntry(day, status, versions, approved))
        return entries

    def search(
        self, query: str, *, kind: str | None = None, approved_only: bool = False
    ) -> list[SearchHit]:
        """Briefs and documents containing every word of ``query`` (``kind``: brief or
        document). The index catches up with new documents at most every ``SEARCH_SYNC_S``
        seconds. ``approved_only`` (the public archive): briefs with an approved version only."""
        if not query.strip():
            return []
        synced = self._search_synced
        if synced is None or time.monotonic() - synced >= SEARCH_SYNC_S:
            self.index.sync()
            self._search_synced = time.monotonic()
        hits = self.index.search(query, kind="brief" if approved_only else kind)
        if approved_only:
            days = {entry.day for entry in self.archive(approved_only=True)}
            hits = [h for h in hits if h.day in days]
        return hits

    def source_health(self, last_runs: int = 5) -> list[SourceHealth]:
        """Health of each configured source (and any other in the runs) over its last runs."""
        return self.store.source_health(last_runs, source_ids=[s.id for s in self.sources])

    def trends(self, until: date | None = None) -> TrendChart:
        """Themes over the 30 days to ``until`` (default: the newest brief's date, else today).
        One chart is kept; it is rebuilt when documents changed or another end date is asked."""
        until = until or self.latest_day() or today()
        key = (until, self.store.documents_fingerprint())
        if self._trends is None or self._trends[0] != key:
            self._trends = (key, theme_trends(self.store, self.profile, until=until))
        return self._trends[1]

    def rendition(self, version: BriefVersion, fmt: str) -> tuple[bytes, str]:
        """The file of ``version`` in format ``fmt`` (pdf, docx, md, html, wechat) and its file
        name, rendered once per version; raises ``RenderError``."""
        from zhibao.publish.renditions import Renditions

        key = (version.brief.date, version.number)
        renditions = self._renditions.get(key)
        if renditions is None:
            renditions = self._renditions[key] = Renditions(version.brief)
        return renditions[fmt], renditions.file_name(fmt)

    # ------------------------------------------------------------------ writing

    def _write_section(self, day: date, event: Event) -> tuple[Section, list]:
        context = write_context(
            self.store,
            day,
            profile=self.profile,
            brand=self.brand,
            sources=self.sources,
            archive_base=self.archive_base,
        )
        written = get_writer(self.writer).write_section(event, context)
        return written.section, written.references


def archived_copy(archive_dir: Path, ref: str) -> FetchedPage:
    """The page as collect fetched it, for a ``"<file>#<record id>"`` reference to a WARC file
    under ``archive_dir``; ``NoArchivedCopy`` for anything else (``..``, an absolute path)."""
    from zhibao.crawl import read_archived

    file_part, _, record = ref.partition("#")
    root = archive_dir.resolve()
    path = (root / file_part).resolve()
    if (
        not record
        or not path.is_relative_to(root)
        or not path.name.endswith((".warc", ".warc.gz"))
        or not path.is_file()
    ):
        raise NoArchivedCopy("没有这份存档 (no such archived copy)")
    page = read_archived(path, ref)
    if page is None:
        raise NoArchivedCopy("存档文件中没有这条记录")
    return page
