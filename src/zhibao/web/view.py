"""What the desk page shows, arranged for the templates: candidate rows, claim verdicts, links."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from pydantic import ValidationError

from zhibao.analyze import Analysis
from zhibao.check import JUDGMENT, CheckReport
from zhibao.config import Profile
from zhibao.core.figures import find_figures, find_quotes, find_titles
from zhibao.core.model import Brief, Event, Reference
from zhibao.runs.desk import Desk, EditConflict
from zhibao.store import BriefVersion

__all__ = [
    "CandidateRow",
    "Claim",
    "DeskView",
    "chosen_units",
    "conflict_payload",
    "desk_view",
    "unit_text",
]


@dataclass
class CandidateRow:
    id: str
    title: str
    url: str
    theme: str
    score: float
    sources: list[str]
    documents: int
    reasons: list[str]
    state: str  # included | candidate | covered
    section: int | None = None  # its section number when included
    continuing: bool = False
    merged_by: list[str] = field(default_factory=list)  # why its documents are one event
    manual: bool = False  # an editor added one of its pages by hand


@dataclass
class Claim:
    text: str
    ok: bool
    reason: str = ""


@dataclass
class DeskView:
    day: date
    version: BriefVersion
    brief: Brief
    report: CheckReport
    candidates: list[CandidateRow]
    claims: dict[tuple[str, int], list[Claim]]  # ("s3", 2) → claims of section 3 paragraph 2
    links: dict[int, dict[str, str | None]]  # reference id → {"url", "archived"}
    problems: list[str] = field(default_factory=list)
    choices: dict[int, list[Reference]] = field(default_factory=dict)  # section → citable
    notes: dict[int, dict[str, str]] = field(default_factory=dict)  # section → its note


def _claims(text: str, failed: dict[str, str]) -> list[Claim]:
    found = find_figures(text) + find_titles(text) + find_quotes(text)
    seen: dict[str, Claim] = {}
    for figure in found:
        if figure.text not in seen:
            reason = failed.get(figure.text, "")
            seen[figure.text] = Claim(figure.text, figure.text not in failed, reason)
    return list(seen.values())


def _row(event: Event, state: str, themes: dict[str, str], section: int | None) -> CandidateRow:
    lead = event.lead_document
    orgs = list(dict.fromkeys(d.source_org or d.source_id or "未注明" for d in event.documents))
    reasons = [f"{themes.get(t, t)}：{'、'.join(terms[:6])}" for t, terms in event.reasons.items()]
    return CandidateRow(
        id=event.id,
        title=event.focus or lead.title,
        url=lead.link,
        theme=themes.get(event.theme or "", event.theme or "—"),
        score=event.score,
        sources=orgs,
        documents=len(event.documents),
        reasons=reasons,
        state=state,
        section=section,
        continuing=event.continuing,
        merged_by=event.merged_by,
    )


def candidate_rows(
    analysis: Analysis,
    brief: Brief,
    profile: Profile,
    manual: Sequence[Event] = (),
    manual_urls: Collection[str] = (),
) -> list[CandidateRow]:
    """The desk's candidate list: the analysis's events, then ``manual`` (pages an editor
    added by hand, offered whatever their score); rows holding a page of ``manual_urls``
    are marked as added by hand."""
    themes = {t.id: t.name for t in profile.themes}
    in_brief = {s.event_id: n for n, s in enumerate(brief.sections, start=1) if s.event_id}
    added = set(manual_urls)
    listed = [(e, "candidate") for e in analysis.selected + analysis.candidates + list(manual)]
    listed += [(e, "covered") for e in analysis.dropped]
    rows = []
    for event, state in listed:
        number = in_brief.get(event.id)
        row = _row(event, "included" if number else state, themes, number)
        row.manual = any(d.canonical_url in added for d in event.documents)
        rows.append(row)
    # Pages added by hand come first among the candidates: the editor just asked for them.
    rows.sort(key=lambda r: (r.section is None, r.section or 0, not r.manual, -r.score))
    return rows


def desk_view(desk: Desk, version: BriefVersion) -> DeskView:
    """The desk page of ``version``: its check, the day's candidates and source links."""
    brief = version.brief
    report = desk.check(brief)
    failed_in: dict[str, dict[str, str]] = {}
    for failure in report.failures:
        where = f"s{failure.section}" if failure.section else failure.where
        if failure.section and failure.paragraph is not None:  # only that paragraph's box
            where += f"p{failure.paragraph}"
        failed_in.setdefault(where, {})[failure.claim] = failure.reason
    claims: dict[tuple[str, int], list[Claim]] = {}
    for n, section in enumerate(brief.sections, start=1):
        for i, paragraph in enumerate(section.paragraphs, start=1):
            failed = {**failed_in.get(f"s{n}", {}), **failed_in.get(f"s{n}p{i}", {})}
            claims[(f"s{n}", i)] = _claims(paragraph.text, failed)
    claims[("summary", 1)] = _claims(brief.summary, failed_in.get("摘要", {}))
    judgment = failed_in.get(desk.profile.cadence.judgment_title) or failed_in.get(JUDGMENT, {})
    claims[("judgment", 1)] = _claims(brief.judgment.text, judgment)
    documents = desk.cited_documents(brief)
    links: dict[int, dict[str, str | None]] = {}
    for ref in brief.references:
        document = documents.get(ref.id)
        archived = (
            f"/archived?ref={quote(document.archive, safe='')}"
            if document is not None and document.archive
            else None
        )
        links[ref.id] = {"url": ref.url, "archived": archived}
    from zhibao.runs.merging import section_key

    notes = {}
    for n in range(1, len(brief.sections) + 1):
        note = version.state.notes.get(section_key(brief, n))
        if note:
            notes[n] = note
    return DeskView(
        day=brief.date,
        version=version,
        brief=brief,
        report=report,
        candidates=candidate_rows(
            desk.analysis(brief.date),
            brief,
            desk.profile,
            desk.manual_events(brief.date, version),
            version.state.manual,
        ),
        claims=claims,
        links=links,
        problems=brief.publish_problems(),
        choices={
            n: desk.citation_choices(brief.date, brief, n)
            for n in range(1, len(brief.sections) + 1)
        },
        notes=notes,
    )


