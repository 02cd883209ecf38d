"""What an editor can do to a brief on the desk, as pure functions ``Brief → Brief``.

Every change keeps the brief valid: references are renumbered in order of first citation and
references no section cites any more are dropped (``write.references.renumber``), so the result
renders and checks like a brief straight from the writer.

    >>> brief = move_section(brief, 2, -1)            # section 2 becomes section 1
    >>> brief, parked = exclude_event(brief, "ev-3924f9ac383a")
    >>> brief = include_section(brief, parked.section, parked.references)
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from zhibao.core.errors import ZhibaoError, format_validation_error
from zhibao.core.model import (
    MAX_BRIEF_CHARS,
    MAX_HEADING_CHARS,
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS_PER_SECTION,
    MAX_SUMMARY_CHARS,
    Brief,
    Paragraph,
    Reference,
    Section,
)
from zhibao.render.common import section_label
from zhibao.write.references import renumber

__all__ = [
    "DiffRow",
    "EditError",
    "Parked",
    "brief_lines",
    "compare_briefs",
    "diff_lines",
    "add_paragraph",
    "check_limits",
    "delete_paragraph",
    "edit_citations",
    "edit_heading",
    "edit_judgment",
    "edit_paragraph",
    "edit_summary",
    "exclude_event",
    "include_section",
    "move_paragraph",
    "move_section",
    "rebuild",
    "word_diff",
    "replace_section",
    "section_at",
]


class EditError(ZhibaoError):
    """An edit the brief cannot take (empty text, the last section, an unknown section)."""


@dataclass
class Parked:
    """An excluded section with the references it cited, kept to be included again."""

    event_id: str
    section: Section
    references: list[Reference]

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "section": self.section.model_dump(mode="json", exclude_none=True),
            "references": [r.model_dump(mode="json", exclude_none=True) for r in self.references],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Parked:
        return cls(
            event_id=data["event_id"],
            section=Section.model_validate(data["section"]),
            references=[Reference.model_validate(r) for r in data["references"]],
        )


def rebuild(brief: Brief, sections: Sequence[Section], references: list[Reference]) -> Brief:
    """``brief`` with ``sections``; references renumbered by first citation, uncited dropped."""
    new_sections, new_references = renumber(sections, references)
    return brief.model_copy(update={"sections": new_sections, "references": new_references})


def section_at(brief: Brief, number: int) -> Section:
    """Section ``number`` (from 1) of ``brief``, or ``EditError`` naming how many there are."""
    if not 1 <= number <= len(brief.sections):
        raise EditError(f"没有第 {number} 节（共 {len(brief.sections)} 节）")
    return brief.sections[number - 1]


# What to do when a text is over its limit (the limits are the Brief model's).
_SPLIT = "请拆分为两段（“添加段落”）或删减"
_SHORTEN = "请删减"


def _text(value: str, what: str, limit: int = MAX_PARAGRAPH_CHARS, fix: str = _SPLIT) -> str:
    """``value`` trimmed, if not empty and within ``limit`` characters; else ``EditError``.

    Edits build the brief with ``model_copy``, which does not validate: without this check a
    paragraph over the limit would be saved, and that day's brief would no longer load."""
    value = value.replace("\r\n", "\n").strip()
    if not value:
        raise EditError(f"{what}不能为空；如要删除整节，请在候选事件中排除该事件")
    if len(value) > limit:
        raise EditError(
            f"{what}共 {len(value):,} 字，超过 {limit:,} 字的上限，{fix} (text too long)"
        )
    return value


def check_limits(brief: Brief) -> Brief:
    """``brief`` if it is a valid ``Brief`` (every field within its limit, the whole within
    ``MAX_BRIEF_CHARS``), else ``EditError`` naming what is over: the last guard before a
    desk edit is saved, whatever the edit (a merge, a section written long)."""
    total = brief.text_chars()
    if total > MAX_BRIEF_CHARS:
        raise EditError(
            f"简报正文共 {total:,} 字，超过 {MAX_BRIEF_CHARS:,} 字的上限；请删减段落或排除一些事件"
            " (brief text too long)"
        )
    try:
        Brief.model_validate(brief.model_dump(mode="json", exclude_none=True))
    except ValidationError as exc:
        raise EditError(
            "修改未保存，简报会超出格式限制：" + format_validation_error(exc, origin="简报")
        ) from None
    return brief


