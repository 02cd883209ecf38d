"""Three-way merge of two editors' saves of one brief, paragraph by paragraph.

An editor's save names the version it was edited from (the *base*). When another editor has
saved since (*theirs*), the desk merges instead of overwriting: the brief is cut into *units*
(a section's heading, each paragraph with its cited sources, 摘要, 今日判断, a section's note)
keyed by the section's event, and every unit *yours* changed is carried onto theirs when they
left it as it was. A unit both changed differently is a ``Conflict`` for the editor to decide.

Citations are compared by the URLs they cite, not by their numbers: references are renumbered
whenever citations change, so number 3 in one version may be number 4 in the other.

    >>> result = merge_units(base, yours, theirs)
    >>> result.conflicts                        # [] when the two saves touched different parts
    >>> result.applied                          # what of yours was carried onto theirs
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from zhibao.core.model import Brief, Paragraph, Reference
from zhibao.runs.editing import EditError, rebuild
from zhibao.store.versions import DeskState

__all__ = [
    "Conflict",
    "Draft",
    "MergeResult",
    "apply_units",
    "changed_values",
    "merge_units",
    "section_key",
    "structure",
    "unit_label",
    "units",
]

Key = tuple[str, ...]


@dataclass
class Draft:
    """A brief with the desk's state around it: what an edit changes and a version stores."""

    brief: Brief
    parked: list[dict[str, Any]] = field(default_factory=list)
    state: DeskState = field(default_factory=DeskState)

    def same_as(self, other: Draft) -> bool:
        return (
            self.brief == other.brief
            and self.parked == other.parked
            and self.state.to_json() == other.state.to_json()
        )


@dataclass
class Conflict:
    """One unit both editors changed differently."""

    key: Key
    label: str
    base: Any
    theirs: Any  # None when their version no longer has the unit (the section was excluded)
    yours: Any


@dataclass
class MergeResult:
    draft: Draft | None  # theirs with yours carried over; None when there are conflicts
    applied: list[str]  # labels of the units of yours carried over
    conflicts: list[Conflict]


def section_key(brief: Brief, number: int) -> str:
    """A section's key across versions: its event id, or its place when it has none."""
    section = brief.sections[number - 1]
    return section.event_id or f"#{number}"


def structure(brief: Brief) -> list[tuple[str, tuple[str, ...]]]:
    """The brief's shape: sections in order with the kinds of their paragraphs."""
    return [
        (section_key(brief, n), tuple(p.kind for p in s.paragraphs))
        for n, s in enumerate(brief.sections, start=1)
    ]


def _para_value(paragraph: Paragraph, urls: Mapping[int, str]) -> tuple[str, tuple[str, ...]]:
    return paragraph.text, tuple(urls.get(c, f"?{c}") for c in paragraph.citations)


def units(draft: Draft) -> dict[Key, Any]:
    """Every unit of ``draft`` by key; values compare equal exactly when the text is the same."""
    brief = draft.brief
    urls = {r.id: r.url for r in brief.references}
    out: dict[Key, Any] = {("summary",): brief.summary}
    for n, section in enumerate(brief.sections, start=1):
        key = section_key(brief, n)
        out[("heading", key)] = section.heading
        for i, paragraph in enumerate(section.paragraphs, start=1):
            out[("para", key, str(i))] = _para_value(paragraph, urls)
    out[("judgment",)] = (brief.judgment.title, brief.judgment.text)
    for key, note in draft.state.notes.items():
        out[("note", key)] = dict(note)
    return out


def unit_label(key: Key, brief: Brief, judgment_title: str = "今日判断") -> str:
    """The unit's name for the editor: 第 2 节第 1 段（工信部…）, 摘要, 第 3 节标题."""
    kind = key[0]
    if kind == "summary":
        return "摘要"
    if kind == "judgment":
        return judgment_title
    numbers = {section_key(brief, n): n for n in range(1, len(brief.sections) + 1)}
    number = numbers.get(key[1])
    where = f"第 {number} 节" if number else "已排除的一节"
    heading = next((s.heading for s in brief.sections if (s.event_id or "") == key[1]), "")
    about = f"（{heading[:14]}…）" if heading else ""
    if kind == "heading":
        return f"{where}标题{about}"
    if kind == "note":
        return f"{where}备注"
    return f"{where}第 {key[2]} 段{about}"


