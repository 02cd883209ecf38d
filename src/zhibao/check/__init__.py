"""check: a brief is publishable only if what it says traces to its cited, stored documents.

Failures (the brief stays a draft), each with its place (part, paragraph; 0 is a heading) and
the references it should occur in:

- **claims** — every number, percentage, amount, date, 《title》 and “quoted phrase” in a heading,
  a paragraph, the summary and the judgment (title and text) occurs in a document the text may
  rely on: for a section, the documents it cites; for the summary and the judgment, any
  referenced one — after normalisation (``zhibao.core.figures``: 5月23日 = 2026-05-23,
  1.67万亿 = 16700亿, 两成 = 20%, 十家 = 10 家). A date also counts as grounded when it is the
  document's publication day, and 21日 in a document published in May is 5月21日;
- **names** — every person and organisation named in a heading or paragraph is named in the
  section's documents (or is the publisher of one); in the summary and judgment, in any
  (``entities``);
- **headings** — a heading's event clause is supported by its own section's documents, and not
  far better by another section's (``headings``);
- **coverage** — counts, events and themes in the summary and the judgment match the sections
  the brief has now (``coverage``);
- **time** — no 今天/昨天/本周… in a fact paragraph; elsewhere only when it means the same on the
  brief's date as on its documents' (``timing``);
- **structure** — all anatomy parts are present; every section cites a reference, every
  reference is cited and stored; no two sections share an ``event_id``.

Warnings (shown, never failing): parts outside ``profile.length``, a phrase repeated across
three or more sections (``style``).

    >>> report = check_brief(brief, {ref.id: store.document(ref.url) for ref in brief.references})
    >>> report.ok, [f.reason for f in report.failures]
    (False, ['数字未出现在所引用的文档中'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from zhibao.check.claims import ground
from zhibao.check.coverage import (
    Mentions,
    carried_themes,
    check_counts,
    check_themes,
    section_views,
)
from zhibao.check.entities import check_names
from zhibao.check.evidence import Sources, evidence_of
from zhibao.check.headings import check_heading
from zhibao.check.report import JUDGMENT, SUMMARY, CheckReport, Failure, section_part
from zhibao.check.style import check_filler, check_length
from zhibao.check.timing import check_section_time
from zhibao.config import LengthBudget, Profile
from zhibao.core.model import Brief, Document, Reference, Section

__all__ = ["JUDGMENT", "SUMMARY", "CheckReport", "Failure", "check_brief", "check_section"]


def check_brief(
    brief: Brief,
    documents: Mapping[int, Document | None],
    *,
    profile: Profile | None = None,
) -> CheckReport:
    """Check ``brief``; ``documents`` maps each reference id to its stored document (None if
    it is not stored). ``profile`` brings the length budget and the themes (without it: the
    default budget, no theme check)."""
    report = CheckReport()
    evidence = evidence_of(documents, brief.references)
    ref_ids = [r.id for r in brief.references]
    _structure(report, brief, documents, ref_ids)

    sources = [Sources.of(s.citations, evidence, ref_ids) for s in brief.sections]
    numbered = list(enumerate(sources, start=1))
    for number, (section, own) in enumerate(zip(brief.sections, sources, strict=True), start=1):
        _section_text(report, number, section, own, brief.date)
        check_heading(report, number, section, own, numbered)

    everything = Sources.of(ref_ids, evidence, ref_ids)
    judgment = brief.judgment
    for index, paragraph in enumerate(brief.summary_paragraphs, start=1):
        ground(report, SUMMARY, paragraph, everything, paragraph=index)
        check_names(report, SUMMARY, paragraph, everything, paragraph=index)
    ground(report, JUDGMENT, judgment.title, everything, paragraph=0)
    check_names(report, JUDGMENT, judgment.title, everything, paragraph=0)
    for index, paragraph in enumerate(judgment.paragraphs, start=1):
        ground(report, JUDGMENT, paragraph, everything, paragraph=index)
        check_names(report, JUDGMENT, paragraph, everything, paragraph=index)

    # The summary and the judgment against the sections the brief has now.
    views = section_views(brief, sources)
    for index, paragraph in enumerate(brief.summary_paragraphs, start=1):
        check_counts(report, SUMMARY, paragraph, brief, index)
    check_counts(report, JUDGMENT, judgment.title, brief, 0)
    for index, paragraph in enumerate(judgment.paragraphs, start=1):
        check_counts(report, JUDGMENT, paragraph, brief, index)
    carried = carried_themes(brief, sources, profile) if profile is not None else []
    mentions = Mentions(report, views, brief.date, profile, carried)
    synthesis = [(SUMMARY, n, u) for n, u in mentions.check(SUMMARY, brief.summary)]
    synthesis += [(JUDGMENT, n, u) for n, u in mentions.check(JUDGMENT, judgment.text)]
    synthesis.append((JUDGMENT, 0, judgment.title))
    if profile is not None:
        check_themes(report, synthesis, set().union(*carried), profile)

    check_length(report, brief, profile.length if profile is not None else LengthBudget())
    check_filler(report, brief)
    return report


def _structure(
    report: CheckReport,
    brief: Brief,
    documents: Mapping[int, Document | None],
    ref_ids: list[int],
) -> None:
    fail = report.failures.append
    if not brief.masthead.title.strip():
        fail(Failure("结构", "报头", "缺少报告名称 (masthead.title)"))
    if not brief.summary.strip():
        fail(Failure("结构", SUMMARY, "缺少摘要 (summary)"))
    if not brief.sections:
        fail(Failure("结构", "正文", "至少需要一节正文 (sections)"))
    if not brief.judgment.text.strip():
        fail(Failure("结构", JUDGMENT, "缺少今日判断 (judgment)"))
    if not brief.references:
        fail(Failure("结构", "参考文献", "参考文献为空 (references)"))
    contact = brief.contact
    if not (contact.qr_codes or contact.organisations or contact.website):
        fail(Failure("结构", "联系方式", "缺少联系方式：二维码、机构介绍或网址 (contact)"))

    # References: cited, stored.
    cited: set[int] = set()
    for number, section in enumerate(brief.sections, start=1):
        cited.update(section.citations)
        _citations(report, number, section, set(ref_ids))
    for reference in brief.references:
        where = f"参考文献 [{reference.id}]"
        if reference.id not in cited:
            fail(Failure(where, reference.title, "未被任何一节正文引用"))
        if documents.get(reference.id) is None:
            fail(Failure(where, reference.url, "指向的文档未入库 (not stored)", [reference.id]))

    # One event, one section.
    seen_events: dict[str, int] = {}
    for number, section in enumerate(brief.sections, start=1):
        if not section.event_id:
            continue
        if section.event_id in seen_events:
            fail(
                Failure(
                    section_part(number),
                    section.event_id,
                    f"与第 {seen_events[section.event_id]} 节是同一事件 (event_id 重复)",
                    section=number,
                )
            )
        else:
            seen_events[section.event_id] = number


def _citations(report: CheckReport, number: int, section: Section, known: set[int]) -> None:
    where = section_part(number)
    if not section.citations:
        report.failures.append(
            Failure(where, section.heading, "没有引用任何参考文献", section=number)
        )
    for ref_id in section.citations:
        if ref_id not in known:
            report.failures.append(
                Failure(where, f"[{ref_id}]", "引用了不存在的参考文献", section=number)
            )


def _section_text(
    report: CheckReport, number: int, section: Section, sources: Sources, brief_date: date | None
) -> None:
    """Claims, names and time words of one section's heading and paragraphs."""
    where = section_part(number)
    parts = [(0, section.heading)] + [(i, p.text) for i, p in enumerate(section.paragraphs, 1)]
    for index, text in parts:
        ground(report, where, text, sources, section=number, paragraph=index)
        check_names(report, where, text, sources, section=number, paragraph=index)
    check_section_time(report, number, section, sources, brief_date)


def check_section(
    section: Section,
    documents: Mapping[int, Document | None],
    *,
    number: int = 1,
    brief_date: date | None = None,
    references: Sequence[Reference] = (),
) -> CheckReport:
    """Check one section before it joins a brief (the LLM writer's per-section loop).

    ``documents`` maps each reference id the section may cite to its stored document; a
    citation outside it is a reference that does not exist. With ``brief_date``, relative time
    words outside the fact paragraph are checked against the documents' dates too.

        >>> check_section(section, {1: lead, 2: report}).ok
        True
    """
    report = CheckReport()
    where = section_part(number)
    _citations(report, number, section, set(documents))
    for ref_id in section.citations:
        if ref_id in documents and documents[ref_id] is None:
            report.failures.append(
                Failure(where, f"[{ref_id}]", "指向的文档未入库 (not stored)", [ref_id], number)
            )
    evidence = evidence_of(documents, references)
    sources = Sources.of(section.citations, evidence, documents)
    _section_text(report, number, section, sources, brief_date)
    check_heading(report, number, section, sources)
    return report
