"""What the desk page shows, arranged for the templates: candidate rows, claim verdicts, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from zhibao.analyze import Analysis
from zhibao.check import JUDGMENT, CheckReport
from zhibao.config import Profile
from zhibao.core.figures import find_figures, find_quotes, find_titles
from zhibao.core.model import Brief, Event
from zhibao.runs.desk import Desk
from zhibao.store import BriefVersion

__all__ = ["CandidateRow", "Claim", "DeskView", "desk_view"]

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


def candidate_rows(analysis: Analysis, brief: Brief, profile: Profile) -> list[CandidateRow]:
    themes = {t.id: t.name for t in profile.themes}
    in_brief = {s.event_id: n for n, s in enumerate(brief.sections, start=1) if s.event_id}
    rows = []
    for event in analysis.selected + analysis.candidates:
        number = in_brief.get(event.id)
        rows.append(_row(event, "included" if number else "candidate", themes, number))
    for event in analysis.dropped:
        number = in_brief.get(event.id)
        rows.append(_row(event, "included" if number else "covered", themes, number))
    rows.sort(key=lambda r: (r.section is None, r.section or 0, -r.score))
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
    judgment = failed_in.get(desk.profile.cadence.judgment_title) or failed_in.get(
        JUDGMENT, {}
    )
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
    return DeskView(
        day=brief.date,
        version=version,
        brief=brief,
        report=report,
        candidates=candidate_rows(desk.analysis(brief.date), brief, desk.profile),
        claims=claims,
        links=links,
        problems=brief.publish_problems(),
    )