# --------------------------------------------------------------------------- conflicts


def unit_text(value: Any) -> str:
    """A unit's value (see ``runs.merging.units``) as the conflict view shows it."""
    if value is None:
        return "（已不存在）"
    if isinstance(value, dict):  # a section's note
        return value.get("text", "")
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], (tuple, list)):
        text, urls = value  # a paragraph: its text and the sources it cites
        return text + ("".join(f" [{u}]" for u in urls) if urls else "")
    if isinstance(value, (tuple, list)):  # 今日判断: title and text
        return "\n".join(str(v) for v in value)
    return str(value)


def conflict_payload(conflict: EditConflict) -> str:
    """The editor's side of a conflict, as the view's hidden field carries it back: every unit
    they changed (those in conflict numbered) and the references their citations need."""
    index = {c.key: i for i, c in enumerate(conflict.conflicts)}
    units = [
        {"key": list(key), "value": value, "conflict": index.get(key)}
        for key, value in conflict.carried.items()
    ]
    cited = {u for value in conflict.carried.values() for u in _urls(value)}
    references = []
    if conflict.yours is not None:
        references = [
            r.model_dump(mode="json", exclude_none=True)
            for r in conflict.yours.brief.references
            if r.url in cited
        ]
    return json.dumps({"units": units, "references": references}, ensure_ascii=False)


def _urls(value: Any) -> list[str]:
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], (tuple, list)):
        return [str(u) for u in value[1]]
    return []


def chosen_units(
    payload: str, picks: list[str]
) -> tuple[dict[tuple[str, ...], Any], list[Reference]]:
    """The units to save from the conflict view: the editor's non-conflicting changes, and the
    conflicting ones where they picked theirs (``picks`` holds ``"yours:N"`` / ``"theirs:N"``)."""
    try:
        data = json.loads(payload)
        references = [Reference.model_validate(r) for r in data.get("references", [])]
        values: dict[tuple[str, ...], Any] = {}
        for unit in data["units"]:
            number = unit.get("conflict")
            if number is None or f"yours:{number}" in picks:
                values[tuple(str(k) for k in unit["key"])] = unit["value"]
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        raise HTTPException(
            400, "冲突视图提交的内容无法解读 (bad payload)；请刷新页面后重新修改"
        ) from None
    return values, references