def _edited(section: Section) -> str:
    # Keeps who wrote the first draft visible: "extractive+editor", "llm+editor".
    if section.writer in (None, "editor") or section.writer.endswith("+editor"):
        return section.writer or "editor"
    return f"{section.writer}+editor"


def edit_heading(brief: Brief, number: int, heading: str) -> Brief:
    section = section_at(brief, number)
    heading = _text(heading, "标题", MAX_HEADING_CHARS, "请缩短标题")
    if section.heading == heading:
        return brief
    new = section.model_copy(update={"heading": heading, "writer": _edited(section)})
    sections = list(brief.sections)
    sections[number - 1] = new
    return brief.model_copy(update={"sections": sections})


def edit_paragraph(brief: Brief, number: int, index: int, text: str) -> Brief:
    section = section_at(brief, number)
    if not 1 <= index <= len(section.paragraphs):
        raise EditError(f"第 {number} 节没有第 {index} 段")
    paragraphs = list(section.paragraphs)
    old = paragraphs[index - 1]
    text = _text(text, f"第 {number} 节第 {index} 段")
    if old.text == text:
        return brief
    paragraphs[index - 1] = old.model_copy(update={"text": text})
    sections = list(brief.sections)
    sections[number - 1] = section.model_copy(
        update={"paragraphs": paragraphs, "writer": _edited(section)}
    )
    return brief.model_copy(update={"sections": sections})


def _with_paragraphs(brief: Brief, number: int, paragraphs: list[Paragraph]) -> Brief:
    section = section_at(brief, number)
    sections = list(brief.sections)
    sections[number - 1] = section.model_copy(
        update={"paragraphs": paragraphs, "writer": _edited(section)}
    )
    return rebuild(brief, sections, list(brief.references))


def _paragraph_at(section: Section, number: int, index: int) -> None:
    if not 1 <= index <= len(section.paragraphs):
        raise EditError(f"第 {number} 节没有第 {index} 段（共 {len(section.paragraphs)} 段）")


def add_paragraph(brief: Brief, number: int, after: int, kind: str, text: str) -> Brief:
    """A new paragraph of ``kind`` (fact/analysis) after paragraph ``after`` (0: first)."""
    section = section_at(brief, number)
    if kind not in ("fact", "analysis"):
        raise EditError(f"段落类型应为 fact（事实）或 analysis（分析），收到 {kind!r}")
    if not 0 <= after <= len(section.paragraphs):
        raise EditError(f"第 {number} 节没有第 {after} 段，无法在其后添加")
    paragraphs = list(section.paragraphs)
    if len(section.paragraphs) >= MAX_PARAGRAPHS_PER_SECTION:
        raise EditError(
            f"第 {number} 节已有 {len(section.paragraphs)} 段，达到每节 "
            f"{MAX_PARAGRAPHS_PER_SECTION} 段的上限；请合并或删除段落后再添加 (too many paragraphs)"
        )
    paragraphs.insert(after, Paragraph(kind=kind, text=_text(text, "新段落")))
    return _with_paragraphs(brief, number, paragraphs)


def delete_paragraph(brief: Brief, number: int, index: int) -> Brief:
    """Drop paragraph ``index``; references only it cited go with it."""
    section = section_at(brief, number)
    _paragraph_at(section, number, index)
    if len(section.paragraphs) == 1:
        raise EditError(f"第 {number} 节只剩一段，不能删除；如要删除整节，请排除该事件")
    paragraphs = list(section.paragraphs)
    del paragraphs[index - 1]
    return _with_paragraphs(brief, number, paragraphs)


