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
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from zhibao.analyze import Analysis, covered_event
from zhibao.check import CheckReport
from zhibao.config import Brand, Profile
from zhibao.config.settings import load_settings
from zhibao.core.errors import ZhibaoError
from zhibao.core.model import (
    Brief,
    Document,
    Event,
    FetchedPage,
    Judgment,
    Reference,
    Section,
    Source,
)
from zhibao.core.time import now_utc, today
from zhibao.runs import editing, manual_url
from zhibao.runs.briefing import analyze_day, write_context
from zhibao.runs.checking import check_stored, cited_documents
from zhibao.runs.editing import EditError, Parked
from zhibao.runs.merging import (
    Conflict,
    Draft,
    apply_units,
    changed_values,
    merge_units,
    section_key,
    structure,
    unit_label,
    units,
)
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
from zhibao.store.versions import StaleVersion
from zhibao.write import SectionDraft, WriteContext, get_writer
from zhibao.write.text import event_day

if TYPE_CHECKING:
    from zhibao.config.publish import PublishConfig
    from zhibao.crawl import FetchSettings
    from zhibao.publish import PublishReport
    from zhibao.publish.renditions import Renditions

__all__ = [
    "SEARCH_SYNC_S",
    "SYNTHESIS_PARTS",
    "ArchiveEntry",
    "Desk",
    "Draft",
    "EditConflict",
    "EditError",
    "NoArchivedCopy",
    "archived_copy",
]

SEARCH_SYNC_S = 30.0  # newly collected documents become searchable within this many seconds


SYNTHESIS_PARTS = ("summary", "judgment")
_EVENT_ID = re.compile(r"ev-[0-9a-f]{6,}")


