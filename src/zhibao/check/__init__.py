"""check: a brief is publishable only if every claim traces to a cited, stored document.

Rules:

- every number, percentage, amount, date, 《title》 and “quoted phrase” in the summary, the
  section paragraphs and the judgment text occurs in a document the text may rely on — for a
  section, the documents the section cites; for the summary and the judgment, any referenced
  document — after normalisation (``zhibao.core.figures``: 5月23日 = 2026-05-23, 一千二百亿 = 1200亿,
  百分之三点五 = 3.5%, full-width digits, 十家 = 10 家). A date also counts as grounded when it
  is the document's own publication day, and 21日 in a document published in May is 5月21日;
- every section cites at least one reference; every reference is cited and points to a
  stored document;
- all anatomy parts are present (masthead, summary, sections, judgment, references, contact);
- no two sections share an ``event_id``.

    >>> report = check_brief(brief, {ref.id: store.document(ref.url) for ref in brief.references})
    >>> report.ok, [f.reason for f in report.failures]
    (False, ['数字 “1300亿” 未出现在所引用的文档中'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from zhibao.core.figures import Figure, compact, find_figures, find_quotes, find_titles
from zhibao.core.model import Brief, Document, Section
from zhibao.core.time import local_date

__all__ = ["JUDGMENT", "CheckReport", "Failure", "check_brief", "check_section"]

# Where a failure in the closing judgment is reported, whatever the cadence calls the judgment.
JUDGMENT = "今日判断"

_KIND_NAMES = {
    "date": "日期",
    "month": "月份",
    "day": "日期",
    "number": "数字",
    "title": "书名",
    "quote": "引语",
}


@dataclass
class Failure:
    """One problem: where (``section`` number from 1, or a part name), what, why, which refs."""

    where: str  # "第 2 节", "摘要", "今日判断", "参考文献 [3]", "结构"
    claim: str  # the figure / phrase as written, or the element concerned
    reason: str
    expected: list[int] = field(default_factory=list)  # reference ids it should occur in
    section: int | None = None  # 1-based section number when the failure is in a section

    def line(self) -> str:
        refs = (
            f"（应见于参考文献 {', '.join(f'[{i}]' for i in self.expected)}）"
            if self.expected
            else ""
        )
        claim = f"「{self.claim}」" if self.claim else ""
        return f"{self.where}：{claim}{self.reason}{refs}"


@dataclass
class CheckReport:
    failures: list[Failure] = field(default_factory=list)
    claims_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures

    def verdict(self, brief: Brief) -> Brief:
        """``brief`` with the status this report gives it: the one status rule.

        Final only when every claim checks *and* no section is flagged for the editor
        (``needs_review``); otherwise a draft, with the failures listed on the brief.
        """
        final = self.ok and not any(s.needs_review for s in brief.sections)
        return brief.model_copy(
            update={
                "status": "final" if final else "draft",
                "check_failures": [f.line() for f in self.failures],
            }
        )

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "claims_checked": self.claims_checked,
            "failures": [asdict(f) for f in self.failures],
        }


class _Evidence:
    """What one stored document can ground: its figures, titles and text."""

    def __init__(self, document: Document):
        full = f"{document.title}\n{document.text}"
        self.text = compact(full)
        figures = find_figures(full)
        self.numbers = {f.key for f in figures if f.kind == "number"}
        self.plain_numbers = {k.rstrip("%") for k in self.numbers}
        self.dates = {f.key for f in figures if f.kind == "date"}
        self.months = {f.key for f in figures if f.kind == "month"} | {k[:7] for k in self.dates}
        self.days = {f.key for f in figures if f.kind == "day"}
        self.published = local_date(document)

    def grounds(self, claim: Figure) -> bool:
        if claim.kind in ("title", "quote"):
            return claim.key in self.text
        if claim.kind == "number":
            if claim.key.endswith("%"):
                return claim.key in self.numbers
            return claim.key in self.plain_numbers
        if claim.kind == "month":
            published = self.published.strftime("%Y-%m") if self.published else None
            return claim.key in self.months or claim.key == published
        if claim.kind == "day":
            return claim.key in self.days or any(
                k.endswith(f"-{int(claim.key):02d}") for k in self.dates
            )
        return self._grounds_date(claim.key)

    def _grounds_date(self, key: str) -> bool:
        year, month_day = (key[:4], key[5:]) if not key.startswith("--") else (None, key[2:])
        if key in self.dates or f"--{month_day}" in self.dates:
            return True
        if year is None and any(d.endswith(month_day) for d in self.dates):
            return True
        published = self.published
        if published is not None:
            if published.strftime("%m-%d") == month_day and (
                year is None or int(year) == published.year
            ):
                return True
            # "21日" in a document published in May 2026 is 21 May 2026.
            month, day = month_day.split("-")
            if (
                int(month) == published.month
                and str(int(day)) in self.days
                and (year is None or int(year) == published.year)
            ):
                return True
        return False


def _claims(text: str) -> list[Figure]:
    return find_figures(text) + find_titles(text) + find_quotes(text)


def check_brief(brief: Brief, documents: Mapping[int, Document | None]) -> CheckReport:
    """Check ``brief``; ``documents`` maps each reference id to its stored document (None if
    it is not stored)."""
    report = CheckReport()
    fail = report.failures.append
    evidence = {i: _Evidence(d) for i, d in documents.items() if d is not None}
    ref_ids = [r.id for r in brief.references]

    # Anatomy.
    if not brief.masthead.title.strip():
        fail(Failure("结构", "报头", "缺少报告名称 (masthead.title)"))
    if not brief.summary.strip():
        fail(Failure("结构", "摘要", "缺少摘要 (summary)"))
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
        if not section.citations:
            fail(
                Failure(f"第 {number} 节", section.heading, "没有引用任何参考文献", section=number)
            )
        for ref_id in section.citations:
            if ref_id not in ref_ids:
                fail(
                    Failure(
                        f"第 {number} 节", f"[{ref_id}]", "引用了不存在的参考文献", section=number
                    )
                )
    for reference in brief.references:
        where = f"参考文献 [{reference.id}]"
        if reference.id not in cited:
            fail(Failure(where, reference.title, "未被任何一节正文引用"))
        if documents.get(reference.id) is None:
            fail(Failure(where, reference.url, "指向的文档未入库 (not stored)", [reference.id]))

    # One event, one section.
    seen_events: dict[str, int] = {}
    for number, section in enumerate(brief.sections, start=1):
        if section.event_id:
            if section.event_id in seen_events:
                fail(
                    Failure(
                        f"第 {number} 节",
                        section.event_id,
                        f"与第 {seen_events[section.event_id]} 节是同一事件 (event_id 重复)",
                        section=number,
                    )
                )
            else:
                seen_events[section.event_id] = number

    # Grounding of every figure, title and quote.
    def ground(where: str, text: str, refs: Iterable[int]) -> None:
        _ground(where, text, refs, evidence, ref_ids, report)

    for number, section in enumerate(brief.sections, start=1):
        _ground_section(section, number, evidence, ref_ids, report)
    ground("摘要", brief.summary, ref_ids)
    # The judgment's title is the editor's own phrase for the trend; its text is checked.
    ground(JUDGMENT, brief.judgment.text, ref_ids)
    return report


def _ground(
    where: str,
    text: str,
    refs: Iterable[int],
    evidence: Mapping[int, _Evidence],
    ref_ids: list[int],
    report: CheckReport,
    section: int | None = None,
) -> None:
    refs = [r for r in dict.fromkeys(refs) if r in ref_ids]
    available = [evidence[r] for r in refs if r in evidence]
    for claim in _claims(text):
        report.claims_checked += 1
        if not any(e.grounds(claim) for e in available):
            kind = _KIND_NAMES[claim.kind]
            reason = (
                f"{kind}未出现在所引用的文档中"
                if available
                else f"{kind}无从核实：没有可用的已入库引用文档"
            )
            report.failures.append(Failure(where, claim.text.strip(), reason, refs, section))


def _ground_section(
    section: Section,
    number: int,
    evidence: Mapping[int, _Evidence],
    ref_ids: list[int],
    report: CheckReport,
) -> None:
    for paragraph in section.paragraphs:
        _ground(
            f"第 {number} 节", paragraph.text, section.citations, evidence, ref_ids, report, number
        )


def check_section(
    section: Section, documents: Mapping[int, Document | None], *, number: int = 1
) -> CheckReport:
    """Check one section before it joins a brief (the LLM writer's per-section loop).

    ``documents`` maps each reference id the section may cite to its stored document; a
    citation outside it is a reference that does not exist.

        >>> check_section(section, {1: lead, 2: report}).ok
        True
    """
    report = CheckReport()
    ref_ids = list(documents)
    where = f"第 {number} 节"
    if not section.citations:
        report.failures.append(
            Failure(where, section.heading, "没有引用任何参考文献", section=number)
        )
    for ref_id in section.citations:
        if ref_id not in documents:
            report.failures.append(
                Failure(where, f"[{ref_id}]", "引用了不存在的参考文献", section=number)
            )
        elif documents[ref_id] is None:
            report.failures.append(
                Failure(where, f"[{ref_id}]", "指向的文档未入库 (not stored)", [ref_id], number)
            )
    evidence = {i: _Evidence(d) for i, d in documents.items() if d is not None}
    _ground_section(section, number, evidence, ref_ids, report)
    return report