def move_paragraph(brief: Brief, number: int, index: int, delta: int) -> Brief:
    """Move paragraph ``index`` by ``delta`` places within its section."""
    section = section_at(brief, number)
    _paragraph_at(section, number, index)
    target = min(max(index - 1 + delta, 0), len(section.paragraphs) - 1)
    paragraphs = list(section.paragraphs)
    paragraphs.insert(target, paragraphs.pop(index - 1))
    if paragraphs == list(section.paragraphs):
        return brief
    return _with_paragraphs(brief, number, paragraphs)


def edit_citations(brief: Brief, number: int, index: int, chosen: Sequence[Reference]) -> Brief:
    """Paragraph ``index`` cites exactly ``chosen`` (references of the brief, or sources of the
    section's event not cited yet); the references are renumbered by first citation."""
    section = section_at(brief, number)
    _paragraph_at(section, number, index)
    references = list(brief.references)
    by_url = {r.url: r.id for r in references}
    citations: list[int] = []
    for ref in chosen:
        if ref.url not in by_url:
            by_url[ref.url] = max(by_url.values(), default=0) + 1
            references.append(ref.model_copy(update={"id": by_url[ref.url]}))
        if by_url[ref.url] not in citations:
            citations.append(by_url[ref.url])
    paragraphs = list(section.paragraphs)
    old = paragraphs[index - 1]
    if old.citations == citations:
        return brief
    paragraphs[index - 1] = old.model_copy(update={"citations": citations})
    sections = list(brief.sections)
    sections[number - 1] = section.model_copy(update={"paragraphs": paragraphs})
    return rebuild(brief, sections, references)


def edit_summary(brief: Brief, text: str) -> Brief:
    return brief.model_copy(update={"summary": _text(text, "摘要", MAX_SUMMARY_CHARS, _SHORTEN)})


def edit_judgment(brief: Brief, title: str, text: str) -> Brief:
    judgment = brief.judgment.model_copy(
        update={
            "title": _text(title, "判断标题", MAX_HEADING_CHARS, "请缩短标题"),
            "text": _text(text, "判断正文", MAX_PARAGRAPH_CHARS, _SHORTEN),
        }
    )
    return brief.model_copy(update={"judgment": judgment})


def move_section(brief: Brief, number: int, delta: int) -> Brief:
    """Move section ``number`` by ``delta`` places (−1 up, +1 down); the order is the brief's."""
    section_at(brief, number)
    target = min(max(number - 1 + delta, 0), len(brief.sections) - 1)
    sections = list(brief.sections)
    sections.insert(target, sections.pop(number - 1))
    return rebuild(brief, sections, list(brief.references))


def exclude_event(brief: Brief, event_id: str) -> tuple[Brief, Parked]:
    """Take the event's section out of the brief; the parked section can come back later."""
    keep = [s for s in brief.sections if s.event_id != event_id]
    gone = [s for s in brief.sections if s.event_id == event_id]
    if not gone:
        raise EditError(f"事件 {event_id} 不在简报中")
    if not keep:
        raise EditError("简报至少要保留一节；请先纳入其他事件再排除这一个")
    section = gone[0]
    parked = Parked(event_id, section, [r for r in brief.references if r.id in section.citations])
    return rebuild(brief, keep, list(brief.references)), parked


def _merged(
    brief: Brief, section: Section, references: Sequence[Reference]
) -> tuple[Section, list[Reference]]:
    """``section`` with its citations renumbered into the brief's references (same URL, same
    number; a new URL gets the next free number)."""
    by_url = {r.url: r.id for r in brief.references}
    merged = list(brief.references)
    mapping: dict[int, int] = {}
    next_id = max(by_url.values(), default=0) + 1
    for ref in references:
        if ref.url not in by_url:
            by_url[ref.url] = next_id
            merged.append(ref.model_copy(update={"id": next_id}))
            next_id += 1
        mapping[ref.id] = by_url[ref.url]
    paragraphs = [
        p.model_copy(update={"citations": [mapping[c] for c in p.citations if c in mapping]})
        for p in section.paragraphs
    ]
    return section.model_copy(update={"paragraphs": paragraphs}), merged