class EditConflict(EditError):
    """A save on version ``base`` after ``theirs`` was stored, that cannot be merged: the units
    both changed (``conflicts``), or a change of shape on a changed shape (``structural``).
    ``others``: what changed since ``base``; ``carried``: the units of the editor's save, to
    be offered again in the conflict view."""

    def __init__(
        self,
        base: BriefVersion,
        theirs: BriefVersion,
        conflicts: list[Conflict],
        others: list[str],
        *,
        structural: bool = False,
        carried: dict | None = None,
        yours: Draft | None = None,
    ):
        who = f"{theirs.author} 的第 {theirs.number} 版"
        super().__init__(
            f"保存冲突：你基于第 {base.number} 版修改，此后已有{who}；请在冲突视图中决定保留哪一份"
        )
        self.base = base
        self.theirs = theirs
        self.conflicts = conflicts
        self.others = others
        self.structural = structural
        self.carried = carried or {}
        self.yours = yours


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
        self.fetch_settings: FetchSettings | None = None  # for pages added by hand

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

    def events(self, day: date, version: BriefVersion | None = None) -> list[Event]:
        """Every event of the day the desk knows: the analysis's, then pages added by hand."""
        analysis = self.analysis(day)
        known = analysis.selected + analysis.candidates + analysis.dropped
        return known + self.manual_events(day, version)

    def manual_events(self, day: date, version: BriefVersion | None = None) -> list[Event]:
        """Candidate events of the pages added by hand to ``version`` (default: the newest)
        that the analysis has not made events of (``runs.manual_url``)."""
        version = version or self.versions.latest(day)
        if version is None or not version.state.manual:
            return []
        found = [self.store.document(url) for url in version.state.manual]
        documents = [d for d in found if d is not None]
        return manual_url.manual_events(documents, self.analysis(day), self.profile)

    def add_url(
        self, day: date, url: str, *, user: str, archive_dir: Path | None
    ) -> tuple[BriefVersion, manual_url.AddedPage]:
        """Fetch, extract and store the page at ``url`` and offer it among the day's
        candidates (remembered in the desk state of a new version); ``ManualUrlError`` says
        why not. The page is archived into ``archive_dir``."""
        if self.versions.latest(day) is None:
            raise EditError(f"{day} 还没有简报；请先运行 zhibao brief --date {day}")
        added = manual_url.add_url(
            url,
            store=self.store,
            sources=self.sources,
            archive_dir=archive_dir,
            settings=self.fetch_settings,
            roundup_titles=self.profile.roundup_titles,
        )
        urls = manual_url.manual_urls(added.documents)

        def change(draft: Draft) -> Draft:
            manual = draft.state.manual + [u for u in urls if u not in draft.state.manual]
            return Draft(draft.brief, draft.parked, replace(draft.state, manual=manual))

        title = added.documents[0].title[:30]
        version = self._apply(day, user, f"手工添加候选「{title}」（{url.strip()[:200]}）", change)
        return version, added

    def event(self, day: date, event_id: str) -> Event:
        for event in self.events(day):
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
        change: Callable[[Draft], Draft],
        *,
        base: int | None = None,
        merge: bool = True,
    ) -> BriefVersion:
        """Apply ``change`` and save the result as the next version.

        ``base``: the version the editor edited from. When another editor saved since, the
        change is merged onto the newest version (``merging``), or ``EditConflict`` names what
        both changed; ``merge=False`` (restore) refuses any stale save. The check and the
        insert are one atomic step in the store, so two saves on one base never both win."""
        for _attempt in range(5):
            latest = self.versions.latest(day)
            if latest is None:
                raise EditError(f"{day} 还没有简报；请先运行 zhibao brief --date {day}")
            merged: list[str] = []
            if base is None or base == latest.number:
                current = _draft(latest)
                result = change(current)
            else:
                result, merged = self._merged(day, base, latest, change, merge=merge)
                current = _draft(latest)
            if result.same_as(current):
                return latest  # nothing changed (e.g. a save of the same text): no new version
            editing.check_limits(result.brief)  # a version over the limits would not load
            brief = self.check(result.brief).verdict(result.brief)
            try:
                version = self.versions.save(
                    brief,
                    note=note,
                    author=user,
                    parked=result.parked,
                    state=result.state,
                    base=latest.number,
                )
            except StaleVersion:
                # Someone saved between our read and our write: a script's edit goes onto the
                # newest version, an editor's is merged against theirs on the next round.
                continue
            self.index.index_brief(brief, topic=self.profile.name)
            version.merged = merged
            return version
        raise EditError("保存冲突反复发生（5 次），请刷新页面后再试")

    def _merged(
        self,
        day: date,
        base: int,
        latest: BriefVersion,
        change: Callable[[Draft], Draft],
        *,
        merge: bool,
    ) -> tuple[Draft, list[str]]:
        """``change`` made on version ``base`` carried onto ``latest``, and what others changed
        in between (for the editor's notice); ``EditConflict`` when that cannot be done."""
        based = self.versions.get(day, base)
        if based is None or base > latest.number:
            raise EditError(f"{day} 没有第 {base} 版；请刷新页面")
        title = self.profile.cadence.judgment_title
        start, theirs = _draft(based), _draft(latest)
        their_changes = changed_values(start, theirs)
        others = [unit_label(k, latest.brief, title) for k in their_changes]
        if not merge:
            raise EditConflict(based, latest, [], others, structural=True)
        yours = change(start)
        if structure(yours.brief) == structure(start.brief):
            result = merge_units(start, yours, theirs, title)
            if result.draft is None:
                carried = changed_values(start, yours)
                raise EditConflict(
                    based, latest, result.conflicts, others, carried=carried, yours=yours
                )
            return result.draft, others
        # A change of shape (sections, paragraphs): done again on their version, if that kept
        # the shape the editor saw and keeps every change they made.
        if structure(theirs.brief) != structure(start.brief):
            raise EditConflict(based, latest, [], others, structural=True)
        try:
            again = change(theirs)
        except EditError:
            raise EditConflict(based, latest, [], others, structural=True) from None
        kept = list(units(again).values())
        if any(v is not None and v not in kept for v in their_changes.values()):
            raise EditConflict(based, latest, [], others, structural=True)
        return again, others

    # ------------------------------------------------------------------ text edits

    def edit_heading(
        self, day: date, number: int, heading: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        return self._apply(
            day,
            user,
            f"编辑第 {number} 节标题",
            _on_brief(lambda b: editing.edit_heading(b, number, heading)),
            base=base,
        )

    def edit_paragraph(
        self, day: date, number: int, index: int, text: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        return self._apply(
            day,
            user,
            f"编辑第 {number} 节第 {index} 段",
            _on_brief(lambda b: editing.edit_paragraph(b, number, index, text)),
            base=base,
        )

    def edit_summary(
        self, day: date, text: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        def change(draft: Draft) -> Draft:
            return _by_hand(draft, editing.edit_summary(draft.brief, text), "summary")

        return self._apply(day, user, "编辑摘要", change, base=base)

    def edit_judgment(
        self, day: date, title: str, text: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        def change(draft: Draft) -> Draft:
            return _by_hand(draft, editing.edit_judgment(draft.brief, title, text), "judgment")

        note = f"编辑{self.profile.cadence.judgment_title}"
        return self._apply(day, user, note, change, base=base)

    def edit_note(
        self, day: date, number: int, text: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        """The section's note for the other editors (empty text removes it)."""

        def change(draft: Draft) -> Draft:
            editing.section_at(draft.brief, number)
            key = section_key(draft.brief, number)
            notes = dict(draft.state.notes)
            if text.strip():
                stamp = now_utc().isoformat(timespec="seconds")
                notes[key] = {"text": text.strip(), "author": user, "at": stamp}
            else:
                notes.pop(key, None)
            state = replace(draft.state, notes=notes)
            return Draft(draft.brief, draft.parked, state)

        return self._apply(day, user, f"第 {number} 节备注", change, base=base)

    def resolve(
        self,
        day: date,
        values: dict[tuple[str, ...], object],
        references: Sequence[Reference],
        *,
        user: str,
        base: int | None = None,
    ) -> BriefVersion:
        """Save what the editor chose in the conflict view: ``values`` (units as
        ``merging.units`` keys them) put into the version ``base``, merged again if someone
        saved in the meantime."""

        def change(draft: Draft) -> Draft:
            return apply_units(draft, values, references)

        return self._apply(day, user, "合并冲突的修改", change, base=base)

    # ------------------------------------------------------------------ paragraphs

    def add_paragraph(
        self,
        day: date,
        number: int,
        after: int,
        kind: str,
        text: str,
        *,
        user: str,
        base: int | None = None,
    ) -> BriefVersion:
        return self._apply(
            day,
            user,
            f"第 {number} 节新增一段",
            _on_brief(lambda b: editing.add_paragraph(b, number, after, kind, text)),
            base=base,
        )

    def delete_paragraph(
        self, day: date, number: int, index: int, *, user: str, base: int | None = None
    ) -> BriefVersion:
        return self._apply(
            day,
            user,
            f"删除第 {number} 节第 {index} 段",
            _on_brief(lambda b: editing.delete_paragraph(b, number, index)),
            base=base,
        )

    def move_paragraph(
        self, day: date, number: int, index: int, delta: int, *, user: str, base: int | None = None
    ) -> BriefVersion:
        where = "上移" if delta < 0 else "下移"
        return self._apply(
            day,
            user,
            f"第 {number} 节第 {index} 段{where}",
            _on_brief(lambda b: editing.move_paragraph(b, number, index, delta)),
            base=base,
        )

    def citation_choices(self, day: date, brief: Brief, number: int) -> list[Reference]:
        """What paragraphs of section ``number`` may cite: the brief's references its
        paragraphs cite, then its event's other documents (as new references, numbered after
        the brief's own until chosen)."""
        section = editing.section_at(brief, number)
        cited = {c for p in section.paragraphs for c in p.citations}
        choices = [r for r in brief.references if r.id in cited]
        if not section.event_id:
            return choices
        try:
            event = self.event(day, section.event_id)
        except EditError:
            return choices
        known = {r.url for r in brief.references}
        context = self._context(day)
        book = context.reference_book()
        for document in event.documents:
            if document.link in known or document.canonical_url in known:
                continue
            if book.citable(document):
                book.cite(document, "corroboration", document.title[:30])
        next_id = max((r.id for r in brief.references), default=0) + 1
        for offset, ref in enumerate(book.references()):
            if ref.url not in known:
                choices.append(ref.model_copy(update={"id": next_id + offset}))
        return choices

    def edit_citations(
        self,
        day: date,
        number: int,
        index: int,
        urls: Sequence[str],
        *,
        user: str,
        base: int | None = None,
    ) -> BriefVersion:
        """Paragraph ``index`` of section ``number`` cites the sources at ``urls`` (chosen from
        ``citation_choices``), in that order."""

        def change(draft: Draft) -> Draft:
            offered = {r.url: r for r in self.citation_choices(day, draft.brief, number)}
            missing = [u for u in urls if u not in offered]
            if missing:
                raise EditError(f"不是本节的来源，不能引用：{missing[0]}")
            chosen = [offered[u] for u in urls]
            brief = editing.edit_citations(draft.brief, number, index, chosen)
            return Draft(brief, draft.parked, draft.state)

        return self._apply(day, user, f"编辑第 {number} 节第 {index} 段的引用", change, base=base)

    # ------------------------------------------------------------------ sections

    def move(
        self, day: date, number: int, delta: int, *, user: str, base: int | None = None
    ) -> BriefVersion:
        where = "上移" if delta < 0 else "下移"
        return self._apply(
            day,
            user,
            f"第 {number} 节{where}",
            self._following(day, _on_brief(lambda b: editing.move_section(b, number, delta))),
            base=base,
        )

    def exclude(
        self, day: date, event_id: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        def change(draft: Draft) -> Draft:
            brief, entry = editing.exclude_event(draft.brief, event_id)
            rest = [p for p in draft.parked if p["event_id"] != event_id]
            notes = {k: v for k, v in draft.state.notes.items() if k != event_id}
            state = replace(draft.state, notes=notes)
            return Draft(brief, [*rest, entry.to_json()], state)

        title = self.event_title(day, event_id)
        version = self._apply(
            day, user, f"排除事件「{title}」", self._following(day, change), base=base
        )
        self.versions.uncover(day, event_id)
        return version

    def include(
        self, day: date, event_id: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        """Bring the event in: the editor's parked section if it was excluded, else a new
        section from the writer."""

        def change(draft: Draft) -> Draft:
            entry = next((p for p in draft.parked if p["event_id"] == event_id), None)
            if entry is not None:
                back = Parked.from_json(entry)
                section, references = back.section, back.references
            else:
                section, references = self._write_section(day, self.event(day, event_id))
            rest = [p for p in draft.parked if p["event_id"] != event_id]
            brief = editing.include_section(draft.brief, section, references)
            return Draft(brief, rest, draft.state)

        title = self.event_title(day, event_id)
        version = self._apply(
            day, user, f"纳入事件「{title}」", self._following(day, change), base=base
        )
        # An event no longer among the candidates keeps no continuity record.
        with contextlib.suppress(EditError):
            self.versions.cover(day, covered_event(self.event(day, event_id), day))
        return version

    def regenerate(
        self, day: date, number: int, *, user: str, base: int | None = None
    ) -> BriefVersion:
        """Rewrite section ``number`` from its event with the configured writer."""

        def change(brief: Brief) -> Brief:
            section = editing.section_at(brief, number)
            if not section.event_id:
                raise EditError(f"第 {number} 节没有对应的事件，无法重新生成")
            new, references = self._write_section(day, self.event(day, section.event_id))
            return editing.replace_section(brief, number, new, references)

        note = f"重新生成第 {number} 节（{self.writer}）"
        return self._apply(day, user, note, _on_brief(change), base=base)

    # ------------------------------------------------------------------ 摘要 and 今日判断

    def regenerate_synthesis(
        self, day: date, part: str, *, user: str, base: int | None = None
    ) -> BriefVersion:
        """Write 摘要 (``part="summary"``) or 今日判断 (``"judgment"``) again from the current
        sections, as the writer does for a new brief; an editor's hand edit there is replaced
        (it stays in the history)."""
        if part not in SYNTHESIS_PARTS:
            raise EditError(f"只能重新生成摘要或判断（summary / judgment），收到 {part!r}")

        def change(draft: Draft) -> Draft:
            brief = self._synthesized(day, draft.brief, [part])
            state = replace(
                draft.state,
                by_hand=[p for p in draft.state.by_hand if p != part],
                stale=[p for p in draft.state.stale if p != part],
            )
            return Draft(brief, draft.parked, state)

        name = "摘要" if part == "summary" else self.profile.cadence.judgment_title
        return self._apply(day, user, f"重新生成{name}", change, base=base)

    def _following(self, day: date, change: Callable[[Draft], Draft]) -> Callable[[Draft], Draft]:
        """``change`` (include, exclude, move) followed by 摘要 and 今日判断: written again
        from the new sections, except a part an editor wrote by hand, which is kept and marked
        stale (the desk shows a notice with a regenerate button): the desk never throws away
        an editor's words on its own."""

        def wrapped(draft: Draft) -> Draft:
            new = change(draft)
            if [s.event_id for s in new.brief.sections] == [
                s.event_id for s in draft.brief.sections
            ]:
                return new
            automatic = [p for p in SYNTHESIS_PARTS if p not in new.state.by_hand]
            stale = {p for p in SYNTHESIS_PARTS if p in new.state.by_hand}
            brief = new.brief
            if automatic:
                try:
                    brief = self._synthesized(day, brief, automatic)
                except EditError:  # a section without a known event: say so instead
                    stale |= set(automatic)
            state = replace(new.state, stale=sorted(stale | set(new.state.stale)))
            return Draft(brief, new.parked, state)

        return wrapped

    def _synthesized(self, day: date, brief: Brief, parts: Sequence[str]) -> Brief:
        """``brief`` with ``parts`` of 摘要/今日判断 written by ``write.synthesis`` from its
        current sections (and their events among the day's candidates)."""
        from zhibao.write.synthesis import judgment, movements, summary

        analysis = self.analysis(day)
        events = {e.id: e for e in self.events(day)}
        context = self._context(day)
        drafts = []
        for number, section in enumerate(brief.sections, start=1):
            event = events.get(section.event_id or "")
            if event is None:
                raise EditError(
                    f"第 {number} 节不对应当天的任何候选事件，无法据此重写摘要与判断；请手工修改"
                )
            lead = event.lead_document
            clause = section.heading.split("，", 1)[0]
            when = event_day(lead, section.paragraphs[0].text)
            drafts.append(SectionDraft(event, section, context.org(lead), when, clause))
        moves = movements(drafts, context, analysis)
        update: dict[str, object] = {}
        if "summary" in parts:
            update["summary"] = summary(drafts, context, moves)
        if "judgment" in parts:
            title, text = judgment(drafts, context, analysis, brief.references, moves)
            update["judgment"] = Judgment(title=title, text=text)
        return brief.model_copy(update=update)

    # ------------------------------------------------------------------ history

    def restore(
        self, day: date, number: int, *, user: str, base: int | None = None
    ) -> BriefVersion:
        """Make version ``number`` current again as a new version (the history keeps all)."""
        old = self.versions.get(day, number)
        if old is None:
            raise EditError(f"{day} 没有第 {number} 版")
        restored = _draft(old)
        return self._apply(
            day, user, f"恢复第 {number} 版", lambda _d: restored, base=base, merge=False
        )

    def event_title(self, day: date, event_id: str) -> str:
        """The event's title for people (its focus or lead headline), else its id."""
        with contextlib.suppress(EditError):
            event = self.event(day, event_id)
            return (event.focus or event.lead_document.title)[:40]
        return event_id

    def readable_note(self, day: date, note: str) -> str:
        """A history note with event ids (``ev-3924f9ac383a``) replaced by event titles."""
        return (
            _EVENT_ID.sub(lambda m: f"「{self.event_title(day, m.group(0))}」", note)
            .replace("「「", "「")
            .replace("」」", "」")
        )

    def approve(
        self, day: date, *, user: str, four_eyes: bool = True, number: int | None = None
    ) -> BriefVersion:
        """Approve the newest version as ``user``, who must be a chief (or admin).

        ``number``: the version the approver looked at; a newer one is refused, so nobody
        approves text they have not seen. ``four_eyes`` (publish.yaml ``approval.four_eyes``):
        the author of the newest version may not approve it."""
        from zhibao.store import AuditLog

        latest = self.versions.latest(day)
        if latest is None:
            raise EditError(f"{day} 还没有简报")
        account = self.accounts.user(user)
        if account is None or not account.can("approve"):
            raise EditError(f"{user} 没有批准权限：只有主编（chief）或管理员可以批准")
        if number is not None and number != latest.number:
            raise EditError(
                f"你看到的是第 {number} 版，之后又有修改（最新为第 {latest.number} 版）："
                "请刷新页面，看过最新版本再批准"
            )
        # Checked again at approval: a version stored by an older checker, or whose documents
        # changed since, is judged by today's rules.
        problems = self.check(latest.brief).verdict(latest.brief).publish_problems()
        if problems:
            raise EditError("尚不能批准：" + "；".join(problems[:3]))
        if four_eyes and latest.author == user:
            raise EditError(
                f"四眼原则：第 {latest.number} 版的最后修改人是你，须由另一位主编批准"
                "（publish.yaml 中 approval.four_eyes: false 可关闭）"
            )
        approved = self.versions.approve(day, latest.number, user=user)
        AuditLog(self.store).record(user, "approve", f"{day} v{latest.number}")
        return approved

    def publish(
        self,
        day: date,
        channels: Sequence[str],
        settings: PublishConfig,
        *,
        user: str,
        site_dir: Path | None = None,
        resend: Sequence[str] = (),
    ) -> tuple[PublishReport, Publication | None]:
        """Send the approved newest version as ``user`` (a chief or admin) through
        ``runs.publishing.publish_approved``, as ``zhibao publish`` does: channels that already
        delivered this version are skipped unless in ``resend``.

        Refusals (not approved, a draft, a channel's configuration or secret missing) raise
        before anything is sent or logged; a channel that fails is reported and logged.
        """
        from zhibao.runs.publishing import publish_approved

        account = self.accounts.user(user)
        if account is None or not account.can("publish"):
            raise EditError(f"{user} 没有发布权限：只有主编（chief）或管理员可以发布")
        return publish_approved(
            day,
            store=self.store,
            config=settings,
            brand=self.brand,
            topic=self.profile.name,
            user=user,
            channels=channels,
            resend=resend,
            site_dir=site_dir,
        )

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

    def _context(self, day: date) -> WriteContext:
        return write_context(
            self.store,
            day,
            profile=self.profile,
            brand=self.brand,
            sources=self.sources,
            archive_base=self.archive_base,
        )

    def _write_section(self, day: date, event: Event) -> tuple[Section, list]:
        context = self._context(day)
        written = get_writer(self.writer).write_section(event, context)
        return written.section, written.references


def _draft(version: BriefVersion) -> Draft:
    return Draft(version.brief, list(version.parked), version.state)


def _on_brief(change: Callable[[Brief], Brief]) -> Callable[[Draft], Draft]:
    """A change of the brief alone, as a change of the desk's draft."""
    return lambda draft: Draft(change(draft.brief), draft.parked, draft.state)


def _by_hand(draft: Draft, brief: Brief, part: str) -> Draft:
    """An editor wrote ``part`` (摘要 or 今日判断): it is theirs, and no longer stale."""
    if brief == draft.brief:
        return draft
    state = replace(
        draft.state,
        by_hand=sorted({*draft.state.by_hand, part}),
        stale=[p for p in draft.state.stale if p != part],
    )
    return Draft(brief, draft.parked, state)


def archived_copy(archive_dir: Path, ref: str) -> FetchedPage:
    """The page as collect fetched it, for a ``"<file>#<record id>"`` reference to a WARC file
    under ``archive_dir``; ``NoArchivedCopy`` for anything else (``..``, an absolute path)."""
    from zhibao.crawl import read_archived
    from zhibao.crawl.archive import fetch_archived

    file_part, _, record = ref.partition("#")
    root = archive_dir.resolve()
    path = (root / file_part).resolve()
    if (
        not record
        or not path.is_relative_to(root)
        or not path.name.endswith((".warc", ".warc.gz"))
        # Not here: uploaded to the shared object store (ArchiveStoreError if unreachable).
        or not (path.is_file() or fetch_archived(path))
    ):
        raise NoArchivedCopy("没有这份存档 (no such archived copy)")
    page = read_archived(path, ref)
    if page is None:
        raise NoArchivedCopy("存档文件中没有这条记录")
    return page