def changed_values(before: Draft, after: Draft) -> dict[Key, Any]:
    """Units of ``after`` that differ from ``before`` (a unit ``after`` lacks maps to None)."""
    old, new = units(before), units(after)
    out = {k: v for k, v in new.items() if old.get(k) != v}
    out.update({k: None for k in old if k not in new})
    return out


def merge_units(
    base: Draft, yours: Draft, theirs: Draft, judgment_title: str = "今日判断"
) -> MergeResult:
    """Carry the units ``yours`` changed since ``base`` onto ``theirs``.

    Only for saves that kept the brief's shape (text, citations, notes); an edit that adds,
    removes or moves sections or paragraphs is merged by the desk, which re-applies it."""
    if structure(yours.brief) != structure(base.brief):
        raise ValueError("merge_units merges text edits only")
    before, mine, current = units(base), units(yours), units(theirs)
    carried: dict[Key, Any] = {}
    conflicts: list[Conflict] = []
    for key, value in mine.items():
        old = before.get(key)
        if value == old:
            continue
        now = current.get(key)
        if now == value:
            continue  # both made the same change
        label = unit_label(key, yours.brief, judgment_title)
        if now == old and (key in current or key[0] == "note"):
            carried[key] = value
        else:
            conflicts.append(Conflict(key, label, old, now, value))
    if conflicts:
        return MergeResult(None, [], conflicts)
    references = {r.url: r for r in [*theirs.brief.references, *yours.brief.references]}
    merged = apply_units(theirs, carried, references.values())
    merged.state = _merged_flags(base.state, yours.state, merged.state)
    labels = [unit_label(k, yours.brief, judgment_title) for k in carried]
    return MergeResult(merged, labels, [])


def _merged_flags(base: DeskState, yours: DeskState, theirs: DeskState) -> DeskState:
    def merged(b: list[str], y: list[str], t: list[str]) -> list[str]:
        added, removed = set(y) - set(b), set(b) - set(y)
        return sorted((set(t) | added) - removed)

    return DeskState(
        notes=theirs.notes,
        by_hand=merged(base.by_hand, yours.by_hand, theirs.by_hand),
        stale=merged(base.stale, yours.stale, theirs.stale),
        manual=theirs.manual + [u for u in yours.manual if u not in theirs.manual],
    )


def apply_units(
    draft: Draft, values: Mapping[Key, Any], references: Iterable[Reference] = ()
) -> Draft:
    """``draft`` with ``values`` (as ``units`` gives them) put in; cited URLs missing from the
    brief's references are taken from ``references``. Unknown keys are an ``EditError``."""
    brief = draft.brief
    known = {r.url: r for r in references}
    refs = list(brief.references)
    ids = {r.url: r.id for r in refs}
    sections = list(brief.sections)
    where = {section_key(brief, n): n - 1 for n in range(1, len(sections) + 1)}
    notes = dict(draft.state.notes)
    summary, judgment = brief.summary, brief.judgment
    for key, value in values.items():
        kind = key[0]
        if kind == "summary":
            summary = str(value)
        elif kind == "judgment":
            title, text = value
            judgment = judgment.model_copy(update={"title": title, "text": text})
        elif kind == "note":
            if value:
                notes[key[1]] = {k: str(v) for k, v in dict(value).items()}
            else:
                notes.pop(key[1], None)
        elif key[1] not in where:
            raise EditError(f"最新版本中已没有这一节（{key[1]}），无法放入这处修改")
        elif kind == "heading":
            index = where[key[1]]
            sections[index] = sections[index].model_copy(update={"heading": str(value)})
        elif kind == "para":
            index, number = where[key[1]], int(key[2])
            paragraphs = list(sections[index].paragraphs)
            if not 1 <= number <= len(paragraphs):
                raise EditError(f"最新版本的这一节没有第 {number} 段")
            text, cited = value
            citations = []
            for url in cited:
                if url not in ids:
                    if url not in known:
                        raise EditError(f"引用的来源不在参考文献中：{url}")
                    ids[url] = max(ids.values(), default=0) + 1
                    refs.append(known[url].model_copy(update={"id": ids[url]}))
                citations.append(ids[url])
            paragraphs[number - 1] = paragraphs[number - 1].model_copy(
                update={"text": text, "citations": citations}
            )
            sections[index] = sections[index].model_copy(update={"paragraphs": paragraphs})
        else:
            raise EditError(f"未知的修改位置：{key}")
    rebuilt = rebuild(brief, sections, refs).model_copy(
        update={"summary": summary, "judgment": judgment}
    )
    state = replace(draft.state, notes=notes)
    return Draft(rebuilt, list(draft.parked), state)
