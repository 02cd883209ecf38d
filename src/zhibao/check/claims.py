"""Figures, dates, 《titles》 and “quotations”: each must occur in a document the text may rely on."""

from __future__ import annotations

from zhibao.check.evidence import Sources
from zhibao.check.report import CheckReport, Failure
from zhibao.core.figures import Figure, find_figures, find_quotes, find_titles

__all__ = ["claims", "ground"]

_KIND_NAMES = {
    "date": "日期",
    "month": "月份",
    "day": "日期",
    "number": "数字",
    "title": "书名",
    "quote": "引语",
}


def claims(text: str) -> list[Figure]:
    return find_figures(text) + find_titles(text) + find_quotes(text)


def ground(
    report: CheckReport,
    where: str,
    text: str,
    sources: Sources,
    *,
    section: int | None = None,
    paragraph: int | None = None,
) -> None:
    """A failure for every claim of ``text`` that none of ``sources`` contains."""
    for claim in claims(text):
        report.claims_checked += 1
        if not any(d.grounds(claim) for d in sources.documents):
            kind = _KIND_NAMES[claim.kind]
            reason = (
                f"{kind}未出现在所引用的文档中"
                if sources.documents
                else f"{kind}无从核实：没有可用的已入库引用文档"
            )
            report.failures.append(
                Failure(where, claim.text.strip(), reason, sources.refs, section, paragraph)
            )
