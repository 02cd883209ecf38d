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

from zhibao.core.errors import ZhibaoError
from zhibao.core.model import Brief, Reference, Section
from zhibao.render.common import section_label
from zhibao.write.references import renumber

__all__ = [
    "EditError",
    "Parked",
    "brief_lines",
    "diff_lines",
    "edit_heading",
    "edit_judgment",
    "edit_paragraph",
    "edit_summary",
    "exclude_event",
    "include_section",
    "move_section",
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


def _rebuilt(brief: Brief, sections: Sequence[Section], references: list[Reference]) -> Brief:
    new_sections, new_references = renumber(sections, references)
    return brief.model_copy(update={"sections": new_sections, "references": new_references})


def section_at(brief: Brief, number: int) -> Section:
    """Section ``number`` (from 1) of ``brief``, or ``EditError`` naming how many there are."""
    if not 1 <= number <= len(brief.sections):
        raise EditError(f"没有第 {number} 节（共 {len(brief.sections)} 节）")
    return brief.sections[number - 1]


def _text(value: str, what: str) -> str:
    value = value.replace("\r\n", "\n").strip()
    if not value:
        raise EditError(f"{what}不能为空；如要删除整节，请在候选事件中排除该事件")
    return value


def _edited(section: Section) -> str:
    # Keeps who wrote the first draft visible: "extractive+editor", "llm+editor".
    if section.writer in (None, "editor") or section.writer.endswith("+editor"):
        return section.writer or "editor"
    return f"{section.writer}+editor"


def edit_heading(brief: Brief, number: int, heading: str) -> Brief:
    section = section_at(brief, number)
    heading = _text(heading, "标题")
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
    text = _text(text, "段落")
    if old.text == text:
        return brief
    paragraphs[index - 1] = old.model_copy(update={"text": text})
    sections = list(brief.sections)
    sections[number - 1] = section.model_copy(
        update={"paragraphs": paragraphs, "writer": _edited(section)}
    )
    return brief.model_copy(update={"sections": sections})


def edit_summary(brief: Brief, text: str) -> Brief:
    return brief.model_copy(update={"summary": _text(text, "摘要")})


def edit_judgment(brief: Brief, title: str, text: str) -> Brief:
    judgment = brief.judgment.model_copy(
        update={"title": _text(title, "判断标题"), "text": _text(text, "判断正文")}
    )
    return brief.model_copy(update={"judgment": judgment})


def move_section(brief: Brief, number: int, delta: int) -> Brief:
    """Move section ``number`` by ``delta`` places (−1 up, +1 down); the order is the brief's."""
    section_at(brief, number)
    target = min(max(number - 1 + delta, 0), len(brief.sections) - 1)
    sections = list(brief.sections)
    sections.insert(target, sections.pop(number - 1))
    return _rebuilt(brief, sections, list(brief.references))


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
    return _rebuilt(brief, keep, list(brief.references)), parked


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
    return _rebuilt(brief, sections, merged)


def replace_section(
    brief: Brief, number: int, section: Section, references: Sequence[Reference]
) -> Brief:
    """Put a regenerated ``section`` in place of section ``number``."""
    section_at(brief, number)
    new, merged = _merged(brief, section, references)
    sections = list(brief.sections)
    sections[number - 1] = new
    return _rebuilt(brief, sections, merged)


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