def include_section(
    brief: Brief, section: Section, references: Sequence[Reference], *, position: int | None = None
) -> Brief:
    """Add ``section`` (citing ``references``) at ``position`` (1-based; default: the end)."""
    if section.event_id and any(s.event_id == section.event_id for s in brief.sections):
        raise EditError(f"事件 {section.event_id} 已在简报中")
    new, merged = _merged(brief, section, references)
    sections = list(brief.sections)
    sections.insert(len(sections) if position is None else position - 1, new)
    return rebuild(brief, sections, merged)


def replace_section(
    brief: Brief, number: int, section: Section, references: Sequence[Reference]
) -> Brief:
    """Put a regenerated ``section`` in place of section ``number``."""
    section_at(brief, number)
    new, merged = _merged(brief, section, references)
    sections = list(brief.sections)
    sections[number - 1] = new
    return rebuild(brief, sections, merged)


# --------------------------------------------------------------------------- history diffs


def brief_lines(brief: Brief) -> list[str]:
    """The brief as plain lines, the unit the history's diff view compares."""
    lines = [f"摘要：{p}" for p in brief.summary_paragraphs]
    for number, section in enumerate(brief.sections, start=1):
        lines.append(f"{section_label(number)}{section.heading}")
        for paragraph in section.paragraphs:
            cites = "".join(f"[{c}]" for c in paragraph.citations)
            lines.append(f"    {paragraph.text}{cites}")
    lines.append(brief.judgment.title)
    lines += [f"    {p}" for p in brief.judgment.paragraphs]
    lines += [
        f"[{r.id}] {r.org}：{r.title}（{r.date.isoformat()}）{r.url}" for r in brief.references
    ]
    return lines


def diff_lines(old: Brief | None, new: Brief) -> list[tuple[str, str]]:
    """``(kind, line)`` with kind ``same``/``added``/``removed``; unchanged runs are kept short."""
    before = brief_lines(old) if old else []
    out: list[tuple[str, str]] = []
    for line in difflib.unified_diff(before, brief_lines(new), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(("gap", "…"))
        elif line.startswith("+"):
            out.append(("added", line[1:]))
        elif line.startswith("-"):
            out.append(("removed", line[1:]))
        else:
            out.append(("same", line[1:]))
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``(kind, text)`` runs of ``new`` against ``old`` with kind ``same``/``added``/``removed``,
    compared word by word (jieba for Chinese, so a changed figure or name is marked whole)."""
    import jieba

    before, after = list(jieba.cut(old)), list(jieba.cut(new))
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(after[j1:j2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(before[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(after[j1:j2])))
    return runs


@dataclass
class DiffRow:
    """One line of a comparison: ``kind`` same/changed/added/removed/gap, and its word runs."""

    kind: str
    runs: list[tuple[str, str]]


def compare_briefs(old: Brief | None, new: Brief, *, context: int = 1) -> list[DiffRow]:
    """Two versions line by line (``brief_lines``); a line changed in place is shown once with
    its words marked, unchanged stretches longer than ``context`` lines fold to a gap."""
    before = brief_lines(old) if old else []
    after = brief_lines(new)
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows or group[0][1] > 0:
            rows.append(DiffRow("gap", [("same", "…")]))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows += [DiffRow("same", [("same", line)]) for line in after[j1:j2]]
                continue
            olds, news = before[i1:i2], after[j1:j2]
            paired = min(len(olds), len(news)) if op == "replace" else 0
            for a, b in zip(olds[:paired], news[:paired], strict=True):
                rows.append(DiffRow("changed", word_diff(a, b)))
            rows += [DiffRow("removed", [("removed", line)]) for line in olds[paired:]]
            rows += [DiffRow("added", [("added", line)]) for line in news[paired:]]
    return rows
